"""Background work of the goals app, run by ``ecotone worker``."""

from __future__ import annotations

from datetime import time

from django.tasks import task

from ecotone.goals import services
from ecotone.notifications.scheduler import recurring


@recurring("goals.scan", daily_at=time(6, 0))
@task()
def scan_goals() -> dict[str, int]:
    """Re-derive goal progress; remind people of stalled and overdue goals and due check-ins."""
    return services.scan_goals()
