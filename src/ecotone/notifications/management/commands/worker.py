"""``ecotone worker``: run background tasks and the recurring-job scheduler in one process.

The task loop is django-tasks-db's ``Worker`` (it claims one ready task at a time, with row locks
on PostgreSQL and an exclusive transaction on SQLite, so several workers can run side by side).
Beside it, a thread ticks the scheduler every ``--tick`` seconds: each tick enqueues the recurring
jobs that are due, claimed so that only one worker enqueues each run.

SIGINT/SIGTERM stop the worker cleanly: the running task finishes, the scheduler thread stops.
``--once`` ticks the scheduler, runs every task that is ready, and exits (for cron and tests).
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from ecotone.notifications import scheduler

logger = logging.getLogger("ecotone.worker")

LOGGERS = ("ecotone.worker", "ecotone.notifications", "django.tasks", "django_tasks_db")


class SchedulerThread(threading.Thread):
    """Ticks the scheduler every ``every`` seconds until ``stop`` is set."""

    def __init__(self, every: float) -> None:
        super().__init__(name="ecotone-scheduler", daemon=True)
        self.every = every
        self.stop = threading.Event()

    def run(self) -> None:
        """Tick at once, then every ``every`` seconds, until stopped."""
        try:
            while True:
                tick_logged()
                if self.stop.wait(self.every):
                    return
        finally:
            connection.close()


def tick_logged() -> list[str]:
    """One scheduler tick that never raises: a failed tick is logged and retried next time."""
    close_old_connections()
    try:
        enqueued = scheduler.tick()
    except Exception:
        logger.exception("Scheduler tick failed; retrying at the next tick")
        return []
    finally:
        close_old_connections()
    return enqueued


class Command(BaseCommand):
    help = "Run background tasks and recurring jobs (notifications digest, reminders, ...)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue the recurring jobs that are due, run every ready task, then exit.",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues to process, comma-separated; '*' for all (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait for new tasks when the queue is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--tick",
            type=float,
            default=30.0,
            help="Seconds between scheduler ticks (default: %(default)s).",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="A name unique in the worker pool (default: generated).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._configure_logging(options["verbosity"])
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "ecotone worker needs the database task backend "
                "(TASKS['default']['BACKEND'] = 'django_tasks_db.DatabaseBackend')."
            )
        if options["interval"] < 0 or options["tick"] <= 0:
            raise CommandError("--interval must be >= 0 and --tick > 0.")
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["once"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["once"],
            max_tasks=None,
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
        )
        if options["once"]:
            self._run_once(worker)
            return
        self._run_forever(worker, tick_every=options["tick"])

    def _run_once(self, worker: Worker) -> None:
        enqueued = tick_logged()
        worker.run()
        self.stdout.write(
            f"Enqueued {len(enqueued)} recurring job(s): {', '.join(enqueued) or 'none'}; "
            f"ran {worker._run_tasks} task(s)."
        )

    def _run_forever(self, worker: Worker, *, tick_every: float) -> None:
        ticker = SchedulerThread(tick_every)
        logger.info(
            "Worker %s started: tasks from queues %s, scheduler tick every %ss",
            worker.worker_id,
            ",".join(worker.queue_names),
            tick_every,
        )
        worker.configure_signals()
        ticker.start()
        try:
            worker.run()
        finally:
            ticker.stop.set()
            ticker.join(timeout=tick_every)
            worker.reset_signals()
            logger.info("Worker %s stopped", worker.worker_id)

    def _configure_logging(self, verbosity: int) -> None:
        level = logging.WARNING if verbosity == 0 else logging.INFO
        if verbosity > 1:
            level = logging.DEBUG
        handler = logging.StreamHandler(self.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        for name in LOGGERS:
            named = logging.getLogger(name)
            named.setLevel(level)
            if not named.handlers:
                named.addHandler(handler)
                named.propagate = False
