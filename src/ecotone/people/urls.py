from django.urls import path

from ecotone.people import views

urlpatterns = [
    path("", views.home, name="home"),
]
