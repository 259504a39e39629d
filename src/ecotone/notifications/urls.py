from django.urls import path

from ecotone.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:notification_id>/read/", views.read, name="read"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
]
