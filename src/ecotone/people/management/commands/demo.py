"""``ecotone demo [--port 8000] [--size small]``: try Ecotone in one command.

Migrates the database in the data directory, seeds the demo company when the database is empty,
prints where to go and one log-in per role, then starts the background worker beside the
production server (both stop on Ctrl-C).
"""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from rich.console import Console

from ecotone.people.management.commands.seed import run_seed
from ecotone.people.management.commands.serve import run_server
from ecotone.people.management.terminal import DEMO_WARNING, console_for, logins_table
from ecotone.people.seeding import DEMO_PASSWORD, SIZES, database_is_empty, last_seeded_logins

WORKER_COMMAND = [sys.executable, "-m", "ecotone.cli", "worker"]


class Command(BaseCommand):
    help = "Set up the data directory, seed the demo company if empty, print log-ins and serve."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--workers", type=int, default=2, help="Web worker processes.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        prepare(console, size=options["size"], seed=options["seed"])
        url = f"http://127.0.0.1:{options['port']}"
        console.print(f"\n[bold]Ecotone is starting at {url}[/bold]  (Ctrl-C stops it)\n")
        worker = start_worker(console)
        parent = os.getpid()
        try:
            run_server(bind=f"127.0.0.1:{options['port']}", workers=options["workers"])
        except KeyboardInterrupt:
            pass
        finally:
            # Gunicorn forks its workers from this process; only the parent owns the worker.
            if os.getpid() == parent:
                stop_worker(worker)


def prepare(console: Console, *, size: str, seed: int) -> None:
    """Migrate, create the cache table, seed when empty, and print the log-ins."""
    console.print(f"Data directory: {settings.DATA_DIR}")
    console.print("Applying database migrations…")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if database_is_empty():
        context = run_seed(console, size=size, seed=seed)
        logins = context.logins
    else:
        console.print("The database already has people: keeping it as it is.")
        logins = last_seeded_logins()
    if logins:
        console.print(logins_table(logins, password_note=f"{DEMO_PASSWORD} (unless changed)"))
        console.print(DEMO_WARNING)
    else:
        console.print(
            "No demo log-ins in this database: sign in with your own account, or create an "
            "administrator with `ecotone createadmin`."
        )


def start_worker(console: Console) -> subprocess.Popen[bytes] | None:
    """The background worker as a child process, when this installation has one."""
    if "worker" not in get_commands():
        console.print("[dim]No background worker in this installation: not starting one.[/dim]")
        return None
    console.print("Starting the background worker…")
    return subprocess.Popen(WORKER_COMMAND, env=os.environ.copy())  # noqa: S603 (fixed command)


def stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    """Ask the worker to finish its current task and stop; kill it if it does not."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
