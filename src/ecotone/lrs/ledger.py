"""Backfill of the activity ledger: statements for history recorded before the ledger existed.

The apps above the LRS register a *source* of historic events (``register_backfill``): how many
there are, and an iterator of the statements, oldest event first, built with
``profile.build_statement`` and a stable id (``profile.event_id``): the same statement their live
code writes. ``backfill`` merges every source by the statements' ``timestamp`` and stores them in
that order, skipping ids already in the LRS, so it can run any number of times; the command is
``ecotone ledger-backfill`` and the demo seed runs it (step ``ledger_backfill``, after every step
that writes history).

Why merged: the LRS hands out ``stored`` in write order and every read (the person timeline
included) pages on ``stored``. Writing the history in event order makes ``stored`` order the
event order for the backfilled statements, with no extra index on the statements' hot insert
path. Live statements written *before* a backfill still sort before the history it writes (see
docs/xapi-profile.md, "Backfill").
"""

from __future__ import annotations

import heapq
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import batched
from typing import Any, Protocol

from django.db import transaction

from ecotone.lrs import services
from ecotone.lrs.models import Statement
from ecotone.lrs.validation import V2


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
    # every statement of the source, in ascending ``timestamp`` order (each has an id and a
    # timestamp)
    statements: Callable[[], Iterator[dict[str, Any]]]


_sources: dict[str, BackfillSource] = {}


def register_backfill(
    name: str,
    *,
    label: str,
    count: Callable[[], int],
    statements: Callable[[], Iterator[dict[str, Any]]],
) -> None:
    """Declare a source of historic statements (called from an app's ``AppConfig.ready``).

    ``statements()`` yields them oldest first; each carries its ``id`` and ``timestamp``.
    """
    _sources[name] = BackfillSource(name=name, label=label, count=count, statements=statements)


def sources() -> list[BackfillSource]:
    return sorted(_sources.values(), key=lambda source: source.name)


Tagged = tuple[datetime, str, dict[str, Any]]


def _tagged(source: BackfillSource) -> Iterator[Tagged]:
    for statement in source.statements():
        yield datetime.fromisoformat(statement["timestamp"]), source.name, statement


def merged(chosen: Iterable[BackfillSource]) -> Iterator[Tagged]:
    """Every statement of the sources, by timestamp (a tie keeps source-name order)."""
    return heapq.merge(*(_tagged(source) for source in chosen), key=lambda item: item[:2])


def backfill(
    *, progress: Progress | None = None, batch_size: int = 1000, only: str | None = None
) -> dict[str, int]:
    """Write the statements every source yields and the LRS lacks; returns how many per source.

    The sources are merged by timestamp, so the statements are stored in event order. Each batch
    is one transaction: an interrupted run keeps what it wrote and the next run carries on.
    """
    progress = progress or _Quiet()
    chosen = [source for source in sources() if only is None or source.name == only]
    label = chosen[0].label if len(chosen) == 1 else "Activity ledger history"
    progress.start(label, sum(source.count() for source in chosen))
    written: Counter[str] = Counter({source.name: 0 for source in chosen})
    for batch in batched(merged(chosen), batch_size):
        ids = [uuid.UUID(str(statement["id"])) for _, _, statement in batch]
        stored = set(
            Statement.objects.filter(statement_id__in=ids).values_list("statement_id", flat=True)
        )
        missing = [item for item, i in zip(batch, ids, strict=True) if i not in stored]
        if missing:
            with transaction.atomic():
                services.store_statements(
                    statements=[statement for _, _, statement in missing], version=V2
                )
            written.update(name for _, name, _ in missing)
        progress.advance(len(batch))
    return {source.name: written[source.name] for source in chosen}
