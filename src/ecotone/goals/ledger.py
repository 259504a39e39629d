"""Achieved learning goals in the activity ledger.

``services._achieve`` writes the statement in the transaction that marks the goal achieved;
``ecotone ledger-backfill`` writes the same statement, with the same id (``profile.event_id``
of ``goals.achieved`` and the goal's pk) and timestamp (``achieved_at``), for goals achieved
before the ledger. A goal is achieved at most once (an achieved goal never reopens), so the
goal's pk names the event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecotone.goals.models import LearningGoal
from ecotone.lrs import ledger, profile

EVENT_KIND = "goals.achieved"


def achieved_event(goal: LearningGoal) -> dict[str, Any]:
    """The ``record_learning_event`` arguments of an achieved goal."""
    extensions: dict[str, Any] = {}
    if goal.skill_id is not None:
        extensions["skill"] = f"skills/{goal.skill_id}"
        extensions["level"] = goal.target_level
    return {
        "actor": goal.person.user,
        "verb": "achieved",
        "activity": f"goals/{goal.pk}",
        "activity_type": "goal",
        "name": goal.title,
        "result": {"completion": True, "success": True},
        "extensions": extensions or None,
        "timestamp": goal.achieved_at,
        "statement_id": profile.event_id(EVENT_KIND, goal.pk),
    }


def _achieved() -> Any:
    return LearningGoal.objects.filter(
        status=LearningGoal.Status.ACHIEVED, achieved_at__isnull=False
    )


def _statements() -> Iterator[dict[str, Any]]:
    rows = _achieved().order_by("achieved_at", "pk").select_related("person__user")
    for row in rows.iterator(chunk_size=2000):
        yield profile.build_statement(**achieved_event(row))


def register() -> None:
    """Declare the backfill source (from ``GoalsConfig.ready``)."""
    ledger.register_backfill(
        EVENT_KIND,
        label="Achieved learning goals",
        count=lambda: _achieved().count(),
        statements=_statements,
    )
