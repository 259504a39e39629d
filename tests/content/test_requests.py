from __future__ import annotations

import pytest

from ecotone.content import selectors
from ecotone.content.models import ContentRequest
from ecotone.content.services import authoring, learning, requests
from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.notifications.models import Notification
from ecotone.skills.models import EvidenceSource, RoleAssignment, RoleProfile, RoleRequirement
from ecotone.skills.services import SYSTEM, record_evidence


def test_the_gap_loop_end_to_end(org, skills):
    learner, peer, outsider = org.people["learner"], org.people["peer"], org.people["outsider"]
    ld, manager = org.people["ld"], org.people["manager"]
    record_evidence(
        actor=SYSTEM, person=peer, skill=skills["sql"], source=EvidenceSource.ASSESSMENT, level=4
    )
    request = requests.create_request(
        actor=learner.user, topic="Window functions", skills=[skills["sql"]], origin="search"
    )
    requests.add_me_too(actor=outsider.user, request=request)
    assert request.supporters == 2
    with pytest.raises(DomainError):
        requests.add_me_too(actor=learner.user, request=request)
    top = selectors.backlog(ld.user)[0]
    assert (top.request, top.demand) == (request, 2)
    assert [row.person for row in selectors.suggested_experts(ld.user, request)] == [peer]
    requests.assign_request(actor=ld.user, request=request, expert=peer)
    request.refresh_from_db()
    assert (request.status, request.assignment) == ("planned", "pending")
    requests.respond_to_assignment(actor=peer.user, request=request, accept=True)
    assert request.status == "in_progress"
    course = requests.start_course_for_request(actor=peer.user, request=request)
    authoring.add_coauthor(actor=peer.user, course=course, person=outsider)
    authoring.add_lesson(actor=outsider.user, course=course, title="OVER()", body="Windows.")
    authoring.request_review(actor=peer.user, course=course, reviewer=manager)
    authoring.resolve_review(actor=manager.user, course=course, approve=True)
    authoring.publish_course(actor=peer.user, course=course)
    request.refresh_from_db()
    assert (request.status, request.course) == ("done", course)
    told = set(
        Notification.objects.filter(kind="content.request_done").values_list(
            "recipient__person__display_name", flat=True
        )
    )
    assert told == {"Leo Learner", "Otto Outsider"}
    course.refresh_from_db()
    enrolment = learning.enrol(actor=learner.user, course=course)
    learning.complete_lesson(
        actor=learner.user, enrolment=enrolment, lesson_key=str(course.lessons.get().key)
    )
    assert learner.skill_evidence.get().source == EvidenceSource.COURSE


def test_declining_needs_a_reason_and_tells_the_requesters(org):
    learner, ld, peer = org.people["learner"], org.people["ld"], org.people["peer"]
    request = requests.create_request(actor=learner.user, topic="Cobol")
    with pytest.raises(Forbidden):
        requests.set_request_status(
            actor=learner.user, request=request, status="declined", reason="x"
        )
    with pytest.raises(DomainError) as error:
        requests.set_request_status(actor=ld.user, request=request, status="declined")
    assert error.value.field == "reason"
    requests.assign_request(actor=ld.user, request=request, expert=peer)
    with pytest.raises(DomainError):
        requests.respond_to_assignment(actor=peer.user, request=request, accept=False)
    requests.respond_to_assignment(actor=peer.user, request=request, accept=False, reason="Busy")
    assert request.assignment == ContentRequest.Assignment.DECLINED
    requests.set_request_status(
        actor=ld.user, request=request, status="declined", reason="Retired tech"
    )
    notice = Notification.objects.get(kind="content.request_closed")
    assert (notice.recipient, notice.body) == (learner.user, "Retired tech")
    with pytest.raises(DomainError):
        requests.add_me_too(actor=peer.user, request=request)


def test_backlog_ranks_by_demand_priority_and_gap(org, skills, django_assert_num_queries):
    learner, peer, ld = org.people["learner"], org.people["peer"], org.people["ld"]
    role = RoleProfile.objects.create(name="Analyst", slug="analyst")
    RoleRequirement.objects.create(role=role, skill=skills["python"], target_level=3)
    for person in (learner, peer):
        RoleAssignment.objects.create(person=person, role=role)
    plain = requests.create_request(actor=learner.user, topic="Plain")
    gap = requests.create_request(actor=learner.user, topic="Gap", skills=[skills["python"]])
    urgent = requests.create_request(
        actor=peer.user, topic="Urgent", blocks_label="Ship Q3", blocks_priority=3
    )
    requests.add_me_too(actor=peer.user, request=plain)
    with django_assert_num_queries(6):
        items = selectors.backlog(ld.user)
    assert [(i.request, i.demand, i.priority, i.gap) for i in items] == [
        (urgent, 1, 3, 0),
        (plain, 2, 0, 0),
        (gap, 1, 0, 2),
    ]
