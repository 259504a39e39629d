"""Skill evidence in the activity ledger: live statements, the backfill command, the seed step."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from ecotone.lrs import ledger, profile
from ecotone.lrs.models import Statement
from ecotone.skills import services
from ecotone.skills.ledger import EVENT_KIND
from ecotone.skills.models import Evidence

RATED = "https://w3id.org/xapi/ecotone/verbs/rated"
ENDORSED = "https://w3id.org/xapi/ecotone/verbs/endorsed"


def _agent(person) -> dict:
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(person.user.pk)},
        "name": person.display_name,
    }


def _statement(evidence: Evidence) -> dict:
    row = Statement.objects.get(statement_id=profile.event_id(EVENT_KIND, evidence.pk))
    return json.loads(row.payload)


def test_a_self_rating_is_a_rated_statement(org, framework):
    learner, python = org.people["learner"], framework.skills["python"]
    evidence = services.record_evidence(
        actor=learner.user, person=learner, skill=python, source="self", level=3
    )
    data = _statement(evidence)
    assert data["actor"] == _agent(learner)
    assert data["verb"] == {"id": RATED, "display": {"en": "rated"}}
    assert data["object"] == {
        "objectType": "Activity",
        "id": f"{profile.activity_base()}skills/{python.pk}",
        "definition": {"type": profile.ACTIVITY_TYPES["skill"], "name": {"en": "Python"}},
    }
    assert data["context"]["extensions"] == {
        profile.EXTENSIONS["skill"]: "python",
        profile.EXTENSIONS["level"]: 3,
    }
    assert "instructor" not in data["context"]


def test_an_assessment_names_the_manager_and_an_endorsement_the_peer(org, framework):
    learner, python = org.people["learner"], framework.skills["python"]
    assessed = services.record_evidence(
        actor=org.people["manager"].user, person=learner, skill=python, source="manager", level=4
    )
    endorsed = services.record_evidence(
        actor=org.people["peer"].user, person=learner, skill=python, source="peer"
    )
    assessment = _statement(assessed)
    assert assessment["verb"]["id"] == RATED
    assert assessment["context"]["instructor"] == _agent(org.people["manager"])
    endorsement = _statement(endorsed)
    assert endorsement["verb"]["id"] == ENDORSED
    assert endorsement["context"]["instructor"] == _agent(org.people["peer"])
    assert profile.EXTENSIONS["level"] not in endorsement["context"]["extensions"]


def test_evidence_from_other_apps_is_not_written_twice(org, framework):
    services.record_evidence(
        actor=services.SYSTEM,
        person=org.people["learner"],
        skill=framework.skills["sql"],
        source="xapi",
        link_type="lrs.statement",
        link_id="x",
    )
    assert not Statement.objects.exists()


def _history(org, framework) -> list[Evidence]:
    """Evidence as the demo seed writes it: straight to the table, without the service."""
    learner = org.people["learner"]
    when = timezone.now() - dt.timedelta(days=30)
    return [
        Evidence.objects.create(
            person=learner,
            skill=framework.skills["python"],
            source=source,
            level=level,
            author=author.user,
            occurred_at=when,
        )
        for source, level, author in (
            ("self", 2, learner),
            ("manager", 3, org.people["manager"]),
            ("peer", None, org.people["peer"]),
            ("course", 3, learner),
        )
    ]


def test_backfill_writes_history_once(org, framework):
    history = _history(org, framework)
    assert ledger.backfill()[EVENT_KIND] == 3
    assert ledger.backfill()[EVENT_KIND] == 0
    assert Statement.objects.count() == 3
    assert _statement(history[1])["timestamp"].startswith(history[1].occurred_at.date().isoformat())
    # the live write and the backfill agree: the service's statement id is the same event's
    live = services.record_evidence(
        actor=org.people["learner"].user,
        person=org.people["learner"],
        skill=framework.skills["sql"],
        source="self",
        level=1,
    )
    assert ledger.backfill()[EVENT_KIND] == 0
    assert _statement(live)["verb"]["id"] == RATED


def test_backfill_command_reports_and_lists(org, framework):
    _history(org, framework)
    out = StringIO()
    call_command("ledger_backfill", stdout=out)
    assert "3 skills.evidence statements written" in out.getvalue()
    out = StringIO()
    call_command("ledger_backfill", "--list", stdout=out)
    assert "skills.evidence" in out.getvalue()
    assert "(3 events)" in out.getvalue()


def test_the_seed_runs_the_backfill_after_the_skills_steps():
    from ecotone.people.seeding.pipeline import steps

    order = [step.name for step in steps()]
    assert order.index("ledger_backfill") > order.index("skills_history")
