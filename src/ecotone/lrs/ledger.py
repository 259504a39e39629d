"""Backfill of the activity ledger: statements for history recorded before the ledger existed.

The apps above the LRS register a *source* of historic events (``register_backfill``): how many
there are, and an iterator of statement batches built with ``profile.build_statement`` and a
stable id (``profile.event_id``), the same statement their live code writes. ``backfill`` stores
every batch, skipping ids already in the LRS, so it can run any number of times; the command is
``ecotone ledger-backfill`` and the demo seed runs it (step ``ledger_backfill``, order 290).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction

from ecotone.lrs import services
from ecotone.lrs.models import Statement
from ecotone.lrs.validation import V2

Batch = list[dict[str, Any]]


class Progress(Protocol):
    def start(self, label: str, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class _Quiet:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass(frozen=True)
class BackfillSource:
    name: str
    label: str
    count: Callable[[], int]
    batches: Callable[[int], Iterator[Batch]]  # given a batch size


_sources: dict[str, BackfillSource] = {}


def register_backfill(
    name: str,
    *,
    label: str,
    count: Callable[[], int],
    batches: Callable[[int], Iterator[Batch]],
) -> None:
    """Declare a source of historic statements (called from an app's ``AppConfig.ready``)."""
    _sources[name] = BackfillSource(name=name, label=label, count=count, batches=batches)


def sources() -> list[BackfillSource]:
    return sorted(_sources.values(), key=lambda source: source.name)


def backfill(
    *, progress: Progress | None = None, batch_size: int = 1000, only: str | None = None
) -> dict[str, int]:
    """Write the statements every source yields and the LRS lacks; returns how many per source.

    Each batch is one transaction: an interrupted run keeps what it wrote and the next run
    carries on.
    """
    progress = progress or _Quiet()
    written: dict[str, int] = {}
    for source in sources():
        if only is not None and source.name != only:
            continue
        progress.start(source.label, source.count())
        written[source.name] = 0
        for batch in source.batches(batch_size):
            ids = [uuid.UUID(str(statement["id"])) for statement in batch]
            stored = set(
                Statement.objects.filter(statement_id__in=ids).values_list(
                    "statement_id", flat=True
                )
            )
            missing = [s for s, i in zip(batch, ids, strict=True) if i not in stored]
            if missing:
                with transaction.atomic():
                    services.store_statements(statements=missing, version=V2)
                written[source.name] += len(missing)
            progress.advance(len(batch))
    return written
