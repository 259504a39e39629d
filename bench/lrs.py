"""Benchmark of the built-in LRS, over HTTP, against Ralph 5.1.0 and the raw insert rate.

    python bench/lrs.py --statements 20000                      # SQLite file in a temp dir
    python bench/lrs.py --statements 20000 --database postgres://root@127.0.0.1:5432/ecotone_bench

What it does, in order:
1. generates N statements from a seed (agents, verbs, activities, registrations, context parents,
   instructors), keeping the expected count of every filter value;
2. starts Ecotone under gunicorn (--workers, default 4 sync workers) on a fresh database, creates
   an LRS client, and starts Ralph 5.1.0 beside it (fs backend, patched:
   ../shared/peers/ralph_fs_append.py) when it is installed in the virtual environment given by
   --ralph-venv (by default the one ralph_fs_append.py's instructions create); otherwise it prints
   why Ralph was skipped;
3. correctness first: stores a separate 1,000-statement check set and compares the result count of
   every filter (paged through ``more``) with the generator; stops on any difference;
4. ingests the N statements: batches of 1 at concurrency 1 and 4; then batches of 100 in --rounds
   rounds (default 5), each round timing Ecotone, Ralph (on its own seeded statements) and the raw
   insert rate one after the other at concurrency 1 and 4, so all three see the same machine;
   then batches of 1000 at concurrency 1 and 4. Each phase also reports the server's CPU time per
   100 statements (user + system of the server's process group, from /proc), which the other
   jobs on a shared machine disturb less than the rate;
5. checks the counts again over the full set, then times each filter query over HTTP (p50/p95,
   limit 25), paging through ``more``, and the same queries in-process (``find_statements``);
6. the raw insert rate is the same statement rows into the same database (multi-row INSERTs of
   (id, stored, payload) into a bare table, 100 rows a transaction): the storage limit;
7. prints the batch-100 medians side by side with the median and range of the per-round ratios
   (Ecotone ÷ Ralph, Ecotone ÷ raw), then Ralph's agent, verb and activity queries.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERBS = [
    f"http://adlnet.gov/expapi/verbs/{name}"
    for name in (
        "completed",
        "passed",
        "failed",
        "attempted",
        "experienced",
        "answered",
        "attended",
        "launched",
        "mastered",
        "commented",
    )
]


# --- The data set ---------------------------------------------------------------------------------


class DataSet:
    """N seeded statements and the expected count of each filter value."""

    def __init__(self, count: int, seed: int, namespace: str = "bench") -> None:
        rng = random.Random(seed)
        agents = max(10, count // 50)
        activities = max(10, count // 20)
        registrations = max(5, count // 100)
        self.statements: list[dict[str, Any]] = []
        self.expected: dict[str, Counter[str]] = {
            name: Counter()
            for name in (
                "agent",
                "related_agent",
                "verb",
                "activity",
                "related_activity",
                "registration",
            )
        }
        for _ in range(count):
            agent = f"mailto:{namespace}-learner{rng.randrange(agents)}@example.com"
            verb = rng.choice(VERBS)
            activity = f"https://{namespace}.example/activities/{rng.randrange(activities)}"
            parent = f"https://{namespace}.example/courses/{rng.randrange(activities // 10 + 1)}"
            statement: dict[str, Any] = {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "actor": {"objectType": "Agent", "mbox": agent},
                "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
                "object": {
                    "objectType": "Activity",
                    "id": activity,
                    "definition": {"name": {"en-US": f"Activity {activity[-4:]}"}},
                },
                "context": {"contextActivities": {"parent": [{"id": parent}]}},
                "result": {"completion": True, "score": {"scaled": round(rng.random(), 3)}},
                "timestamp": "2026-01-01T00:00:00Z",
            }
            related_agents = {agent}
            if rng.random() < 0.3:
                instructor = f"mailto:{namespace}-coach{rng.randrange(10)}@example.com"
                statement["context"]["instructor"] = {"mbox": instructor}
                related_agents.add(instructor)
            if rng.random() < 0.5:
                registration = str(uuid.UUID(int=rng.randrange(registrations) + 1, version=4))
                statement["context"]["registration"] = registration
                self.expected["registration"][registration] += 1
            self.expected["agent"][agent] += 1
            for related in related_agents:
                self.expected["related_agent"][related] += 1
            self.expected["verb"][verb] += 1
            self.expected["activity"][activity] += 1
            self.expected["related_activity"][activity] += 1
            if parent != activity:
                self.expected["related_activity"][parent] += 1
            self.statements.append(statement)

    def samples(self, kind: str, count: int, seed: int = 7) -> list[str]:
        values = sorted(self.expected[kind])
        return random.Random(seed).sample(values, min(count, len(values)))


def params_for(kind: str, value: str) -> dict[str, str]:
    if kind in ("agent", "related_agent"):
        params = {"agent": json.dumps({"mbox": value})}
        if kind == "related_agent":
            params["related_agents"] = "true"
        return params
    if kind in ("activity", "related_activity"):
        params = {"activity": value}
        if kind == "related_activity":
            params["related_activities"] = "true"
        return params
    return {kind: value}


# --- HTTP -----------------------------------------------------------------------------------------


class Lrs:
    """An xAPI endpoint: host, port, base path and Basic credentials; one connection per thread."""

    def __init__(self, name: str, port: int, base: str, key: str, secret: str) -> None:
        self.name, self.port, self.base = name, port, base
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }
        self.local = threading.local()

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        for attempt in range(3):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
                self.local.connection = connection
            try:
                connection.request(method, path, body=body, headers=self.headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")

    def post(self, statements: list[dict[str, Any]]) -> None:
        status, body = self.request(
            "POST", f"{self.base}statements", json.dumps(statements).encode()
        )
        if status != 200:
            raise RuntimeError(f"{self.name}: POST answered {status}: {body[:300]!r}")

    def query(self, params: dict[str, str]) -> dict[str, Any]:
        status, body = self.request("GET", f"{self.base}statements?{urlencode(params)}")
        if status != 200:
            raise RuntimeError(f"{self.name}: GET answered {status}: {body[:300]!r}")
        return dict(json.loads(body))

    def count(self, params: dict[str, str]) -> int:
        page = self.query({**params, "limit": "500"})
        total = len(page["statements"])
        while page.get("more"):
            status, body = self.request("GET", page["more"])
            if status != 200:
                raise RuntimeError(f"{self.name}: more answered {status}")
            page = json.loads(body)
            total += len(page["statements"])
        return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, path: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


# --- Measurements ---------------------------------------------------------------------------------


def ingest(lrs: Lrs, statements: list[dict[str, Any]], batch: int, workers: int) -> float:
    """Statements per second for one phase."""
    batches = [statements[i : i + batch] for i in range(0, len(statements), batch)]
    started = time.perf_counter()
    if workers == 1:
        for item in batches:
            lrs.post(item)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lrs.post, batches))
    return len(statements) / (time.perf_counter() - started)


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of the live processes of a process group (a server and its
    workers), from /proc: what serving cost, whatever else the machine was doing."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])
    return total / tick


def measured_ingest(
    lrs: Lrs, pgid: int, statements: list[dict[str, Any]], batch: int, workers: int
) -> tuple[float, float]:
    """(statements/s, server CPU ms per 100 statements) for one phase."""
    before = group_cpu_seconds(pgid)
    rate = ingest(lrs, statements, batch, workers)
    cpu = group_cpu_seconds(pgid) - before
    return rate, cpu * 1000 / len(statements) * 100


def check_counts(lrs: Lrs, data: DataSet, per_kind: int) -> int:
    checked = 0
    for kind in data.expected:
        for value in data.samples(kind, per_kind):
            got = lrs.count(params_for(kind, value))
            want = data.expected[kind][value]
            if got != want:
                raise SystemExit(f"{lrs.name}: {kind}={value} returned {got}, expected {want}")
            checked += 1
    return checked


def time_queries(lrs: Lrs, data: DataSet, repeat: int) -> dict[str, tuple[float, float]]:
    results: dict[str, tuple[float, float]] = {}
    cases: dict[str, list[dict[str, str]]] = {
        kind: [params_for(kind, value) for value in data.samples(kind, repeat, seed=11)]
        for kind in data.expected
    }
    cases["since/until"] = [
        {"since": "2000-01-01T00:00:00Z", "until": datetime.now(UTC).isoformat()}
    ] * repeat
    cases["no filter"] = [{}] * repeat
    for name, param_list in cases.items():
        timings = []
        for params in param_list:
            started = time.perf_counter()
            lrs.query({**params, "limit": "25"})
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = (statistics.median(timings), quantile(timings, 0.95))
    timings = []
    page = lrs.query({"limit": "25", "verb": COMPLETED})
    for _ in range(repeat):
        if not page.get("more"):
            break
        started = time.perf_counter()
        _, body = lrs.request("GET", page["more"])
        timings.append((time.perf_counter() - started) * 1000)
        page = json.loads(body)
    if timings:
        results["paging (more)"] = (statistics.median(timings), quantile(timings, 0.95))
    return results


def time_selector_queries(data: DataSet, repeat: int) -> dict[str, tuple[float, float]]:
    from ecotone.lrs import keys as filter_keys
    from ecotone.lrs.selectors import StatementQuery, find_statements, key_for

    kinds = {
        "agent": filter_keys.AGENT,
        "related_agent": filter_keys.AGENT_RELATED,
        "verb": filter_keys.VERB,
        "activity": filter_keys.ACTIVITY,
        "related_activity": filter_keys.ACTIVITY_RELATED,
        "registration": filter_keys.REGISTRATION,
    }
    results: dict[str, tuple[float, float]] = {}
    for name, kind in kinds.items():
        timings = []
        for value in data.samples(name, repeat, seed=11):
            identity = f"mbox:{value}" if "agent" in name else value
            query = StatementQuery(keys=(key_for(kind, identity),), limit=25)
            started = time.perf_counter()
            find_statements(query)
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = (statistics.median(timings), quantile(timings, 0.95))
    return results


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def raw_insert_rate(statements: list[dict[str, Any]]) -> float:
    """Rows per second of bare multi-row INSERTs of (id, stored, payload), 100 a transaction."""
    from django.db import connection, transaction

    table = "lrs_bench_raw"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        uuid_type = "uuid" if connection.vendor == "postgresql" else "char(32)"
        stamp = "timestamptz" if connection.vendor == "postgresql" else "datetime"
        cursor.execute(
            f"CREATE TABLE {table} (id {uuid_type} PRIMARY KEY, stored {stamp}, payload text)"
        )
    rows = [
        (
            statement["id"]
            if connection.vendor == "postgresql"
            else statement["id"].replace("-", ""),
            datetime.now(UTC).isoformat(),
            json.dumps(statement, separators=(",", ":")),
        )
        for statement in statements
    ]
    started = time.perf_counter()
    for index in range(0, len(rows), 100):
        part = rows[index : index + 100]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (id, stored, payload) VALUES "
                + ", ".join(["(%s, %s, %s)"] * len(part)),
                [value for row in part for value in row],
            )
    rate = len(rows) / (time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {table}")
    return rate


# --- Servers --------------------------------------------------------------------------------------


def prepare_database(url: str | None, workdir: Path) -> str:
    if url is None:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    return url


def start_ecotone(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return subprocess.Popen(
        [
            gunicorn,
            "ecotone.config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def start_ralph(workdir: Path, venv_dir: str) -> tuple[subprocess.Popen[bytes] | None, int, str]:
    venv = Path(venv_dir) / "bin"
    if not (venv / "ralph").exists():
        return None, 0, f"Ralph 5.1.0 is not installed in {venv_dir} (see ralph_fs_append.py)"
    # ../shared/peers beside the checkout, or beside the directory of worktrees
    candidates = [ROOT.parent / "shared" / "peers", ROOT.parent.parent / "shared" / "peers"]
    peers = next((p for p in candidates if (p / "ralph_fs_append.py").exists()), None)
    if peers is None:
        return None, 0, "../shared/peers/ralph_fs_append.py is missing"
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(workdir / "ralph-app"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(workdir / "ralph-data"),
        "PYTHONPATH": str(peers),
    }
    (workdir / "ralph-data").mkdir(exist_ok=True)
    created = subprocess.run(
        [
            str(venv / "ralph"),
            "auth",
            "-w",
            "-u",
            "bench",
            "-p",
            "benchpass",
            "-s",
            "all",
            "-M",
            "mailto:bench@example.com",
        ],
        env=env,
        capture_output=True,
        check=False,
    )
    if created.returncode != 0:
        return None, 0, f"ralph auth failed: {created.stderr.decode()[-300:]}"
    port = free_port()
    process = subprocess.Popen(
        [
            str(venv / "uvicorn"),
            "ralph_fs_append:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    return process, port, ""


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- Main -----------------------------------------------------------------------------------------


def phase_sizes(total: int) -> tuple[int, int]:
    """Statements for each batch-1 phase (kept small: it is slow) and for each other phase
    (batch 100 and 1000, at 1 and 4 clients)."""
    single = min(1000, max(100, total // 20))
    return single, max(0, total - 2 * single) // 4


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n{title}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--statements", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", help="DATABASE_URL of a scratch database (recreated)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=30, help="queries timed per filter")
    parser.add_argument("--ralph-statements", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved batch-100 rounds")
    parser.add_argument(
        "--ralph-venv",
        default=os.environ.get("RALPH_VENV", str(Path(tempfile.gettempdir()) / "ralph-venv")),
        help="virtual environment holding Ralph 5.1.0 (ralph-malph[lrs,cli,backends]==5.1.0)",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ecotone-bench-"))
    database = prepare_database(args.database, workdir)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "ECOTONE_DATA_DIR": str(workdir),
        "ECOTONE_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DJANGO_SETTINGS_MODULE": "ecotone.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from ecotone.lrs import services
    from ecotone.people.models import User

    print(f"Database: {database.split('@')[-1]}  statements: {args.statements}  seed: {args.seed}")
    call_command("migrate", verbosity=0)
    admin = User.objects.create_superuser("bench-admin@example.com")
    issued = services.create_client(actor=admin, name="bench", scopes=["all"])
    port = free_port()
    server = start_ecotone(env, port, args.workers)
    ralph_process = None
    try:
        wait_for(port, "/xapi/about")
        ecotone = Lrs("Ecotone", port, "/xapi/", issued.client.key, issued.secret)

        check = DataSet(1000, args.seed + 1, namespace="check")
        ecotone.post(check.statements)
        checked = check_counts(ecotone, check, per_kind=5)
        print(f"Correctness: {checked} filter counts match the generator (check set of 1000).")

        ralph_process, ralph_port, reason = start_ralph(workdir, args.ralph_venv)
        ralph: Lrs | None = None
        if ralph_process is not None:
            wait_for(ralph_port, "/whoami")
            ralph = Lrs("Ralph", ralph_port, "/xAPI/", "bench", "benchpass")

        data = DataSet(args.statements, args.seed)
        sample = DataSet(args.ralph_statements, args.seed + 2, namespace="ralph")
        ingest_rows: list[tuple[str, str]] = []
        rates: dict[tuple[int, int], float] = {}
        single, per_phase = phase_sizes(args.statements)
        offset = 0

        def take(count: int) -> list[dict[str, Any]]:
            nonlocal offset
            chunk = data.statements[offset : offset + count]
            offset += count
            return chunk

        for workers in (1, 4):
            rate, cpu = measured_ingest(ecotone, server.pid, take(single), 1, workers)
            rates[(1, workers)] = rate
            ingest_rows.append(
                (f"batch    1 x {workers} clients", f"{rate:8.0f} statements/s  {cpu:6.1f} ms CPU")
            )

        # Batch 100 against Ralph and the raw rate, interleaved round by round so that both
        # see the same machine; medians of the rounds and of the per-round ratios.
        rounds = args.rounds
        comparison: dict[int, dict[str, list[float]]] = {}
        ralph_sample = iter(
            sample.statements[i : i + args.ralph_statements // (2 * rounds)]
            for i in range(0, len(sample.statements), args.ralph_statements // (2 * rounds))
        )
        for _ in range(rounds):
            for workers in (1, 4):
                row = comparison.setdefault(workers, {})
                rate, cpu = measured_ingest(
                    ecotone, server.pid, take(per_phase // rounds), 100, workers
                )
                row.setdefault("ecotone", []).append(rate)
                row.setdefault("ecotone_cpu", []).append(cpu)
                if ralph is not None and ralph_process is not None:
                    rate, cpu = measured_ingest(
                        ralph, ralph_process.pid, next(ralph_sample), 100, workers
                    )
                    row.setdefault("ralph", []).append(rate)
                    row.setdefault("ralph_cpu", []).append(cpu)
                raw = raw_insert_rate(data.statements[:2000])
                row.setdefault("raw", []).append(raw)
        for workers in (1, 4):
            row = comparison[workers]
            rates[(100, workers)] = statistics.median(row["ecotone"])
            ingest_rows.append(
                (
                    f"batch  100 x {workers} clients",
                    f"{rates[(100, workers)]:8.0f} statements/s  "
                    f"{statistics.median(row['ecotone_cpu']):6.1f} ms CPU  "
                    f"(median of {rounds} rounds)",
                )
            )
        for workers in (1, 4):
            rate, cpu = measured_ingest(ecotone, server.pid, take(per_phase), 1000, workers)
            rates[(1000, workers)] = rate
            ingest_rows.append(
                (f"batch 1000 x {workers} clients", f"{rate:8.0f} statements/s  {cpu:6.1f} ms CPU")
            )
        rest = data.statements[offset:]
        if rest:
            ingest(ecotone, rest, 1000, 4)
        for kind, counter in check.expected.items():
            data.expected[kind].update(counter)  # the check set shares the verbs
        checked = check_counts(ecotone, data, per_kind=5)
        print(f"Correctness: {checked} filter counts match the generator after ingest.")
        report("Ecotone ingest (CPU: server processes, per 100 statements)", ingest_rows)

        compared: list[tuple[str, str]] = []
        for workers in (1, 4):
            row = comparison[workers]
            raw_ratios = [e / r for e, r in zip(row["ecotone"], row["raw"], strict=True)]
            compared.append(
                (
                    f"raw INSERT, 100 rows a transaction (x {workers})",
                    f"{statistics.median(row['raw']):8.0f} rows/s    "
                    f"Ecotone batch 100 is {statistics.median(raw_ratios):6.1%} of it",
                )
            )
            if "ralph" in row:
                ratios = [e / r for e, r in zip(row["ecotone"], row["ralph"], strict=True)]
                compared.append(
                    (
                        f"Ralph 5.1.0 batch 100 x {workers} clients",
                        f"{statistics.median(row['ralph']):8.0f} statements/s  "
                        f"{statistics.median(row['ralph_cpu']):6.1f} ms CPU   "
                        f"Ecotone is {statistics.median(ratios):.2f}x "
                        f"(rounds {min(ratios):.2f}-{max(ratios):.2f})",
                    )
                )
        if ralph is None:
            compared.append(("Ralph", f"skipped: {reason}"))
        report(f"Batch 100, side by side in {rounds} interleaved rounds (medians)", compared)

        timings = time_queries(ecotone, data, args.repeat)
        report(
            f"Ecotone queries at {args.statements + 1000} statements (limit 25, ms)",
            [(name, f"p50 {p50:6.2f}   p95 {p95:6.2f}") for name, (p50, p95) in timings.items()],
        )
        report(
            "The same queries in-process (find_statements: database and decoding, no HTTP)",
            [
                (name, f"p50 {p50:6.2f}   p95 {p95:6.2f}")
                for name, (p50, p95) in time_selector_queries(data, args.repeat).items()
            ],
        )
        if ralph is None:
            return
        ralph_timings: list[tuple[str, str]] = []
        for kind in ("agent", "verb", "activity"):
            values = sample.samples(kind, min(args.repeat, 10), seed=11)
            times = []
            for value in values:
                started = time.perf_counter()
                ralph.query({**params_for(kind, value), "limit": "25"})
                times.append((time.perf_counter() - started) * 1000)
            ralph_timings.append(
                (
                    kind,
                    f"p50 {statistics.median(times):8.2f} ms "
                    f"at {len(sample.statements)} statements",
                )
            )
        report("Ralph 5.1.0 queries (limit 25)", ralph_timings)
    finally:
        stop(server)
        stop(ralph_process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
