"""What the in-process benchmarks share: Django set up on a throw-away data directory, and a
timer that reports the median and the SQL queries of one call.

Imported by the scripts beside it (``from harness import configure, timed``); not a benchmark.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def configure(data_dir: str) -> None:
    """Point Ecotone at ``data_dir`` (SQLite there unless ``DATABASE_URL`` says otherwise), with
    log-in and API throttling off and static files looked up without the collected manifest."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["ECOTONE_DATA_DIR"] = data_dir
    (Path(data_dir) / "static").mkdir()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotone.config.settings")
    os.environ["ECOTONE_MANIFEST_STATIC"] = "0"
    os.environ.setdefault("ECOTONE_LOGIN_THROTTLING", "0")
    os.environ.setdefault("ECOTONE_API_THROTTLING", "0")
    import django

    django.setup()


def timed(action: Callable[[], Any], runs: int) -> tuple[float, int]:
    """Median milliseconds over ``runs`` (after one warm-up) and the queries of one call."""
    from django.db import connection

    action()
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
    return statistics.median(samples), count
