"""Learning in the activity ledger: enrolments, lessons, quiz attempts, completions, requests.

Each event has one builder here (``*_event``) that returns the ``record_learning_event``
arguments; the live services call it in the transaction of the change, and ``ecotone
ledger-backfill`` builds the same statement, with the same id and timestamp, for the history
recorded before the ledger (one source per event kind, each oldest first).

Invariants:

- Ids are stable: the learning events keep the ids they have always had (a UUIDv5 of the
  enrolment's registration, see ``learning_id``), a request is ``profile.event_id`` of its pk.
  A live write and a backfill of the same event are the same statement, written once.
- The timestamp is the time the product recorded: ``enrolled_at``, the attempt's
  ``created_at``, ``completed_at``, the request's ``created_at``.
- A reading lesson's completion is written live only: the enrolment keeps which lessons are
  done, not when, so there is no real time to backfill it with (docs/xapi-profile.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from ecotone.content.models import ContentRequest, CourseVersion, Enrolment, QuizAttempt
from ecotone.lrs import ledger, profile

# The namespace of the learning events' ids (unchanged since the first live ledger writes).
STATEMENT_NAMESPACE = uuid.UUID("6f1e9c54-1c1e-4d1b-9a55-3f1c2f0b7e10")
CHUNK = 2000


def learning_id(*parts: Any) -> uuid.UUID:
    """The statement id of a learning event: ``learning_id("course", registration)``."""
    return uuid.uuid5(STATEMENT_NAMESPACE, "/".join(str(part) for part in parts))


def enrolled_event(enrolment: Enrolment) -> dict[str, Any]:
    """The learner registered for the course."""
    return {
        "actor": enrolment.person.user,
        "verb": "registered",
        "activity": f"courses/{enrolment.course_id}",
        "activity_type": "course",
        "name": enrolment.course.title,
        "registration": enrolment.registration,
        "timestamp": enrolment.enrolled_at,
        "statement_id": learning_id("enrol", enrolment.registration),
    }


def lesson_event(enrolment: Enrolment, lesson: dict[str, Any]) -> dict[str, Any]:
    """The learner completed a reading lesson (``lesson`` is its snapshot entry); live only."""
    return {
        "actor": enrolment.person.user,
        "verb": "completed",
        "activity": f"courses/{enrolment.course_id}/lessons/{lesson['key']}",
        "activity_type": "lesson",
        "name": lesson["title"],
        "parent": f"courses/{enrolment.course_id}",
        "registration": enrolment.registration,
        "result": {"completion": True},
        "statement_id": learning_id("lesson", enrolment.registration, lesson["key"]),
    }


def _lesson_title(version: CourseVersion, key: str) -> str:
    for lesson in version.snapshot["lessons"]:
        if lesson["key"] == key:
            return str(lesson["title"])
    return ""


def attempt_event(
    attempt: QuizAttempt, enrolment: Enrolment, version: CourseVersion
) -> dict[str, Any]:
    """The learner passed or failed a quiz (``version`` is the attempt's)."""
    key = str(attempt.lesson_key)
    percent = attempt.score
    return {
        "actor": enrolment.person.user,
        "verb": "passed" if attempt.passed else "failed",
        "activity": f"courses/{enrolment.course_id}/quizzes/{key}",
        "activity_type": "assessment",
        "name": _lesson_title(version, key),
        "parent": f"courses/{enrolment.course_id}",
        "registration": enrolment.registration,
        "result": {
            "success": attempt.passed,
            "score": {"scaled": percent / 100, "raw": percent, "min": 0, "max": 100},
        },
        "timestamp": attempt.created_at,
        "statement_id": learning_id("attempt", enrolment.registration, key, attempt.number),
    }


def completed_event(enrolment: Enrolment, version: CourseVersion) -> dict[str, Any]:
    """The learner completed the course (``version`` is the one they completed)."""
    return {
        "actor": enrolment.person.user,
        "verb": "completed",
        "activity": f"courses/{enrolment.course_id}",
        "activity_type": "course",
        "name": version.snapshot["title"],
        "registration": enrolment.registration,
        "result": {"completion": True},
        "extensions": {"course-version": version.number},
        "timestamp": enrolment.completed_at,
        "statement_id": learning_id("course", enrolment.registration),
    }


REQUEST_KIND = "content.request"


def requested_event(request: ContentRequest) -> dict[str, Any]:
    """The requester reported a content gap."""
    return {
        "actor": request.requester.user,
        "verb": "requested",
        "activity": f"requests/{request.pk}",
        "activity_type": "request",
        "name": request.topic,
        "timestamp": request.created_at,
        "statement_id": profile.event_id(REQUEST_KIND, request.pk),
    }


# --- Backfill sources -----------------------------------------------------------------------------


class _Versions:
    """Course versions by id, each read once (their snapshots are large and shared)."""

    def __init__(self) -> None:
        self._found: dict[int, CourseVersion] = {}

    def get(self, pk: int) -> CourseVersion:
        if pk not in self._found:
            self._found[pk] = CourseVersion.objects.get(pk=pk)
        return self._found[pk]


def _enrolments() -> Any:
    return Enrolment.objects.all()


def _enrolled() -> Iterator[dict[str, Any]]:
    rows = _enrolments().order_by("enrolled_at", "pk").select_related("person__user", "course")
    for row in rows.iterator(chunk_size=CHUNK):
        yield profile.build_statement(**enrolled_event(row))


def _attempts() -> Iterator[dict[str, Any]]:
    versions = _Versions()
    rows = (
        QuizAttempt.objects.order_by("created_at", "pk")
        .select_related("enrolment__person__user")
        .defer("answers")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        event = attempt_event(row, row.enrolment, versions.get(row.version_id))
        yield profile.build_statement(**event)


def _completions() -> Any:
    return Enrolment.objects.filter(completed_at__isnull=False)


def _completed() -> Iterator[dict[str, Any]]:
    versions = _Versions()
    rows = _completions().order_by("completed_at", "pk").select_related("person__user")
    for row in rows.iterator(chunk_size=CHUNK):
        yield profile.build_statement(**completed_event(row, versions.get(row.version_id)))


def _requested() -> Iterator[dict[str, Any]]:
    rows = ContentRequest.objects.order_by("created_at", "pk").select_related("requester__user")
    for row in rows.iterator(chunk_size=CHUNK):
        yield profile.build_statement(**requested_event(row))


def register() -> None:
    """Declare the content app's backfill sources (from ``ContentConfig.ready``)."""
    ledger.register_backfill(
        "content.enrolments",
        label="Course enrolments",
        count=lambda: _enrolments().count(),
        statements=_enrolled,
    )
    ledger.register_backfill(
        "content.attempts",
        label="Quiz attempts",
        count=lambda: QuizAttempt.objects.count(),
        statements=_attempts,
    )
    ledger.register_backfill(
        "content.completions",
        label="Course completions",
        count=lambda: _completions().count(),
        statements=_completed,
    )
    ledger.register_backfill(
        "content.requests",
        label="Content requests",
        count=lambda: ContentRequest.objects.count(),
        statements=_requested,
    )
