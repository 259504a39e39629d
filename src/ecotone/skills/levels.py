"""The level-derivation policy: from pieces of evidence to a level, pure and database-free.

The rules, in the words of README.md ("How a level is derived"):

1. Only evidence that happened on or before the date asked about counts, aged from that date.
2. A newer piece of evidence from the same author through the same source supersedes the older
   one (a self-rating replaces the previous self-rating; a manager's new assessment replaces
   theirs). Evidence without an author (course results, xAPI, ...) supersedes per link, so two
   different courses both count.
3. Each piece weighs ``SOURCE_WEIGHT[source] * 0.5 ** (age_in_days / HALF_LIFE_DAYS)``: old
   evidence loses half its weight every year.
4. Sources fall into tiers: *validated* (manager assessment, course or quiz result with a level,
   opportunity outcome), *observed* (course completed, talk given, event attended, xAPI statement,
   when they carry a level) and *self* (self-assessment). Peer endorsements carry no tier.
5. The level is the weighted mean of the levelled evidence of the highest tier present, rounded
   half up: validated evidence outranks everything; without it, observed evidence and
   self-ratings are blended, observed evidence weighing more.
6. Confidence (0 to 1) grows with every piece of evidence, endorsements included:
   ``1 - prod(1 - CONFIDENCE[source] * age_factor)``, capped at 0.99.

Since every weight decays at the same rate, the relative weights of two pieces never change with
time: a level only changes when evidence is added (confidence slowly decays).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Evidence, EvidenceSource

HALF_LIFE_DAYS = 365
MAX_CONFIDENCE = 0.99  # evidence never makes a level certain

VALIDATED = frozenset(
    {EvidenceSource.MANAGER, EvidenceSource.ASSESSMENT, EvidenceSource.OPPORTUNITY}
)
OBSERVED = frozenset(
    {EvidenceSource.COURSE, EvidenceSource.TALK, EvidenceSource.EVENT, EvidenceSource.XAPI}
)
SELF = frozenset({EvidenceSource.SELF})

SOURCE_WEIGHT: dict[str, float] = {
    EvidenceSource.MANAGER: 1.0,
    EvidenceSource.ASSESSMENT: 1.0,
    EvidenceSource.OPPORTUNITY: 1.0,
    EvidenceSource.COURSE: 0.6,
    EvidenceSource.TALK: 0.6,
    EvidenceSource.EVENT: 0.4,
    EvidenceSource.XAPI: 0.5,
    EvidenceSource.SELF: 0.3,
    EvidenceSource.PEER: 0.0,
}

CONFIDENCE: dict[str, float] = {
    EvidenceSource.MANAGER: 0.6,
    EvidenceSource.ASSESSMENT: 0.6,
    EvidenceSource.OPPORTUNITY: 0.5,
    EvidenceSource.COURSE: 0.3,
    EvidenceSource.TALK: 0.35,
    EvidenceSource.EVENT: 0.15,
    EvidenceSource.XAPI: 0.25,
    EvidenceSource.SELF: 0.2,
    EvidenceSource.PEER: 0.15,
}


@dataclass(frozen=True)
class Piece:
    """The fields of one ``Evidence`` row the policy reads."""

    source: str
    level: int | None
    occurred_at: dt.datetime
    author_id: int | None = None
    link: str = ""
    id: int = 0


@dataclass(frozen=True)
class Derived:
    level: int | None
    validated_level: int | None
    self_level: int | None
    confidence: float
    endorsements: int
    last_evidence_at: dt.datetime | None
    validated_at: dt.datetime | None


NOTHING = Derived(None, None, None, 0.0, 0, None, None)


def pieces_of(rows: Iterable[Evidence]) -> list[Piece]:
    """The policy's view of ``Evidence`` rows."""
    return [
        Piece(
            source=row.source,
            level=row.level,
            occurred_at=row.occurred_at,
            author_id=row.author_id,
            link=f"{row.link_type}:{row.link_id}",
            id=row.pk,
        )
        for row in rows
    ]


def age_factor(occurred_at: dt.datetime, as_of: dt.datetime) -> float:
    """1 for evidence from today, 0.5 a year ago, 0.25 two years ago; never above 1."""
    days = max(0.0, (as_of - occurred_at).total_seconds() / 86400)
    return float(0.5 ** (days / HALF_LIFE_DAYS))


def round_half_up(value: float) -> int:
    return max(MIN_LEVEL, min(MAX_LEVEL, math.floor(value + 0.5)))


def current(pieces: Iterable[Piece], as_of: dt.datetime) -> list[Piece]:
    """The pieces that count on ``as_of``: happened by then, and not superseded by then."""
    newest: dict[tuple[str, int | None, str], Piece] = {}
    for piece in pieces:
        if piece.occurred_at > as_of:
            continue
        key = (piece.source, piece.author_id, "" if piece.author_id else piece.link)
        kept = newest.get(key)
        if kept is None or (piece.occurred_at, piece.id) > (kept.occurred_at, kept.id):
            newest[key] = piece
    return list(newest.values())


def _weighted_level(pieces: list[Piece], as_of: dt.datetime) -> int | None:
    total = weighted = 0.0
    for piece in pieces:
        if piece.level is None:
            continue
        weight = SOURCE_WEIGHT[piece.source] * age_factor(piece.occurred_at, as_of)
        total += weight
        weighted += weight * piece.level
    if total <= 0:
        return None
    return round_half_up(weighted / total)


def derive(pieces: Iterable[Piece], as_of: dt.datetime) -> Derived:
    """Apply the policy to one person's evidence in one skill, as it stood on ``as_of``."""
    counted = current(pieces, as_of)
    if not counted:
        return NOTHING
    validated = [p for p in counted if p.source in VALIDATED and p.level is not None]
    observed = [p for p in counted if p.source in OBSERVED and p.level is not None]
    self_ratings = [p for p in counted if p.source in SELF and p.level is not None]
    validated_level = _weighted_level(validated, as_of)
    level = validated_level
    if level is None:
        level = _weighted_level(observed + self_ratings, as_of)
    doubt = 1.0
    for piece in counted:
        doubt *= 1.0 - CONFIDENCE[piece.source] * age_factor(piece.occurred_at, as_of)
    newest_self = max(self_ratings, key=lambda p: (p.occurred_at, p.id), default=None)
    return Derived(
        level=level,
        validated_level=validated_level,
        self_level=newest_self.level if newest_self else None,
        confidence=min(MAX_CONFIDENCE, round(1.0 - doubt, 4)),
        endorsements=sum(1 for p in counted if p.source == EvidenceSource.PEER),
        last_evidence_at=max(p.occurred_at for p in counted),
        validated_at=max((p.occurred_at for p in validated), default=None),
    )
