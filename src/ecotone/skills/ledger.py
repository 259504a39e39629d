"""Skill evidence in the activity ledger: ratings, assessments and endorsements as statements.

``record_evidence`` writes the statement in its own transaction (``record``); ``ecotone
ledger-backfill`` writes the same statement, with the same id, for evidence recorded before the
ledger (``_statements``, oldest first). The learner is the actor; whoever assessed or endorsed
them is the context instructor (see docs/xapi-profile.md, "Skills"). Evidence that came from
another app (courses, events, talks, opportunities) or from the LRS itself is that app's
statement, not this one: it is not written twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecotone.lrs import ledger, profile, services
from ecotone.skills.models import Evidence, EvidenceSource

VERB_BY_SOURCE: dict[str, str] = {
    EvidenceSource.SELF: "rated",
    EvidenceSource.MANAGER: "rated",
    EvidenceSource.PEER: "endorsed",
}
EVENT_KIND = "skills.evidence"


def event_for(evidence: Evidence) -> dict[str, Any] | None:
    """The ``record_learning_event`` arguments of one piece of evidence, or None."""
    verb = VERB_BY_SOURCE.get(evidence.source)
    if verb is None:
        return None
    learner = evidence.person.user
    author = evidence.author if evidence.author_id != learner.pk else None
    extensions: dict[str, Any] = {"skill": evidence.skill.slug}
    if evidence.level is not None:
        extensions["level"] = evidence.level
    return {
        "actor": learner,
        "verb": verb,
        "activity": f"skills/{evidence.skill_id}",
        "activity_type": "skill",
        "name": evidence.skill.name,
        "extensions": extensions,
        "timestamp": evidence.occurred_at,
        "statement_id": profile.event_id(EVENT_KIND, evidence.pk),
        "instructor": author,
    }


def record(evidence: Evidence) -> None:
    """Write the evidence's statement, in the caller's transaction (no-op for other sources)."""
    event = event_for(evidence)
    if event is not None:
        services.record_learning_event(**event)


def _history() -> Any:
    return Evidence.objects.filter(source__in=list(VERB_BY_SOURCE))


def _statements() -> Iterator[dict[str, Any]]:
    """Every rating and endorsement's statement, oldest first (one streamed query)."""
    rows = (
        _history()
        .order_by("occurred_at", "pk")
        .select_related("person__user", "skill", "author__person")
        .iterator(chunk_size=2000)
    )
    for row in rows:
        event = event_for(row)
        if event is not None:
            yield profile.build_statement(**event)


ledger.register_backfill(
    EVENT_KIND,
    label="Skill ratings and endorsements",
    count=lambda: _history().count(),
    statements=_statements,
)
