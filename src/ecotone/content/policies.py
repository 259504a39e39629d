"""Permissions of the content app. See ecotone/authz/README.md for the vocabulary.

A draft is visible only to its owner, its co-authors and the reviewer asked to review it. A
published course is visible to every member. Content requests are visible to every member (so
colleagues can add "me too"); who asked is shown to the requester, their management chain, L&D
and admins. L&D runs the backlog and the library-health page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ecotone.authz import predicate, register
from ecotone.content.models import Course, CourseAuthor, Enrolment, LessonQuestion
from ecotone.people.models import Person, User
from ecotone.people.policies import (
    all_or_nothing,
    everyone,
    is_admin,
    is_learning_facilitator,
    is_member,
    role_users,
)
from ecotone.people.roles import ADMIN, LEARNING, person_of


def author_ids(course: Course) -> set[int]:
    """The owner and co-authors of ``course`` (one query, cached on the instance)."""
    cached: set[int] | None = getattr(course, "_author_ids", None)
    if cached is None:
        cached = {course.owner_id}
        if course.pk:
            cached |= set(
                CourseAuthor.objects.filter(course_id=course.pk).values_list("person_id", flat=True)
            )
        course._author_ids = cached  # type: ignore[attr-defined]
    return cached


def forget_authors(course: Course) -> None:
    """Drop the cached author ids after co-authors or the owner changed."""
    if hasattr(course, "_author_ids"):
        del course._author_ids


@predicate
def is_author(user: Any, course: Course | None) -> bool:
    viewer = person_of(user)
    return course is not None and viewer is not None and viewer.pk in author_ids(course)


@predicate
def is_owner(user: Any, course: Course | None) -> bool:
    viewer = person_of(user)
    return course is not None and viewer is not None and viewer.pk == course.owner_id


@predicate
def is_course_reviewer(user: Any, course: Course | None) -> bool:
    viewer = person_of(user)
    return course is not None and viewer is not None and viewer.pk == course.reviewer_id


@predicate
def is_published(user: Any, course: Course | None) -> bool:
    return course is not None and course.is_published


@predicate
def was_published(user: Any, course: Course | None) -> bool:
    return course is not None and course.status != Course.Status.DRAFT


@predicate
def is_enrolled(user: Any, course: Course | None) -> bool:
    """Enrolled learners keep seeing an archived course (and their certificate)."""
    viewer = person_of(user)
    if course is None or viewer is None or course.status != Course.Status.ARCHIVED:
        return False
    return Enrolment.objects.filter(course_id=course.pk, person_id=viewer.pk).exists()


def _authored_q(viewer: Person) -> Q:
    coauthored = CourseAuthor.objects.filter(person_id=viewer.pk).values("course_id")
    return Q(owner_id=viewer.pk) | Q(pk__in=coauthored)


def _view_scope(user: Any) -> Q:
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[]) if not user.is_superuser else Q(status=Course.Status.PUBLISHED)
    enrolled = Enrolment.objects.filter(person_id=viewer.pk).values("course_id")
    return (
        Q(status=Course.Status.PUBLISHED)
        | _authored_q(viewer)
        | Q(reviewer_id=viewer.pk)
        | Q(status=Course.Status.ARCHIVED, pk__in=enrolled)
    )


def _draft_scope(user: Any) -> Q:
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    return _authored_q(viewer) | Q(reviewer_id=viewer.pk)


def _author_scope(user: Any) -> Q:
    viewer = person_of(user)
    return _authored_q(viewer) if viewer else Q(pk__in=[])


def _author_who(course: Course) -> QuerySet[User]:
    return User.objects.filter(person__pk__in=author_ids(course))


def _learning_who(_: Any = None) -> QuerySet[User]:
    return role_users(LEARNING, ADMIN)


# --- Courses -------------------------------------------------------------------------------------

register(
    "content.browse",
    is_member,
    description="Browse the catalogue of published courses.",
)
register(
    "content.create_course",
    is_member,
    description="Write a course (any employee).",
)
register(
    "content.view_course",
    (is_member & is_published) | is_author | is_course_reviewer | is_enrolled,
    scope=_view_scope,
    description="See a course: published ones by everyone, drafts by their authors and reviewer, "
    "archived ones by their authors and learners.",
)
register(
    "content.view_draft",
    is_author | is_course_reviewer,
    scope=_draft_scope,
    hidden_unless="content.view_course",
    description="See a course's draft, its review comments and unpublished changes.",
)
register(
    "content.edit_course",
    is_author,
    scope=_author_scope,
    who=_author_who,
    hidden_unless="content.view_course",
    description="Edit the draft, ask for a review and publish (owner and co-authors).",
)
register(
    "content.manage_course",
    is_owner | (was_published & (is_learning_facilitator | is_admin)),
    hidden_unless="content.view_course",
    description="Change co-authors, hand the course over and archive it (owner; L&D and admins "
    "once it has been published).",
)
register(
    "content.review_course",
    is_course_reviewer,
    hidden_unless="content.view_course",
    description="Comment on a draft one was asked to review, approve it or ask for changes.",
)
register(
    "content.learn",
    is_member & is_published,
    hidden_unless="content.view_course",
    description="Enrol, take lessons and quizzes, react, ask questions and rate.",
)


@predicate
def asked_question(user: Any, question: LessonQuestion | None) -> bool:
    viewer = person_of(user)
    return question is not None and viewer is not None and viewer.pk == question.author_id


@predicate
def authors_question_course(user: Any, question: LessonQuestion | None) -> bool:
    return question is not None and bool(is_author(user, question.course))


register(
    "content.accept_answer",
    asked_question | authors_question_course,
    description="Mark an answer as the accepted one (who asked, or the course's authors).",
)

# --- Content requests ----------------------------------------------------------------------------


@predicate
def is_requester(user: Any, request: Any) -> bool:
    viewer = person_of(user)
    return request is not None and viewer is not None and viewer.pk == request.requester_id


@predicate
def manages_requester(user: Any, request: Any) -> bool:
    viewer = person_of(user)
    if request is None or viewer is None:
        return False
    return viewer.pk in request.requester.chain_ids


@predicate
def is_assignee(user: Any, request: Any) -> bool:
    viewer = person_of(user)
    return request is not None and viewer is not None and viewer.pk == request.assignee_id


def _assignee_scope(user: Any) -> Q:
    viewer = person_of(user)
    return Q(assignee_id=viewer.pk) if viewer else Q(pk__in=[])


register(
    "content.view_request",
    is_member,
    scope=everyone,
    description='See content requests and add "me too".',
)
register(
    "content.create_request",
    is_member,
    description="Report a content gap.",
)
register(
    "content.view_requester",
    is_requester | manages_requester | is_learning_facilitator | is_admin,
    description="See who asked for a piece of content.",
)
register(
    "content.manage_requests",
    is_learning_facilitator | is_admin,
    scope=all_or_nothing(is_learning_facilitator | is_admin),
    who=_learning_who,
    description="Run the training-needs backlog: assign, plan, decline and close requests.",
)
register(
    "content.respond_request",
    is_assignee,
    scope=_assignee_scope,
    description="Accept or decline a request one was assigned, and link the course one wrote.",
)
register(
    "content.view_health",
    is_learning_facilitator | is_admin,
    who=_learning_who,
    description="See the library-health page: freshness of every course and why.",
)
