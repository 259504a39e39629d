"""Achieved goals in the activity ledger: the backfill writes what the live code would have."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from ecotone.goals import ledger as goals_ledger
from ecotone.goals import services
from ecotone.goals.models import LearningGoal
from ecotone.lrs import ledger, profile
from ecotone.lrs.models import Statement, StatementKey


def _achieved(okrs) -> LearningGoal:
    learner = okrs.people["learner"]
    goal = services.create_goal(
        actor=learner.user, person=learner, kind="custom", title="Write posts", target_value=4
    )
    services.achieve_goal(actor=learner.user, goal=goal)
    goal.refresh_from_db()
    return goal


def _payloads() -> list[dict]:
    return [json.loads(row.payload) for row in Statement.objects.order_by("stored", "seq")]


def test_the_live_statement_has_the_event_id_and_time(okrs):
    goal = _achieved(okrs)
    [live] = _payloads()
    assert live["id"] == str(profile.event_id(goals_ledger.EVENT_KIND, goal.pk))
    assert dt.datetime.fromisoformat(live["timestamp"]) == goal.achieved_at
    assert ledger.backfill(only=goals_ledger.EVENT_KIND) == {goals_ledger.EVENT_KIND: 0}
    assert Statement.objects.count() == 1


def test_backfill_writes_achieved_goals_once_with_their_time(okrs):
    live = _achieved(okrs)
    [original] = _payloads()
    StatementKey.objects.all().delete()
    Statement.objects.all().delete()
    learner = okrs.people["learner"]
    before = LearningGoal.objects.create(  # achieved before the ledger, as the demo seed writes
        person=learner,
        kind="skill",
        title="Reach level 3 in SQL",
        skill=okrs.skills["sql"],
        target_level=3,
        status=LearningGoal.Status.ACHIEVED,
        achieved_at=timezone.now() - dt.timedelta(days=40),
        progress=1.0,
    )
    LearningGoal.objects.create(person=learner, kind="custom", title="Open", target_value=2)
    assert ledger.backfill(only=goals_ledger.EVENT_KIND) == {goals_ledger.EVENT_KIND: 2}
    assert ledger.backfill(only=goals_ledger.EVENT_KIND) == {goals_ledger.EVENT_KIND: 0}
    older, again = _payloads()  # in event order
    assert older["id"] == str(profile.event_id(goals_ledger.EVENT_KIND, before.pk))
    assert dt.datetime.fromisoformat(older["timestamp"]) == before.achieved_at
    assert older["context"]["extensions"] == {
        profile.EXTENSIONS["skill"]: f"skills/{okrs.skills['sql'].pk}",
        profile.EXTENSIONS["level"]: 3,
    }
    assert again["id"] == original["id"] == str(profile.event_id("goals.achieved", live.pk))
    for part in ("actor", "verb", "object", "result", "context", "timestamp"):
        assert again[part] == original[part]
