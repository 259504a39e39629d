"""Learning in the activity ledger: the backfill sources agree with the live writes."""

from __future__ import annotations

import datetime as dt
import json
from datetime import datetime

from django.utils import timezone

from ecotone.content import ledger as content_ledger
from ecotone.content.models import ContentRequest, Enrolment, QuizAttempt
from ecotone.content.services import learning, requests
from ecotone.lrs import ledger, selectors
from ecotone.lrs.models import Statement, StatementKey
from ecotone.skills.models import Evidence

CONTENT = ("content.attempts", "content.completions", "content.enrolments", "content.requests")
RIGHT = {"0": [0], "1": [0]}
WRONG = {"0": [1], "1": [1]}


def _learn(org, library) -> Enrolment:
    """Leo learns the whole course inside Ecotone (a failed attempt first) and asks for more."""
    leo = org.people["learner"].user
    enrolment = learning.enrol(actor=leo, course=library.course)
    learning.complete_lesson(actor=leo, enrolment=enrolment, lesson_key=str(library.lesson.key))
    for answers in (WRONG, RIGHT):
        learning.submit_quiz(
            actor=leo, enrolment=enrolment, lesson_key=str(library.quiz.key), answers=answers
        )
    requests.create_request(actor=leo, topic="Window functions")
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    return enrolment


def _stored() -> dict[str, dict]:
    return {
        str(row.statement_id): json.loads(row.payload)
        for row in Statement.objects.order_by("stored", "seq")
    }


def _forget_the_ledger() -> None:
    """History without statements: as an install that had the data before the ledger."""
    StatementKey.objects.all().delete()
    Statement.objects.all().delete()


def _content(written: dict[str, int]) -> dict[str, int]:
    return {name: written[name] for name in CONTENT}


def test_live_writes_and_backfill_are_the_same_statements(org, library):
    _learn(org, library)
    live = _stored()
    assert len(live) == 6  # registered, lesson, failed, passed, completed, requested
    assert _content(ledger.backfill()) == dict.fromkeys(CONTENT, 0)
    assert Statement.objects.count() == 6

    _forget_the_ledger()
    written = ledger.backfill()
    assert _content(written) == {
        "content.attempts": 2,
        "content.completions": 1,
        "content.enrolments": 1,
        "content.requests": 1,
    }
    backfilled = _stored()
    lesson = [sid for sid, data in live.items() if data["object"]["id"].count("/lessons/")]
    assert set(backfilled) == set(live) - set(lesson)  # the same ids: written once, ever
    for statement_id, data in backfilled.items():
        original = live[statement_id]
        for part in ("actor", "verb", "object", "result", "context"):
            assert data.get(part) == original.get(part), (part, data["verb"])
        assert datetime.fromisoformat(data["timestamp"]) == datetime.fromisoformat(
            original["timestamp"]
        )
    assert _content(ledger.backfill()) == dict.fromkeys(CONTENT, 0)
    assert Statement.objects.count() == 5


def test_backfilled_history_carries_its_times_and_reads_in_event_order(org, library):
    enrolment = _learn(org, library)
    _forget_the_ledger()
    now = timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=now - dt.timedelta(days=20), completed_at=now - dt.timedelta(days=5)
    )
    for attempt in QuizAttempt.objects.order_by("number"):
        attempt.created_at = now - dt.timedelta(days=12 - attempt.number * 6)  # 6 and 0 days ago
        attempt.save(update_fields=["created_at"])
    ContentRequest.objects.update(created_at=now - dt.timedelta(days=30))
    Evidence.objects.create(  # another app's history, between the two attempts
        person=org.people["learner"],
        skill=library.skills["python"],
        source="self",
        level=2,
        author=org.people["learner"].user,
        occurred_at=now - dt.timedelta(days=3),
    )
    assert sum(ledger.backfill().values()) == 6
    rows = [json.loads(row.payload) for row in Statement.objects.order_by("stored", "seq")]
    verbs = [row["verb"]["display"]["en"] for row in rows]
    assert verbs == ["requested", "registered", "failed", "completed", "rated", "passed"]
    times = [datetime.fromisoformat(row["timestamp"]) for row in rows]
    assert times == sorted(times)
    ms = dt.timedelta(milliseconds=1)
    assert abs(times[0] - (now - dt.timedelta(days=30))) < ms  # the request's real time
    assert abs(times[1] - (now - dt.timedelta(days=20))) < ms  # the enrolment's
    leo = org.people["learner"]
    timeline = selectors.person_timeline(leo.user, leo, limit=20)
    assert [entry.when for entry in timeline.entries] == sorted(times, reverse=True)
    assert sum(ledger.backfill().values()) == 0


def test_the_sources_are_registered_and_counted(org, library):
    _learn(org, library)
    counts = {source.name: source.count() for source in ledger.sources()}
    assert {name: counts[name] for name in CONTENT} == {
        "content.attempts": 2,
        "content.completions": 1,
        "content.enrolments": 1,
        "content.requests": 1,
    }
    assert content_ledger.REQUEST_KIND == "content.request"


def test_the_sources_stream_in_a_constant_number_of_queries(
    org, library, skills, django_assert_num_queries
):
    _learn(org, library)
    for _ in range(3):
        requests.create_request(actor=org.people["manager"].user, topic="Kubernetes")
    sources = {source.name: source for source in ledger.sources()}
    with django_assert_num_queries(1):
        assert len(list(sources["content.requests"].statements())) == 4
    with django_assert_num_queries(2):  # the attempts, and their version once
        assert len(list(sources["content.attempts"].statements())) == 2


def test_the_seed_backfills_after_every_step_that_writes_history():
    from ecotone.people.seeding.pipeline import steps

    order = [step.name for step in steps()]
    backfill = order.index("ledger_backfill")
    for history in ("skills_history", "goals_learning", "content_learning"):
        assert order.index(history) < backfill
    assert backfill < order.index("search_index")
