from __future__ import annotations

import datetime as dt

import pytest

from ecotone.goals import selectors, services
from ecotone.goals.models import Alignment, KeyResult
from ecotone.kernel.errors import DomainError, Forbidden


def test_create_cycle_checks_dates_and_names(org):
    executive = org.users["executive"]
    day = dt.date(2026, 1, 1)
    cycle = services.create_cycle(
        actor=executive, name="Q1", starts_on=day, ends_on=day + dt.timedelta(days=89)
    )
    assert (cycle.name, cycle.kind) == ("Q1", "quarter")
    with pytest.raises(DomainError) as error:
        services.create_cycle(actor=executive, name="q1", starts_on=day, ends_on=day)
    assert error.value.code == "name_taken"
    with pytest.raises(DomainError) as error:
        services.create_cycle(
            actor=executive, name="Q2", starts_on=day, ends_on=day - dt.timedelta(days=1)
        )
    assert error.value.code == "ends_before_start"
    with pytest.raises(Forbidden):
        services.create_cycle(actor=org.users["learner"], name="Q3", starts_on=day, ends_on=day)


def test_who_may_create_objectives(okrs):
    org, cycle = okrs.org, okrs.cycle
    with pytest.raises(Forbidden):
        services.create_objective(
            actor=org.users["manager"],
            cycle=cycle,
            level="company",
            title="Grow",
            owner=org.people["manager"],
        )
    with pytest.raises(Forbidden):
        services.create_objective(
            actor=org.users["learner"],
            cycle=cycle,
            level="team",
            title="Ours",
            owner=org.people["learner"],
            team=org.teams["platform"],
        )
    mine = services.create_objective(
        actor=org.users["learner"],
        cycle=cycle,
        level="personal",
        title="Ship the CLI",
        owner=org.people["learner"],
    )
    assert mine.team == org.teams["platform"]
    with pytest.raises(DomainError) as error:
        services.create_objective(
            actor=org.users["admin"], cycle=cycle, level="team", title="X", owner=org.people["ceo"]
        )
    assert error.value.code == "team_required"


def test_alignment_cycles_are_refused(okrs):
    org = okrs.org
    company, team = okrs.objectives["company"], okrs.objectives["team"]
    personal = services.create_objective(
        actor=org.users["learner"],
        cycle=okrs.cycle,
        level="personal",
        title="Learn Kubernetes",
        owner=org.people["learner"],
        parents=[team],
    )
    with pytest.raises(DomainError) as error:
        services.align_objective(actor=org.users["admin"], child=company, parent=personal)
    assert error.value.code == "alignment_cycle"
    with pytest.raises(DomainError) as error:
        services.align_objective(actor=org.users["admin"], child=team, parent=team)
    assert error.value.code == "alignment_cycle"
    assert Alignment.objects.count() == 2


def test_alignment_stays_within_a_cycle(okrs):
    other = services.create_cycle(
        actor=okrs.users["executive"],
        name="Last quarter",
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 3, 31),
    )
    old = services.create_objective(
        actor=okrs.users["executive"],
        cycle=other,
        level="company",
        title="Old",
        owner=okrs.people["executive"],
    )
    with pytest.raises(DomainError) as error:
        services.align_objective(
            actor=okrs.users["admin"], child=okrs.objectives["team"], parent=old
        )
    assert error.value.code == "other_cycle"


def test_key_result_validation(okrs):
    manager, team = okrs.users["manager"], okrs.objectives["team"]
    with pytest.raises(DomainError) as error:
        services.add_key_result(
            actor=manager, objective=team, title="Latency", start_value=200, target_value=100
        )
    assert error.value.code == "direction_mismatch"
    with pytest.raises(DomainError) as error:
        services.add_key_result(
            actor=manager, objective=team, title="Steps", metric="milestones", milestones=[]
        )
    assert error.value.code == "milestones_required"
    with pytest.raises(DomainError) as error:
        services.add_key_result(
            actor=manager, objective=team, title="Share", metric="percentage", target_value=120
        )
    assert error.value.code == "invalid_percentage"
    latency = services.add_key_result(
        actor=manager,
        objective=team,
        title="Latency",
        start_value=200,
        target_value=100,
        direction="decrease",
    )
    assert (latency.current_value, latency.progress) == (200, 0.0)


def test_check_ins_move_key_results_and_progress_rolls_up(okrs):
    manager, executive = okrs.users["manager"], okrs.users["executive"]
    company, team = okrs.objectives["company"], okrs.objectives["team"]
    clusters = services.add_key_result(
        actor=manager, objective=team, title="Clusters", start_value=0, target_value=4
    )
    launch = services.add_key_result(
        actor=manager,
        objective=team,
        title="Launch steps",
        metric="milestones",
        milestones=["Design", "Build", "Go live", "Review"],
    )
    contract = services.add_key_result(
        actor=executive, objective=company, title="Contract signed", metric="boolean"
    )
    check_in = services.check_in_key_result(
        actor=manager, key_result=clusters, value=2, confidence="at_risk", comment="Slow vendor"
    )
    assert (check_in.value, check_in.confidence, check_in.comment) == (2, "at_risk", "Slow vendor")
    services.check_in_key_result(actor=manager, key_result=launch, done_milestones=[0])
    services.check_in_key_result(actor=executive, key_result=contract, value=1)
    clusters.refresh_from_db()
    assert (clusters.current_value, clusters.confidence) == (2, "at_risk")
    tree = selectors.okr_tree(okrs.users["learner"], okrs.cycle)
    # team: mean of 0.5 and 0.25; company: mean of its key result (1.0) and the team (0.375)
    assert tree.nodes[team.pk].progress == pytest.approx(0.375)
    assert tree.nodes[company.pk].progress == pytest.approx(0.6875)
    assert [node.objective for node in tree.roots] == [company]
    assert [node.objective for node in tree.roots[0].children] == [team]


def test_cancelled_children_do_not_roll_up(okrs):
    manager, admin = okrs.users["manager"], okrs.users["admin"]
    company, team = okrs.objectives["company"], okrs.objectives["team"]
    services.add_key_result(
        actor=admin, objective=company, title="Revenue", start_value=0, target_value=10
    )
    key_result = KeyResult.objects.get(objective=company)
    services.check_in_key_result(actor=admin, key_result=key_result, value=5)
    services.update_objective(actor=manager, objective=team, status="cancelled")
    tree = selectors.okr_tree(admin, okrs.cycle)
    assert tree.nodes[company.pk].progress == pytest.approx(0.5)


def test_only_owners_and_editors_check_in(okrs):
    key_result = services.add_key_result(
        actor=okrs.users["manager"],
        objective=okrs.objectives["team"],
        title="Clusters",
        target_value=4,
        owner=okrs.people["peer"],
    )
    services.check_in_key_result(actor=okrs.users["peer"], key_result=key_result, value=1)
    with pytest.raises(Forbidden):
        services.check_in_key_result(actor=okrs.users["learner"], key_result=key_result, value=2)


def test_okr_tree_query_count(okrs, django_assert_num_queries):
    for index in range(5):
        objective = services.create_objective(
            actor=okrs.users["learner"],
            cycle=okrs.cycle,
            level="personal",
            title=f"Personal {index}",
            owner=okrs.people["learner"],
            parents=[okrs.objectives["team"]],
        )
        services.add_key_result(
            actor=okrs.users["learner"], objective=objective, title="KR", target_value=3
        )
        services.set_skill_demand(
            actor=okrs.users["learner"],
            objective=objective,
            skill=okrs.skills["sql"],
            min_level=2,
        )
    viewer = okrs.users["peer"]
    with django_assert_num_queries(8):
        tree = selectors.okr_tree(viewer, okrs.cycle)
    assert len(tree) == 7
