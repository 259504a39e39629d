from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from collections import Counter

import pytest
from django.db import transaction

from ecotone.kernel.errors import DomainError
from ecotone.kernel.models import SecurityEvent
from ecotone.people.models import Person, RoleGrant, Team, User
from ecotone.people.seeding import (
    DEMO_PASSWORD,
    SEEDED_ACTION,
    SeedContext,
    last_seeded_logins,
    seed_company,
    steps,
)
from ecotone.people.seeding.company import DIVISIONS
from ecotone.people.seeding.names import PLACES
from ecotone.people.seeding.organisation import email_local_part

TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PEOPLE_STEPS = ["teams", "people", "departures", "roles", "write"]


def seed(**options) -> SeedContext:
    """The org chart alone (other apps' steps have tests of their own)."""
    return seed_company(
        **{"size": "small", "seed": 1, "today": TODAY, "through": "write", **options}
    )


def org_chart_added(context: SeedContext) -> dict[str, int]:
    return {key: context.added[key] for key in ("people", "teams", "role grants")}


def snapshot() -> dict[str, list[tuple]]:
    """The whole org chart in terms that do not depend on database ids."""
    teams = Team.objects.select_related("parent", "lead__user")
    people = Person.objects.select_related("user", "team", "manager__user")
    return {
        "teams": sorted(
            (
                t.slug,
                t.name,
                t.description,
                t.parent.slug if t.parent else None,
                t.lead.user.email if t.lead else None,
                t.depth,
            )
            for t in teams
        ),
        "people": sorted(
            (
                p.user.email,
                p.display_name,
                p.title,
                p.employee_id,
                p.team.slug if p.team else None,
                p.manager.user.email if p.manager else None,
                p.location,
                p.time_zone,
                p.start_date,
                p.status,
                p.left_on,
                p.user.is_active,
                p.user.has_usable_password(),
            )
            for p in people
        ),
        "roles": sorted(RoleGrant.objects.values_list("person__user__email", "role").order_by()),
    }


def seeded_then_rolled_back(**options) -> dict[str, list[tuple]]:
    with transaction.atomic():
        seed(**options)
        state = snapshot()
        transaction.set_rollback(True)
    return state


# --- Determinism ------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_company(db):
    first = seeded_then_rolled_back(seed=7)
    assert Person.objects.count() == 0
    second = seeded_then_rolled_back(seed=7)
    assert first == second
    assert len(first["people"]) == 150


def test_another_seed_gives_another_company(db):
    assert seeded_then_rolled_back(seed=1)["people"] != seeded_then_rolled_back(seed=2)["people"]


def test_steps_run_in_order_with_a_generator_of_their_own():
    names = [step.name for step in steps()]
    assert names[:5] == PEOPLE_STEPS
    assert [step.order for step in steps()] == sorted(step.order for step in steps())


def test_the_whole_pipeline_is_deterministic_too(db):
    def whole(seed_number: int) -> dict[str, list[tuple]]:
        return seeded_then_rolled_back(seed=seed_number, through=None)

    assert whole(5) == whole(5)


def test_an_unknown_last_step_is_refused(db):
    with pytest.raises(DomainError) as refused:
        seed(through="everything")
    assert refused.value.code == "unknown_step"


# --- The shape of the company ---------------------------------------------------------------


@pytest.fixture
def company(db) -> SeedContext:
    return seed()


def test_small_company_has_150_people_and_a_team_tree(company):
    assert Person.objects.count() == 150
    assert User.objects.count() == 150
    assert org_chart_added(company) == {
        "people": 150,
        "teams": Team.objects.count(),
        "role grants": 15,
    }
    assert 15 <= Team.objects.count() <= 40
    roots = list(Team.objects.filter(parent=None))
    assert [t.name for t in roots] == ["Larkspur"]
    divisions = Team.objects.filter(parent=roots[0]).values_list("name", flat=True)
    assert sorted(divisions) == sorted(d.name for d in DIVISIONS)


def test_team_paths_match_the_tree(company):
    teams = {t.pk: t for t in Team.objects.all()}
    for team in teams.values():
        parent_path = teams[team.parent_id].path if team.parent_id else "/"
        assert team.path == f"{parent_path}{team.pk}/"
        assert team.depth == team.path.count("/") - 2
    assert len({t.slug for t in teams.values()}) == len(teams)


def test_one_ceo_and_every_manager_chain_ends_there_without_cycles(company):
    people = {p.pk: p for p in Person.objects.all()}
    tops = [p for p in people.values() if p.manager_id is None]
    assert [p.title for p in tops] == ["Chief Executive Officer"]
    ceo = tops[0]
    for person in people.values():
        chain: list[int] = []
        current = person
        while current.manager_id is not None:
            chain.insert(0, current.manager_id)
            assert len(chain) < 20, "reporting cycle"
            current = people[current.manager_id]
        assert current.pk == ceo.pk
        assert person.manager_path == "/" + "".join(f"{pk}/" for pk in chain)


def test_team_leads_belong_to_their_team_and_report_to_the_parent_lead(company):
    for team in Team.objects.select_related("lead", "parent__lead"):
        assert team.lead is not None, team
        assert team.lead.team_id in [int(pk) for pk in team.path.strip("/").split("/")]
        assert team.lead.status == Person.Status.ACTIVE
        if team.parent is not None:
            assert team.lead.manager_id == team.parent.lead_id


def test_spans_of_control_are_plausible(company):
    spans = Counter(
        Person.objects.exclude(manager=None).values_list("manager_id", flat=True).order_by()
    )
    ceo = Person.objects.get(manager=None)
    others = [n for manager, n in spans.items() if manager != ceo.pk]
    assert 5 <= statistics.median(others) <= 9
    assert max(others) <= 10
    assert spans[ceo.pk] == len(DIVISIONS) + 1  # the division heads and a chief of staff


def test_places_time_zones_and_dates_are_consistent(company):
    zones = {place.name: place.time_zone for place in PLACES}
    oldest = TODAY - dt.timedelta(days=365 * 8)
    for person in Person.objects.select_related("user"):
        assert zones[person.location] == person.time_zone
        assert person.time_zone in zoneinfo.available_timezones()
        assert oldest <= person.start_date < TODAY
        assert person.user.email.endswith("@larkspur.example")
    assert len(set(Person.objects.values_list("location", flat=True))) >= 8


def test_a_few_people_left_and_they_cannot_sign_in(company):
    left = list(Person.objects.filter(status=Person.Status.LEFT).select_related("user"))
    assert 1 <= len(left) <= 10
    for person in left:
        assert person.start_date < person.left_on < TODAY
        assert not person.user.is_active
        assert not Team.objects.filter(lead=person).exists()
        assert not Person.objects.filter(manager=person).exists()


def test_roles_executives_facilitators_and_admins(company):
    grants = Counter(RoleGrant.objects.values_list("role", flat=True))
    assert grants == {
        RoleGrant.Role.EXECUTIVE: len(DIVISIONS) + 1,
        RoleGrant.Role.LEARNING: 2,
        RoleGrant.Role.ADMIN: 2,
    }
    executives = set(
        RoleGrant.objects.filter(role=RoleGrant.Role.EXECUTIVE).values_list("person", flat=True)
    )
    assert executives == set(Team.objects.filter(depth__lte=1).values_list("lead", flat=True))
    for person in Person.objects.filter(role_grants__role=RoleGrant.Role.LEARNING):
        assert person.title == "Learning & Development Partner"
        assert person.team.name in {"People", "Learning & Development"}


def test_only_the_printed_log_ins_have_a_password(company):
    assert [login.role for login in company.logins] == [
        "admin",
        "ld",
        "executive",
        "manager",
        "learner",
    ]
    usable = [u.email for u in User.objects.all() if u.has_usable_password()]
    assert sorted(usable) == sorted(login.email for login in company.logins)
    for login in company.logins:
        assert login.password == DEMO_PASSWORD
        assert User.objects.get(email=login.email).check_password(DEMO_PASSWORD)
    manager = Person.objects.get(user__email=company.logins[3].email)
    learner = Person.objects.get(user__email=company.logins[4].email)
    assert learner.manager_id == manager.pk
    assert Person.objects.filter(manager=manager, status=Person.Status.ACTIVE).count() >= 3
    assert not learner.role_grants.exists()


def test_the_seed_is_audited_with_its_log_ins(company):
    event = SecurityEvent.objects.get(action=SEEDED_ACTION)
    assert event.actor_id is None
    assert event.detail["size"] == "small"
    assert event.detail["seed"] == 1
    assert {key: event.detail["added"][key] for key in ("people", "teams", "role grants")} == (
        org_chart_added(company)
    )
    assert event.detail["logins"] == [[login.role, login.email] for login in company.logins]
    assert [(login.role, login.email, login.password) for login in last_seeded_logins()] == [
        (login.role, login.email, None) for login in company.logins
    ]


# --- Refusing and forcing ---------------------------------------------------------------------


def test_a_database_with_people_is_refused(org):
    with pytest.raises(DomainError) as refused:
        seed()
    assert refused.value.code == "not_empty"
    assert Person.objects.count() == 8
    assert not SecurityEvent.objects.filter(action=SEEDED_ACTION).exists()


def test_an_unknown_size_is_refused(db):
    with pytest.raises(DomainError) as refused:
        seed(size="gigantic")
    assert refused.value.field == "size"


def test_force_adds_the_company_beside_existing_people(org):
    context = seed(force=True)
    assert org_chart_added(context)["people"] == 150
    assert Person.objects.count() == 158
    assert Team.objects.filter(parent=None).count() == 2


def test_seeding_twice_with_force_adds_nothing_twice(company):
    before = snapshot()
    again = seed(force=True)
    assert org_chart_added(again) == {"people": 0, "teams": 0, "role grants": 0}
    assert snapshot() == before
    assert all(login.password is None for login in again.logins)


def test_email_local_parts_are_plain_ascii():
    assert email_local_part("Łukasz", "Wiśniewski") == "lukasz.wisniewski"
    assert email_local_part("Aoife", "O'Brien") == "aoife.obrien"
    assert email_local_part("Ji-woo", "van den Berg") == "ji-woo.vandenberg"
    assert email_local_part("Y\u0131ld\u0131z", "Çelik") == "yildiz.celik"
