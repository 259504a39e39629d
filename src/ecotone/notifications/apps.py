"""Notifications: the in-app inbox, e-mail (immediately or in a daily digest) and preferences."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ecotone.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from ecotone.notifications import (  # noqa: F401  (registers permissions and jobs)
            policies,
            tasks,
        )
