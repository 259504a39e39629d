"""Seed step of the LRS: the demo's history goes to the ledger, as ``ecotone ledger-backfill``."""

from __future__ import annotations

from ecotone.lrs import ledger
from ecotone.people.seeding import SeedContext, register_step


@register_step("ledger_backfill", label="Writing the activity ledger", order=290)
def backfill_ledger(context: SeedContext) -> None:
    written = ledger.backfill(progress=context.progress)
    context.added["ledger statements"] += sum(written.values())
