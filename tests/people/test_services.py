from __future__ import annotations

import datetime as dt

import pytest

from ecotone.kernel.errors import DomainError, Forbidden, NotFound
from ecotone.kernel.models import SecurityEvent
from ecotone.people import services
from ecotone.people.models import ApiToken, Person, RoleGrant, Team, User
from tests.factories import PersonFactory


def refreshed(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def test_create_person_adds_a_login_and_audits(org):
    admin = org.users["admin"]
    person = services.create_person(
        actor=admin,
        email=" New.Hire@Example.com ",
        display_name="Nina New",
        team=org.teams["platform"],
        manager=org.people["manager"],
        time_zone="Europe/Paris",
    )
    assert person.user.email == "new.hire@example.com"
    assert not person.user.has_usable_password()
    assert person.manager_path == f"/{org.people['ceo'].pk}/{org.people['manager'].pk}/"
    assert (
        SecurityEvent.objects.filter(
            action="people.person_created", target_id=str(person.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"email": "not-an-email"}, "invalid_email", "email"),
        ({"email": "LEO@example.com"}, "duplicate_email", "email"),
        ({"display_name": "  "}, "required", "display_name"),
        ({"time_zone": "Mars/Olympus"}, "invalid_time_zone", "time_zone"),
    ],
)
def test_create_person_refuses_bad_input_and_writes_nothing(org, changes, code, field):
    org.people["learner"].user.email = "leo@example.com"
    org.people["learner"].user.save()
    before = (User.objects.count(), Person.objects.count())
    arguments = {"email": "fresh@example.com", "display_name": "Fresh"} | changes
    with pytest.raises(DomainError) as error:
        services.create_person(actor=org.users["admin"], **arguments)
    assert (error.value.code, error.value.field) == (code, field)
    assert (User.objects.count(), Person.objects.count()) == before


def test_only_admins_create_people(org):
    with pytest.raises(Forbidden):
        services.create_person(actor=org.users["manager"], email="x@example.com", display_name="X")


def test_people_edit_their_own_profile_but_not_admin_fields(org):
    learner = org.people["learner"]
    services.update_person(
        actor=learner.user, person=learner, location="Remote", time_zone="Asia/Tokyo"
    )
    assert refreshed(learner).location == "Remote"
    with pytest.raises(DomainError) as error:
        services.update_person(actor=learner.user, person=learner, title="CTO")
    assert error.value.field == "title"


def test_a_peer_cannot_edit_someone_else(org):
    with pytest.raises(Forbidden):
        services.update_person(actor=org.users["peer"], person=org.people["learner"], location="X")


def test_admin_changes_email_with_uniqueness(org):
    learner = org.people["learner"]
    services.update_person(actor=org.users["admin"], person=learner, email="Leo.New@Example.com")
    assert User.objects.get(pk=learner.user_id).email == "leo.new@example.com"
    with pytest.raises(DomainError) as error:
        services.update_person(
            actor=org.users["admin"], person=org.people["peer"], email="leo.new@example.com"
        )
    assert error.value.code == "duplicate_email"


def test_change_manager_rewrites_the_whole_subtree(org):
    ceo, manager, learner = org.people["ceo"], org.people["manager"], org.people["learner"]
    outsider = org.people["outsider"]
    services.change_manager(actor=org.users["admin"], person=manager, manager=outsider)
    assert refreshed(manager).manager_path == f"/{ceo.pk}/{outsider.pk}/"
    assert refreshed(learner).manager_path == f"/{ceo.pk}/{outsider.pk}/{manager.pk}/"
    services.change_manager(actor=org.users["admin"], person=manager, manager=None)
    assert refreshed(learner).manager_path == f"/{manager.pk}/"


@pytest.mark.parametrize(
    ("who", "new_manager"), [("manager", "learner"), ("ceo", "learner"), ("learner", "learner")]
)
def test_change_manager_refuses_cycles(org, who, new_manager):
    with pytest.raises(DomainError) as error:
        services.change_manager(
            actor=org.users["admin"], person=org.people[who], manager=org.people[new_manager]
        )
    assert error.value.code == "reporting_cycle"
    assert refreshed(org.people["learner"]).manager_id == org.people["manager"].pk


def test_deactivate_keeps_history_and_moves_reports_up(org):
    manager, learner = org.people["manager"], org.people["learner"]
    token = services.create_api_token(actor=manager.user, name="laptop")
    services.deactivate_person(
        actor=org.users["admin"], person=manager, left_on=dt.date(2026, 11, 1)
    )
    manager = refreshed(manager)
    assert (manager.status, manager.left_on, manager.user.is_active) == (
        "left",
        dt.date(2026, 11, 1),
        False,
    )
    assert refreshed(learner).manager_id == org.people["ceo"].pk
    assert refreshed(learner).manager_path == f"/{org.people['ceo'].pk}/"
    assert Team.objects.get(slug="platform").lead_id is None
    assert ApiToken.objects.get(pk=token.token.pk).revoked_at is not None
    with pytest.raises(DomainError) as error:
        services.deactivate_person(actor=org.users["admin"], person=manager)
    assert error.value.code == "already_left"
    services.reactivate_person(actor=org.users["admin"], person=manager)
    assert refreshed(manager).status == "active"


def test_admins_cannot_deactivate_themselves(org):
    with pytest.raises(DomainError) as error:
        services.deactivate_person(actor=org.users["admin"], person=org.people["admin"])
    assert error.value.code == "self_deactivation"


def test_nobody_reports_to_someone_who_left(org):
    services.deactivate_person(actor=org.users["admin"], person=org.people["outsider"])
    with pytest.raises(DomainError) as error:
        services.change_manager(
            actor=org.users["admin"], person=org.people["peer"], manager=org.people["outsider"]
        )
    assert error.value.code == "manager_left"


def test_team_tree_paths_and_cycles(org):
    admin = org.users["admin"]
    payments = services.create_team(actor=admin, name="Payments", parent=org.teams["platform"])
    assert payments.path == f"{org.teams['platform'].path}{payments.pk}/"
    assert payments.depth == 3
    services.update_team(actor=admin, team=org.teams["platform"], parent=org.teams["people"])
    assert Team.objects.get(pk=payments.pk).path.startswith(org.teams["people"].path)
    with pytest.raises(DomainError) as error:
        services.update_team(actor=admin, team=org.teams["people"], parent=payments)
    assert error.value.code == "team_cycle"
    with pytest.raises(DomainError) as error:
        services.create_team(actor=admin, name="payments", parent=Team.objects.get(slug="platform"))
    assert error.value.code == "duplicate_team"


def test_roles_are_granted_once_audited_and_revocable(org):
    admin, learner = org.users["admin"], org.people["learner"]
    services.grant_role(actor=admin, person=learner, role="ld")
    services.grant_role(actor=admin, person=learner, role="ld")
    assert RoleGrant.objects.filter(person=learner).count() == 1
    assert SecurityEvent.objects.filter(action="people.role_granted").count() == 1
    services.revoke_role(actor=admin, person=learner, role="ld")
    assert not RoleGrant.objects.filter(person=learner).exists()
    with pytest.raises(DomainError):
        services.grant_role(actor=admin, person=learner, role="king")
    with pytest.raises(Forbidden):
        services.grant_role(actor=org.users["ld"], person=learner, role="admin")
    with pytest.raises(DomainError) as error:
        services.revoke_role(actor=admin, person=org.people["admin"], role="admin")
    assert error.value.code == "self_revoke"


def test_api_tokens_are_shown_once_and_stored_hashed(org):
    learner = org.users["learner"]
    issued = services.create_api_token(actor=learner, name="CI")
    assert issued.secret.startswith("eco_")
    assert issued.secret not in issued.token.digest
    assert services.authenticate_token(issued.secret) == learner
    assert services.authenticate_token(issued.secret + "x") is None
    assert services.authenticate_token("garbage") is None
    with pytest.raises(NotFound):
        services.revoke_api_token(actor=org.users["peer"], token=issued.token)
    services.revoke_api_token(actor=learner, token=issued.token)
    assert services.authenticate_token(issued.secret) is None


def test_expired_tokens_do_not_authenticate(org):
    from django.utils import timezone

    issued = services.create_api_token(
        actor=org.users["learner"],
        name="short",
        expires_at=timezone.now() + dt.timedelta(minutes=1),
    )
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.authenticate_token(issued.secret) is None
    with pytest.raises(DomainError):
        services.create_api_token(
            actor=org.users["learner"], name="past", expires_at=timezone.now()
        )


def test_moving_a_subtree_costs_the_same_queries_whatever_its_depth(org, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for depth in (1, 3, 30):  # the first move also warms the actor's cached roles
        top = PersonFactory(manager=org.people["ceo"])
        chain = [top]
        for _ in range(depth):
            chain.append(PersonFactory(manager=chain[-1]))
        with CaptureQueriesContext(connection) as queries:
            services.change_manager(
                actor=org.users["admin"], person=top, manager=org.people["outsider"]
            )
        counts.append(len(queries))
        assert refreshed(chain[-1]).manager_path.startswith(
            f"{org.people['outsider'].subtree_prefix}{top.pk}/"
        )
    assert counts[1] == counts[2]


def test_a_team_cannot_be_led_by_someone_who_left(org):
    admin = org.users["admin"]
    services.deactivate_person(actor=admin, person=org.people["outsider"])
    with pytest.raises(DomainError) as error:
        services.update_team(actor=admin, team=org.teams["platform"], lead=org.people["outsider"])
    assert error.value.field == "lead"
    with pytest.raises(DomainError):
        services.create_team(actor=admin, name="Ghosts", lead=org.people["outsider"])
