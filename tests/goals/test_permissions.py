from __future__ import annotations

from ecotone.authz.testing import check_matrix
from ecotone.goals import services
from ecotone.goals.models import KeyResult, LearningGoal


def test_okr_permissions(okrs):
    org = okrs.org
    personal = services.create_objective(
        actor=org.users["learner"],
        cycle=okrs.cycle,
        level="personal",
        title="Mine",
        owner=org.people["learner"],
    )
    key_result = KeyResult.objects.create(
        objective=okrs.objectives["team"], title="Clusters", owner=org.people["peer"]
    )
    check_matrix(
        """
        actor      permission               target     allowed
        learner    goals.view_okrs          -          yes
        anonymous  goals.view_okrs          -          no
        executive  goals.manage_cycles      -          yes
        ld         goals.manage_cycles      -          yes
        manager    goals.manage_cycles      -          no
        executive  goals.change_objective   company    yes
        admin      goals.change_objective   company    yes
        manager    goals.change_objective   company    no
        ld         goals.change_objective   company    no
        manager    goals.change_objective   team       yes
        ceo        goals.change_objective   team       yes
        learner    goals.change_objective   team       no
        learner    goals.change_objective   personal   yes
        manager    goals.change_objective   personal   yes
        peer       goals.change_objective   personal   no
        peer       goals.check_in           kr         yes
        manager    goals.check_in           kr         yes
        learner    goals.check_in           kr         no
        ld         goals.view_readiness     -          yes
        executive  goals.view_readiness     -          yes
        manager    goals.view_readiness     -          no
        learner    goals.view_readiness     -          no
        """,
        actors=org.users,
        targets={**okrs.objectives, "personal": personal, "kr": key_result},
    )


def goal(person, visibility, status="active"):
    return LearningGoal.objects.create(
        person=person,
        kind="custom",
        title=f"{visibility} {status}",
        target_value=1,
        visibility=visibility,
        status=status,
    )


def test_learning_goal_permissions(org):
    learner = org.people["learner"]
    targets = {
        "private": goal(learner, "private"),
        "team": goal(learner, "team"),
        "everyone": goal(learner, "everyone"),
        "draft": goal(learner, "everyone", status="draft"),
        **org.people,
    }
    check_matrix(
        """
        actor      permission            target     allowed
        learner    goals.view_goal       private    yes
        manager    goals.view_goal       private    yes
        ceo        goals.view_goal       private    yes
        ld         goals.view_goal       private    yes
        admin      goals.view_goal       private    yes
        peer       goals.view_goal       private    no
        outsider   goals.view_goal       private    no
        executive  goals.view_goal       private    no
        anonymous  goals.view_goal       private    no
        peer       goals.view_goal       team       yes
        outsider   goals.view_goal       team       no
        outsider   goals.view_goal       everyone   yes
        peer       goals.view_goal       draft      no
        manager    goals.view_goal       draft      yes
        learner    goals.change_goal     private    yes
        manager    goals.change_goal     private    no
        ld         goals.change_goal     private    no
        manager    goals.coach_goal      private    yes
        ceo        goals.coach_goal      private    yes
        learner    goals.coach_goal      private    no
        peer       goals.coach_goal      everyone   no
        learner    goals.create_goal     learner    yes
        manager    goals.create_goal     learner    yes
        ceo        goals.create_goal     learner    yes
        peer       goals.create_goal     learner    no
        ld         goals.create_goal     learner    no
        manager    goals.view_team_goals learner    yes
        peer       goals.view_team_goals learner    no
        """,
        actors=org.users,
        targets=targets,
    )
