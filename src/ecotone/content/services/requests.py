"""The gap loop: content requests, "me too", assignment to an expert, and closing the loop.

Status moves open → planned → in progress → done, or to declined with a reason. Assigning an
expert plans the request; the expert accepting starts it; publishing the linked course closes
it and tells the requester and everyone who said "me too".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ecotone import authz
from ecotone.content import ledger
from ecotone.content.models import ContentRequest, Course, MeToo
from ecotone.content.services import indexing
from ecotone.content.services._common import acting_person, clean_int, clean_text
from ecotone.kernel.errors import DomainError
from ecotone.lrs.services import record_learning_event
from ecotone.notifications.services import notify, notify_many
from ecotone.people.models import Person, User
from ecotone.skills.models import Skill

S = ContentRequest.Status
MAX_SKILLS = 10


def request_url(request: ContentRequest) -> str:
    return f"/learn/requests/{request.pk}/"


def supporter_users(request: ContentRequest) -> Any:
    ids = [request.requester_id, *request.me_toos.values_list("person_id", flat=True)]
    return User.objects.filter(person__pk__in=ids)


@transaction.atomic
def create_request(
    *,
    actor: Any,
    topic: str,
    description: str = "",
    skills: Sequence[Skill] = (),
    origin: str = ContentRequest.Origin.DIRECT,
    origin_course: Course | None = None,
    blocks_label: str = "",
    blocks_url: str = "",
    blocks_priority: int = 0,
) -> ContentRequest:
    """Report a content gap. ``blocks_*`` name the goal or key result it holds up."""
    authz.require(actor, "content.create_request")
    person = acting_person(actor)
    if origin not in ContentRequest.Origin.values:
        raise DomainError("invalid_origin", "Unknown origin.", field="origin")
    if len(skills) > MAX_SKILLS:
        raise DomainError("too_many_skills", f"Name at most {MAX_SKILLS} skills.", field="skills")
    url = clean_text(blocks_url, field="blocks_url", limit=300)
    if url and not (url.startswith(("/", "https://", "http://"))):
        raise DomainError(
            "invalid_url", "Give a link on this site or an http(s) link.", field="blocks_url"
        )
    request = ContentRequest.objects.create(
        topic=clean_text(topic, field="topic", limit=200, required=True),
        description=clean_text(description, field="description", limit=5000),
        requester=person,
        origin=origin,
        origin_course=origin_course,
        blocks_label=clean_text(blocks_label, field="blocks_label", limit=200),
        blocks_url=url,
        blocks_priority=clean_int(blocks_priority, field="blocks_priority", low=0, high=3),
    )
    if skills:
        request.skills.set([s for s in skills if s.status == Skill.Status.ACTIVE])
    record_learning_event(**ledger.requested_event(request))
    indexing.request_changed(request)
    return request


@transaction.atomic
def add_me_too(*, actor: Any, request: ContentRequest) -> MeToo:
    """Say "I need this too": the request climbs the backlog."""
    authz.require(actor, "content.view_request", request)
    person = acting_person(actor)
    if request.is_closed:
        raise DomainError("closed", "This request is closed.")
    if request.requester_id == person.pk:
        raise DomainError("own_request", "You asked for this yourself.")
    me_too, created = MeToo.objects.get_or_create(request=request, person=person)
    if created:
        ContentRequest.objects.filter(pk=request.pk).update(supporters=F("supporters") + 1)
        request.refresh_from_db(fields=["supporters"])
    return me_too


@transaction.atomic
def remove_me_too(*, actor: Any, request: ContentRequest) -> None:
    person = acting_person(actor)
    deleted, _ = MeToo.objects.filter(request=request, person=person).delete()
    if deleted:
        ContentRequest.objects.filter(pk=request.pk).update(supporters=F("supporters") - 1)
        request.refresh_from_db(fields=["supporters"])


@transaction.atomic
def assign_request(*, actor: Any, request: ContentRequest, expert: Person) -> ContentRequest:
    """L&D asks an expert to write the content; the request is planned."""
    authz.require(actor, "content.manage_requests", request)
    if request.is_closed:
        raise DomainError("closed", "This request is closed.")
    if not expert.is_active:
        raise DomainError("person_inactive", f"{expert} has left.", field="expert")
    request.assignee = expert
    request.assignment = ContentRequest.Assignment.PENDING
    if request.status == S.OPEN:
        request.status = S.PLANNED
    request.save()
    indexing.request_changed(request)
    notify(
        recipient=expert.user,
        kind="content.request_assigned",
        title=f"Would you write “{request.topic}”?",
        body=request.description[:300],
        url=request_url(request),
        actor=actor,
    )
    return request


@transaction.atomic
def respond_to_assignment(
    *, actor: Any, request: ContentRequest, accept: bool, reason: str = ""
) -> ContentRequest:
    """The expert accepts (the request is in progress) or declines (back to L&D, with a reason)."""
    authz.require(actor, "content.respond_request", request)
    if request.assignment != ContentRequest.Assignment.PENDING:
        raise DomainError("not_pending", "There is no assignment waiting for your answer.")
    text = clean_text(reason, field="reason", limit=2000, required=not accept)
    person = acting_person(actor)
    if accept:
        request.assignment = ContentRequest.Assignment.ACCEPTED
        request.status = S.IN_PROGRESS
        title = f"{person.display_name} will write “{request.topic}”"
    else:
        request.assignment = ContentRequest.Assignment.DECLINED
        title = f"{person.display_name} cannot write “{request.topic}”"
    request.save()
    indexing.request_changed(request)
    notify_many(
        recipients=authz.who_can("content.manage_requests", request),
        kind="content.assignment_answered",
        title=title,
        body=text,
        url=request_url(request),
        actor=actor,
    )
    if accept:
        notify_many(
            recipients=supporter_users(request),
            kind="content.request_progress",
            title=f"Someone is writing “{request.topic}”",
            url=request_url(request),
            actor=actor,
        )
    return request


@transaction.atomic
def set_request_status(
    *, actor: Any, request: ContentRequest, status: str, reason: str = ""
) -> ContentRequest:
    """L&D moves a request along the backlog; declining needs a reason the requesters see."""
    authz.require(actor, "content.manage_requests", request)
    if status not in S.values:
        raise DomainError("invalid_status", "Unknown status.", field="status")
    if status == S.DONE and request.course_id is None:
        raise DomainError("no_course", "Link the course that answers it first.", field="status")
    text = clean_text(reason, field="reason", limit=2000, required=status == S.DECLINED)
    request.status = status
    request.decline_reason = text if status == S.DECLINED else ""
    request.save()
    if status in (S.DECLINED, S.DONE):
        notify_many(
            recipients=supporter_users(request),
            kind="content.request_closed",
            title=f"Your request “{request.topic}” was {S(status).label.lower()}",
            body=text,
            url=request_url(request),
            actor=actor,
        )
    indexing.request_changed(request)
    return request


@transaction.atomic
def link_course(*, actor: Any, request: ContentRequest, course: Course) -> ContentRequest:
    """Name the course that answers a request (the assignee, or L&D). If it is already
    published the request is done; otherwise it closes when the course is published."""
    if not authz.can(actor, "content.respond_request", request):
        authz.require(actor, "content.manage_requests", request)
    authz.require(actor, "content.view_course", course)
    if request.status == S.DECLINED:
        raise DomainError("closed", "This request was declined.")
    request.course = course
    if request.status in (S.OPEN, S.PLANNED):
        request.status = S.IN_PROGRESS
    request.save()
    indexing.request_changed(request)
    if course.is_published:
        _close(actor, request, course)
    return request


def _close(actor: Any, request: ContentRequest, course: Course) -> None:
    request.status = S.DONE
    request.save(update_fields=["status", "updated_at"])
    notify_many(
        recipients=supporter_users(request),
        kind="content.request_done",
        title=f"“{course.title}” answers your request “{request.topic}”",
        url=f"/learn/courses/{course.pk}/",
        actor=actor,
    )
    indexing.request_changed(request)


def course_published(*, actor: Any, course: Course) -> None:
    """Close the open requests a newly published course answers (called by ``publish_course``)."""
    for request in ContentRequest.objects.filter(course=course).exclude(
        status__in=[S.DONE, S.DECLINED]
    ):
        _close(actor, request, course)


@transaction.atomic
def start_course_for_request(*, actor: Any, request: ContentRequest) -> Course:
    """The assignee starts a draft from the request (its topic and skills) and links it."""
    from ecotone.content.services.authoring import create_course

    authz.require(actor, "content.respond_request", request)
    course = create_course(
        actor=actor,
        title=request.topic,
        summary=request.description[:2000],
        skills=[(skill, 2) for skill in request.skills.all()],
    )
    link_course(actor=actor, request=request, course=course)
    request.updated_at = timezone.now()
    return course
