"""``ecotone ledger-backfill``: write ledger statements for the history recorded before it."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ecotone.lrs import ledger
from ecotone.people.management.terminal import SeedProgress, console_for


class Command(BaseCommand):
    help = (
        "Write an xAPI statement to the built-in LRS for every past learning event that has "
        "none yet (skill ratings, assessments, endorsements...). Safe to run again: statements "
        "already written are skipped."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--source", help="Only this source (see --list).")
        parser.add_argument("--list", action="store_true", help="List the sources and stop.")
        parser.add_argument("--batch", type=int, default=1000, help="Statements a transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        names = [source.name for source in ledger.sources()]
        if options["list"]:
            for source in ledger.sources():
                console.print(f"{source.name}  {source.label}  ({source.count():,} events)")
            return
        if options["source"] and options["source"] not in names:
            raise CommandError(f"No source {options['source']!r}; choose among: {names}.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        started = time.perf_counter()
        with SeedProgress(console) as progress:
            written = ledger.backfill(
                progress=progress, batch_size=options["batch"], only=options["source"]
            )
        summary = ", ".join(f"{count:,} {name}" for name, count in written.items() if count)
        console.print(
            f"Ledger backfilled in {time.perf_counter() - started:.1f} s: "
            f"{summary or 'no new'} statements written."
        )
