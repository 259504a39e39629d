"""A small scheduler for recurring jobs, ticked by ``ecotone worker``.

Jobs are declared in code next to their task::

    @recurring("notifications.daily_digest", daily_at=time(7, 0))
    @task()
    def send_daily_digests() -> int: ...

On each tick, every due job is *claimed* with one conditional UPDATE of its ``RecurringJobRun``
row (``... WHERE last_run_at IS NULL OR last_run_at < :slot``) and its task enqueued in the same
transaction. Only one of several workers can win that UPDATE, on PostgreSQL and SQLite alike, so
a job runs once per slot however many workers tick.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ecotone.notifications.models import RecurringJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecurringJob:
    """A task to enqueue every ``every``, or once a day at ``daily_at`` (in settings.TIME_ZONE)."""

    name: str
    task: Any  # a django.tasks Task taking no arguments
    every: timedelta | None = None
    daily_at: time | None = None

    def latest_slot(self, now: datetime) -> datetime:
        """The most recent moment at which the job was due: it is due if it has not run since."""
        if self.every is not None:
            return now - self.every
        assert self.daily_at is not None
        local_now = timezone.localtime(now, zoneinfo.ZoneInfo(settings.TIME_ZONE))
        slot = local_now.replace(
            hour=self.daily_at.hour,
            minute=self.daily_at.minute,
            second=self.daily_at.second,
            microsecond=0,
        )
        if slot > local_now:
            slot -= timedelta(days=1)
        return slot

    def is_due(self, last_run_at: datetime | None, now: datetime) -> bool:
        if last_run_at is None:
            return True
        slot = self.latest_slot(now)
        return last_run_at <= slot if self.every is not None else last_run_at < slot


_jobs: dict[str, RecurringJob] = {}


def recurring(
    name: str, *, every: timedelta | None = None, daily_at: time | None = None
) -> Callable[[Any], Any]:
    """Register the decorated task as a recurring job (exactly one of ``every`` / ``daily_at``)."""
    if (every is None) == (daily_at is None):
        raise ValueError("Give a recurring job exactly one of every= or daily_at=")
    if every is not None and every <= timedelta(0):
        raise ValueError("every= must be positive")

    def register(task: Any) -> Any:
        _jobs[name] = RecurringJob(name=name, task=task, every=every, daily_at=daily_at)
        return task

    return register


def registered() -> dict[str, RecurringJob]:
    return dict(_jobs)


def claim(job: RecurringJob, now: datetime) -> bool:
    """Atomically take this slot of ``job``: True for exactly one caller per slot."""
    slot = job.latest_slot(now)
    old = Q(last_run_at__lte=slot) if job.every is not None else Q(last_run_at__lt=slot)
    updated = RecurringJobRun.objects.filter(
        Q(name=job.name) & (Q(last_run_at__isnull=True) | old)
    ).update(last_run_at=now, runs=F("runs") + 1)
    return updated == 1


def tick(
    *, now: datetime | None = None, jobs: Mapping[str, RecurringJob] | None = None
) -> list[str]:
    """Enqueue every due job once; returns the names of the jobs this caller enqueued."""
    now = now or timezone.now()
    jobs = _jobs if jobs is None else jobs
    if not jobs:
        return []
    RecurringJobRun.objects.bulk_create(
        [RecurringJobRun(name=name) for name in jobs], ignore_conflicts=True
    )
    last_runs = dict(
        RecurringJobRun.objects.filter(name__in=list(jobs)).values_list("name", "last_run_at")
    )
    enqueued = []
    for name, job in jobs.items():
        if not job.is_due(last_runs.get(name), now):
            continue
        with transaction.atomic():
            if not claim(job, now):
                continue
            job.task.enqueue()
        logger.info("Scheduled recurring job %s", name)
        enqueued.append(name)
    return enqueued
