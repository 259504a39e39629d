from __future__ import annotations

import datetime as dt

import pytest

from ecotone.goals import selectors
from ecotone.goals.models import Cycle, LearningGoal, Objective, SkillDemand
from ecotone.people.models import Person
from ecotone.people.seeding import seed_company

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def demo(db):
    return seed_company(size="small", seed=1, today=TODAY)


def test_the_demo_has_okrs_demand_and_goals(demo):
    assert list(Cycle.objects.values_list("name", flat=True)) == ["Q4 2026", "Q3 2026"]
    current = Cycle.objects.get(name="Q4 2026")
    levels = set(Objective.objects.filter(cycle=current).values_list("level", flat=True))
    assert levels == {"company", "team", "personal"}
    assert Objective.objects.filter(cycle__name="Q3 2026", status="done").exists()
    assert SkillDemand.objects.filter(objective__cycle=current).count() > 20
    statuses = set(LearningGoal.objects.values_list("status", flat=True))
    assert {"achieved", "active", "proposed"} <= statuses
    people = Person.objects.filter(status=Person.Status.ACTIVE).count()
    assert LearningGoal.objects.values("person").distinct().count() > people // 4


def test_the_demo_shows_readiness_gaps_and_suggestions(demo):
    logins = {login.role: login for login in demo.logins}
    executive = Person.objects.get(user__email=logins["executive"].email).user
    cycle = selectors.current_cycle(executive)
    rows = selectors.org_readiness(executive, cycle)
    worst = next(row for row in rows if row.objective.level == "company")
    assert worst.readiness.score < 0.8
    assert any(item.shortfall for item in worst.readiness.demands)
    learner = Person.objects.get(user__email=logins["learner"].email)
    found = selectors.suggestions(learner.user, learner)
    assert any(item.objective is not None for item in found)
    assert LearningGoal.objects.filter(person=learner, status="proposed").count() == 1
    manager = Person.objects.get(user__email=logins["manager"].email)
    team = selectors.team_goals(manager.user)
    assert team.rows
