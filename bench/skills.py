"""Benchmark of skill-gap analysis, the team matrix and the expert finder on a generated company.

    .venv/bin/python bench/skills.py [--size large] [--runs 15] [--seed 1]

Seeds the demo company (people and, through the skills seed steps, about thirty pieces of skill
evidence per person), then times the selectors behind the skills pages, and the pages
themselves, and prints the median time and the number of queries of each. Figures only.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import configure, timed

ROOT = Path(__file__).resolve().parent.parent


def run(size: str, seed: int, runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rich.console import Console
    from rich.table import Table

    from ecotone.people.models import Person, Team
    from ecotone.people.seeding import seed_company
    from ecotone.skills import selectors
    from ecotone.skills.models import Evidence, SkillLevel

    console = Console()
    throwaway = connection.vendor != "sqlite"
    if throwaway:
        connection.settings_dict["TEST"]["NAME"] = f"ecotone_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        started = time.perf_counter()
        context = seed_company(size=size, seed=seed)
        seed_seconds = time.perf_counter() - started
        logins = {login.role: login for login in context.logins}
        ld = Person.objects.select_related("user").get(user__email=logins["ld"].email).user
        manager = Person.objects.select_related("user", "team").get(
            user__email=logins["manager"].email
        )
        division = Team.objects.get(slug="engineering")
        people = Person.objects.filter(status=Person.Status.ACTIVE).count()
        evidence = Evidence.objects.count()
        levels = SkillLevel.objects.count()
        checks: list[tuple[str, Callable[[], Any]]] = [
            ("org gap analysis (selector)", lambda: selectors.org_gaps(ld)),
            ("division gap analysis (selector)", lambda: selectors.team_gaps(ld, division)),
            ("org heatmap (selector)", lambda: selectors.org_heatmap(ld)),
            ("team matrix, manager (selector)", lambda: selectors.team_matrix(manager.user)),
            (
                "expert finder 'kubernets' (selector)",
                lambda: selectors.find_experts(ld, "kubernets"),
            ),
        ]
        as_ld, as_manager = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
        as_ld.force_login(ld)
        as_manager.force_login(manager.user)
        pages = [
            ("page /skills/org/", lambda: as_ld.get("/skills/org/")),
            ("page /skills/team/", lambda: as_manager.get("/skills/team/")),
            ("page /skills/?q=pyhton", lambda: as_ld.get("/skills/?q=pyhton")),
            ("page /skills/me/", lambda: as_manager.get("/skills/me/")),
        ]
        results = [(name, *timed(action, runs)) for name, action in checks + pages]
    finally:
        if throwaway:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    console.print(
        f"Database: {connection.vendor}; Python {platform.python_version()}; {size} company: "
        f"{people:,} active people, {evidence:,} pieces of evidence "
        f"({evidence / max(people, 1):.1f} per person), {levels:,} derived levels; "
        f"seeded in {seed_seconds:.1f} s"
    )
    table = Table(title=f"Skills, median of {runs} runs", title_justify="left")
    for column in ("what", "median ms", "queries"):
        table.add_column(column, justify="left" if column == "what" else "right")
    for name, median, queries in results:
        table.add_row(name, f"{median:.1f}", str(queries))
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "medium", "large", "huge"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecotone-bench-") as data_dir:
        configure(data_dir)
        run(options.size, options.seed, options.runs)


if __name__ == "__main__":
    main()
