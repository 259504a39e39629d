"""Benchmark of full-text search: 200,000 generated documents; common, rare and prefix queries.

    .venv/bin/python bench/search.py [--documents 200000] [--runs 30] [--seed 1]
    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/search.py

Documents come from a seeded generator (titles, tags and bodies drawn from a Zipf-distributed
vocabulary, a tenth of them restricted to an audience, two facets each), indexed through
``kernel.search.reindex``. Then ``search()`` is timed for each kind of query: median and 95th
percentile over ``--runs`` runs after one warm-up, and the number of queries of one call. The
index size is printed too. Figures only.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "bench.documents"
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "be",
    "da",
    "fe",
    "gu",
    "ha",
    "ji",
    "ko",
    "la",
    "ma",
    "no",
    "pe",
    "qui",
    "re",
    "so",
    "tu",
    "va",
    "we",
    "xe",
    "yo",
    "zu",
]
DOMAIN = [
    "learning",
    "data",
    "python",
    "kubernetes",
    "leadership",
    "feedback",
    "onboarding",
    "security",
    "design",
    "research",
    "analytics",
    "pipeline",
    "coaching",
    "mentoring",
    "negotiation",
    "finance",
    "accounting",
    "compliance",
    "privacy",
    "customer",
    "sales",
    "marketing",
    "writing",
    "testing",
    "delivery",
    "architecture",
    "cloud",
    "network",
    "database",
    "statistics",
    "strategy",
    "planning",
    "hiring",
    "interviewing",
    "presentation",
    "storytelling",
    "accessibility",
]
RARE = "zygomorphic"  # planted in a few documents only
COMMON = "learning"  # the most frequent word of the vocabulary


def configure(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["ECOTONE_DATA_DIR"] = data_dir
    (Path(data_dir) / "static").mkdir()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotone.config.settings")
    os.environ["ECOTONE_MANIFEST_STATIC"] = "0"
    import django

    django.setup()


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    """Made-up words by frequency rank; "learning" at rank 20 (in about a third of the
    documents), the other domain words spread over ranks 200 to 2,000 (1 to 5 % of them)."""
    seen = {*DOMAIN, RARE}
    words: list[str] = []
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    words.insert(20, COMMON)
    others = [word for word in DOMAIN if word != COMMON]
    for index, word in enumerate(others):
        words.insert(200 + index * 1800 // len(others), word)
    return words


def documents(count: int, seed: int) -> Iterator[Any]:
    from ecotone.kernel.search import Document

    rng = random.Random(seed)
    words = vocabulary(rng)
    cumulative, total = [], 0.0
    for rank in range(len(words)):  # Zipf: "learning" is the commonest word
        total += 1 / (rank + 1)
        cumulative.append(total)

    def text(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=n))

    for number in range(count):
        body = text(rng.randint(40, 160))
        if number % 10_000 == 7:
            body += f" {RARE}"
        yield Document(
            key=str(number),
            title=text(rng.randint(3, 8)).capitalize(),
            tags=rng.sample(DOMAIN, k=rng.randint(0, 2)),
            body=body,
            facets={
                "kind": rng.choice(["course", "lesson", "request"]),
                "team": f"team-{number % 40}",
            },
            audience=[f"user:{number % 50}"] if number % 10 == 3 else None,
        )


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(action: Callable[[], Any], runs: int) -> tuple[float, float, int, Any]:
    """Median and p95 milliseconds over ``runs`` (after one warm-up) and the queries of one call."""
    from django.db import connection

    result = action()
    count = 0

    def counter(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal count
        count += 1
        return execute(*args)

    with connection.execute_wrapper(counter):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), count, result


def index_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('kernel_searchdocument'),"
                " pg_relation_size('kernel_searchdocument_vector')"
            )
            total, gin = cursor.fetchone()
            return f"table with indexes {total / 2**20:,.0f} MB (GIN index {gin / 2**20:,.0f} MB)"
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        return f"database file {pages * page_size / 2**20:,.0f} MB (documents and FTS5 index)"


def run(count: int, seed: int, runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    from ecotone.kernel.search import (
        PUBLIC,
        Visibility,
        register_source,
        reindex,
        search,
        sources,
        unregister_source,
    )

    console = Console()
    throwaway = connection.vendor != "sqlite"
    if throwaway:
        connection.settings_dict["TEST"]["NAME"] = f"ecotone_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:

        def visible(viewer: Any) -> Visibility:
            return PUBLIC.with_tokens([f"user:{viewer.pk}"])

        for other in sources():  # the apps' sources are empty here: measure the index alone
            unregister_source(other.name)
        register_source(
            SOURCE,
            label="Documents",
            url_for=lambda key: f"/d/{key}/",
            visible=visible,
            facets={"kind": "Kind", "team": "Team"},
        )
        with Progress(
            "Indexing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        ) as progress:
            task = progress.add_task("index", total=count)
            started = time.perf_counter()
            reindex(
                SOURCE,
                documents=documents(count, seed),
                progress=lambda n: progress.advance(task, n),
            )
            index_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE kernel_searchdocument")
        viewer = SimpleNamespace(pk=7, is_authenticated=True)
        checks: list[tuple[str, Callable[[], Any]]] = [
            (f"common word '{COMMON} '", lambda: search(viewer, f"{COMMON} ")),
            ("common word, page 50", lambda: search(viewer, f"{COMMON} ", page=50)),
            (f"rare word '{RARE} '", lambda: search(viewer, f"{RARE} ")),
            ("prefix 'kub' (type-ahead)", lambda: search(viewer, "kub")),
            ("prefix 'le' (two letters)", lambda: search(viewer, "le")),
            ("two words 'data pyth'", lambda: search(viewer, "data pyth")),
            (
                "common word, facet kind=course",
                lambda: search(viewer, f"{COMMON} ", sources=[SOURCE], facets={"kind": "course"}),
            ),
            ("no match 'qwertyuiop '", lambda: search(viewer, "qwertyuiop ")),
            ("hostile '\"*) OR NEAR(' ", lambda: search(viewer, '"*) OR NEAR(')),
        ]
        results = []
        for name, action in checks:
            median, p95, queries, page = timed(action, runs)
            results.append((name, median, p95, queries, page.found))
        size = index_size()
    finally:
        if throwaway:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)

    console.print(
        f"Database: {connection.vendor}; Python {platform.python_version()}; {count:,} documents "
        f"indexed in {index_seconds:.1f} s ({count / index_seconds:,.0f}/s); {size}"
    )
    table = Table(title=f"search(), {runs} runs each", title_justify="left")
    for column in ("query", "median ms", "p95 ms", "queries", "found"):
        table.add_column(column, justify="left" if column == "query" else "right")
    for name, median, p95, queries, found in results:
        table.add_row(name, f"{median:.1f}", f"{p95:.1f}", str(queries), f"{found:,}")
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecotone-bench-") as data_dir:
        configure(data_dir)
        run(options.documents, options.seed, options.runs)


if __name__ == "__main__":
    main()
