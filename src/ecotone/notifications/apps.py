from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ecotone.notifications"
    label = "notifications"
    verbose_name = "Notifications"
