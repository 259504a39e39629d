from django.urls import path

from ecotone.kernel.search import views

urlpatterns = [path("", views.search_page, name="search")]
