"""The recurring-job scheduler: due times, and a claim that only one ticker wins."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from ecotone.notifications import scheduler
from ecotone.notifications.models import RecurringJobRun
from ecotone.notifications.scheduler import RecurringJob, claim, recurring, tick


@task()
def probe() -> str:
    return "ran"


HOURLY = {"tests.hourly": RecurringJob(name="tests.hourly", task=probe, every=timedelta(hours=1))}
DAILY = {"tests.daily": RecurringJob(name="tests.daily", task=probe, daily_at=time(7, 0))}
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_two_ticks_in_a_row_enqueue_once(db):
    assert tick(now=NOON, jobs=HOURLY) == ["tests.hourly"]
    assert tick(now=NOON + timedelta(seconds=30), jobs=HOURLY) == []
    assert DBTaskResult.objects.filter(task_path__endswith=".probe").count() == 1
    run = RecurringJobRun.objects.get(name="tests.hourly")
    assert (run.last_run_at, run.runs) == (NOON, 1)

    assert tick(now=NOON + timedelta(hours=1), jobs=HOURLY) == ["tests.hourly"]
    assert DBTaskResult.objects.filter(task_path__endswith=".probe").count() == 2


def test_only_one_of_two_workers_claims_a_slot(db):
    tick(now=NOON, jobs=HOURLY)  # creates the row and takes the first slot
    job = HOURLY["tests.hourly"]
    later = NOON + timedelta(hours=2)
    # Both workers read the row while it was due; only the first conditional UPDATE wins.
    assert job.is_due(NOON, later)
    assert claim(job, later) is True
    assert claim(job, later) is False
    assert RecurringJobRun.objects.get(name="tests.hourly").runs == 2


@pytest.mark.parametrize(
    ("last_run", "now", "due"),
    [
        (None, datetime(2026, 3, 2, 6, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 1, 7, 0, tzinfo=UTC), datetime(2026, 3, 2, 6, 59, tzinfo=UTC), False),
        (datetime(2026, 3, 1, 7, 0, tzinfo=UTC), datetime(2026, 3, 2, 7, 0, tzinfo=UTC), True),
        (datetime(2026, 3, 2, 7, 0, tzinfo=UTC), datetime(2026, 3, 2, 23, 0, tzinfo=UTC), False),
        (datetime(2026, 2, 27, 9, 0, tzinfo=UTC), datetime(2026, 3, 2, 3, 0, tzinfo=UTC), True),
    ],
)
def test_a_daily_job_is_due_once_per_day_at_its_time(settings, last_run, now, due):
    settings.TIME_ZONE = "UTC"
    assert DAILY["tests.daily"].is_due(last_run, now) is due


def test_daily_time_is_read_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    job = DAILY["tests.daily"]
    assert job.latest_slot(datetime(2026, 3, 2, 6, 30, tzinfo=UTC)) == datetime(
        2026, 3, 2, 6, 0, tzinfo=UTC
    )


def test_a_daily_job_ticks_once_per_day(db, settings):
    settings.TIME_ZONE = "UTC"
    morning = datetime(2026, 3, 2, 7, 0, 10, tzinfo=UTC)
    assert tick(now=morning, jobs=DAILY) == ["tests.daily"]
    assert tick(now=morning + timedelta(hours=12), jobs=DAILY) == []
    assert tick(now=morning + timedelta(days=1), jobs=DAILY) == ["tests.daily"]


def test_the_digest_is_registered_daily():
    job = scheduler.registered()["notifications.daily_digest"]
    assert job.daily_at == time(7, 0)
    assert job.task.name == "send_daily_digests"


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"every": timedelta(hours=1), "daily_at": time(7)}, {"every": timedelta(0)}],
)
def test_recurring_needs_exactly_one_positive_schedule(kwargs):
    with pytest.raises(ValueError):
        recurring("tests.bad", **kwargs)
