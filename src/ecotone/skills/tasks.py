"""Background work of the skills app, run by ``ecotone worker``."""

from __future__ import annotations

from datetime import time

from django.tasks import task

from ecotone.notifications.scheduler import recurring
from ecotone.skills import services


@recurring("skills.refresh_levels", daily_at=time(2, 30))
@task()
def refresh_skill_levels() -> int:
    """Recompute every derived level each night, so confidence decays as evidence ages."""
    return services.refresh_levels()
