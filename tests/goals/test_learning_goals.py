from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from ecotone.goals import progress, selectors, services
from ecotone.goals.models import LearningGoal
from ecotone.kernel.errors import DomainError, Forbidden, NotFound
from ecotone.lrs.models import Statement
from ecotone.notifications.models import Notification
from ecotone.skills import services as skill_services


def test_learner_creates_an_active_skill_goal_linked_to_an_objective(okrs):
    learner = okrs.people["learner"]
    goal = services.create_goal(
        actor=learner.user,
        person=learner,
        kind="skill",
        skill=okrs.skills["kubernetes"],
        target_level=3,
        objectives=[okrs.objectives["team"]],
        motivation="Run the EU cluster",
    )
    assert (goal.status, goal.title, goal.start_level, goal.progress) == (
        "active",
        "Reach level 3 in Kubernetes",
        0,
        0.0,
    )
    assert list(goal.objectives.all()) == [okrs.objectives["team"]]
    assert list(goal.skills.all()) == [okrs.skills["kubernetes"]]


def test_goal_validation(okrs):
    learner = okrs.people["learner"]
    with pytest.raises(DomainError) as error:
        services.create_goal(actor=learner.user, person=learner, kind="skill", target_level=3)
    assert error.value.code == "skill_required"
    with pytest.raises(DomainError) as error:
        services.create_goal(
            actor=learner.user,
            person=learner,
            kind="skill",
            skill=okrs.skills["sql"],
            target_level=9,
        )
    assert error.value.code == "invalid_level"
    with pytest.raises(DomainError) as error:
        services.create_goal(actor=learner.user, person=learner, kind="custom", title="Blog")
    assert error.value.code == "target_value_required"
    with pytest.raises(DomainError) as error:
        services.create_goal(actor=learner.user, person=learner, kind="course")
    assert error.value.code == "target_required"


def test_a_goal_already_reached_is_refused(okrs):
    learner, manager = okrs.people["learner"], okrs.people["manager"]
    skill_services.record_evidence(
        actor=manager.user, person=learner, skill=okrs.skills["sql"], source="manager", level=3
    )
    with pytest.raises(DomainError) as error:
        services.create_goal(
            actor=learner.user,
            person=learner,
            kind="skill",
            skill=okrs.skills["sql"],
            target_level=3,
        )
    assert error.value.code == "already_reached"


def test_manager_proposes_and_the_report_accepts(okrs):
    learner, manager = okrs.people["learner"], okrs.people["manager"]
    goal = services.create_goal(
        actor=manager.user,
        person=learner,
        kind="skill",
        skill=okrs.skills["python"],
        target_level=2,
    )
    assert (goal.status, goal.proposed_by) == ("proposed", manager)
    assert (
        Notification.objects.filter(recipient=learner.user, kind="goals.goal_proposed").count() == 1
    )
    with pytest.raises(Forbidden):
        services.accept_goal(actor=manager.user, goal=goal)
    services.accept_goal(actor=learner.user, goal=goal, target_level=3)
    goal.refresh_from_db()
    assert (goal.status, goal.target_level) == ("active", 3)
    assert (
        Notification.objects.filter(recipient=manager.user, kind="goals.goal_accepted").count() == 1
    )
    services.cosign_goal(actor=manager.user, goal=goal)
    services.comment_on_goal(actor=manager.user, goal=goal, body="Pair with Pia on reviews")
    goal.refresh_from_db()
    assert goal.cosigned_by == manager
    assert goal.comments.get().body == "Pair with Pia on reviews"


def test_peers_cannot_propose_goals(okrs):
    with pytest.raises(Forbidden):
        services.create_goal(
            actor=okrs.users["peer"],
            person=okrs.people["learner"],
            kind="talk",
            target_value=1,
        )


def test_a_validated_rating_moves_progress_and_achieves_the_goal(okrs):
    learner, manager = okrs.people["learner"], okrs.people["manager"]
    python = okrs.skills["python"]
    goal = services.create_goal(
        actor=learner.user, person=learner, kind="skill", skill=python, target_level=4
    )
    skill_services.record_evidence(
        actor=learner.user, person=learner, skill=python, source="self", level=4
    )
    goal.refresh_from_db()
    assert goal.progress == 0.0  # a self-rating is not validation
    skill_services.record_evidence(
        actor=manager.user, person=learner, skill=python, source="manager", level=2
    )
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (0.5, "active")
    skill_services.record_evidence(
        actor=manager.user, person=learner, skill=python, source="manager", level=4
    )
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (1.0, "achieved")
    assert goal.achieved_at is not None
    statement = Statement.objects.get(verb_id="https://w3id.org/xapi/ecotone/verbs/achieved")
    data = json.loads(statement.payload)
    assert data["verb"]["id"] == "https://w3id.org/xapi/ecotone/verbs/achieved"
    assert data["object"]["id"].endswith(f"goals/{goal.pk}")
    assert (
        Notification.objects.filter(recipient=manager.user, kind="goals.goal_achieved").count() == 1
    )


def test_derived_goals_cannot_be_checked_in_to_completion(okrs):
    learner = okrs.people["learner"]
    goal = services.create_goal(
        actor=learner.user, person=learner, kind="skill", skill=okrs.skills["sql"], target_level=2
    )
    check_in = services.check_in_goal(
        actor=learner.user, goal=goal, value=100, confidence="at_risk", comment="Busy"
    )
    goal.refresh_from_db()
    assert (check_in.value, goal.progress, goal.last_check_in_at is not None) == (None, 0.0, True)
    with pytest.raises(DomainError) as error:
        services.achieve_goal(actor=learner.user, goal=goal)
    assert error.value.code == "derived_goal"


def test_custom_goals_progress_from_check_ins_and_are_declared_achieved(okrs):
    learner = okrs.people["learner"]
    goal = services.create_goal(
        actor=learner.user, person=learner, kind="custom", title="Write posts", target_value=4
    )
    services.check_in_goal(actor=learner.user, goal=goal, value=3)
    goal.refresh_from_db()
    assert goal.progress == 0.75
    services.achieve_goal(actor=learner.user, goal=goal)
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert Statement.objects.count() == 1


def test_completion_goals_take_progress_from_a_registered_source(okrs):
    learner = okrs.people["learner"]
    goal = services.create_goal(
        actor=learner.user, person=learner, kind="course", target_ref="course:7"
    )
    registered = progress.completion_source("course")  # the content app's, put back below
    progress.register_completion_source(
        "course", lambda pairs: {pair: 0.5 if pair[1] == "course:7" else 0.0 for pair in pairs}
    )
    try:
        services.refresh_goal_progress(person_id=learner.pk)
        goal.refresh_from_db()
        assert goal.progress == 0.5
        progress.register_completion_source("course", lambda pairs: dict.fromkeys(pairs, 1.0))
        achieved = services.refresh_goal_progress(person_id=learner.pk, kinds=["course"])
        assert [g.pk for g in achieved] == [goal.pk]
    finally:
        progress.unregister_completion_source("course")
        if registered is not None:
            progress.register_completion_source("course", registered)


def test_abandon_tells_the_proposer(okrs):
    learner, manager = okrs.people["learner"], okrs.people["manager"]
    goal = services.create_goal(
        actor=manager.user, person=learner, kind="talk", target_value=1, title="Talk at the guild"
    )
    services.abandon_goal(actor=learner.user, goal=goal, reason="No time this quarter")
    goal.refresh_from_db()
    assert goal.status == "abandoned"
    assert goal.comments.get().body == "No time this quarter"
    assert (
        Notification.objects.filter(recipient=manager.user, kind="goals.goal_abandoned").count()
        == 1
    )
    with pytest.raises(DomainError):
        services.abandon_goal(actor=learner.user, goal=goal)


def test_private_goals_are_hidden_from_peers(okrs):
    learner = okrs.people["learner"]
    goal = services.create_goal(
        actor=learner.user, person=learner, kind="talk", target_value=1, title="Talk"
    )
    with pytest.raises(NotFound):
        selectors.goal_for(okrs.users["peer"], goal.pk)
    assert selectors.goal_for(okrs.users["ceo"], goal.pk) == goal
    services.update_goal(actor=learner.user, goal=goal, visibility="team")
    assert selectors.goal_for(okrs.users["peer"], goal.pk) == goal
    with pytest.raises(NotFound):
        selectors.goal_for(okrs.users["outsider"], goal.pk)


def test_team_goals_flag_stalled_and_overdue(okrs, django_assert_num_queries):
    learner, peer, manager = okrs.people["learner"], okrs.people["peer"], okrs.people["manager"]
    stalled = services.create_goal(
        actor=learner.user, person=learner, kind="talk", target_value=1, title="Stalled"
    )
    overdue = services.create_goal(
        actor=peer.user,
        person=peer,
        kind="custom",
        target_value=3,
        title="Overdue",
        due_on=timezone.localdate(),
    )
    fresh = services.create_goal(
        actor=peer.user, person=peer, kind="mentor", target_value=1, title="Fresh"
    )
    long_ago = timezone.now() - dt.timedelta(days=40)
    LearningGoal.objects.filter(pk=stalled.pk).update(
        created_at=long_ago, progress_changed_at=long_ago
    )
    LearningGoal.objects.filter(pk=overdue.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    with django_assert_num_queries(2):
        team = selectors.team_goals(manager.user)
    flags = {row.goal.pk: (row.stalled, row.overdue) for row in team.rows}
    assert flags == {stalled.pk: (True, False), overdue.pk: (False, True), fresh.pk: (False, False)}
    assert (team.stalled, team.overdue) == (1, 1)
    assert [row.goal.pk for row in selectors.team_goals(manager.user, only="stalled").rows] == [
        stalled.pk
    ]


def test_scan_reminds_once_a_week(okrs):
    learner, manager = okrs.people["learner"], okrs.people["manager"]
    goal = services.create_goal(
        actor=learner.user, person=learner, kind="talk", target_value=1, title="Stalled"
    )
    long_ago = timezone.now() - dt.timedelta(days=40)
    LearningGoal.objects.filter(pk=goal.pk).update(
        created_at=long_ago, progress_changed_at=long_ago
    )
    counts = services.scan_goals()
    assert (counts["stalled"], counts["overdue"]) == (1, 0)
    assert (
        Notification.objects.filter(recipient=learner.user, kind="goals.check_in_due").count() == 1
    )
    assert (
        Notification.objects.filter(recipient=manager.user, kind="goals.team_goals_stalled").count()
        == 1
    )
    assert services.scan_goals()["stalled"] == 0
