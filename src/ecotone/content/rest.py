"""JSON adapters for content, over the same services and selectors as the HTML."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from ecotone import authz
from ecotone.content import selectors
from ecotone.content.models import (
    ContentRequest,
    Course,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonQuestion,
    Question,
)
from ecotone.content.services import authoring, feedback, health, learning
from ecotone.content.services import requests as request_services
from ecotone.content.services.authoring import ChoiceInput
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.kernel.pagination import paginate
from ecotone.kernel.problems import ERRORS
from ecotone.people import selectors as people_selectors
from ecotone.people.models import Person
from ecotone.skills import selectors as skill_selectors
from ecotone.skills.models import Skill

router = Router(tags=["content"])


# --- Schemas -------------------------------------------------------------------------------------


class TaughtSkill(Schema):
    skill: str = Field(description="Skill slug.")
    level: int = Field(description="The level a completer reaches (1-5).")


class TaughtSkillOut(TaughtSkill):
    skill_id: int
    name: str


class CourseOut(Schema):
    id: int
    title: str
    summary: str
    audience: str
    estimated_minutes: int
    tags: list[str]
    owner_id: int
    status: str
    version: int | None = Field(description="The published version number learners get.")
    featured: bool
    review_state: str
    reviewer_id: int | None
    review_by: dt.date | None
    published_at: dt.datetime | None
    has_unpublished_changes: bool
    lesson_count: int
    enrolments: int
    completions: int
    rating: float | None
    ratings: int
    reaction_score: int
    freshness: str
    freshness_reasons: list[str]
    cover_url: str | None
    skills: list[TaughtSkillOut]


class CoursePage(Schema):
    items: list[CourseOut]
    page: int
    pages: int
    total: int


class CourseIn(Schema):
    title: str
    summary: str = ""
    audience: Literal["everyone", "beginner", "practitioner", "expert", "manager"] = "everyone"
    estimated_minutes: int = 30
    tags: list[str] = []
    skills: list[TaughtSkill] = []
    review_by: dt.date | None = None


class CoursePatch(Schema):
    title: str | None = None
    summary: str | None = None
    audience: Literal["everyone", "beginner", "practitioner", "expert", "manager"] | None = None
    estimated_minutes: int | None = None
    tags: list[str] | None = None
    skills: list[TaughtSkill] | None = None
    review_by: dt.date | None = None


class ChoiceSchema(Schema):
    text: str
    correct: bool = False
    feedback: str = ""


class QuestionIn(Schema):
    kind: Literal["single", "multiple", "true_false"]
    prompt: str
    choices: list[ChoiceSchema]


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    prompt: str
    choices: list[ChoiceSchema]


class LessonIn(Schema):
    title: str
    body: str = ""
    kind: Literal["text", "quiz"] = "text"
    pass_mark: int = Field(70, description="Percent needed to pass a quiz.")
    max_attempts: int = Field(0, description="Attempts allowed at a quiz; 0 for unlimited.")


class LessonPatch(Schema):
    title: str
    body: str
    pass_mark: int | None = None
    max_attempts: int | None = None


class LessonOut(Schema):
    id: int
    key: uuid.UUID
    position: int
    kind: str
    title: str
    body: str
    pass_mark: int
    max_attempts: int
    questions: list[QuestionOut]


class OrderIn(Schema):
    order: list[int] = Field(description="Every lesson id of the draft, in the new order.")


class PersonIn(Schema):
    person_id: int


class ReviewIn(Schema):
    reviewer_id: int
    message: str = ""


class CommentIn(Schema):
    body: str


class DecisionIn(Schema):
    approve: bool
    comment: str = ""


class CommentOut(Schema):
    id: int
    author_id: int
    body: str
    created_at: dt.datetime


class DraftOut(Schema):
    course: CourseOut
    coauthors: list[int]
    lessons: list[LessonOut]
    comments: list[CommentOut]


class SuggestionOut(Schema):
    person_id: int
    display_name: str
    skill_id: int
    validated_level: int | None


class PublishIn(Schema):
    changelog: str = ""


class VersionOut(Schema):
    number: int
    changelog: str
    published_by_id: int | None
    published_at: dt.datetime


class VersionDetailOut(VersionOut):
    snapshot: dict[str, Any] = Field(
        description="The frozen course. Correct answers and feedback only for its authors."
    )


class LessonChangeOut(Schema):
    title: str
    change: Literal["added", "removed", "changed", "moved"]
    diff: list[str]


class DiffOut(Schema):
    old: int
    new: int
    fields: list[list[str]] = Field(description="[field, before, after]")
    lessons: list[LessonChangeOut]


class ArchiveIn(Schema):
    archived: bool = True


class ReviewedIn(Schema):
    review_by: dt.date | None = None


class EnrolmentOut(Schema):
    id: int
    course_id: int
    version: int
    registration: uuid.UUID
    done: list[str]
    resume: str | None = Field(description="The lesson key to resume at.")
    progress: int = Field(description="Percent of lessons done.")
    enrolled_at: dt.datetime
    completed_at: dt.datetime | None
    newer_versions: list[VersionOut]


class AttemptIn(Schema):
    answers: dict[str, list[int]] = Field(
        description="Question index (as a string) to the indexes of the chosen answers."
    )


class QuestionResultOut(Schema):
    prompt: str
    chosen: list[int]
    correct: bool
    feedback: list[str]


class AttemptOut(Schema):
    number: int
    score: int
    passed: bool
    results: list[QuestionResultOut]
    course_completed: bool


class ReactionIn(Schema):
    lesson_key: uuid.UUID
    kind: Literal["helpful", "unclear", "outdated", "missing", "question"]
    comment: str = ""


class ReactionOut(Schema):
    id: int
    lesson_key: uuid.UUID
    kind: str
    comment: str
    created_at: dt.datetime


class AskIn(Schema):
    lesson_key: uuid.UUID
    title: str
    body: str = ""


class AnswerOut(Schema):
    id: int
    author_id: int
    body: str
    created_at: dt.datetime
    by_author: bool
    by_expert: bool


class ThreadOut(Schema):
    id: int
    lesson_key: uuid.UUID
    author_id: int
    title: str
    body: str
    accepted_id: int | None
    created_at: dt.datetime
    answers: list[AnswerOut]


class AcceptIn(Schema):
    answer_id: int | None


class RatingIn(Schema):
    stars: int = Field(ge=1, le=5)
    comment: str = ""


class RatingOut(Schema):
    stars: int
    comment: str
    rating: float | None = Field(description="The course's average after this rating.")
    ratings: int


class AttentionOut(Schema):
    course: CourseOut
    reasons: list[str]
    unanswered: int


class RequestIn(Schema):
    topic: str
    description: str = ""
    skills: list[str] = Field([], description="Skill slugs.")
    origin: Literal["direct", "search", "lesson", "goal"] = "direct"
    origin_course_id: int | None = None
    blocks_label: str = Field("", description="The goal or key result it blocks.")
    blocks_url: str = ""
    blocks_priority: int = Field(0, description="0 none, 1 low, 2 high, 3 critical.")


class RequestOut(Schema):
    id: int
    topic: str
    description: str
    requester_id: int | None = Field(description="Only for those who may see who asked.")
    skills: list[str]
    origin: str
    origin_course_id: int | None
    blocks_label: str
    blocks_url: str
    blocks_priority: int
    status: str
    decline_reason: str
    assignee_id: int | None
    assignment: str
    course_id: int | None
    supporters: int
    created_at: dt.datetime


class RequestPage(Schema):
    items: list[RequestOut]
    page: int
    pages: int
    total: int


class AssignIn(Schema):
    expert_id: int


class RespondIn(Schema):
    accept: bool
    reason: str = ""


class StatusIn(Schema):
    status: Literal["open", "planned", "in_progress", "done", "declined"]
    reason: str = ""


class LinkIn(Schema):
    course_id: int


class BacklogOut(Schema):
    request: RequestOut
    demand: int
    priority: int
    gap: int
    score: float


class HealthOut(Schema):
    counts: dict[str, int]
    courses: list[CourseOut]
    uncovered: list[dict[str, Any]]
    total: int


# --- Adapters ------------------------------------------------------------------------------------


def _course_out(course: Course, skills: list[Any] | None = None) -> dict[str, Any]:
    taught = skills if skills is not None else list(course.skills.all())
    return {
        "id": course.pk,
        "title": course.title,
        "summary": course.summary,
        "audience": course.audience,
        "estimated_minutes": course.estimated_minutes,
        "tags": course.tags,
        "owner_id": course.owner_id,
        "status": course.status,
        "version": _version_number(course),
        "featured": course.featured,
        "review_state": course.review_state,
        "reviewer_id": course.reviewer_id,
        "review_by": course.review_by,
        "published_at": course.published_at,
        "has_unpublished_changes": course.has_unpublished_changes,
        "lesson_count": course.lesson_count,
        "enrolments": course.enrolments,
        "completions": course.completions,
        "rating": course.rating,
        "ratings": course.ratings,
        "reaction_score": course.reaction_score,
        "freshness": course.freshness,
        "freshness_reasons": course.freshness_reasons,
        "cover_url": course.cover.url if course.cover else None,
        "skills": [
            {"skill": t.skill.slug, "skill_id": t.skill_id, "name": t.skill.name, "level": t.level}
            for t in taught
        ],
    }


def _version_number(course: Course) -> int | None:
    """Lists annotate ``version_number`` (no snapshot load); one course reads its version."""
    if course.version_id is None:
        return None
    annotated = getattr(course, "version_number", None)
    if annotated is not None:
        return int(annotated)
    return course.version.number if course.version else None


def _skills(request: HttpRequest, items: list[TaughtSkill]) -> list[tuple[Skill, int]]:
    return [(_skill(request, item.skill), item.level) for item in items]


def _skill(request: HttpRequest, slug: str) -> Skill:
    try:
        return skill_selectors.skill_for(request.user, slug)
    except NotFound:
        raise DomainError("unknown_skill", f"No skill {slug!r}.", field="skills") from None


def _person(request: HttpRequest, pk: int, field: str = "person_id") -> Person:
    try:
        return people_selectors.person_for(request.user, pk)
    except NotFound:
        raise DomainError("unknown_person", "No such person.", field=field) from None


def _lesson_out(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "key": lesson.key,
        "position": lesson.position,
        "kind": lesson.kind,
        "title": lesson.title,
        "body": lesson.body,
        "pass_mark": lesson.pass_mark,
        "max_attempts": lesson.max_attempts,
        "questions": [_question_out(q) for q in lesson.questions.all()],
    }


def _question_out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "position": question.position,
        "kind": question.kind,
        "prompt": question.prompt,
        "choices": [
            {"text": c.text, "correct": c.correct, "feedback": c.feedback}
            for c in question.choices.all()
        ],
    }


def _version_out(version: CourseVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "changelog": version.changelog,
        "published_by_id": version.published_by_id,
        "published_at": version.published_at,
    }


def _enrolment_out(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "id": enrolment.pk,
        "course_id": enrolment.course_id,
        "version": enrolment.version.number,
        "registration": enrolment.registration,
        "done": enrolment.done_keys,
        "resume": selectors.resume_key(enrolment),
        "progress": selectors.progress(enrolment),
        "enrolled_at": enrolment.enrolled_at,
        "completed_at": enrolment.completed_at,
        "newer_versions": [_version_out(v) for v in selectors.newer_versions(enrolment)],
    }


def _my_enrolment(request: HttpRequest, course: Course) -> Enrolment:
    enrolment = selectors.enrolment_of(request.user, course)
    if enrolment is None:
        raise DomainError("not_enrolled", "Enrol in the course first.", status=409)
    return enrolment


def _request_out(request: HttpRequest, item: ContentRequest) -> dict[str, Any]:
    see = authz.can(request.user, "content.view_requester", item)
    return {
        "id": item.pk,
        "topic": item.topic,
        "description": item.description,
        "requester_id": item.requester_id if see else None,
        "skills": [s.slug for s in item.skills.all()],
        "origin": item.origin,
        "origin_course_id": item.origin_course_id,
        "blocks_label": item.blocks_label,
        "blocks_url": item.blocks_url,
        "blocks_priority": item.blocks_priority,
        "status": item.status,
        "decline_reason": item.decline_reason,
        "assignee_id": item.assignee_id,
        "assignment": item.assignment,
        "course_id": item.course_id,
        "supporters": item.supporters,
        "created_at": item.created_at,
    }


def _suggestion_out(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "person_id": row.person_id,
            "display_name": row.person.display_name,
            "skill_id": row.skill_id,
            "validated_level": row.validated_level,
        }
        for row in rows
    ]


def _public_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without correct answers and feedback (for learners)."""
    lessons = []
    for lesson in snapshot["lessons"]:
        questions = [
            {
                "kind": q["kind"],
                "prompt": q["prompt"],
                "choices": [{"text": c["text"]} for c in q["choices"]],
            }
            for q in lesson.get("questions", [])
        ]
        lessons.append({**lesson, "questions": questions})
    return {**snapshot, "lessons": lessons}


# --- Courses -------------------------------------------------------------------------------------


@router.get("/courses", response={200: CoursePage, **ERRORS}, summary="The course catalogue")
def list_courses(
    request: HttpRequest,
    q: str = "",
    skill: str = "",
    level: int | None = None,
    duration: Literal["", "short", "medium", "long"] = "",
    freshness: Literal["", "fresh", "due", "stale"] = "",
    min_rating: int | None = None,
    sort: Literal["popular", "rating", "new", "title"] = "popular",
    page: int = 1,
    size: int = 24,
) -> dict[str, Any]:
    filters = selectors.CatalogueFilters(
        query=q[:100],
        skill=_skill(request, skill) if skill else None,
        level=level,
        duration=duration,
        freshness=freshness,
        min_rating=min_rating,
        sort=sort,
    )
    result = paginate(selectors.catalogue(request.user, filters), page=page, size=size)
    return {
        "items": [_course_out(c) for c in selectors.with_version_numbers(result.items)],
        "page": result.number,
        "pages": result.pages,
        "total": result.total,
    }


@router.get("/courses/mine", response={200: list[CourseOut], **ERRORS}, summary="Courses I write")
def my_courses(request: HttpRequest) -> list[dict[str, Any]]:
    courses = selectors.authored(request.user).prefetch_related("skills__skill")
    return [_course_out(c) for c in courses[:200]]


@router.get(
    "/courses/attention",
    response={200: list[AttentionOut], **ERRORS},
    summary="My courses that need attention",
)
def attention(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"course": _course_out(i.course), "reasons": i.reasons, "unanswered": i.unanswered}
        for i in selectors.attention_queue(request.user)
    ]


@router.post("/courses", response={201: CourseOut, **ERRORS}, summary="Start a course")
def create_course(request: HttpRequest, payload: CourseIn) -> Status[Any]:
    course = authoring.create_course(
        actor=request.user,
        title=payload.title,
        summary=payload.summary,
        audience=payload.audience,
        estimated_minutes=payload.estimated_minutes,
        tags=payload.tags,
        skills=_skills(request, payload.skills),
        review_by=payload.review_by,
    )
    return Status(201, _course_out(course))


@router.get("/courses/{course_id}", response={200: CourseOut, **ERRORS}, summary="One course")
def get_course(request: HttpRequest, course_id: int) -> dict[str, Any]:
    return _course_out(selectors.course_for(request.user, course_id))


@router.patch("/courses/{course_id}", response={200: CourseOut, **ERRORS}, summary="Edit the draft")
def update_course(request: HttpRequest, course_id: int, payload: CoursePatch) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    authoring.update_course(
        actor=request.user,
        course=course,
        title=payload.title,
        summary=payload.summary,
        audience=payload.audience,
        estimated_minutes=payload.estimated_minutes,
        tags=payload.tags,
        skills=_skills(request, payload.skills) if payload.skills is not None else None,
        review_by=payload.review_by,
    )
    return _course_out(course)


@router.get(
    "/courses/{course_id}/draft",
    response={200: DraftOut, **ERRORS},
    summary="The draft: lessons, quiz questions with answers, review comments",
)
def get_draft(request: HttpRequest, course_id: int) -> dict[str, Any]:
    course = selectors.draft_for(request.user, course_id)
    return {
        "course": _course_out(course),
        "coauthors": [a.person_id for a in selectors.coauthors(course)],
        "lessons": [_lesson_out(lesson) for lesson in selectors.draft_lessons(course)],
        "comments": selectors.review_comments(course),
    }


@router.post(
    "/courses/{course_id}/lessons",
    response={201: LessonOut, **ERRORS},
    summary="Add a lesson or a quiz",
)
def add_lesson(request: HttpRequest, course_id: int, payload: LessonIn) -> Status[Any]:
    course = selectors.course_for(request.user, course_id)
    lesson = authoring.add_lesson(
        actor=request.user,
        course=course,
        title=payload.title,
        body=payload.body,
        kind=payload.kind,
        pass_mark=payload.pass_mark,
        max_attempts=payload.max_attempts,
    )
    return Status(201, _lesson_out(lesson))


@router.put(
    "/courses/{course_id}/lesson-order",
    response={200: list[int], **ERRORS},
    summary="Reorder the draft's lessons",
)
def reorder(request: HttpRequest, course_id: int, payload: OrderIn) -> list[int]:
    course = selectors.course_for(request.user, course_id)
    lessons = authoring.reorder_lessons(actor=request.user, course=course, order=payload.order)
    return [lesson.pk for lesson in lessons]


@router.patch("/lessons/{lesson_id}", response={200: LessonOut, **ERRORS}, summary="Edit a lesson")
def update_lesson(request: HttpRequest, lesson_id: int, payload: LessonPatch) -> dict[str, Any]:
    lesson = selectors.lesson_for(request.user, lesson_id)
    authoring.update_lesson(
        actor=request.user,
        lesson=lesson,
        title=payload.title,
        body=payload.body,
        pass_mark=payload.pass_mark,
        max_attempts=payload.max_attempts,
    )
    return _lesson_out(lesson)


@router.delete("/lessons/{lesson_id}", response={204: None, **ERRORS}, summary="Delete a lesson")
def delete_lesson(request: HttpRequest, lesson_id: int) -> Status[None]:
    authoring.delete_lesson(
        actor=request.user, lesson=selectors.lesson_for(request.user, lesson_id)
    )
    return Status(204, None)


@router.post(
    "/lessons/{lesson_id}/questions",
    response={201: QuestionOut, **ERRORS},
    summary="Add a question to a quiz",
)
def add_question(request: HttpRequest, lesson_id: int, payload: QuestionIn) -> Status[Any]:
    lesson = selectors.lesson_for(request.user, lesson_id)
    question = authoring.add_question(
        actor=request.user,
        lesson=lesson,
        kind=payload.kind,
        prompt=payload.prompt,
        choices=[ChoiceInput(c.text, c.correct, c.feedback) for c in payload.choices],
    )
    return Status(201, _question_out(question))


@router.delete(
    "/quiz-questions/{question_id}", response={204: None, **ERRORS}, summary="Delete a question"
)
def delete_question(request: HttpRequest, question_id: int) -> Status[None]:
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise NotFound()
    selectors.lesson_for(request.user, question.lesson_id)
    authoring.delete_question(actor=request.user, question=question)
    return Status(204, None)


@router.post(
    "/courses/{course_id}/coauthors", response={204: None, **ERRORS}, summary="Add a co-author"
)
def add_coauthor(request: HttpRequest, course_id: int, payload: PersonIn) -> Status[None]:
    course = selectors.course_for(request.user, course_id)
    authoring.add_coauthor(
        actor=request.user, course=course, person=_person(request, payload.person_id)
    )
    return Status(204, None)


@router.delete(
    "/courses/{course_id}/coauthors/{person_id}",
    response={204: None, **ERRORS},
    summary="Remove a co-author",
)
def remove_coauthor(request: HttpRequest, course_id: int, person_id: int) -> Status[None]:
    course = selectors.course_for(request.user, course_id)
    authoring.remove_coauthor(actor=request.user, course=course, person=_person(request, person_id))
    return Status(204, None)


@router.post(
    "/courses/{course_id}/owner", response={200: CourseOut, **ERRORS}, summary="Hand a course over"
)
def transfer(request: HttpRequest, course_id: int, payload: PersonIn) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    authoring.transfer_ownership(
        actor=request.user, course=course, person=_person(request, payload.person_id)
    )
    return _course_out(course)


@router.get(
    "/courses/{course_id}/reviewers",
    response={200: list[SuggestionOut], **ERRORS},
    summary="Suggested reviewers (validated levels in the course's skills)",
)
def suggested_reviewers(request: HttpRequest, course_id: int) -> list[dict[str, Any]]:
    course = selectors.draft_for(request.user, course_id)
    return _suggestion_out(selectors.suggested_reviewers(request.user, course))


@router.post(
    "/courses/{course_id}/review", response={200: CourseOut, **ERRORS}, summary="Ask for a review"
)
def request_review(request: HttpRequest, course_id: int, payload: ReviewIn) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    authoring.request_review(
        actor=request.user,
        course=course,
        reviewer=_person(request, payload.reviewer_id, "reviewer_id"),
        message=payload.message,
    )
    return _course_out(course)


@router.delete(
    "/courses/{course_id}/review", response={200: CourseOut, **ERRORS}, summary="Withdraw a review"
)
def withdraw_review(request: HttpRequest, course_id: int) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    authoring.withdraw_review(actor=request.user, course=course)
    return _course_out(course)


@router.post(
    "/courses/{course_id}/review/comments",
    response={201: CommentOut, **ERRORS},
    summary="Comment on the draft",
)
def comment(request: HttpRequest, course_id: int, payload: CommentIn) -> Status[Any]:
    course = selectors.course_for(request.user, course_id)
    return Status(
        201, authoring.comment_on_draft(actor=request.user, course=course, body=payload.body)
    )


@router.post(
    "/courses/{course_id}/review/decision",
    response={200: CourseOut, **ERRORS},
    summary="Approve the draft or ask for changes (the reviewer)",
)
def decide(request: HttpRequest, course_id: int, payload: DecisionIn) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    authoring.resolve_review(
        actor=request.user, course=course, approve=payload.approve, comment=payload.comment
    )
    return _course_out(course)


@router.post(
    "/courses/{course_id}/publish",
    response={201: VersionOut, **ERRORS},
    summary="Publish the draft as a new version",
)
def publish(request: HttpRequest, course_id: int, payload: PublishIn) -> Status[Any]:
    course = selectors.course_for(request.user, course_id)
    version = authoring.publish_course(
        actor=request.user, course=course, changelog=payload.changelog
    )
    return Status(201, _version_out(version))


@router.post(
    "/courses/{course_id}/archive",
    response={200: CourseOut, **ERRORS},
    summary="Archive a course or put it back",
)
def archive(request: HttpRequest, course_id: int, payload: ArchiveIn) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    authoring.archive_course(actor=request.user, course=course, archived=payload.archived)
    return _course_out(course)


@router.post(
    "/courses/{course_id}/reviewed",
    response={200: CourseOut, **ERRORS},
    summary="Confirm the course is still right (new review date)",
)
def reviewed(request: HttpRequest, course_id: int, payload: ReviewedIn) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    health.mark_reviewed(actor=request.user, course=course, review_by=payload.review_by)
    return _course_out(course)


@router.get(
    "/courses/{course_id}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="Published versions, newest first",
)
def list_versions(request: HttpRequest, course_id: int) -> list[dict[str, Any]]:
    course = selectors.course_for(request.user, course_id)
    return [_version_out(v) for v in selectors.versions(course)]


@router.get(
    "/courses/{course_id}/versions/{number}",
    response={200: VersionDetailOut, **ERRORS},
    summary="One version",
)
def get_version(request: HttpRequest, course_id: int, number: int) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    version = selectors.version_for(request.user, course, number)
    snapshot = version.snapshot
    if not authz.can(request.user, "content.view_draft", course):
        snapshot = _public_snapshot(snapshot)
    return {**_version_out(version), "snapshot": snapshot}


@router.get(
    "/courses/{course_id}/diff",
    response={200: DiffOut, **ERRORS},
    summary="What changed between two versions",
)
def version_diff(
    request: HttpRequest, course_id: int, from_version: int, to_version: int
) -> dict[str, Any]:
    old, new = from_version, to_version
    course = selectors.course_for(request.user, course_id)
    change = selectors.diff(
        selectors.version_for(request.user, course, old),
        selectors.version_for(request.user, course, new),
    )
    return {
        "old": old,
        "new": new,
        "fields": [list(item) for item in change.fields],
        "lessons": [
            {"title": item.title, "change": item.change, "diff": item.diff}
            for item in change.lessons
        ],
    }


# --- Learning ------------------------------------------------------------------------------------


@router.post(
    "/courses/{course_id}/enrolment", response={200: EnrolmentOut, **ERRORS}, summary="Enrol"
)
def enrol(request: HttpRequest, course_id: int) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    return _enrolment_out(learning.enrol(actor=request.user, course=course))


@router.get(
    "/courses/{course_id}/enrolment",
    response={200: EnrolmentOut, **ERRORS},
    summary="My progress in a course",
)
def my_enrolment(request: HttpRequest, course_id: int) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    enrolment = selectors.enrolment_of(request.user, course)
    if enrolment is None:
        raise NotFound("You are not enrolled in this course.")
    return _enrolment_out(enrolment)


@router.post(
    "/courses/{course_id}/enrolment/switch",
    response={200: EnrolmentOut, **ERRORS},
    summary="Move to the latest version, keeping progress",
)
def switch(request: HttpRequest, course_id: int) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    enrolment = learning.switch_version(
        actor=request.user, enrolment=_my_enrolment(request, course)
    )
    return _enrolment_out(enrolment)


@router.post(
    "/courses/{course_id}/lessons/{lesson_key}/complete",
    response={200: EnrolmentOut, **ERRORS},
    summary="Mark a reading lesson done",
)
def complete(request: HttpRequest, course_id: int, lesson_key: uuid.UUID) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    enrolment = learning.complete_lesson(
        actor=request.user, enrolment=_my_enrolment(request, course), lesson_key=str(lesson_key)
    )
    return _enrolment_out(enrolment)


@router.post(
    "/courses/{course_id}/quizzes/{lesson_key}/attempts",
    response={201: AttemptOut, **ERRORS},
    summary="Submit a quiz attempt",
)
def attempt(
    request: HttpRequest, course_id: int, lesson_key: uuid.UUID, payload: AttemptIn
) -> Status[Any]:
    course = selectors.course_for(request.user, course_id)
    enrolment = _my_enrolment(request, course)
    result, results = learning.submit_quiz(
        actor=request.user, enrolment=enrolment, lesson_key=str(lesson_key), answers=payload.answers
    )
    return Status(
        201,
        {
            "number": result.number,
            "score": result.score,
            "passed": result.passed,
            "results": [r.__dict__ for r in results],
            "course_completed": enrolment.completed_at is not None,
        },
    )


@router.post(
    "/courses/{course_id}/reactions",
    response={201: ReactionOut, **ERRORS},
    summary="React to a lesson",
)
def react(request: HttpRequest, course_id: int, payload: ReactionIn) -> Status[Any]:
    course = selectors.course_for(request.user, course_id)
    reaction = feedback.react(
        actor=request.user,
        course=course,
        lesson_key=str(payload.lesson_key),
        kind=payload.kind,
        comment=payload.comment,
    )
    return Status(201, reaction)


def _thread_out(thread: selectors.Thread) -> dict[str, Any]:
    question: LessonQuestion = thread.question
    return {
        "id": question.pk,
        "lesson_key": question.lesson_key,
        "author_id": question.author_id,
        "title": question.title,
        "body": question.body,
        "accepted_id": question.accepted_id,
        "created_at": question.created_at,
        "answers": [
            {
                "id": a.pk,
                "author_id": a.author_id,
                "body": a.body,
                "created_at": a.created_at,
                "by_author": a.author_id in thread.author_ids,
                "by_expert": a.author_id in thread.expert_ids,
            }
            for a in thread.answers
        ],
    }


@router.get(
    "/courses/{course_id}/questions",
    response={200: list[ThreadOut], **ERRORS},
    summary="Questions on a lesson, with answers",
)
def list_questions(
    request: HttpRequest, course_id: int, lesson_key: uuid.UUID
) -> list[dict[str, Any]]:
    course = selectors.course_for(request.user, course_id)
    return [_thread_out(t) for t in selectors.lesson_threads(request.user, course, str(lesson_key))]


@router.post(
    "/courses/{course_id}/questions",
    response={201: ThreadOut, **ERRORS},
    summary="Ask a question on a lesson",
)
def ask(request: HttpRequest, course_id: int, payload: AskIn) -> Status[Any]:
    course = selectors.course_for(request.user, course_id)
    question = feedback.ask_question(
        actor=request.user,
        course=course,
        lesson_key=str(payload.lesson_key),
        title=payload.title,
        body=payload.body,
    )
    return Status(201, _thread_out(selectors.Thread(question, [], set(), set())))


@router.post(
    "/course-questions/{question_id}/answers",
    response={201: AnswerOut, **ERRORS},
    summary="Answer a question",
)
def answer(request: HttpRequest, question_id: int, payload: CommentIn) -> Status[Any]:
    question = selectors.question_for(request.user, question_id)
    created = feedback.answer_question(actor=request.user, question=question, body=payload.body)
    return Status(
        201,
        {
            "id": created.pk,
            "author_id": created.author_id,
            "body": created.body,
            "created_at": created.created_at,
            "by_author": authz.can(request.user, "content.edit_course", question.course),
            "by_expert": False,
        },
    )


@router.post(
    "/course-questions/{question_id}/accepted",
    response={204: None, **ERRORS},
    summary="Accept an answer (or none)",
)
def accept(request: HttpRequest, question_id: int, payload: AcceptIn) -> Status[None]:
    question = selectors.question_for(request.user, question_id)
    chosen = None
    if payload.answer_id is not None:
        chosen = question.answers.filter(pk=payload.answer_id).first()
        if chosen is None:
            raise DomainError("unknown_answer", "No such answer.", field="answer_id")
    feedback.accept_answer(actor=request.user, question=question, answer=chosen)
    return Status(204, None)


@router.put(
    "/courses/{course_id}/rating", response={200: RatingOut, **ERRORS}, summary="Rate a course"
)
def rate(request: HttpRequest, course_id: int, payload: RatingIn) -> dict[str, Any]:
    course = selectors.course_for(request.user, course_id)
    rating = feedback.rate_course(
        actor=request.user, course=course, stars=payload.stars, comment=payload.comment
    )
    return {
        "stars": rating.stars,
        "comment": rating.comment,
        "rating": course.rating,
        "ratings": course.ratings,
    }


# --- Content requests ----------------------------------------------------------------------------


@router.get("/content-requests", response={200: RequestPage, **ERRORS}, summary="Content requests")
def list_requests(
    request: HttpRequest,
    status: Literal["", "open", "planned", "in_progress", "done", "declined"] = "",
    mine: bool = False,
    q: str = "",
    page: int = 1,
    size: int = 25,
) -> dict[str, Any]:
    queryset = selectors.requests(request.user, status=status, mine=mine, query=q[:100])
    result = paginate(queryset.order_by("-supporters", "-created_at"), page=page, size=size)
    return {
        "items": [_request_out(request, item) for item in result.items],
        "page": result.number,
        "pages": result.pages,
        "total": result.total,
    }


@router.get(
    "/content-requests/backlog",
    response={200: list[BacklogOut], **ERRORS},
    summary="The training-needs backlog, ranked (L&D)",
)
def backlog(
    request: HttpRequest,
    status: Literal["", "open", "planned", "in_progress", "done", "declined"] = "",
) -> list[dict[str, Any]]:
    return [
        {
            "request": _request_out(request, item.request),
            "demand": item.demand,
            "priority": item.priority,
            "gap": item.gap,
            "score": item.score,
        }
        for item in selectors.backlog(request.user, status=status)
    ]


@router.post(
    "/content-requests", response={201: RequestOut, **ERRORS}, summary="Report a content gap"
)
def create_request(request: HttpRequest, payload: RequestIn) -> Status[Any]:
    origin_course = (
        selectors.course_for(request.user, payload.origin_course_id)
        if payload.origin_course_id
        else None
    )
    item = request_services.create_request(
        actor=request.user,
        topic=payload.topic,
        description=payload.description,
        skills=[_skill(request, slug) for slug in payload.skills],
        origin=payload.origin,
        origin_course=origin_course,
        blocks_label=payload.blocks_label,
        blocks_url=payload.blocks_url,
        blocks_priority=payload.blocks_priority,
    )
    return Status(201, _request_out(request, item))


@router.get(
    "/content-requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="One request"
)
def get_request(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _request_out(request, selectors.request_for(request.user, request_id))


@router.get(
    "/content-requests/{request_id}/experts",
    response={200: list[SuggestionOut], **ERRORS},
    summary="Suggested experts to write it (L&D)",
)
def suggested_experts(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    item = selectors.request_for(request.user, request_id)
    authz.require(request.user, "content.manage_requests", item)
    return _suggestion_out(selectors.suggested_experts(request.user, item))


@router.post(
    "/content-requests/{request_id}/me-too",
    response={200: RequestOut, **ERRORS},
    summary="I need this too",
)
def me_too(request: HttpRequest, request_id: int) -> dict[str, Any]:
    item = selectors.request_for(request.user, request_id)
    request_services.add_me_too(actor=request.user, request=item)
    return _request_out(request, item)


@router.delete(
    "/content-requests/{request_id}/me-too",
    response={200: RequestOut, **ERRORS},
    summary="Take back my “me too”",
)
def not_me(request: HttpRequest, request_id: int) -> dict[str, Any]:
    item = selectors.request_for(request.user, request_id)
    request_services.remove_me_too(actor=request.user, request=item)
    return _request_out(request, item)


@router.post(
    "/content-requests/{request_id}/assignment",
    response={200: RequestOut, **ERRORS},
    summary="Ask an expert to write it (L&D)",
)
def assign(request: HttpRequest, request_id: int, payload: AssignIn) -> dict[str, Any]:
    item = selectors.request_for(request.user, request_id)
    request_services.assign_request(
        actor=request.user, request=item, expert=_person(request, payload.expert_id, "expert_id")
    )
    return _request_out(request, item)


@router.post(
    "/content-requests/{request_id}/response",
    response={200: RequestOut, **ERRORS},
    summary="Accept or decline an assignment (the expert)",
)
def respond(request: HttpRequest, request_id: int, payload: RespondIn) -> dict[str, Any]:
    item = selectors.request_for(request.user, request_id)
    request_services.respond_to_assignment(
        actor=request.user, request=item, accept=payload.accept, reason=payload.reason
    )
    return _request_out(request, item)


@router.post(
    "/content-requests/{request_id}/status",
    response={200: RequestOut, **ERRORS},
    summary="Move a request along the backlog (L&D)",
)
def set_status(request: HttpRequest, request_id: int, payload: StatusIn) -> dict[str, Any]:
    item = selectors.request_for(request.user, request_id)
    request_services.set_request_status(
        actor=request.user, request=item, status=payload.status, reason=payload.reason
    )
    return _request_out(request, item)


@router.post(
    "/content-requests/{request_id}/course",
    response={200: RequestOut, **ERRORS},
    summary="Link the course that answers it",
)
def link(request: HttpRequest, request_id: int, payload: LinkIn) -> dict[str, Any]:
    item = selectors.request_for(request.user, request_id)
    course = selectors.course_for(request.user, payload.course_id)
    request_services.link_course(actor=request.user, request=item, course=course)
    return _request_out(request, item)


# --- Library health ------------------------------------------------------------------------------


@router.get(
    "/library-health",
    response={200: HealthOut, **ERRORS},
    summary="Freshness of the published library (L&D)",
)
def library_health(
    request: HttpRequest, freshness: Literal["", "fresh", "due", "stale"] = ""
) -> dict[str, Any]:
    report = selectors.library_health(request.user, freshness=freshness)
    return {
        "counts": report.counts,
        "courses": [_course_out(c) for c in report.courses],
        "uncovered": [
            {"skill": s.slug, "name": s.name, "requests": n} for s, n in report.uncovered
        ],
        "total": report.total,
    }
