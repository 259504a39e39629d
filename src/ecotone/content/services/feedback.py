"""What learners say about courses: reactions per lesson, questions and answers, ratings."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from ecotone import authz
from ecotone.content.models import (
    Answer,
    Course,
    Enrolment,
    LessonQuestion,
    Rating,
    Reaction,
)
from ecotone.content.policies import author_ids
from ecotone.content.services import health
from ecotone.content.services._common import acting_person, clean_int, clean_text
from ecotone.kernel.errors import DomainError
from ecotone.notifications.services import notify, notify_many
from ecotone.people.models import User

# How much each reaction moves the course's reaction score.
REACTION_WEIGHT = {
    Reaction.Kind.HELPFUL: 1,
    Reaction.Kind.UNCLEAR: -1,
    Reaction.Kind.OUTDATED: -2,
    Reaction.Kind.MISSING: -1,
    Reaction.Kind.QUESTION: 0,
}
TELL_AUTHORS = {Reaction.Kind.OUTDATED, Reaction.Kind.MISSING, Reaction.Kind.UNCLEAR}


def _lesson_key(course: Course, lesson_key: str) -> str:
    """A lesson of any published version of the course (so old-version learners can react)."""
    key = str(lesson_key)
    versions = course.versions.values_list("snapshot", flat=True)
    for snapshot in versions:
        if any(lesson["key"] == key for lesson in snapshot["lessons"]):
            return key
    raise DomainError("unknown_lesson", "This lesson is not part of the course.", field="lesson")


def refresh_reaction_score(course: Course) -> None:
    counts = dict(
        Reaction.objects.filter(course=course, resolved_at__isnull=True)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    course.reaction_score = sum(REACTION_WEIGHT[Reaction.Kind(k)] * n for k, n in counts.items())
    course.save(update_fields=["reaction_score"])


@transaction.atomic
def react(*, actor: Any, course: Course, lesson_key: str, kind: str, comment: str = "") -> Reaction:
    """React to a lesson: helpful, unclear, outdated, missing something or have a question."""
    authz.require(actor, "content.learn", course)
    person = acting_person(actor)
    if kind not in Reaction.Kind.values:
        raise DomainError("invalid_kind", "Choose a reaction.", field="kind")
    key = _lesson_key(course, lesson_key)
    text = clean_text(comment, field="comment", limit=2000)
    enrolment = (
        Enrolment.objects.filter(course=course, person=person).select_related("version").first()
    )
    number = (
        enrolment.version.number if enrolment else course.version.number if course.version else 1
    )
    reaction, created = Reaction.objects.get_or_create(
        course=course,
        lesson_key=key,
        person=person,
        kind=kind,
        resolved_at=None,
        defaults={"comment": text, "version_number": number},
    )
    if not created:
        reaction.comment = text or reaction.comment
        reaction.save(update_fields=["comment"])
        return reaction
    refresh_reaction_score(course)
    if kind == Reaction.Kind.OUTDATED:
        health.refresh_course(course)
    if kind in TELL_AUTHORS:
        notify_many(
            recipients=User.objects.filter(person__pk__in=author_ids(course) - {person.pk}),
            kind="content.reaction",
            title=f"A learner finds “{course.title}” {Reaction.Kind(kind).label.lower()}",
            body=text[:300],
            url=f"/learn/courses/{course.pk}/lessons/{key}/",
            actor=actor,
        )
    return reaction


@transaction.atomic
def withdraw_reaction(*, actor: Any, reaction: Reaction) -> None:
    person = acting_person(actor)
    if reaction.person_id != person.pk:
        raise DomainError("not_yours", "You can only withdraw your own reactions.", status=403)
    course = reaction.course
    reaction.delete()
    refresh_reaction_score(course)
    health.refresh_course(course)


@transaction.atomic
def ask_question(
    *, actor: Any, course: Course, lesson_key: str, title: str, body: str = ""
) -> LessonQuestion:
    """Ask on a lesson; the course's authors are told."""
    authz.require(actor, "content.learn", course)
    person = acting_person(actor)
    question = LessonQuestion.objects.create(
        course=course,
        lesson_key=_lesson_key(course, lesson_key),
        author=person,
        title=clean_text(title, field="title", limit=200, required=True),
        body=clean_text(body, field="body", limit=5000),
    )
    notify_many(
        recipients=User.objects.filter(person__pk__in=author_ids(course) - {person.pk}),
        kind="content.question",
        title=f"New question on “{course.title}”: {question.title}",
        url=f"/learn/courses/{course.pk}/lessons/{question.lesson_key}/#question-{question.pk}",
        actor=actor,
    )
    return question


@transaction.atomic
def answer_question(*, actor: Any, question: LessonQuestion, body: str) -> Answer:
    """Answer a question (anyone may; authors and experts are marked as such)."""
    authz.require(actor, "content.learn", question.course)
    person = acting_person(actor)
    answer = Answer.objects.create(
        question=question,
        author=person,
        body=clean_text(body, field="body", limit=10_000, required=True),
    )
    if question.author_id != person.pk:
        notify(
            recipient=question.author.user,
            kind="content.answer",
            title=f"{person.display_name} answered “{question.title}”",
            url=f"/learn/courses/{question.course_id}/lessons/{question.lesson_key}/#question-{question.pk}",
            actor=actor,
        )
    return answer


@transaction.atomic
def accept_answer(*, actor: Any, question: LessonQuestion, answer: Answer | None) -> LessonQuestion:
    """Mark the answer that settled the question (or, with ``None``, none)."""
    authz.require(actor, "content.accept_answer", question)
    if answer is not None and answer.question_id != question.pk:
        raise DomainError(
            "wrong_question", "That answer belongs to another question.", field="answer"
        )
    question.accepted = answer
    question.save(update_fields=["accepted"])
    return question


@transaction.atomic
def rate_course(*, actor: Any, course: Course, stars: int, comment: str = "") -> Rating:
    """Rate a course one is enrolled in (again: the new rating replaces the old)."""
    authz.require(actor, "content.learn", course)
    person = acting_person(actor)
    if not Enrolment.objects.filter(course=course, person=person).exists():
        raise DomainError("not_enrolled", "Enrol in the course before rating it.")
    rating, _ = Rating.objects.update_or_create(
        course=course,
        person=person,
        defaults={
            "stars": clean_int(stars, field="stars", low=1, high=5),
            "comment": clean_text(comment, field="comment", limit=2000),
            "updated_at": timezone.now(),
        },
    )
    summary = Rating.objects.filter(course=course).aggregate(
        avg=Avg("stars"), n=Count("id", filter=Q())
    )
    course.rating = round(summary["avg"], 2) if summary["avg"] is not None else None
    course.ratings = summary["n"]
    course.save(update_fields=["rating", "ratings"])
    return rating
