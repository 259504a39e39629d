"""Background work of the content app, run by ``ecotone worker``."""

from __future__ import annotations

from datetime import time

from django.tasks import task

from ecotone.content.services import health
from ecotone.notifications.scheduler import recurring


@recurring("content.freshness_scan", daily_at=time(3, 0))
@task()
def scan_freshness() -> int:
    """Each night: review dates, "outdated" reports, owners who left, retired skills."""
    return health.scan()
