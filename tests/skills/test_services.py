from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ecotone.kernel.errors import DomainError, Forbidden, NotFound
from ecotone.kernel.models import SecurityEvent
from ecotone.notifications.models import Notification
from ecotone.skills import selectors, services
from ecotone.skills.models import (
    Evidence,
    Interest,
    RoleAssignment,
    RoleRequirement,
    Skill,
    SkillLevel,
    ValidationRequest,
)
from ecotone.skills.services import SYSTEM


def level_row(person, skill) -> SkillLevel:
    return SkillLevel.objects.get(person=person, skill=skill)


def test_self_rating_writes_evidence_and_the_read_model(org, framework):
    learner, python = org.people["learner"], framework.skills["python"]
    evidence = services.record_evidence(
        actor=learner.user, person=learner, skill=python, source="self", level=3, note="daily"
    )
    assert (evidence.source, evidence.level, evidence.author, evidence.note) == (
        "self",
        3,
        learner.user,
        "daily",
    )
    row = level_row(learner, python)
    assert (row.level, row.validated_level, row.self_level, row.endorsements) == (3, None, 3, 0)
    assert row.confidence == pytest.approx(0.2, abs=1e-3)


def test_manager_assessment_outranks_the_self_rating_and_is_audited(org, framework):
    learner, manager, python = (
        org.people["learner"],
        org.people["manager"],
        framework.skills["python"],
    )
    services.record_evidence(
        actor=learner.user, person=learner, skill=python, source="self", level=5
    )
    services.record_evidence(
        actor=manager.user, person=learner, skill=python, source="manager", level=3
    )
    row = level_row(learner, python)
    assert (row.level, row.validated_level, row.self_level) == (3, 3, 5)
    assert SecurityEvent.objects.filter(action="skills.level_assessed").count() == 1


@pytest.mark.parametrize(
    ("actor", "source", "allowed"),
    [
        ("learner", "self", True),
        ("peer", "self", False),
        ("manager", "self", False),
        ("manager", "manager", True),
        ("ceo", "manager", True),
        ("peer", "manager", False),
        ("learner", "manager", False),
        ("ld", "manager", False),
        ("peer", "peer", True),
        ("learner", "peer", False),
        ("learner", "assessment", False),
        ("ld", "assessment", True),
        ("admin", "talk", True),
        ("manager", "course", False),
    ],
)
def test_who_may_record_which_source(org, framework, actor, source, allowed):
    call = lambda: services.record_evidence(  # noqa: E731
        actor=org.users[actor],
        person=org.people["learner"],
        skill=framework.skills["python"],
        source=source,
        level=3,
    )
    if allowed:
        call()
        assert Evidence.objects.count() == 1
    else:
        with pytest.raises(Forbidden):
            call()
        assert Evidence.objects.count() == 0


def test_trusted_services_record_as_system_with_a_link(org, framework):
    learner, kubernetes = org.people["learner"], framework.skills["kubernetes"]
    when = timezone.now() - dt.timedelta(days=3)
    evidence = services.record_evidence(
        actor=SYSTEM,
        person=learner,
        skill=kubernetes,
        source="assessment",
        level=4,
        occurred_at=when,
        link_type="content.quiz_attempt",
        link_id=17,
        author=learner.user,
    )
    assert (evidence.link_type, evidence.link_id, evidence.occurred_at) == (
        "content.quiz_attempt",
        "17",
        when,
    )
    assert level_row(learner, kubernetes).validated_level == 4


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"source": "gossip"}, "invalid_source"),
        ({"level": 0}, "level_out_of_range"),
        ({"level": 6}, "level_out_of_range"),
        ({"level": "x"}, "invalid_level"),
        ({"level": None}, "level_required"),
        ({"occurred_at": timezone.now() + dt.timedelta(days=1)}, "in_the_future"),
        ({"note": "x" * 2001}, "too_long"),
    ],
)
def test_record_evidence_validates(org, framework, changes, code):
    arguments = {"source": "self", "level": 3} | changes
    learner = org.people["learner"]
    with pytest.raises(DomainError) as error:
        services.record_evidence(
            actor=learner.user, person=learner, skill=framework.skills["python"], **arguments
        )
    assert error.value.code == code
    assert Evidence.objects.count() == 0


def test_evidence_for_a_merged_skill_lands_on_the_survivor_and_deprecated_skills_take_none(
    org, framework
):
    learner, admin = org.people["learner"], org.users["admin"]
    python, sql = framework.skills["python"], framework.skills["sql"]
    services.record_evidence(actor=learner.user, person=learner, skill=sql, source="self", level=2)
    services.merge_skill(actor=admin, skill=sql, into=python)
    sql.refresh_from_db()
    assert (sql.status, sql.merged_into) == ("merged", python)
    assert Evidence.objects.get().skill == python
    assert level_row(learner, python).level == 2
    assert not SkillLevel.objects.filter(skill=sql).exists()
    python.refresh_from_db()
    assert python.aliases == ["py", "CPython", "SQL", "Postgres"]
    assert (
        RoleRequirement.objects.get(role=framework.roles["engineer"], skill=python).target_level
        == 3
    )
    services.record_evidence(actor=learner.user, person=learner, skill=sql, source="self", level=3)
    assert level_row(learner, python).level == 3
    services.update_skill(actor=admin, skill=python, status="deprecated")
    python.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.record_evidence(
            actor=learner.user, person=learner, skill=python, source="self", level=3
        )
    assert error.value.code == "skill_not_active"


def test_merge_moves_interests_without_duplicates(org, framework):
    learner, admin = org.people["learner"], org.users["admin"]
    python, sql = framework.skills["python"], framework.skills["sql"]
    services.set_interest(actor=learner.user, person=learner, skill=python, kind="learn")
    services.set_interest(actor=learner.user, person=learner, skill=sql, kind="learn")
    services.set_interest(actor=learner.user, person=learner, skill=sql, kind="teach")
    services.merge_skill(actor=admin, skill=sql, into=python)
    assert sorted(Interest.objects.values_list("skill__slug", "kind")) == [
        ("python", "learn"),
        ("python", "teach"),
    ]


def test_validation_request_flow_validate(org, framework):
    learner, manager, python = (
        org.people["learner"],
        org.people["manager"],
        framework.skills["python"],
    )
    request = services.request_validation(
        actor=learner.user, person=learner, skill=python, level=4, message="led the migration"
    )
    assert (request.reviewer, request.kind, request.status) == (manager, "validation", "pending")
    assert level_row(learner, python).self_level == 4
    assert Notification.objects.filter(recipient=manager.user).count() == 1
    assert list(selectors.review_queue(manager.user)) == [request]
    assert list(selectors.review_queue(org.users["ceo"])) == []
    resolved = services.resolve_request(actor=manager.user, request=request, decision="validated")
    assert (resolved.status, resolved.resolved_level) == ("validated", 4)
    assert resolved.evidence.source == "manager"
    row = level_row(learner, python)
    assert (row.level, row.validated_level) == (4, 4)
    assert Notification.objects.filter(recipient=learner.user).count() == 1
    assert list(selectors.review_queue(manager.user)) == []
    with pytest.raises(DomainError) as error:
        services.resolve_request(actor=manager.user, request=request, decision="declined")
    assert error.value.code == "already_resolved"


def test_adjusting_needs_a_comment_and_sets_the_level(org, framework):
    learner, manager, python = (
        org.people["learner"],
        org.people["manager"],
        framework.skills["python"],
    )
    request = services.request_validation(actor=learner.user, person=learner, skill=python, level=4)
    with pytest.raises(DomainError) as error:
        services.resolve_request(actor=manager.user, request=request, decision="adjusted", level=3)
    assert (error.value.code, error.value.field) == ("comment_required", "comment")
    services.resolve_request(
        actor=manager.user, request=request, decision="adjusted", level=3, comment="Not yet alone"
    )
    row = level_row(learner, python)
    assert (row.level, row.validated_level, row.self_level) == (3, 3, 4)


def test_declining_records_no_evidence(org, framework):
    learner, manager, python = (
        org.people["learner"],
        org.people["manager"],
        framework.skills["python"],
    )
    request = services.request_validation(actor=learner.user, person=learner, skill=python, level=4)
    services.resolve_request(
        actor=manager.user, request=request, decision="declined", comment="Later"
    )
    assert list(Evidence.objects.values_list("source", flat=True)) == ["self"]
    assert level_row(learner, python).validated_level is None


def test_endorsement_request_goes_to_a_colleague(org, framework):
    learner, peer, python = org.people["learner"], org.people["peer"], framework.skills["python"]
    request = services.request_validation(
        actor=learner.user, person=learner, skill=python, level=3, reviewer=peer, kind="endorsement"
    )
    with pytest.raises(NotFound):
        services.resolve_request(actor=org.users["manager"], request=request, decision="validated")
    with pytest.raises(NotFound):
        services.resolve_request(actor=org.users["outsider"], request=request, decision="endorsed")
    with pytest.raises(DomainError) as error:
        services.resolve_request(actor=peer.user, request=request, decision="validated")
    assert error.value.code == "invalid_decision"
    services.resolve_request(actor=peer.user, request=request, decision="endorsed")
    row = level_row(learner, python)
    assert (row.level, row.validated_level, row.endorsements) == (3, None, 1)


@pytest.mark.parametrize(
    ("requester", "arguments", "code"),
    [
        ("ceo", {}, "no_manager"),
        ("learner", {"reviewer": "peer"}, "not_your_manager"),
        ("learner", {"kind": "endorsement"}, "required"),
        ("learner", {"kind": "endorsement", "reviewer": "learner"}, "self_endorsement"),
        ("learner", {"kind": "gossip"}, "invalid_kind"),
    ],
)
def test_request_validation_refuses(org, framework, requester, arguments, code):
    if "reviewer" in arguments:
        arguments["reviewer"] = org.people[arguments["reviewer"]]
    person = org.people[requester]
    with pytest.raises(DomainError) as error:
        services.request_validation(
            actor=person.user, person=person, skill=framework.skills["python"], level=3, **arguments
        )
    assert error.value.code == code
    assert ValidationRequest.objects.count() == 0


def test_one_pending_request_per_reviewer_and_skill(org, framework):
    learner, python = org.people["learner"], framework.skills["python"]
    services.request_validation(actor=learner.user, person=learner, skill=python, level=3)
    with pytest.raises(DomainError) as error:
        services.request_validation(actor=learner.user, person=learner, skill=python, level=4)
    assert error.value.code == "already_requested"
    assert Evidence.objects.count() == 1


def test_cancel_request(org, framework):
    learner, python = org.people["learner"], framework.skills["python"]
    request = services.request_validation(actor=learner.user, person=learner, skill=python, level=3)
    with pytest.raises(NotFound):
        services.cancel_request(actor=org.users["peer"], request=request)
    assert services.cancel_request(actor=learner.user, request=request).status == "cancelled"


def test_interests_are_set_removed_and_hidden(org, framework):
    learner, python = org.people["learner"], framework.skills["python"]
    services.set_interest(actor=learner.user, person=learner, skill=python, kind="learn")
    services.set_interest(actor=learner.user, person=learner, skill=python, kind="learn")
    services.set_interest(actor=learner.user, person=learner, skill=python, kind="mentor")
    assert Interest.objects.count() == 2
    with pytest.raises(Forbidden):
        services.set_interest(actor=org.users["peer"], person=learner, skill=python, kind="learn")
    assert services.hide_interests(actor=learner.user, person=learner, hidden=True) == 2
    services.set_interest(actor=learner.user, person=learner, skill=python, kind="teach")
    assert Interest.objects.get(kind="teach").hidden is True
    services.set_interest(
        actor=learner.user, person=learner, skill=python, kind="learn", wanted=False
    )
    assert sorted(Interest.objects.values_list("kind", flat=True)) == ["mentor", "teach"]
    with pytest.raises(DomainError):
        services.set_interest(actor=learner.user, person=learner, skill=python, kind="hoard")


def test_framework_management(org, framework):
    ld = org.users["ld"]
    with pytest.raises(Forbidden):
        services.create_skill(actor=org.users["manager"], name="Go")
    go = services.create_skill(
        actor=ld,
        name="  Go ",
        category=framework.categories["engineering"],
        aliases=["golang", "Golang", " "],
        external_id="http://example.com/go",
    )
    assert (go.name, go.slug, go.aliases) == ("Go", "go", ["golang"])
    with pytest.raises(DomainError) as error:
        services.create_skill(actor=ld, name="python")
    assert error.value.code == "duplicate_name"
    with pytest.raises(DomainError) as error:
        services.create_skill(actor=ld, name="Golang 2", external_id="http://example.com/go")
    assert error.value.code == "duplicate_external_id"
    with pytest.raises(DomainError) as error:
        services.update_skill(actor=ld, skill=go, status="merged")
    assert error.value.code == "invalid_status"
    services.update_skill(actor=ld, skill=go, name="Go language", description="Gophers")
    go.refresh_from_db()
    assert (go.name, go.description) == ("Go language", "Gophers")
    services.set_level_descriptor(actor=ld, skill=go, level=3, description="Writes services")
    assert selectors.descriptors(go) == {3: "Writes services"}
    services.set_level_descriptor(actor=ld, skill=go, level=3, description="")
    assert selectors.descriptors(go) == {}
    category = services.create_category(actor=ld, name="Security")
    assert category.slug == "security"
    assert services.rename_proficiency_level(actor=ld, level=5, name="Master").name == "Master"
    with pytest.raises(DomainError):
        services.merge_skill(actor=ld, skill=go, into=go)


def test_role_profiles_and_assignments(org, framework):
    ld, learner = org.users["ld"], org.people["learner"]
    role = services.create_role_profile(actor=ld, name="Data analyst")
    requirement = services.set_requirement(
        actor=ld, role=role, skill=framework.skills["sql"], target_level=4
    )
    assert (requirement.target_level, requirement.required) == (4, True)
    services.set_requirement(actor=ld, role=role, skill=framework.skills["sql"], target_level=None)
    assert not RoleRequirement.objects.filter(role=role).exists()
    with pytest.raises(Forbidden):
        services.assign_role_profile(actor=org.users["peer"], person=learner, role=role)
    services.assign_role_profile(actor=org.users["manager"], person=learner, role=role)
    assert RoleAssignment.objects.get(person=learner).role == role
    services.assign_role_profile(actor=SYSTEM, person=learner, role=None)
    assert not RoleAssignment.objects.exists()


def test_level_history_and_refresh(org, framework):
    learner, manager, python = (
        org.people["learner"],
        org.people["manager"],
        framework.skills["python"],
    )
    now = timezone.now()
    services.record_evidence(
        actor=learner.user,
        person=learner,
        skill=python,
        source="self",
        level=2,
        occurred_at=now - dt.timedelta(days=200),
    )
    services.record_evidence(
        actor=manager.user,
        person=learner,
        skill=python,
        source="manager",
        level=4,
        occurred_at=now - dt.timedelta(days=20),
    )
    history = selectors.level_history(
        manager.user,
        learner,
        python,
        [now - dt.timedelta(days=300), now - dt.timedelta(days=100), now],
    )
    assert [point.level for point in history] == [None, 2, 4]
    with pytest.raises(Forbidden):
        selectors.level_on(org.users["peer"], learner, python, now)
    SkillLevel.objects.update(confidence=0)
    assert services.refresh_levels() == 1
    assert level_row(learner, python).confidence > 0


def test_skill_is_unique_by_name_ignoring_merged(org, framework):
    admin = org.users["admin"]
    services.merge_skill(
        actor=admin, skill=framework.skills["sql"], into=framework.skills["python"]
    )
    assert services.create_skill(actor=admin, name="SQL").slug == "sql-2"
    assert Skill.objects.filter(name="SQL").count() == 2
