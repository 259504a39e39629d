"""Learning: enrolment, lesson progress, quiz attempts and completion.

Completion writes skill evidence (``skills.services.record_evidence``) for every skill the
learner's version teaches, and a ledger statement (``lrs.services.record_learning_event``), in
the same transaction as the enrolment change. Progress an outside tool reports through the LRS
(``content.inbound``) goes through ``record_outside_progress`` and completes a course the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ecotone import authz
from ecotone.content import goals, ledger
from ecotone.content.models import Course, CourseVersion, Enrolment, QuizAttempt
from ecotone.content.services._common import acting_person
from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.lrs.services import record_learning_event
from ecotone.skills.models import EvidenceSource, Skill
from ecotone.skills.services import SYSTEM, record_evidence


def lesson_of(version: CourseVersion, key: str) -> dict[str, Any]:
    for lesson in version.snapshot["lessons"]:
        if lesson["key"] == str(key):
            return dict(lesson)
    raise DomainError("unknown_lesson", "This lesson is not part of your version.", field="lesson")


def _own(actor: Any, enrolment: Enrolment) -> None:
    person = acting_person(actor)
    if enrolment.person_id != person.pk:
        raise Forbidden("This is someone else's enrolment.")


@transaction.atomic
def enrol(*, actor: Any, course: Course) -> Enrolment:
    """Enrol in the published version of a course (again: return the existing enrolment)."""
    authz.require(actor, "content.learn", course)
    person = acting_person(actor)
    existing = Enrolment.objects.filter(course=course, person=person).first()
    if existing is not None:
        return existing
    assert course.version is not None
    now = timezone.now()
    enrolment = Enrolment.objects.create(
        course=course,
        person=person,
        version=course.version,
        enrolled_at=now,
        last_activity_at=now,
    )
    Course.objects.filter(pk=course.pk).update(enrolments=F("enrolments") + 1)
    record_learning_event(**ledger.enrolled_event(enrolment))
    return enrolment


@transaction.atomic
def switch_version(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    """Move to the course's current version; progress on lessons that remain is kept."""
    _own(actor, enrolment)
    course = enrolment.course
    if course.version_id is None or course.version_id == enrolment.version_id:
        raise DomainError("already_current", "You already have the latest version.")
    assert course.version is not None
    keys = {lesson["key"] for lesson in course.version.snapshot["lessons"]}
    enrolment.version = course.version
    enrolment.done_keys = [key for key in enrolment.done_keys if key in keys]
    if enrolment.last_lesson_key is not None and str(enrolment.last_lesson_key) not in keys:
        enrolment.last_lesson_key = None
    enrolment.last_activity_at = timezone.now()
    enrolment.save()
    _complete_if_done(actor, enrolment)
    return enrolment


def _mark_done(enrolment: Enrolment, key: str, *, next_key: str | None) -> None:
    if key not in enrolment.done_keys:
        enrolment.done_keys = [*enrolment.done_keys, key]
    enrolment.last_lesson_key = uuid.UUID(next_key) if next_key else uuid.UUID(key)
    enrolment.last_activity_at = timezone.now()
    enrolment.save(update_fields=["done_keys", "last_lesson_key", "last_activity_at"])


def _next_key(version: CourseVersion, key: str) -> str | None:
    keys = [lesson["key"] for lesson in version.snapshot["lessons"]]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else None


@transaction.atomic
def complete_lesson(*, actor: Any, enrolment: Enrolment, lesson_key: str) -> Enrolment:
    """Mark a reading lesson done and move on; the last one completes the course."""
    _own(actor, enrolment)
    lesson = lesson_of(enrolment.version, lesson_key)
    if lesson["kind"] == "quiz":
        raise DomainError("quiz_needs_attempt", "A quiz is done when you pass it.")
    first_time = lesson["key"] not in enrolment.done_keys
    _mark_done(enrolment, lesson["key"], next_key=_next_key(enrolment.version, lesson["key"]))
    if first_time:
        record_learning_event(**ledger.lesson_event(enrolment, lesson))
    _complete_if_done(actor, enrolment)
    return enrolment


@transaction.atomic
def record_outside_progress(
    *, actor: Any, course: Course, lesson_key: str | None = None, quiz: bool = False
) -> Enrolment:
    """An outside tool reported that ``actor`` completed the course, a reading lesson of it or
    (``quiz``) passed one of its quizzes (an xAPI statement, see ``content.inbound``).

    Enrols the learner first when they are not (the course must be open to them). Marks the
    lesson done, or with no ``lesson_key`` every lesson of their version; once every lesson is
    done the course completes exactly as inside Ecotone: skill evidence, the ledger statement,
    course goals. The outside statement is the record of the lesson, so no lesson statement is
    written. Idempotent: reporting done work again changes nothing.
    """
    person = acting_person(actor)
    enrolment = (
        Enrolment.objects.filter(course=course, person=person).select_related("version").first()
    )
    if enrolment is None:
        enrolment = enrol(actor=actor, course=course)
    if lesson_key is None:
        keys = [lesson["key"] for lesson in enrolment.version.snapshot["lessons"]]
    else:
        lesson = lesson_of(enrolment.version, lesson_key)
        if (lesson["kind"] == "quiz") is not quiz:
            raise DomainError("unknown_lesson", "No such lesson in this course.", field="lesson")
        keys = [lesson["key"]]
    new = [key for key in keys if key not in enrolment.done_keys]
    if new:
        enrolment.done_keys = [*enrolment.done_keys, *new]
        enrolment.last_activity_at = timezone.now()
        enrolment.save(update_fields=["done_keys", "last_activity_at"])
        _complete_if_done(actor, enrolment)
    return enrolment


@dataclass(frozen=True)
class QuestionResult:
    prompt: str
    chosen: list[int]
    correct: bool
    feedback: list[str]


def score(
    lesson: Mapping[str, Any], answers: Mapping[str, Sequence[int]]
) -> tuple[int, list[QuestionResult]]:
    """Percent of questions answered exactly right, and per-question feedback.

    ``answers`` maps the question's index (as a string) to the indexes of the chosen answers.
    A single-choice or true/false question takes one answer; a multiple-choice one is right
    only when exactly the correct answers are chosen.
    """
    results: list[QuestionResult] = []
    right = 0
    for index, question in enumerate(lesson["questions"]):
        raw = answers.get(str(index), [])
        chosen = sorted({int(i) for i in raw if 0 <= int(i) < len(question["choices"])})
        if question["kind"] != "multiple" and len(chosen) > 1:
            raise DomainError("one_answer", "Choose one answer per question.", field=f"q{index}")
        correct_set = [i for i, c in enumerate(question["choices"]) if c["correct"]]
        is_right = chosen == correct_set
        right += is_right
        results.append(
            QuestionResult(
                prompt=question["prompt"],
                chosen=chosen,
                correct=is_right,
                feedback=[
                    question["choices"][i]["feedback"]
                    for i in chosen
                    if question["choices"][i]["feedback"]
                ],
            )
        )
    total = len(lesson["questions"])
    percent = round(100 * right / total) if total else 0
    return percent, results


@transaction.atomic
def submit_quiz(
    *, actor: Any, enrolment: Enrolment, lesson_key: str, answers: Mapping[str, Sequence[int]]
) -> tuple[QuizAttempt, list[QuestionResult]]:
    """Score an attempt at a quiz; passing marks it done. The retry policy caps attempts."""
    _own(actor, enrolment)
    if enrolment.completed_at is None and not enrolment.course.is_published:
        raise DomainError("not_published", "This course is no longer offered.")
    lesson = lesson_of(enrolment.version, lesson_key)
    if lesson["kind"] != "quiz":
        raise DomainError("not_a_quiz", "This lesson has no quiz.")
    previous = list(
        QuizAttempt.objects.filter(enrolment=enrolment, lesson_key=lesson["key"]).values_list(
            "passed", flat=True
        )
    )
    if any(previous):
        raise DomainError("already_passed", "You already passed this quiz.")
    if lesson["max_attempts"] and len(previous) >= lesson["max_attempts"]:
        raise DomainError("no_attempts_left", "You have used every attempt at this quiz.")
    percent, results = score(lesson, answers)
    passed = percent >= lesson["pass_mark"]
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        version=enrolment.version,
        lesson_key=lesson["key"],
        number=len(previous) + 1,
        answers={key: list(value) for key, value in answers.items()},
        score=percent,
        passed=passed,
        created_at=timezone.now(),
    )
    record_learning_event(**ledger.attempt_event(attempt, enrolment, enrolment.version))
    if passed:
        _mark_done(enrolment, lesson["key"], next_key=_next_key(enrolment.version, lesson["key"]))
        _complete_if_done(actor, enrolment)
    else:
        enrolment.last_lesson_key = uuid.UUID(lesson["key"])
        enrolment.last_activity_at = timezone.now()
        enrolment.save(update_fields=["last_lesson_key", "last_activity_at"])
    return attempt, results


def _complete_if_done(actor: Any, enrolment: Enrolment) -> None:
    """Complete the course once every lesson is done, then let course goals re-derive."""
    _complete_when_all_done(actor, enrolment)
    goals.progress_changed(enrolment.person_id)


def _complete_when_all_done(actor: Any, enrolment: Enrolment) -> None:
    if enrolment.completed_at is not None:
        return
    snapshot = enrolment.version.snapshot
    keys = [lesson["key"] for lesson in snapshot["lessons"]]
    if not set(keys) <= set(enrolment.done_keys):
        return
    now = timezone.now()
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    course = enrolment.course
    Course.objects.filter(pk=course.pk).update(completions=F("completions") + 1)
    assessed = any(lesson["kind"] == "quiz" for lesson in snapshot["lessons"])
    source = EvidenceSource.ASSESSMENT if assessed else EvidenceSource.COURSE
    skills = {
        skill.pk: skill
        for skill in Skill.objects.filter(pk__in=[item["id"] for item in snapshot["skills"]])
    }
    for item in snapshot["skills"]:
        skill = skills.get(item["id"])
        if skill is None or skill.status == Skill.Status.DEPRECATED:
            continue
        record_evidence(
            actor=SYSTEM,
            person=enrolment.person,
            skill=skill,
            source=source,
            level=item["level"],
            occurred_at=now,
            note=f"Completed “{snapshot['title']}” (version {enrolment.version.number})",
            link_type="content.course",
            link_id=str(course.pk),
            author=actor,
        )
    record_learning_event(**ledger.completed_event(enrolment, enrolment.version))
