"""``ecotone seed --size small|medium|large|huge --seed N``: the deterministic demo company."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ecotone.kernel.errors import DomainError
from ecotone.people.management.terminal import (
    DEMO_WARNING,
    SeedProgress,
    console_for,
    logins_table,
)
from ecotone.people.seeding import SIZES, SeedContext, seed_company


class Command(BaseCommand):
    help = (
        "Create a fictional company: teams, people, managers and roles "
        f"({', '.join(f'{name}: {count:,}' for name, count in SIZES.items())} people). "
        "The same seed always gives the same company (its dates are counted back from today)."
    )
    requires_system_checks: list[str] = []  # a data command: no need to import every view first

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same company.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the database already has people or teams. Rows that already "
            "exist (teams by parent and name, people by e-mail address) are kept as they are "
            "and reused, so seeding twice adds nothing twice.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        context = run_seed(
            console, size=options["size"], seed=options["seed"], force=options["force"]
        )
        if not context.logins:
            return
        console.print(logins_table(context.logins))
        console.print(DEMO_WARNING)


def run_seed(console: Any, *, size: str, seed: int, force: bool = False) -> SeedContext:
    """Seed with progress bars and a one-line summary; refusals become a CommandError."""
    started = time.perf_counter()
    try:
        with SeedProgress(console) as progress:
            context = seed_company(size=size, seed=seed, force=force, progress=progress)
    except DomainError as error:
        raise CommandError(error.message) from None
    elapsed = time.perf_counter() - started
    added = ", ".join(f"{count:,} {what}" for what, count in sorted(context.added.items()))
    console.print(
        f"Seeded the {size} company (seed {seed}) in {elapsed:.1f} s: {added or 'nothing new'}."
    )
    return context
