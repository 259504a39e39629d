from __future__ import annotations

import datetime as dt

import pytest

from ecotone.people.models import Person
from ecotone.people.seeding import seed_company
from ecotone.skills import selectors
from ecotone.skills.demo_framework import CATEGORIES
from ecotone.skills.models import (
    Evidence,
    RoleAssignment,
    RoleProfile,
    Skill,
    SkillCategory,
    SkillLevel,
)

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def demo(db):
    return seed_company(size="small", seed=1, today=TODAY)


def test_the_demo_has_a_framework_profiles_and_history(demo):
    assert SkillCategory.objects.count() == len(CATEGORIES) == 12
    assert Skill.objects.count() == 120
    active = Person.objects.filter(status=Person.Status.ACTIVE).count()
    assert RoleAssignment.objects.count() == active
    assert RoleProfile.objects.count() > 40
    per_person = Evidence.objects.count() / active
    assert 12 < per_person < 45
    assert SkillLevel.objects.filter(validated_level__isnull=False).count() > 0
    assert not Evidence.objects.filter(
        occurred_at__gt=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    ).exists()


def test_the_demo_manager_has_a_queue_and_a_matrix_with_gaps(demo):
    manager = demo.extras["demo_people"]["manager"]
    user = Person.objects.get(pk=manager.id).user
    queue = list(selectors.review_queue(user))
    assert 1 <= len(queue) <= 4
    matrix = selectors.team_matrix(user)
    assert matrix.people
    assert matrix.skills
    gaps = [cell for person in matrix.people for cell in matrix.row(person) if cell.gap]
    assert gaps


def test_ld_sees_org_gaps_with_bus_factor_and_experts(demo):
    ld = Person.objects.get(pk=demo.extras["demo_people"]["ld"].id).user
    analysis = selectors.org_gaps(ld)
    assert analysis.bus_factor
    assert any(gap.shortfall for gap in analysis.gaps)
    assert any(gap.experts for gap in analysis.gaps)
    heatmap = selectors.org_heatmap(ld)
    assert len(heatmap.rows) >= 5


def test_a_misspelt_search_finds_experts(demo):
    ld = Person.objects.get(pk=demo.extras["demo_people"]["ld"].id).user
    assert selectors.find_experts(ld, "kubernets")


def test_seeding_twice_adds_no_history(demo):
    before = Evidence.objects.count()
    seed_company(size="small", seed=1, today=TODAY, force=True)
    assert Evidence.objects.count() == before
