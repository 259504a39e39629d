"""Inbound progress: outside tools' statements about Ecotone's courses move the learner on.

The LRS recognises them (``ecotone.lrs.evidence.recognised_evidence``: a client's completed,
passed or mastered statement, not voided, whose object is one of Ecotone's own activities). This
module takes those whose ``ecotone_path`` is one of the IRIs the content app writes itself

- ``courses/<id>``: the course is completed (every lesson done),
- ``courses/<id>/lessons/<key>``: that reading lesson is done,
- ``courses/<id>/quizzes/<key>``: that quiz is passed (verb passed or mastered, or a result
  with ``success`` true),

and records the progress through ``learning.record_outside_progress``, so a completion gives skill
evidence, the ledger statement and course-goal progress the way one inside Ecotone does.

Invariants:

- Idempotent: a cursor (``ConsumerCursor`` named ``content.inbound``) remembers how far the
  statements were examined, its row is locked for the whole run (concurrent runs take turns), and
  progress already recorded is not recorded again.
- Ignored: statements about unknown or inactive people, unknown courses or lessons, courses not
  open to the learner, a ``success`` of false, and statements voided before they are consumed.
  Progress is never taken back once recorded.
- Ecotone's own ledger statements are never recognised (the LRS excludes them), so a completion
  inside Ecotone is not counted twice.
- Runs every minute (``ecotone worker``), and soon after a client stores statements with an
  evidence verb (``evidence.on_inbound``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.tasks import task

from ecotone.content.models import Course
from ecotone.content.services import learning
from ecotone.kernel.errors import DomainError
from ecotone.lrs import evidence, profile
from ecotone.notifications.scheduler import recurring
from ecotone.people.models import Person

CURSOR = "content.inbound"
BATCH = 500
_PATH = re.compile(
    r"^courses/(?P<course>\d+)(?:/(?P<kind>lessons|quizzes)/(?P<key>[0-9a-f-]{36}))?/?$"
)
_PASS_VERBS = frozenset(profile.VERBS[key][0] for key in ("passed", "mastered"))


@dataclass(frozen=True)
class Progress:
    """What one statement reports: a course, or one lesson or quiz of it."""

    course_id: int
    lesson_key: str | None
    quiz: bool


def progress_of(record: evidence.EvidenceRecord) -> Progress | None:
    """The progress a recognised statement reports, or None when it reports none."""
    match = _PATH.match(record.ecotone_path or "")
    if match is None or record.success is False:
        return None
    quiz = match["kind"] == "quizzes"
    if quiz and record.verb not in _PASS_VERBS and record.success is not True:
        return None  # a completed quiz is not a passed one
    return Progress(course_id=int(match["course"]), lesson_key=match["key"], quiz=quiz)


@transaction.atomic
def consume_inbound(*, limit: int = BATCH) -> tuple[int, bool]:
    """Consume the next recognised statements after the cursor.

    Returns (statements applied: their progress is now recorded, whether more may be waiting).
    """
    cursor = evidence.lock_cursor(CURSOR)
    batch = evidence.recognised_evidence(after_seq=cursor.seq, limit=limit)
    reported = [
        (record.user_id, progress)
        for record in batch.records
        if record.user_id is not None and (progress := progress_of(record)) is not None
    ]
    moved = 0
    if reported:
        people = {
            person.user_id: person
            for person in Person.objects.filter(
                user_id__in={user_id for user_id, _ in reported}
            ).select_related("user")
        }
        courses = Course.objects.in_bulk({progress.course_id for _, progress in reported})
        for user_id, progress in reported:
            person = people.get(user_id)
            course = courses.get(progress.course_id)
            if person is None or not person.is_active or course is None:
                continue
            if _record(person, course, progress):
                moved += 1
    more = batch.cursor > cursor.seq
    evidence.advance_cursor(cursor, batch.cursor)
    return moved, more


def _record(person: Person, course: Course, progress: Progress) -> bool:
    """Record one statement's progress; False when the content app refuses it."""
    try:
        with transaction.atomic():
            learning.record_outside_progress(
                actor=person.user,
                course=course,
                lesson_key=progress.lesson_key,
                quiz=progress.quiz,
            )
    except DomainError:
        return False  # not open to them, or not a lesson of their version: stays in the LRS
    return True


def consume_all() -> int:
    """Consume until the cursor reaches the newest statement; each batch is its own transaction."""
    return evidence.drain(consume_inbound)


@recurring("content.inbound_xapi", every=timedelta(minutes=1))
@task()
def consume_inbound_progress() -> int:
    """Turn new outside completions of Ecotone's courses into learning progress."""
    return consume_all()


def _enqueue() -> None:
    consume_inbound_progress.enqueue()


evidence.on_inbound(_enqueue)
