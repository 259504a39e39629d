"""Writing courses: the draft, its lessons and quizzes, co-authors, review and publishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ecotone import authz
from ecotone.content.models import (
    Choice,
    Course,
    CourseAuthor,
    CourseSkill,
    CourseVersion,
    Lesson,
    Question,
    Reaction,
    ReviewComment,
)
from ecotone.content.policies import author_ids, forget_authors
from ecotone.content.services import health, indexing
from ecotone.content.services._common import acting_person, clean_int, clean_text
from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError
from ecotone.notifications.services import notify, notify_many
from ecotone.people.models import Person, User
from ecotone.people.roles import EXECUTIVE, roles_of
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Skill

REVIEW_PERIOD = dt.timedelta(days=365)
MAX_COVER_BYTES = 2 * 1024 * 1024
COVER_TYPES = {
    b"\x89PNG\r\n\x1a\n": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"GIF87a": ".gif",
    b"GIF89a": ".gif",
}
MAX_TAGS = 10
MAX_LESSONS = 200
MAX_QUESTIONS = 50
MAX_CHOICES = 8


@dataclass(frozen=True)
class ChoiceInput:
    text: str
    correct: bool = False
    feedback: str = ""


def course_url(course: Course) -> str:
    return f"/learn/courses/{course.pk}/"


def _touch(course: Course) -> None:
    """Mark the draft changed; an approval covered the old draft, so it needs another look."""
    course.draft_changed_at = timezone.now()
    fields = ["draft_changed_at", "updated_at"]
    if course.review_state == Course.Review.APPROVED:
        course.review_state = Course.Review.REQUESTED
        fields.append("review_state")
    course.save(update_fields=fields)


def _clean_tags(tags: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        text = clean_text(tag, field="tags", limit=40).lower()
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_TAGS:
        raise DomainError("too_many_tags", f"Use at most {MAX_TAGS} tags.", field="tags")
    return cleaned


def _clean_skills(skills: Sequence[tuple[Skill, int]]) -> list[tuple[Skill, int]]:
    seen: dict[int, tuple[Skill, int]] = {}
    for skill, level in skills:
        if skill.status != Skill.Status.ACTIVE:
            raise DomainError(
                "skill_not_active", f"{skill.name} is no longer in use.", field="skills"
            )
        seen[skill.pk] = (skill, clean_int(level, field="skills", low=MIN_LEVEL, high=MAX_LEVEL))
    return list(seen.values())


# --- The course ----------------------------------------------------------------------------------


@transaction.atomic
def create_course(
    *,
    actor: Any,
    title: str,
    summary: str = "",
    audience: str = Course.Audience.EVERYONE,
    estimated_minutes: int = 30,
    tags: Sequence[str] = (),
    skills: Sequence[tuple[Skill, int]] = (),
    review_by: dt.date | None = None,
) -> Course:
    """Start a course. The actor owns it; courses by executives are featured."""
    authz.require(actor, "content.create_course")
    owner = acting_person(actor)
    if audience not in Course.Audience.values:
        raise DomainError("invalid_audience", "Choose an audience.", field="audience")
    course = Course.objects.create(
        title=clean_text(title, field="title", limit=200, required=True),
        summary=clean_text(summary, field="summary", limit=2000),
        audience=audience,
        estimated_minutes=clean_int(estimated_minutes, field="estimated_minutes", low=1, high=6000),
        tags=_clean_tags(tags),
        owner=owner,
        featured=EXECUTIVE in roles_of(actor),
        review_by=review_by or (timezone.localdate() + REVIEW_PERIOD),
        draft_changed_at=timezone.now(),
    )
    CourseSkill.objects.bulk_create(
        [CourseSkill(course=course, skill=s, level=lvl) for s, lvl in _clean_skills(skills)]
    )
    indexing.course_changed(course)
    return course


@transaction.atomic
def update_course(
    *,
    actor: Any,
    course: Course,
    title: str | None = None,
    summary: str | None = None,
    audience: str | None = None,
    estimated_minutes: int | None = None,
    tags: Sequence[str] | None = None,
    skills: Sequence[tuple[Skill, int]] | None = None,
    review_by: dt.date | None = None,
) -> Course:
    """Change the draft's description; ``None`` leaves a field as it is."""
    authz.require(actor, "content.edit_course", course)
    if title is not None:
        course.title = clean_text(title, field="title", limit=200, required=True)
    if summary is not None:
        course.summary = clean_text(summary, field="summary", limit=2000)
    if audience is not None:
        if audience not in Course.Audience.values:
            raise DomainError("invalid_audience", "Choose an audience.", field="audience")
        course.audience = audience
    if estimated_minutes is not None:
        course.estimated_minutes = clean_int(
            estimated_minutes, field="estimated_minutes", low=1, high=6000
        )
    if tags is not None:
        course.tags = _clean_tags(tags)
    if review_by is not None:
        if review_by < timezone.localdate():
            raise DomainError(
                "review_in_past", "Choose a review date in the future.", field="review_by"
            )
        course.review_by = review_by
    course.save()
    if skills is not None:
        cleaned = _clean_skills(skills)
        CourseSkill.objects.filter(course=course).delete()
        CourseSkill.objects.bulk_create(
            [CourseSkill(course=course, skill=s, level=lvl) for s, lvl in cleaned]
        )
    _touch(course)
    if course.is_published and review_by is not None:
        health.refresh_course(course)
    indexing.course_changed(course)
    return course


@transaction.atomic
def set_cover(*, actor: Any, course: Course, upload: Any) -> Course:
    """Set (or with ``None`` remove) the cover image: PNG, JPEG or GIF up to 2 MB."""
    authz.require(actor, "content.edit_course", course)
    if upload is None:
        if course.cover:
            course.cover.delete(save=False)
        course.cover = ""
        course.save(update_fields=["cover", "updated_at"])
        return course
    if upload.size is None or upload.size > MAX_COVER_BYTES:
        raise DomainError("cover_too_large", "Choose an image up to 2 MB.", field="cover")
    head = upload.read(16)
    upload.seek(0)
    suffix = next((ext for magic, ext in COVER_TYPES.items() if head.startswith(magic)), None)
    if suffix is None:
        raise DomainError("cover_type", "Choose a PNG, JPEG or GIF image.", field="cover")
    if course.cover:
        course.cover.delete(save=False)
    course.cover.save(f"course-{course.pk}{suffix}", upload, save=False)
    course.save(update_fields=["cover", "updated_at"])
    return course


@transaction.atomic
def add_coauthor(*, actor: Any, course: Course, person: Person) -> CourseAuthor:
    authz.require(actor, "content.manage_course", course)
    if not person.is_active:
        raise DomainError("person_inactive", f"{person} has left.", field="person")
    if person.pk in author_ids(course):
        raise DomainError("already_author", f"{person} already writes this course.", field="person")
    coauthor = CourseAuthor.objects.create(course=course, person=person)
    forget_authors(course)
    indexing.course_changed(course)
    notify(
        recipient=person.user,
        kind="content.coauthor_added",
        title=f"You can now edit “{course.title}”",
        url=f"/learn/courses/{course.pk}/edit/",
        actor=actor,
    )
    return coauthor


@transaction.atomic
def remove_coauthor(*, actor: Any, course: Course, person: Person) -> None:
    authz.require(actor, "content.manage_course", course)
    deleted, _ = CourseAuthor.objects.filter(course=course, person=person).delete()
    forget_authors(course)
    indexing.course_changed(course)
    if not deleted:
        raise DomainError("not_author", f"{person} is not a co-author.", field="person")


@transaction.atomic
def transfer_ownership(*, actor: Any, course: Course, person: Person) -> Course:
    """Hand the course to someone else; the old owner stays on as a co-author if still here."""
    authz.require(actor, "content.manage_course", course)
    if not person.is_active:
        raise DomainError("person_inactive", f"{person} has left.", field="person")
    if person.pk == course.owner_id:
        raise DomainError("already_owner", f"{person} already owns it.", field="person")
    previous = course.owner
    CourseAuthor.objects.filter(course=course, person=person).delete()
    if previous.is_active:
        CourseAuthor.objects.get_or_create(course=course, person=previous)
    course.owner = person
    course.save(update_fields=["owner", "updated_at"])
    forget_authors(course)
    indexing.course_changed(course)
    audit.record(
        actor=actor,
        action="content.owner_changed",
        target=course,
        detail={"from": previous.pk, "to": person.pk},
    )
    if course.is_published:
        health.refresh_course(course)
    notify(
        recipient=person.user,
        kind="content.owner_changed",
        title=f"You now own “{course.title}”",
        url=course_url(course),
        actor=actor,
    )
    return course


@transaction.atomic
def archive_course(*, actor: Any, course: Course, archived: bool = True) -> Course:
    """Take a course out of the catalogue (enrolled learners keep their records), or put it back."""
    authz.require(actor, "content.manage_course", course)
    if archived:
        if course.status != Course.Status.PUBLISHED:
            raise DomainError("not_published", "Only a published course can be archived.")
        course.status = Course.Status.ARCHIVED
    else:
        if course.status != Course.Status.ARCHIVED:
            raise DomainError("not_archived", "This course is not archived.")
        course.status = Course.Status.PUBLISHED
    course.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, action="content.archived" if archived else "content.restored", target=course
    )
    indexing.course_changed(course)
    return course


# --- Lessons -------------------------------------------------------------------------------------


def _lesson_fields(
    *, kind: str, title: str, body: str, pass_mark: int, max_attempts: int
) -> dict[str, Any]:
    if kind not in Lesson.Kind.values:
        raise DomainError("invalid_kind", "Choose a lesson or a quiz.", field="kind")
    return {
        "kind": kind,
        "title": clean_text(title, field="title", limit=200, required=True),
        "body": clean_text(body, field="body", limit=100_000, required=kind == Lesson.Kind.TEXT),
        "pass_mark": clean_int(pass_mark, field="pass_mark", low=0, high=100),
        "max_attempts": clean_int(max_attempts, field="max_attempts", low=0, high=100),
    }


@transaction.atomic
def add_lesson(
    *,
    actor: Any,
    course: Course,
    title: str,
    body: str = "",
    kind: str = Lesson.Kind.TEXT,
    pass_mark: int = 70,
    max_attempts: int = 0,
) -> Lesson:
    """Append a lesson (Markdown) or a quiz to the draft."""
    authz.require(actor, "content.edit_course", course)
    fields = _lesson_fields(
        kind=kind, title=title, body=body, pass_mark=pass_mark, max_attempts=max_attempts
    )
    count = course.lessons.count()
    if count >= MAX_LESSONS:
        raise DomainError("too_many_lessons", f"A course has at most {MAX_LESSONS} lessons.")
    last = course.lessons.aggregate(last=Max("position"))["last"]
    lesson = Lesson.objects.create(course=course, position=(last or 0) + 1, **fields)
    _touch(course)
    return lesson


@transaction.atomic
def update_lesson(
    *,
    actor: Any,
    lesson: Lesson,
    title: str,
    body: str,
    pass_mark: int | None = None,
    max_attempts: int | None = None,
) -> Lesson:
    authz.require(actor, "content.edit_course", lesson.course)
    fields = _lesson_fields(
        kind=lesson.kind,
        title=title,
        body=body,
        pass_mark=lesson.pass_mark if pass_mark is None else pass_mark,
        max_attempts=lesson.max_attempts if max_attempts is None else max_attempts,
    )
    for name, value in fields.items():
        setattr(lesson, name, value)
    lesson.save()
    _touch(lesson.course)
    return lesson


@transaction.atomic
def delete_lesson(*, actor: Any, lesson: Lesson) -> None:
    """Remove a lesson from the draft (published versions keep it)."""
    course = lesson.course
    authz.require(actor, "content.edit_course", course)
    lesson.delete()
    _touch(course)


@transaction.atomic
def reorder_lessons(*, actor: Any, course: Course, order: Sequence[int]) -> list[Lesson]:
    """Put the draft's lessons in ``order`` (lesson ids; every lesson exactly once)."""
    authz.require(actor, "content.edit_course", course)
    lessons = {lesson.pk: lesson for lesson in course.lessons.all()}
    if sorted(order) != sorted(lessons) or len(set(order)) != len(order):
        raise DomainError("invalid_order", "Give every lesson of the course once.", field="order")
    for position, pk in enumerate(order, start=1):
        lessons[pk].position = position
    Lesson.objects.bulk_update(lessons.values(), ["position"])
    _touch(course)
    return [lessons[pk] for pk in order]


@transaction.atomic
def move_lesson(*, actor: Any, lesson: Lesson, direction: str) -> None:
    """Move a lesson one place up or down."""
    ids = list(lesson.course.lessons.values_list("pk", flat=True))
    index = ids.index(lesson.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise DomainError("invalid_direction", "Move up or down.", field="direction")
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    reorder_lessons(actor=actor, course=lesson.course, order=ids)


# --- Quiz questions ------------------------------------------------------------------------------


def _clean_choices(kind: str, choices: Sequence[ChoiceInput]) -> list[ChoiceInput]:
    if kind not in Question.Kind.values:
        raise DomainError("invalid_kind", "Choose a kind of question.", field="kind")
    cleaned = [
        ChoiceInput(
            text=clean_text(c.text, field="choices", limit=500),
            correct=bool(c.correct),
            feedback=clean_text(c.feedback, field="choices", limit=2000),
        )
        for c in choices
        if str(c.text or "").strip()
    ]
    if kind == Question.Kind.TRUE_FALSE:
        correct_true = bool(cleaned and cleaned[0].correct)
        feedback = {c.text.lower(): c.feedback for c in cleaned}
        if len([c for c in cleaned if c.correct]) != 1:
            raise DomainError("one_correct", "Say whether it is true or false.", field="choices")
        cleaned = [
            ChoiceInput("True", correct_true, feedback.get("true", "")),
            ChoiceInput("False", not correct_true, feedback.get("false", "")),
        ]
    if len(cleaned) < 2:
        raise DomainError("two_choices", "Give at least two answers.", field="choices")
    if len(cleaned) > MAX_CHOICES:
        raise DomainError(
            "too_many_choices", f"Give at most {MAX_CHOICES} answers.", field="choices"
        )
    correct = sum(1 for c in cleaned if c.correct)
    if kind == Question.Kind.SINGLE and correct != 1:
        raise DomainError("one_correct", "Mark exactly one answer correct.", field="choices")
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise DomainError("some_correct", "Mark at least one answer correct.", field="choices")
    return cleaned


@transaction.atomic
def add_question(
    *, actor: Any, lesson: Lesson, kind: str, prompt: str, choices: Sequence[ChoiceInput]
) -> Question:
    """Add a question to a quiz: single or multiple choice, or true/false; feedback per answer."""
    authz.require(actor, "content.edit_course", lesson.course)
    if lesson.kind != Lesson.Kind.QUIZ:
        raise DomainError("not_a_quiz", "Questions belong to quizzes.", field="lesson")
    if lesson.questions.count() >= MAX_QUESTIONS:
        raise DomainError("too_many_questions", f"A quiz has at most {MAX_QUESTIONS} questions.")
    cleaned = _clean_choices(kind, choices)
    last = lesson.questions.aggregate(last=Max("position"))["last"]
    question = Question.objects.create(
        lesson=lesson,
        position=(last or 0) + 1,
        kind=kind,
        prompt=clean_text(prompt, field="prompt", limit=2000, required=True),
    )
    Choice.objects.bulk_create(
        [
            Choice(
                question=question, position=i, text=c.text, correct=c.correct, feedback=c.feedback
            )
            for i, c in enumerate(cleaned, start=1)
        ]
    )
    _touch(lesson.course)
    return question


@transaction.atomic
def update_question(
    *, actor: Any, question: Question, prompt: str, choices: Sequence[ChoiceInput]
) -> Question:
    course = question.lesson.course
    authz.require(actor, "content.edit_course", course)
    cleaned = _clean_choices(question.kind, choices)
    question.prompt = clean_text(prompt, field="prompt", limit=2000, required=True)
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        [
            Choice(
                question=question, position=i, text=c.text, correct=c.correct, feedback=c.feedback
            )
            for i, c in enumerate(cleaned, start=1)
        ]
    )
    _touch(course)
    return question


@transaction.atomic
def delete_question(*, actor: Any, question: Question) -> None:
    course = question.lesson.course
    authz.require(actor, "content.edit_course", course)
    question.delete()
    _touch(course)


# --- Review --------------------------------------------------------------------------------------


@transaction.atomic
def request_review(*, actor: Any, course: Course, reviewer: Person, message: str = "") -> Course:
    """Ask an expert to review the draft; publishing waits for their approval."""
    authz.require(actor, "content.edit_course", course)
    if not reviewer.is_active:
        raise DomainError("person_inactive", f"{reviewer} has left.", field="reviewer")
    if reviewer.pk in author_ids(course):
        raise DomainError(
            "reviewer_is_author", "Ask someone who is not an author.", field="reviewer"
        )
    course.reviewer = reviewer
    course.review_state = Course.Review.REQUESTED
    course.save(update_fields=["reviewer", "review_state", "updated_at"])
    indexing.course_changed(course)
    text = clean_text(message, field="message", limit=2000)
    if text:
        ReviewComment.objects.create(course=course, author=acting_person(actor), body=text)
    notify(
        recipient=reviewer.user,
        kind="content.review_requested",
        title=f"Please review “{course.title}”",
        body=text,
        url=f"/learn/courses/{course.pk}/edit/",
        actor=actor,
    )
    return course


@transaction.atomic
def withdraw_review(*, actor: Any, course: Course) -> Course:
    authz.require(actor, "content.edit_course", course)
    course.review_state = Course.Review.NONE
    course.reviewer = None
    course.save(update_fields=["reviewer", "review_state", "updated_at"])
    indexing.course_changed(course)
    return course


@transaction.atomic
def comment_on_draft(
    *, actor: Any, course: Course, body: str, lesson: Lesson | None = None
) -> ReviewComment:
    """A review comment, by the reviewer or an author."""
    if not authz.can(actor, "content.review_course", course):
        authz.require(actor, "content.edit_course", course)
    author = acting_person(actor)
    comment = ReviewComment.objects.create(
        course=course,
        author=author,
        lesson_key=lesson.key if lesson is not None else None,
        body=clean_text(body, field="body", limit=5000, required=True),
    )
    others = [pk for pk in author_ids(course) | {course.reviewer_id or 0} if pk and pk != author.pk]
    notify_many(
        recipients=User.objects.filter(person__pk__in=others),
        kind="content.review_comment",
        title=f"{author.display_name} commented on “{course.title}”",
        body=comment.body[:300],
        url=f"/learn/courses/{course.pk}/edit/",
        actor=actor,
    )
    return comment


@transaction.atomic
def resolve_review(*, actor: Any, course: Course, approve: bool, comment: str = "") -> Course:
    """The reviewer approves the draft or asks for changes (a comment is required then)."""
    authz.require(actor, "content.review_course", course)
    if course.review_state not in (Course.Review.REQUESTED, Course.Review.CHANGES):
        raise DomainError("no_review", "There is no review waiting on this course.")
    text = clean_text(comment, field="comment", limit=5000, required=not approve)
    if text:
        ReviewComment.objects.create(course=course, author=acting_person(actor), body=text)
    course.review_state = Course.Review.APPROVED if approve else Course.Review.CHANGES
    course.save(update_fields=["review_state", "updated_at"])
    verdict = "approved" if approve else "asked for changes to"
    notify_many(
        recipients=User.objects.filter(person__pk__in=author_ids(course)),
        kind="content.review_resolved",
        title=f"{acting_person(actor).display_name} {verdict} “{course.title}”",
        body=text[:300],
        url=f"/learn/courses/{course.pk}/edit/",
        actor=actor,
    )
    return course


# --- Publishing ----------------------------------------------------------------------------------


def snapshot_of(course: Course) -> dict[str, Any]:
    """The draft as plain data: what a version freezes. Four queries."""
    skills = [
        {"id": cs.skill_id, "slug": cs.skill.slug, "name": cs.skill.name, "level": cs.level}
        for cs in CourseSkill.objects.filter(course=course).select_related("skill")
    ]
    lessons = list(course.lessons.order_by("position", "id"))
    questions: dict[int, list[Question]] = {}
    for question in (
        Question.objects.filter(lesson__course=course)
        .prefetch_related("choices")
        .order_by("position", "id")
    ):
        questions.setdefault(question.lesson_id, []).append(question)
    return {
        "title": course.title,
        "summary": course.summary,
        "audience": course.audience,
        "estimated_minutes": course.estimated_minutes,
        "tags": list(course.tags),
        "skills": skills,
        "lessons": [
            {
                "key": str(lesson.key),
                "kind": lesson.kind,
                "title": lesson.title,
                "body": lesson.body,
                "pass_mark": lesson.pass_mark,
                "max_attempts": lesson.max_attempts,
                "questions": [
                    {
                        "kind": q.kind,
                        "prompt": q.prompt,
                        "choices": [
                            {"text": c.text, "correct": c.correct, "feedback": c.feedback}
                            for c in q.choices.all()
                        ],
                    }
                    for q in questions.get(lesson.pk, [])
                ],
            }
            for lesson in lessons
        ],
    }


@transaction.atomic
def publish_course(*, actor: Any, course: Course, changelog: str = "") -> CourseVersion:
    """Freeze the draft into a new immutable version that new learners get.

    A course needs a lesson; every quiz needs a question; a requested review must approve the
    draft first; from the second version on, a changelog says what changed. Learners part-way
    through an older version are told; requests the course answers are closed and their
    requesters told.
    """
    authz.require(actor, "content.edit_course", course)
    # Lock the row (two authors publishing at once get consecutive numbers), then read it fresh;
    # the caller's instance is the one updated.
    list(Course.objects.select_for_update().filter(pk=course.pk).values_list("pk", flat=True))
    course.refresh_from_db()
    if course.status == Course.Status.ARCHIVED:
        raise DomainError("archived", "Restore the course before publishing it.")
    if course.review_state in (Course.Review.REQUESTED, Course.Review.CHANGES):
        raise DomainError(
            "review_pending",
            "The reviewer has not approved this draft yet (or withdraw the review request).",
        )
    if course.version_id is not None and not course.has_unpublished_changes:
        raise DomainError("no_changes", "Nothing changed since the last version.")
    snapshot = snapshot_of(course)
    if not snapshot["lessons"]:
        raise DomainError("no_lessons", "Add a lesson before publishing.")
    empty = [
        item["title"]
        for item in snapshot["lessons"]
        if item["kind"] == "quiz" and not item["questions"]
    ]
    if empty:
        raise DomainError("empty_quiz", f"Add questions to the quiz “{empty[0]}”.")
    text = clean_text(
        changelog, field="changelog", limit=5000, required=course.version_id is not None
    )
    now = timezone.now()
    number = (course.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = CourseVersion.objects.create(
        course=course,
        number=number,
        snapshot=snapshot,
        changelog=text or "First version.",
        published_by=acting_person(actor),
        published_at=now,
    )
    first = course.version_id is None
    course.version = version
    course.status = Course.Status.PUBLISHED
    course.published_at = now
    course.draft_changed_at = now
    course.lesson_count = len(snapshot["lessons"])
    if course.review_state == Course.Review.APPROVED:
        course.review_state = Course.Review.NONE
        course.reviewer = None
    if course.review_by is None or course.review_by < timezone.localdate() + dt.timedelta(days=90):
        course.review_by = timezone.localdate() + REVIEW_PERIOD
    course.save()
    # A new version answers the "outdated" reports made against the old ones.
    Reaction.objects.filter(
        course=course, kind=Reaction.Kind.OUTDATED, resolved_at__isnull=True
    ).update(resolved_at=now)
    health.refresh_course(course)
    _tell_learners(actor, course, version)
    if first:
        audit.record(actor=actor, action="content.published", target=course)
    from ecotone.content.services.requests import course_published

    course_published(actor=actor, course=course)
    indexing.course_changed(course)
    return version


def _tell_learners(actor: Any, course: Course, version: CourseVersion) -> None:
    learners = User.objects.filter(
        person__enrolments__course=course,
        person__enrolments__completed_at__isnull=True,
        person__enrolments__version__number__lt=version.number,
    )
    notify_many(
        recipients=learners,
        kind="content.new_version",
        title=f"“{course.title}” has a new version",
        body=version.changelog[:500],
        url=course_url(course),
        actor=actor,
    )
