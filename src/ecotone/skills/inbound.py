"""Inbound xAPI evidence: statements from outside tools that become skill evidence.

The LRS recognises them (``ecotone.lrs.evidence.recognised_evidence``: a client's completed,
passed or mastered statement about an activity an admin mapped to skills, or about one of
Ecotone's own activities). This module turns each one whose learner is a known, active person
into ``record_evidence(source="xapi")`` for every mapped skill.

Invariants:

- Idempotent: a statement gives at most one piece of evidence per skill (``link_type`` is
  ``lrs.statement``, ``link_id`` the statement id), and a cursor (``ConsumerCursor`` named
  ``skills.inbound``) remembers how far the statements were examined. The cursor row is locked
  for the whole run, so concurrent runs take turns.
- A statement voided before it is consumed gives no evidence. Evidence is never withdrawn once
  recorded (skills evidence is never edited or deleted); the voiding statement stays in the LRS.
- Runs every minute (``ecotone worker``), and soon after a client stores statements with an
  evidence verb (``evidence.on_inbound``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.tasks import task

from ecotone.kernel.errors import DomainError
from ecotone.lrs import evidence
from ecotone.notifications.scheduler import recurring
from ecotone.people.models import Person
from ecotone.skills import services
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Evidence, EvidenceSource, Skill

CURSOR = "skills.inbound"
LINK_TYPE = "lrs.statement"
BATCH = 500


def _skills_for(refs: Iterable[str]) -> dict[str, Skill]:
    """Skill references of mappings (external id, slug or exact name) to skills, in one query."""
    wanted = {ref for ref in refs if ref}
    if not wanted:
        return {}
    found: dict[str, Skill] = {}
    query = Q(external_id__in=wanted) | Q(slug__in=wanted) | Q(name__in=wanted)
    for skill in Skill.objects.filter(query):
        for ref in (skill.name, skill.slug, skill.external_id):
            if ref in wanted:
                found.setdefault(ref, skill)
    return found


def _known_refs(refs: Sequence[str]) -> set[str]:
    return set(_skills_for(refs))


evidence.resolve_skill_refs_with(_known_refs)


def _note(record: evidence.EvidenceRecord) -> str:
    verb = record.verb.rstrip("/").rsplit("/", 1)[-1]
    return f"{verb.capitalize()} {record.activity_iri} (xAPI statement {record.statement_id})"


@transaction.atomic
def consume_inbound(*, limit: int = BATCH) -> tuple[int, bool]:
    """Consume the next recognised statements after the cursor.

    Returns (pieces of evidence recorded, whether more statements may be waiting).
    """
    cursor = evidence.lock_cursor(CURSOR)
    batch = evidence.recognised_evidence(after_seq=cursor.seq, limit=limit)
    records = [r for r in batch.records if r.user_id is not None and r.skill_refs]
    created = 0
    if records:
        people = {
            person.user_id: person
            for person in Person.objects.filter(user_id__in={r.user_id for r in records})
        }
        skills = _skills_for(ref for record in records for ref in record.skill_refs)
        done = set(
            Evidence.objects.filter(
                link_type=LINK_TYPE, link_id__in=[r.statement_id for r in records]
            ).values_list("link_id", "skill_id")
        )
        for record in records:
            person = people.get(record.user_id) if record.user_id is not None else None
            if person is None or not person.is_active:
                continue
            level = record.level if record.level in range(MIN_LEVEL, MAX_LEVEL + 1) else None
            for skill in {
                skills[ref].pk: skills[ref] for ref in record.skill_refs if ref in skills
            }.values():
                if (record.statement_id, skill.pk) in done:
                    continue
                try:
                    with transaction.atomic():
                        services.record_evidence(
                            actor=services.SYSTEM,
                            person=person,
                            skill=skill,
                            source=EvidenceSource.XAPI,
                            level=level,
                            occurred_at=record.stored,
                            note=_note(record),
                            link_type=LINK_TYPE,
                            link_id=record.statement_id,
                        )
                except DomainError:
                    continue  # a deprecated skill: the statement stays in the LRS only
                done.add((record.statement_id, skill.pk))
                created += 1
    more = batch.cursor > cursor.seq
    evidence.advance_cursor(cursor, batch.cursor)
    return created, more


def consume_all() -> int:
    """Consume until the cursor reaches the newest statement; each batch is its own transaction."""
    return evidence.drain(consume_inbound)


@recurring("skills.inbound_xapi", every=timedelta(minutes=1))
@task()
def consume_inbound_evidence() -> int:
    """Turn new recognised xAPI statements into skill evidence."""
    return consume_all()


def _enqueue() -> None:
    consume_inbound_evidence.enqueue()


evidence.on_inbound(_enqueue)
