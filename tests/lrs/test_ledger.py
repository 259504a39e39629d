"""The activity ledger, inbound evidence and the statement browser."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import transaction
from django.utils import timezone

from ecotone.lrs import evidence, ledger, profile, selectors, services
from ecotone.lrs.models import Statement
from tests.lrs.conftest import make_xapi, statement


def test_record_learning_event_follows_the_profile(staff, settings):
    settings.ECOTONE_XAPI_BASE = "https://learn.example/xapi/activities/"
    learner = staff["learner"]
    registration = uuid.uuid4()
    statement_id = services.record_learning_event(
        actor=learner,
        verb="completed",
        activity="courses/12/lessons/3",
        activity_type="lesson",
        name="Window functions",
        parent="courses/12",
        registration=registration,
        result={"completion": True},
        extensions={"skill": "sql"},
    )
    stored = json.loads(Statement.objects.get(statement_id=statement_id).payload)
    assert stored["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://127.0.0.1:8000", "name": str(learner.pk)},
        "name": "Leo",
    }
    assert stored["verb"] == {
        "id": "http://adlnet.gov/expapi/verbs/completed",
        "display": {"en": "completed"},
    }
    assert stored["object"] == {
        "objectType": "Activity",
        "id": "https://learn.example/xapi/activities/courses/12/lessons/3",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/lesson",
            "name": {"en": "Window functions"},
        },
    }
    assert stored["context"] == {
        "platform": "Ecotone",
        "language": "en",
        "contextActivities": {
            "parent": [{"id": "https://learn.example/xapi/activities/courses/12"}]
        },
        "registration": str(registration),
        "extensions": {"https://w3id.org/xapi/ecotone/extensions/skill": "sql"},
    }
    assert stored["authority"] == services.system_authority()
    assert stored["result"] == {"completion": True}


def _failing_domain_change(user) -> None:
    with transaction.atomic():
        services.record_learning_event(actor=user, verb="attended", activity="events/1")
        raise RuntimeError("the domain change failed")


def test_the_ledger_writes_in_the_callers_transaction(staff):
    with pytest.raises(RuntimeError):
        _failing_domain_change(staff["learner"])
    assert Statement.objects.count() == 0


def test_re_recording_the_same_event_is_a_no_op(staff):
    event_id = uuid.uuid4()
    for _ in range(2):
        services.record_learning_event(
            actor=staff["learner"], verb="passed", activity="quizzes/1", statement_id=event_id
        )
    assert Statement.objects.count() == 1


def test_every_profile_verb_and_type_is_valid(staff):
    for index, verb in enumerate(profile.VERBS):
        activity_type = list(profile.ACTIVITY_TYPES)[index % len(profile.ACTIVITY_TYPES)]
        services.record_learning_event(
            actor=staff["learner"],
            verb=verb,
            activity=f"things/{index}",
            activity_type=activity_type,
        )
    assert Statement.objects.count() == len(profile.VERBS)


def test_inbound_evidence_for_mapped_and_own_activities(staff, settings):
    settings.ECOTONE_XAPI_BASE = "https://learn.example/xapi/activities/"
    admin = staff["admin"]
    services.map_activity(
        actor=admin, activity_iri="https://lms.example/courses/sql", skill_refs=["sql"]
    )
    tool = make_xapi(admin, scopes=["statements/write"])
    completed = "http://adlnet.gov/expapi/verbs/completed"
    leo = {"mbox": "mailto:leo@example.com"}
    mapped = tool.post(
        "statements",
        statement(
            actor=leo,
            verb={"id": completed},
            object={"id": "https://lms.example/courses/sql"},
            result={"success": True, "score": {"scaled": 0.9}},
        ),
    ).json()[0]
    own = tool.post(
        "statements",
        statement(
            actor={"account": {"homePage": "http://127.0.0.1:8000", "name": str(admin.pk)}},
            verb={"id": "http://adlnet.gov/expapi/verbs/passed"},
            object={"id": "https://learn.example/xapi/activities/courses/7"},
        ),
    ).json()[0]
    tool.post("statements", statement(actor=leo, verb={"id": completed}))  # unmapped: stored only
    tool.post(
        "statements",
        statement(
            actor=leo,
            verb={"id": "http://adlnet.gov/expapi/verbs/attempted"},
            object={"id": "https://lms.example/courses/sql"},
        ),
    )  # not an evidence verb
    services.record_learning_event(actor=staff["learner"], verb="completed", activity="courses/7")
    batch = evidence.recognised_evidence()
    assert [(r.statement_id, r.user_id, r.skill_refs, r.ecotone_path) for r in batch.records] == [
        (mapped, staff["learner"].pk, ("sql",), None),
        (own, admin.pk, (), "courses/7"),
    ]
    assert batch.records[0].success is True
    assert batch.records[0].score_scaled == 0.9
    assert evidence.recognised_evidence(after_seq=batch.cursor).records == []


def test_recognised_evidence_queries_are_constant(staff, django_assert_num_queries):
    admin = staff["admin"]
    services.map_activity(actor=admin, activity_iri="https://lms.example/c", skill_refs=["sql"])
    tool = make_xapi(admin, scopes=["statements/write"])
    tool.post(
        "statements",
        [
            statement(
                actor={"mbox": f"mailto:p{i}@example.com"},
                object={"id": "https://lms.example/c"},
            )
            for i in range(20)
        ],
    )
    with django_assert_num_queries(3):
        assert len(evidence.recognised_evidence().records) == 20


def test_voided_statements_are_not_evidence(staff):
    admin = staff["admin"]
    services.map_activity(actor=admin, activity_iri="https://lms.example/c", skill_refs=["sql"])
    tool = make_xapi(admin, scopes=["statements/write"])
    target = tool.post("statements", statement(object={"id": "https://lms.example/c"})).json()[0]
    tool.post(
        "statements",
        statement(
            verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
            object={"objectType": "StatementRef", "id": target},
        ),
    )
    assert evidence.recognised_evidence().records == []


# --- The statement browser ------------------------------------------------------------------------


def test_browser_lists_filters_and_pages(client, staff, django_assert_num_queries):
    for index in range(60):
        services.record_learning_event(
            actor=staff["learner"], verb="completed", activity=f"courses/{index}", name=f"C{index}"
        )
    client.force_login(staff["ld"])
    client.get("/xapi/browse/")
    with django_assert_num_queries(7):  # constant, whatever the page size
        response = client.get("/xapi/browse/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 50
    assert response.context["rows"][0].target == "C59"
    more = response.context["more"]
    older = client.get("/xapi/browse/", {"more": more})
    assert [row.target for row in older.context["rows"]] == [f"C{i}" for i in range(9, -1, -1)]
    filtered = client.get(
        "/xapi/browse/", {"activity": "http://127.0.0.1:8000/xapi/activities/courses/3"}
    )
    assert [row.target for row in filtered.context["rows"]] == ["C3"]


def test_browser_pages_keep_the_filters(client, staff):
    for index in range(55):
        services.record_learning_event(
            actor=staff["learner"], verb="completed", activity=f"courses/{index}", name=f"C{index}"
        )
    services.record_learning_event(
        actor=staff["learner"], verb="attempted", activity="courses/99", name="Attempt"
    )
    client.force_login(staff["ld"])
    completed = "http://adlnet.gov/expapi/verbs/completed"
    first = client.get("/xapi/browse/", {"verb": completed})
    assert len(first.context["rows"]) == 50
    assert first.context["rows"][0].timestamp <= timezone.now()
    link = f"verb={quote(completed, safe='')}&amp;more="
    assert link in first.content.decode()
    older = client.get("/xapi/browse/", {"verb": completed, "more": first.context["more"]})
    assert [row.target for row in older.context["rows"]] == [f"C{i}" for i in range(4, -1, -1)]
    assert older.context["form"]["verb"].value() == completed  # the form still shows the filter
    damaged = client.get("/xapi/browse/", {"verb": completed, "more": "not-a-token"})
    assert damaged.status_code == 200
    assert damaged.context["rows"][0].target == "C54"  # the first page of the same filter
    nothing = client.get("/xapi/browse/", {"verb": "https://example.com/never"})
    assert b"No statements match" in nothing.content


def test_browser_shows_the_raw_json(client, staff):
    statement_id = services.record_learning_event(
        actor=staff["learner"], verb="completed", activity="courses/1"
    )
    client.force_login(staff["admin"])
    response = client.get(f"/xapi/browse/{statement_id}/")
    assert response.status_code == 200
    assert statement_id.encode() in response.content
    assert b"Raw JSON" in response.content
    assert client.get(f"/xapi/browse/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize("role", ["learner", "manager", "executive"])
def test_browser_is_for_admins_and_ld(client, staff, role):
    client.force_login(staff[role])
    assert client.get("/xapi/browse/").status_code == 403


def test_person_timeline_follows_the_privacy_rules(staff, django_assert_num_queries):
    from ecotone.kernel.errors import Forbidden
    from ecotone.lrs.selectors import person_timeline
    from ecotone.people.models import Person

    learner = Person.objects.get(user=staff["learner"])
    services.record_learning_event(actor=staff["learner"], verb="completed", activity="courses/1")
    tool = make_xapi(staff["admin"], scopes=["statements/write"])
    tool.post("statements", statement(actor={"mbox": "mailto:leo@example.com"}))
    tool.post("statements", statement(actor={"mbox": "mailto:someone-else@example.com"}))
    for role in ("learner", "manager", "ld", "admin"):
        viewer = staff[role]
        person_timeline(viewer, learner)
        with django_assert_num_queries(2):
            timeline = person_timeline(viewer, learner)
        assert [row.verb for row in timeline.entries] == ["completed", "completed"]
    with pytest.raises(Forbidden):
        person_timeline(staff["executive"], learner)


# --- Backfill: sources merged by timestamp --------------------------------------------------------


class _Steps:
    """A progress that remembers what it was told."""

    def __init__(self) -> None:
        self.started: list[tuple[str, int]] = []
        self.done = 0

    def start(self, label: str, total: int) -> None:
        self.started.append((label, total))

    def advance(self, amount: int = 1) -> None:
        self.done += amount


@pytest.fixture
def two_sources(staff):
    """Two registered sources of a learner's history, days interleaved."""
    learner = staff["learner"]
    base = timezone.now() - timedelta(days=10)

    def source(name: str, days: list[int]):
        def statements():
            for day in days:
                yield profile.build_statement(
                    actor=learner,
                    verb="attended",
                    activity=f"{name}/{day}",
                    timestamp=base + timedelta(days=day),
                    statement_id=profile.event_id(name, day),
                )

        ledger.register_backfill(name, label=name, count=lambda: len(days), statements=statements)

    source("test.a", [0, 4, 8])
    source("test.b", [1, 2, 9])
    yield learner
    del ledger._sources["test.a"], ledger._sources["test.b"]


def _activities() -> list[str]:
    rows = Statement.objects.order_by("stored", "seq").values_list("payload", flat=True)
    return [json.loads(row)["object"]["id"].rsplit("activities/", 1)[-1] for row in rows]


def test_backfill_stores_every_source_in_event_order(two_sources, staff):
    steps = _Steps()
    written = ledger.backfill(progress=steps, batch_size=2)
    assert (written["test.a"], written["test.b"]) == (3, 3)
    assert _activities() == ["test.a/0", "test.b/1", "test.b/2", "test.a/4", "test.a/8", "test.b/9"]
    assert steps.started == [("Activity ledger history", 6)]
    assert steps.done == 6
    # the timeline reads in stored order: here, the order the events happened
    person = staff["learner"].person
    timeline = selectors.person_timeline(staff["learner"], person, limit=4)
    whens = [entry.when for entry in timeline.entries]
    assert whens == sorted(whens, reverse=True)
    assert next(entry.target for entry in timeline.entries).endswith("test.b/9")
    again = ledger.backfill()
    assert (again["test.a"], again["test.b"]) == (0, 0)
    assert Statement.objects.count() == 6


def test_backfill_skips_what_is_stored_and_can_run_one_source(two_sources):
    statement = next(ledger._sources["test.b"].statements())
    services.store_statements(statements=[statement])
    steps = _Steps()
    assert ledger.backfill(progress=steps, only="test.b") == {"test.b": 2}
    assert steps.started == [("test.b", 3)]
    assert ledger.backfill(batch_size=1)["test.a"] == 3
    # each run stores in event order; a later run's history sorts after what was stored before
    assert _activities() == ["test.b/1", "test.b/2", "test.b/9", "test.a/0", "test.a/4", "test.a/8"]
