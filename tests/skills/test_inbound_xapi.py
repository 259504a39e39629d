"""Inbound xAPI evidence: a tool's statement about a mapped activity moves skill evidence."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ecotone.lrs import evidence, profile, services
from ecotone.lrs.models import ConsumerCursor
from ecotone.people.models import Person
from ecotone.skills import inbound
from ecotone.skills.models import Evidence, SkillLevel
from tests.lrs.conftest import Xapi

COURSE = "https://academy.example/courses/python-basics"
LEVEL = profile.EXTENSIONS["level"]


def _tool(org) -> Xapi:
    admin = org.people["admin"].user
    issued = services.create_client(actor=admin, name="Academy", scopes=["statements/write"])
    return Xapi(Client(), issued.client.key, issued.secret, issued.client)


def _completed(email: str, activity: str = COURSE, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"objectType": "Activity", "id": activity},
        **extra,
    }


def _map(org, framework, *refs: str) -> None:
    services.map_activity(
        actor=org.people["admin"].user, activity_iri=COURSE, skill_refs=list(refs)
    )


def test_a_completed_mapped_activity_becomes_skill_evidence(org, framework):
    _map(org, framework, "python", "sql")
    learner = org.people["learner"]
    tool = _tool(org)
    sent = _completed(learner.user.email, result={"extensions": {LEVEL: 3}})
    assert tool.post("statements", [sent]).status_code == 200

    assert inbound.consume_all() == 2

    rows = Evidence.objects.filter(person=learner).order_by("skill__slug")
    assert [(e.skill.slug, e.source, e.level, e.link_type, e.link_id) for e in rows] == [
        ("python", "xapi", 3, "lrs.statement", sent["id"]),
        ("sql", "xapi", 3, "lrs.statement", sent["id"]),
    ]
    level = SkillLevel.objects.get(person=learner, skill=framework.skills["python"])
    assert level.level == 3
    assert level.last_evidence_at is not None
    assert ConsumerCursor.objects.get(name=inbound.CURSOR).seq == evidence.latest_seq()


def test_consuming_twice_records_once(org, framework):
    _map(org, framework, "python")
    tool = _tool(org)
    sent = _completed(org.people["learner"].user.email)
    tool.post("statements", [sent])
    assert inbound.consume_all() == 1
    assert inbound.consume_all() == 0
    # even with the cursor moved back, the link to the statement keeps it to one piece
    ConsumerCursor.objects.filter(name=inbound.CURSOR).update(seq=0)
    assert inbound.consume_all() == 0
    assert Evidence.objects.filter(link_type="lrs.statement", link_id=sent["id"]).count() == 1


def test_unmapped_unknown_voided_and_other_verbs_give_no_evidence(org, framework):
    _map(org, framework, "python")
    tool = _tool(org)
    email = org.people["learner"].user.email
    voided = _completed(email)
    tool.post(
        "statements",
        [
            _completed(email, activity="https://academy.example/courses/unmapped"),
            _completed("stranger@example.com"),
            {**_completed(email), "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}},
            voided,
            {
                "actor": {"mbox": "mailto:academy@example.com"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                "object": {"objectType": "StatementRef", "id": voided["id"]},
            },
        ],
    )
    assert inbound.consume_all() == 0
    assert not Evidence.objects.exists()


def test_ledger_statements_are_not_counted_again(org, framework):
    _map(org, framework, "python")
    learner = org.people["learner"]
    services.record_learning_event(actor=learner.user, verb="completed", activity=COURSE)
    assert inbound.consume_all() == 0


def test_left_people_and_out_of_range_levels(org, framework):
    _map(org, framework, "python")
    tool = _tool(org)
    learner, peer = org.people["learner"], org.people["peer"]
    peer.status = Person.Status.LEFT
    peer.save()
    tool.post(
        "statements",
        [
            _completed(learner.user.email, result={"extensions": {LEVEL: 42}}),
            _completed(peer.user.email),
        ],
    )
    assert inbound.consume_all() == 1
    assert Evidence.objects.get().person == learner
    assert Evidence.objects.get().level is None


def test_a_client_batch_with_evidence_enqueues_a_run(
    org, framework, django_capture_on_commit_callbacks
):
    _map(org, framework, "python")
    tool = _tool(org)
    evidence._last_signal = 0.0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tool.post("statements", [_completed(org.people["learner"].user.email)])
    assert evidence._signal in callbacks
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tool.post(
            "statements",
            [
                {
                    **_completed("x@example.com"),
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
                }
            ],
        )
    assert callbacks == []


def test_the_consumer_runs_every_minute():
    from ecotone.notifications import scheduler

    job = scheduler._jobs["skills.inbound_xapi"]
    assert job.task is inbound.consume_inbound_evidence
    assert job.every == timedelta(minutes=1)


def _queries_to_consume(statements: list[dict[str, Any]], tool: Xapi) -> int:
    tool.post("statements", statements)
    with CaptureQueriesContext(connection) as captured:
        inbound.consume_all()
    return len(captured.captured_queries)


def test_consuming_takes_a_constant_number_of_queries(org, framework):
    _map(org, framework, "python")
    tool = _tool(org)
    _queries_to_consume([_completed(org.people["learner"].user.email)], tool)  # the cursor exists
    # examining statements that give no evidence costs the same whatever their number
    strangers = _queries_to_consume([_completed("x@example.com") for _ in range(30)], tool)
    assert strangers == _queries_to_consume([_completed("y@example.com") for _ in range(3)], tool)
