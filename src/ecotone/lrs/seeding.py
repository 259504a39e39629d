"""Seed step of the LRS: the demo's history goes to the ledger, as ``ecotone ledger-backfill``.

It runs after every step that writes history (skills 2xx, goals 3xx, content 4xx) and before
the search index (900).
"""

from __future__ import annotations

from ecotone.lrs import ledger
from ecotone.people.seeding import SeedContext, register_step


@register_step("ledger_backfill", label="Writing the activity ledger", order=800)
def backfill_ledger(context: SeedContext) -> None:
    written = ledger.backfill(progress=context.progress)
    context.added["ledger statements"] += sum(written.values())
