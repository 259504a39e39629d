"""Benchmark of the people pages on a generated company.

    .venv/bin/python bench/people.py [--size large] [--runs 30] [--seed 1]

Builds a fresh database (SQLite in a temporary data directory; with DATABASE_URL pointing at
PostgreSQL, a throw-away ``ecotone_bench_<pid>`` database on that server), seeds the company,
then requests each page with Django's test client signed in as a manager and prints the median
and 95th percentile time and the number of queries of each. Figures only: nothing here asserts
on time.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measure:
    name: str
    url: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float


def configure(data_dir: str) -> None:
    """Point Ecotone at a fresh data directory before Django reads its settings."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["ECOTONE_DATA_DIR"] = data_dir
    (Path(data_dir) / "static").mkdir()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotone.config.settings")
    # Pages name static files; without collectstatic there is no manifest to look them up in.
    os.environ["ECOTONE_MANIFEST_STATIC"] = "0"
    os.environ.setdefault("ECOTONE_LOGIN_THROTTLING", "0")
    import django

    django.setup()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(name: str, url: str, get: Callable[[str], int], runs: int) -> Measure:
    from django.db import connection

    for _ in range(2):  # warm the caches: templates, the database's pages
        get(url)
    queries: list[str] = []

    def count(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        status = get(url)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return Measure(
        name=name,
        url=url,
        status=status,
        queries=len(queries),
        median_ms=statistics.median(samples),
        p95_ms=percentile(samples, 0.95),
    )


def run(size: str, seed: int, runs: int, *, org_only: bool) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from rich.table import Table

    from ecotone.people.management.terminal import SeedProgress, console_for
    from ecotone.people.models import Person, Team
    from ecotone.people.seeding import seed_company

    console = console_for(sys.stdout)
    throwaway = connection.vendor != "sqlite"
    if throwaway:
        # A name of its own, so that a test run on the same server is never clobbered.
        connection.settings_dict["TEST"]["NAME"] = f"ecotone_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        started = time.perf_counter()
        with SeedProgress(console) as progress:
            context = seed_company(
                size=size, seed=seed, progress=progress, through="write" if org_only else None
            )
        seed_seconds = time.perf_counter() - started

        logins = {login.role: login for login in context.logins}
        manager = Person.objects.select_related("user").get(user__email=logins["manager"].email)
        learner = Person.objects.get(user__email=logins["learner"].email)
        ceo = Person.objects.get(user__email=logins["executive"].email)
        division = Team.objects.get(slug="engineering")
        squad = manager.team
        assert squad is not None
        client = Client(HTTP_HOST="localhost")
        client.force_login(manager.user)

        def get(url: str) -> int:
            return client.get(url).status_code

        surname = learner.display_name.split()[-1]
        pages = [
            ("directory, first page", reverse("directory")),
            ("directory, search", f"{reverse('directory')}?q={surname}"),
            (
                "directory, filtered",
                f"{reverse('directory')}?team=engineering&location={learner.location}",
            ),
            ("profile", reverse("profile", args=[learner.pk])),
            ("team page (squad)", reverse("team", args=[squad.slug])),
            ("team page (division)", reverse("team", args=[division.slug])),
            ("org chart, top", reverse("org_chart")),
            ("org chart, CEO's branch", reverse("org_branch", args=[ceo.pk])),
            ("org chart, manager's branch", reverse("org_branch", args=[manager.pk])),
        ]
        results = [measure(name, url, get, runs) for name, url in pages]
        people_count = Person.objects.count()
    finally:
        if throwaway:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    table = Table(
        title=(
            f"People pages, {size} company ({people_count:,} people), "
            f"{runs} runs each, signed in as a manager"
        ),
        title_justify="left",
    )
    for column in ("page", "status", "queries", "median ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "page" else "right")
    for result in results:
        table.add_row(
            result.name,
            str(result.status),
            str(result.queries),
            f"{result.median_ms:.1f}",
            f"{result.p95_ms:.1f}",
        )
    console.print(
        f"Database: {connection.vendor}; Python {platform.python_version()}; "
        f"seeded {context.added['people']:,} people and {context.added['teams']:,} teams "
        f"({'the org chart alone' if org_only else 'and the other apps demo data'}) "
        f"in {seed_seconds:.1f} s"
    )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "medium", "large", "huge"], default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--org-only",
        action="store_true",
        help="Seed the org chart alone, without the other apps' demo data (faster).",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecotone-bench-") as data_dir:
        configure(data_dir)
        run(options.size, options.seed, options.runs, org_only=options.org_only)


if __name__ == "__main__":
    main()
