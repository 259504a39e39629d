"""Scale benchmark of the LRS filter queries: do they stay fast as the store grows to 1,000,000?

    python bench/lrs_scale.py                                   # 1,000,000 statements on SQLite
    python bench/lrs_scale.py --statements 100000 --checkpoints 10000,100000
    python bench/lrs_scale.py --database postgres://root@127.0.0.1:5432/ecotone_scale

Statements are generated from a seed in chunks (fixed pools of agents, activities and
registrations, so every value gains statements as N grows) and stored in-process through
``services.store_statements`` in batches of 1,000 (validation skipped: the HTTP benchmark
``bench/lrs.py`` measures ingest). At each checkpoint the script first checks the number of
statements of sampled filter values against the generator, then times ``find_statements``
(database and decoding, no HTTP) for each filter, limit 25, newest first, and the second page
through the ``more`` cursor. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VERBS = [
    f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("completed", "passed", "failed", "attempted", "experienced", "answered")
]
AGENTS, ACTIVITIES, REGISTRATIONS, COURSES = 20_000, 50_000, 10_000, 500
KINDS = ("agent", "related_agent", "verb", "activity", "related_activity", "registration")


class Generator:
    """Seeded statements, chunk by chunk, counting every filter value they carry."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.expected: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}

    def chunk(self, count: int) -> list[dict[str, Any]]:
        rng, expected = self.rng, self.expected
        statements = []
        for _ in range(count):
            agent = f"mailto:learner{rng.randrange(AGENTS)}@scale.example"
            verb = rng.choice(VERBS)
            activity = f"https://scale.example/activities/{rng.randrange(ACTIVITIES)}"
            parent = f"https://scale.example/courses/{rng.randrange(COURSES)}"
            context: dict[str, Any] = {"contextActivities": {"parent": [{"id": parent}]}}
            related = {agent}
            if rng.random() < 0.3:
                coach = f"mailto:coach{rng.randrange(50)}@scale.example"
                context["instructor"] = {"mbox": coach}
                related.add(coach)
            if rng.random() < 0.5:
                registration = str(uuid.UUID(int=rng.randrange(REGISTRATIONS) + 1, version=4))
                context["registration"] = registration
                expected["registration"][registration] += 1
            statements.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "actor": {"objectType": "Agent", "mbox": agent},
                    "verb": {"id": verb},
                    "object": {"objectType": "Activity", "id": activity},
                    "context": context,
                    "result": {"completion": True, "score": {"scaled": round(rng.random(), 3)}},
                    "timestamp": "2026-01-01T00:00:00Z",
                }
            )
            expected["agent"][agent] += 1
            for value in related:
                expected["related_agent"][value] += 1
            expected["verb"][verb] += 1
            expected["activity"][activity] += 1
            expected["related_activity"][activity] += 1
            expected["related_activity"][parent] += 1
        return statements

    def samples(self, kind: str, count: int, seed: int) -> list[str]:
        values = sorted(self.expected[kind])
        return random.Random(seed).sample(values, min(count, len(values)))


def key_of(kind: str, value: str) -> str:
    from ecotone.lrs import keys as filter_keys
    from ecotone.lrs.selectors import key_for

    kinds = {
        "agent": filter_keys.AGENT,
        "related_agent": filter_keys.AGENT_RELATED,
        "verb": filter_keys.VERB,
        "activity": filter_keys.ACTIVITY,
        "related_activity": filter_keys.ACTIVITY_RELATED,
        "registration": filter_keys.REGISTRATION,
    }
    return key_for(kinds[kind], f"mbox:{value}" if "agent" in kind else value)


def check_counts(generator: Generator, per_kind: int) -> int:
    """Statements per sampled value, counted on the filter index, against the generator."""
    from ecotone.lrs.models import StatementKey

    checked = 0
    for kind in KINDS:
        for value in generator.samples(kind, per_kind, seed=3):
            got = StatementKey.objects.filter(key=uuid.UUID(key_of(kind, value))).count()
            if got != generator.expected[kind][value]:
                raise SystemExit(f"{kind}={value}: {got} stored, {generator.expected[kind][value]}")
            checked += 1
    return checked


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_queries(generator: Generator, repeat: int) -> dict[str, tuple[float, float]]:
    from ecotone.lrs.selectors import StatementQuery, find_statements

    def timed(queries: Iterator[StatementQuery]) -> tuple[float, float]:
        timings = []
        for query in queries:
            started = time.perf_counter()
            find_statements(query)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), quantile(timings, 0.95)

    results = {
        kind: timed(
            StatementQuery(keys=(key_of(kind, value),), limit=25)
            for value in generator.samples(kind, repeat, seed=11)
        )
        for kind in KINDS
    }
    results["agent + verb"] = timed(
        StatementQuery(keys=(key_of("agent", value), key_of("verb", VERBS[0])), limit=25)
        for value in generator.samples("agent", repeat, seed=13)
    )
    results["since/until"] = timed(
        StatementQuery(
            since="2000-01-01T00:00:00+00:00", until="2999-01-01T00:00:00+00:00", limit=25
        )
        for _ in range(repeat)
    )
    results["no filter"] = timed(StatementQuery(limit=25) for _ in range(repeat))
    second_pages = []
    for value in generator.samples("verb", len(VERBS), seed=17):
        more = find_statements(StatementQuery(keys=(key_of("verb", value),), limit=25)).more
        assert more is not None
        second_pages.append(more)
    results["verb, page 2 (more)"] = timed(iter(second_pages * (repeat // len(VERBS) + 1)))
    return results


def database_size(url: str | None, workdir: Path) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        size = sum(path.stat().st_size for path in workdir.glob("scale.sqlite3*"))
    return f"{size / 1e6:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--checkpoints", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", help="DATABASE_URL of a scratch database (recreated)")
    args = parser.parse_args()
    checkpoints = sorted({int(n) for n in args.checkpoints.split(",") if int(n) <= args.statements})
    if not checkpoints or checkpoints[-1] != args.statements:
        checkpoints.append(args.statements)

    workdir = Path(tempfile.mkdtemp(prefix="ecotone-scale-"))
    database = f"sqlite:///{workdir / 'scale.sqlite3'}"
    if args.database:
        sys.path.insert(0, str(ROOT / "bench"))
        from lrs import prepare_database

        database = prepare_database(args.database, workdir)
    os.environ.update(
        {
            "DATABASE_URL": database,
            "ECOTONE_DATA_DIR": str(workdir),
            "ECOTONE_SECRET_KEY": "scale-" + uuid.uuid4().hex,
            "DJANGO_SETTINGS_MODULE": "ecotone.config.settings",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ecotone.lrs import services

    print(f"Database: {database.split('@')[-1]}  statements: {args.statements:,}", flush=True)
    call_command("migrate", verbosity=0)
    generator = Generator(args.seed)
    stored = 0
    loading = 0.0
    try:
        for checkpoint in checkpoints:
            while stored < checkpoint:
                batch = generator.chunk(min(1000, checkpoint - stored))
                started = time.perf_counter()
                services.store_statements(statements=batch, version="1.0.3", validated=True)
                loading += time.perf_counter() - started
                stored += len(batch)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            checked = check_counts(generator, per_kind=5)
            print(
                f"\nAt {stored:,} statements ({database_size(args.database, workdir)}, loaded at "
                f"{stored / loading:,.0f} statements/s in-process): {checked} sampled counts "
                "match the generator.",
                flush=True,
            )
            for name, (p50, p95) in time_queries(generator, args.repeat).items():
                print(f"  {name:<22} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms", flush=True)
    finally:
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
