from __future__ import annotations

import pytest

from ecotone.goals import selectors, services
from ecotone.kernel.errors import Forbidden
from ecotone.skills import requirements
from ecotone.skills import selectors as skill_selectors
from ecotone.skills import services as skill_services


def validate(manager, person, skill, level):
    skill_services.record_evidence(
        actor=manager.user, person=person, skill=skill, source="manager", level=level
    )


@pytest.fixture
def staffed(okrs):
    """The platform team's objective needs two people at Kubernetes 3 from the platform team."""
    manager, learner, peer = okrs.people["manager"], okrs.people["learner"], okrs.people["peer"]
    kubernetes = okrs.skills["kubernetes"]
    validate(manager, learner, kubernetes, 3)
    validate(manager, peer, kubernetes, 2)
    validate(okrs.people["ceo"], okrs.people["outsider"], kubernetes, 4)
    services.set_skill_demand(
        actor=manager.user,
        objective=okrs.objectives["team"],
        skill=kubernetes,
        min_level=3,
        needed=2,
        team=okrs.org.teams["platform"],
    )
    return okrs


def test_readiness_counts_qualified_close_and_learning_within_the_team(staffed):
    peer = staffed.people["peer"]
    services.create_goal(
        actor=peer.user,
        person=peer,
        kind="skill",
        skill=staffed.skills["kubernetes"],
        target_level=3,
    )
    page = selectors.objective_page(staffed.users["executive"], staffed.objectives["team"])
    (item,) = page.readiness.demands
    assert (item.needed, item.qualified, item.one_away, item.learning, item.shortfall) == (
        2,
        1,
        1,
        1,
        1,
    )
    assert item.qualified_people == [staffed.people["learner"]]
    assert item.close_people == [peer]
    assert item.learning_people == [peer]
    assert (page.readiness.percent, page.readiness.band) == (50, "warning")


def test_company_wide_demand_counts_everyone(staffed):
    services.set_skill_demand(
        actor=staffed.users["executive"],
        objective=staffed.objectives["company"],
        skill=staffed.skills["kubernetes"],
        min_level=3,
        needed=2,
    )
    page = selectors.objective_page(staffed.users["learner"], staffed.objectives["company"])
    assert page.readiness.demands[0].qualified == 2
    assert page.readiness.percent == 100


def test_org_readiness_sorts_by_risk(staffed, django_assert_num_queries):
    services.set_skill_demand(
        actor=staffed.users["executive"],
        objective=staffed.objectives["company"],
        skill=staffed.skills["sql"],
        min_level=2,
        needed=3,
    )
    executive = staffed.users["executive"]
    with django_assert_num_queries(8):
        rows = selectors.org_readiness(executive, staffed.cycle)
    assert [(row.objective.title, row.readiness.percent) for row in rows] == [
        ("Launch in Europe", 0),
        ("Run the EU cluster", 50),
    ]
    with pytest.raises(Forbidden):
        selectors.org_readiness(staffed.users["manager"], staffed.cycle)


def test_objective_demand_is_a_requirement_source_weighted_by_priority(staffed):
    learner = staffed.people["learner"]
    services.set_skill_demand(
        actor=staffed.users["executive"],
        objective=staffed.objectives["company"],
        skill=staffed.skills["sql"],
        min_level=2,
        needed=3,
    )
    needs = requirements.for_person(learner)
    kubernetes = needs[staffed.skills["kubernetes"].pk]
    assert (kubernetes.target_level, kubernetes.source, kubernetes.required) == (
        3,
        "objective_demand",
        False,
    )
    assert kubernetes.weight == 1.0
    analysis = skill_selectors.org_gaps(staffed.users["executive"])
    by_skill = {gap.skill.slug: gap for gap in analysis.gaps}
    assert (by_skill["sql"].needed, by_skill["sql"].required) == (3, True)
    assert (by_skill["kubernetes"].needed, by_skill["kubernetes"].qualified) == (2, 2)
    group = requirements.for_people(skill_selectors.active_people())
    assert group[(None, staffed.skills["sql"].pk)].weight == 2.0


def test_suggestions_say_why(staffed):
    from ecotone.skills.models import Interest

    peer = staffed.people["peer"]
    Interest.objects.create(person=peer, skill=staffed.skills["python"], kind="learn")
    found = selectors.suggestions(peer.user, peer)
    by_skill = {item.skill.slug: item for item in found}
    assert set(by_skill) == {"python", "kubernetes"}
    assert by_skill["python"].reasons == ["You want to learn it."]
    assert by_skill["python"].target_level == 1
    kubernetes = by_skill["kubernetes"]
    assert kubernetes.reasons == [
        "“Run the EU cluster” needs 2 people at level 3; 1 qualify today."
    ]
    assert kubernetes.objective == staffed.objectives["team"]
    assert kubernetes.target_level == 3
    services.create_goal(
        actor=peer.user,
        person=peer,
        kind="skill",
        skill=staffed.skills["kubernetes"],
        target_level=3,
    )
    assert [item.skill.slug for item in selectors.suggestions(peer.user, peer)] == ["python"]
