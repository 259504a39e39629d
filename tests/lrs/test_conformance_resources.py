"""Conformance: the statements, agents, activities and about resources, and the protocol rules
every resource shares (xAPI 1.0.3 Communication 1-3, 7; xAPI 2.0 Communication).

Each requirement with its negative cases, for both versions (fixture ``xv``) unless it belongs to
one of them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from ecotone.lrs.models import Statement
from tests.lrs.conftest import attachment, new_id, statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
COMMENTED = "http://adlnet.gov/expapi/verbs/commented"
MENTORED = "http://example.com/verbs/mentored"
PLANNED = "http://example.com/verbs/planned"
COURSE = "http://example.com/courses/xapi-101"
EVENT = "http://example.com/events/1"
EVENT9 = "http://example.com/events/9"
PARENT = "http://example.com/courses/1"
PROGRAM = "http://example.com/programs/1"
CATEGORY = "http://example.com/categories/1"
OTHER = "http://example.com/other/1"
CONSISTENT = "X-Experience-API-Consistent-Through"
VERSION = "X-Experience-API-Version"


def who(name: str) -> dict[str, str]:
    return {"mbox": f"mailto:{name}@example.com"}


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


def voiding(target: str, **overrides: Any) -> dict[str, Any]:
    return statement(
        actor=who("admin"),
        verb={"id": VOIDED, "display": {"en-US": "voided"}},
        object={"objectType": "StatementRef", "id": target},
        **overrides,
    )


# --- PUT and POST ---------------------------------------------------------------------------------


def test_put_stores_under_statement_id_and_answers_204_without_body(xv):
    statement_id = new_id()
    response = xv.put("statements", statement(), params=f"statementId={statement_id}")
    assert response.status_code == 204
    assert response.content == b""
    assert xv.get("statements", {"statementId": statement_id}).json()["id"] == statement_id


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ("", statement()),
        ("statementId=not-a-uuid", statement()),
        ("statementId=", statement()),
        (f"statementId={uuid.uuid4()}", statement(id=str(uuid.uuid4()))),
        (f"statementId={uuid.uuid4()}", [statement()]),
        (f"statementId={uuid.uuid4()}&verb={COMPLETED}", statement()),
        (f"statementId={uuid.uuid4()}", "not json"),
    ],
    ids=["no-id", "bad-id", "empty-id", "mismatched-id", "list", "extra-param", "not-json"],
)
def test_put_rules(xv, params, body):
    assert xv.put("statements", body, params=params).status_code == 400
    assert Statement.objects.count() == 0


def test_put_with_the_same_statement_is_204_and_a_different_one_409(xv):
    statement_id = new_id()
    params = f"statementId={statement_id}"
    assert xv.put("statements", statement(), params=params).status_code == 204
    assert xv.put("statements", statement(), params=params).status_code == 204
    response = xv.put("statements", statement(verb={"id": ATTENDED}), params=params)
    assert response.status_code == 409
    got = xv.get("statements", {"statementId": statement_id}).json()
    assert got["verb"]["id"] == COMPLETED
    assert Statement.objects.count() == 1


def test_put_with_the_same_statement_ignores_lrs_set_properties(xv):
    statement_id = new_id()
    params = f"statementId={statement_id}"
    xv.put("statements", statement(timestamp="2026-01-01T00:00:00Z"), params=params)
    again = statement(
        timestamp="2026-01-01T00:00:00Z", stored="2020-01-01T00:00:00Z", authority=who("other")
    )
    assert xv.put("statements", again, params=params).status_code == 204


def test_post_returns_ids_in_order_and_keeps_given_ids(xv):
    given = new_id()
    response = xv.post("statements", [statement(), statement(id=given), statement()])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    returned = response.json()
    assert len(returned) == 3
    assert returned[1] == given
    assert all(uuid.UUID(item) for item in returned)
    assert sorted(ids(xv.statements())) == sorted(returned)


def test_post_one_statement_returns_a_list_of_one_id(xv):
    response = xv.post("statements", statement())
    assert response.status_code == 200
    assert len(response.json()) == 1


def test_post_of_a_stored_id_with_the_same_statement_is_a_no_op(xv):
    statement_id = new_id()
    assert xv.post("statements", statement(id=statement_id)).json() == [statement_id]
    assert xv.post("statements", statement(id=statement_id)).json() == [statement_id]
    assert Statement.objects.count() == 1


def test_post_of_a_stored_id_with_a_different_statement_is_409(xv):
    statement_id = new_id()
    xv.post("statements", statement(id=statement_id))
    response = xv.post(
        "statements", [statement(), statement(id=statement_id, verb={"id": ATTENDED})]
    )
    assert response.status_code == 409
    assert Statement.objects.count() == 1


@pytest.mark.parametrize("position", [0, 1, 2])
def test_a_batch_with_one_bad_statement_stores_nothing(xv, position):
    batch = [statement(), statement(), statement()]
    batch[position] = statement(actor={"name": "no identifier"})
    response = xv.post("statements", batch)
    assert response.status_code == 400
    assert f"[{position}]" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


@pytest.mark.parametrize("same_content", [True, False])
def test_one_id_twice_in_a_batch_is_400(xv, same_content):
    statement_id = new_id()
    second = statement(id=statement_id.upper())
    if not same_content:
        second["verb"] = {"id": ATTENDED}
    response = xv.post("statements", [statement(id=statement_id), second])
    assert response.status_code == 400
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    "content_type",
    ["", "text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/mixed"],
    ids=["missing", "text", "form", "xml", "multipart-no-boundary"],
)
@pytest.mark.parametrize("method", ["post", "put"])
def test_statement_writes_need_a_json_or_multipart_content_type(xv, method, content_type):
    body = json.dumps(statement())
    response = getattr(xv, method)(
        "statements",
        body,
        params=f"statementId={new_id()}" if method == "put" else "",
        content_type=content_type,
    )
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_json_content_type_parameters_are_accepted(xv):
    response = xv.post("statements", statement(), content_type="application/json; charset=utf-8")
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["post", "put"])
def test_an_oversized_body_is_413(xv, method):
    big = statement(result={"response": "x" * 5000})
    params = f"statementId={new_id()}" if method == "put" else ""
    with override_settings(LRS_MAX_BODY_BYTES=4000):
        response = getattr(xv, method)("statements", big, params=params)
        assert response.status_code == 413
        assert response[VERSION] == xv.version
        small = getattr(xv, method)("statements", statement(), params=params)
        assert small.status_code in (200, 204)
    assert Statement.objects.count() == 1


def test_post_with_query_parameters_is_400(xv):
    assert xv.post("statements", statement(), params=f"statementId={new_id()}").status_code == 400


# --- Voiding --------------------------------------------------------------------------------------


def test_voiding_hides_the_target_but_voidedstatementid_fetches_it(xv):
    target = xv.post("statements", statement()).json()[0]
    voider = xv.post("statements", voiding(target)).json()[0]
    assert target not in ids(xv.statements())
    assert voider in ids(xv.statements())
    assert xv.get("statements", {"statementId": target}).status_code == 404
    fetched = xv.get("statements", {"voidedStatementId": target})
    assert fetched.status_code == 200
    assert fetched.json()["id"] == target
    assert xv.get("statements", {"statementId": voider}).status_code == 200


def test_statements_targeting_a_voided_statement_are_still_returned(xv):
    # XAPI-00162: a query returns the statements that target a voided statement, not the
    # voided statement itself.
    target = xv.post("statements", statement()).json()[0]
    ref = statement(verb={"id": COMMENTED}, object={"objectType": "StatementRef", "id": target})
    referrer = xv.post("statements", ref).json()[0]
    voider = xv.post("statements", voiding(target)).json()[0]
    assert ids(xv.statements()) == [voider, referrer]
    assert ids(xv.statements(verb=COMMENTED)) == [referrer]


def test_voidedstatementid_of_a_statement_not_voided_is_404(xv):
    target = xv.post("statements", statement()).json()[0]
    assert xv.get("statements", {"voidedStatementId": target}).status_code == 404
    assert xv.get("statements", {"voidedStatementId": new_id()}).status_code == 404


def test_a_voiding_statement_cannot_be_voided(xv):
    target = xv.post("statements", statement()).json()[0]
    voider = xv.post("statements", voiding(target)).json()[0]
    response = xv.post("statements", voiding(voider))
    assert response.status_code == 400
    assert xv.get("statements", {"statementId": voider}).status_code == 200


def test_voiding_needs_a_statementref(xv):
    body = statement(verb={"id": VOIDED}, object={"id": COURSE})
    assert xv.post("statements", body).status_code == 400


def test_voiding_a_statement_that_arrives_later(xv):
    target = new_id()
    assert xv.post("statements", voiding(target)).status_code == 200
    assert xv.post("statements", statement(id=target)).status_code == 200
    assert xv.get("statements", {"statementId": target}).status_code == 404
    assert xv.get("statements", {"voidedStatementId": target}).status_code == 200


def test_voided_statements_leave_every_filter(xv):
    target = xv.post("statements", statement(verb={"id": ATTENDED})).json()[0]
    xv.post("statements", voiding(target))
    assert target not in ids(xv.statements(verb=ATTENDED))
    assert target not in ids(xv.statements(activity=COURSE))
    assert target not in ids(xv.statements(agent=json.dumps(who("leo"))))


# --- GET: single statements -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"verb": COMPLETED},
        {"agent": json.dumps(who("leo"))},
        {"activity": COURSE},
        {"registration": str(uuid.uuid4())},
        {"since": "2020-01-01T00:00:00Z"},
        {"until": "2030-01-01T00:00:00Z"},
        {"limit": "1"},
        {"ascending": "true"},
        {"related_agents": "true"},
        {"related_activities": "true"},
        {"voidedStatementId": str(uuid.uuid4())},
        {"more": "x"},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_statementid_with_other_parameters_is_400(xv, extra):
    statement_id = xv.post("statements", statement()).json()[0]
    response = xv.get("statements", {"statementId": statement_id, **extra})
    assert response.status_code == 400
    assert response[CONSISTENT]


@pytest.mark.parametrize("fmt", ["exact", "ids", "canonical"])
@pytest.mark.parametrize("attachments", ["true", "false"])
def test_statementid_allows_format_and_attachments(xv, fmt, attachments):
    statement_id = xv.post("statements", statement()).json()[0]
    response = xv.get(
        "statements", {"statementId": statement_id, "format": fmt, "attachments": attachments}
    )
    assert response.status_code == 200
    expected = "multipart/mixed" if attachments == "true" else "application/json"
    assert response["Content-Type"].startswith(expected)


def test_single_statement_has_last_modified_equal_to_stored(xv):
    statement_id = xv.post("statements", statement()).json()[0]
    response = xv.get("statements", {"statementId": statement_id})
    from django.utils.http import parse_http_date

    from ecotone.lrs.validation import parse_timestamp

    stored = parse_timestamp(response.json()["stored"])
    assert parse_http_date(response["Last-Modified"]) == int(stored.timestamp())


# --- GET: filters ---------------------------------------------------------------------------------


@pytest.fixture
def world(xv) -> dict[str, str]:
    """Named statements, each stored in its own request (so stored times differ)."""
    registration = new_id()
    plain = statement()
    rich = statement(
        actor={"objectType": "Group", "member": [who("ann"), who("bob")]},
        verb={"id": ATTENDED},
        object={"id": EVENT},
        context={
            "registration": registration,
            "instructor": who("coach"),
            "team": {"objectType": "Group", "mbox": "mailto:team@example.com"},
            "contextActivities": {
                "parent": [{"id": PARENT}],
                "grouping": [{"id": PROGRAM}],
                "category": {"id": CATEGORY},
                "other": [{"id": OTHER}],
            },
        },
    )
    agent_object = statement(verb={"id": MENTORED}, object={"objectType": "Agent", **who("mentee")})
    planned = statement(
        verb={"id": PLANNED},
        object={
            "objectType": "SubStatement",
            "actor": who("sub"),
            "verb": {"id": "http://example.com/verbs/will-attend"},
            "object": {"id": EVENT9},
        },
    )
    names: dict[str, str] = {"registration": registration}
    for name, body in [
        ("plain", plain),
        ("rich", rich),
        ("agent_object", agent_object),
        ("planned", planned),
    ]:
        names[name] = xv.post("statements", body).json()[0]
    ref = statement(
        actor=who("ann"),
        verb={"id": COMMENTED},
        object={"objectType": "StatementRef", "id": names["plain"]},
    )
    names["ref"] = xv.post("statements", ref).json()[0]
    return names


ALL = ["ref", "planned", "agent_object", "rich", "plain"]
FILTERS: list[tuple[str, dict[str, str], list[str]]] = [
    ("none", {}, ALL),
    ("agent-actor", {"agent": json.dumps(who("leo"))}, ["ref", "planned", "agent_object", "plain"]),
    ("agent-object", {"agent": json.dumps(who("mentee"))}, ["agent_object"]),
    ("agent-group-member", {"agent": json.dumps(who("ann"))}, ["ref", "rich"]),
    ("agent-other-group-member", {"agent": json.dumps(who("bob"))}, ["rich"]),
    ("agent-unknown", {"agent": json.dumps(who("nobody"))}, []),
    ("agent-instructor", {"agent": json.dumps(who("coach"))}, []),
    (
        "agent-instructor-related",
        {"agent": json.dumps(who("coach")), "related_agents": "true"},
        ["rich"],
    ),
    (
        "agent-team-related",
        {
            "agent": json.dumps({"objectType": "Group", "mbox": "mailto:team@example.com"}),
            "related_agents": "true",
        },
        ["rich"],
    ),
    ("agent-substatement", {"agent": json.dumps(who("sub"))}, []),
    (
        "agent-substatement-related",
        {"agent": json.dumps(who("sub")), "related_agents": "true"},
        ["planned"],
    ),
    ("agent-related-false", {"agent": json.dumps(who("coach")), "related_agents": "false"}, []),
    ("verb", {"verb": ATTENDED}, ["rich"]),
    ("verb-through-ref", {"verb": COMPLETED}, ["ref", "plain"]),
    ("verb-own", {"verb": COMMENTED}, ["ref"]),
    ("verb-unknown", {"verb": "http://example.com/verbs/none"}, []),
    ("activity", {"activity": EVENT}, ["rich"]),
    ("activity-through-ref", {"activity": COURSE}, ["ref", "plain"]),
    ("activity-parent", {"activity": PARENT}, []),
    ("activity-parent-related", {"activity": PARENT, "related_activities": "true"}, ["rich"]),
    ("activity-grouping-related", {"activity": PROGRAM, "related_activities": "true"}, ["rich"]),
    ("activity-category-related", {"activity": CATEGORY, "related_activities": "true"}, ["rich"]),
    ("activity-other-related", {"activity": OTHER, "related_activities": "true"}, ["rich"]),
    ("activity-substatement", {"activity": EVENT9}, []),
    (
        "activity-substatement-related",
        {"activity": EVENT9, "related_activities": "true"},
        ["planned"],
    ),
    ("registration-unknown", {"registration": str(uuid.uuid4())}, []),
    ("verb-and-agent", {"verb": MENTORED, "agent": json.dumps(who("mentee"))}, ["agent_object"]),
    ("verb-and-other-agent", {"verb": MENTORED, "agent": json.dumps(who("coach"))}, []),
    ("verb-and-activity", {"verb": ATTENDED, "activity": EVENT}, ["rich"]),
    ("verb-and-wrong-activity", {"verb": ATTENDED, "activity": COURSE}, []),
    ("limit", {"limit": "2"}, ["ref", "planned"]),
    ("ascending", {"ascending": "true"}, ALL[::-1]),
    ("ascending-limit", {"ascending": "true", "limit": "1"}, ["plain"]),
    ("limit-zero", {"limit": "0"}, ALL),
    ("limit-beyond-the-maximum", {"limit": "100000"}, ALL),
]


@pytest.mark.parametrize(
    ("params", "expected"), [c[1:] for c in FILTERS], ids=[c[0] for c in FILTERS]
)
def test_filters(xv, world, params, expected):
    response = xv.get("statements", params)
    assert response.status_code == 200, response.content
    assert response[CONSISTENT]
    body = response.json()
    assert ids(body["statements"]) == [world[name] for name in expected]
    assert isinstance(body["more"], str)


def test_related_agents_includes_the_authority(xv, world):
    authority = json.dumps(xv.client.authority)
    assert ids(xv.statements(agent=authority)) == []
    assert ids(xv.statements(agent=authority, related_agents="true")) == [world[n] for n in ALL]


def test_group_object_members_match_the_agent_filter(xv):
    body = statement(object={"objectType": "Group", "member": [who("mentee")]})
    statement_id = xv.post("statements", body).json()[0]
    assert ids(xv.statements(agent=json.dumps(who("mentee")))) == [statement_id]


def test_registration_filter(xv, world):
    got = ids(xv.statements(registration=world["registration"]))
    assert got == [world["rich"]]
    both = ids(xv.statements(registration=world["registration"], verb=ATTENDED))
    assert both == [world["rich"]]
    assert ids(xv.statements(registration=world["registration"], verb=COMPLETED)) == []


def test_since_and_until_filter_on_stored(xv):
    first = xv.post("statements", statement(timestamp="2030-01-01T00:00:00Z")).json()[0]
    first_stored = xv.get("statements", {"statementId": first}).json()["stored"]
    second = xv.post("statements", statement(timestamp="2000-01-01T00:00:00Z")).json()[0]
    assert ids(xv.statements(since=first_stored)) == [second]
    assert ids(xv.statements(until=first_stored)) == [first]
    assert ids(xv.statements(since="2999-01-01T00:00:00Z")) == []
    assert ids(xv.statements(until="1999-01-01T00:00:00+01:00")) == []
    assert set(ids(xv.statements(since="1999-01-01T00:00:00+01:00"))) == {first, second}


def test_more_pages_without_skips_or_repeats(xv):
    posted = [xv.post("statements", statement()).json()[0] for _ in range(5)]
    page = xv.get("statements", {"limit": 2}).json()
    seen = ids(page["statements"])
    xv.post("statements", statement())
    while page["more"]:
        response = xv.http.get(page["more"], headers=xv.headers())
        assert response.status_code == 200
        assert response[CONSISTENT]
        page = response.json()
        seen += ids(page["statements"])
    assert seen == posted[::-1]


@pytest.mark.parametrize("fmt", ["ids", "canonical"])
def test_more_keeps_the_format_and_filters(xv, fmt):
    for _ in range(3):
        xv.post("statements", statement(actor={"name": "Leo", **who("leo")}))
    xv.post("statements", statement(verb={"id": ATTENDED}))
    page = xv.get("statements", {"limit": 1, "format": fmt, "verb": COMPLETED}).json()
    pages = [page]
    while page["more"]:
        page = xv.http.get(page["more"], headers=xv.headers()).json()
        pages.append(page)
    assert len(pages) == 3
    for page in pages:
        (only,) = page["statements"]
        assert only["verb"]["id"] == COMPLETED
        assert ("name" in only["actor"]) == (fmt != "ids")


def test_the_last_page_has_an_empty_more(xv):
    xv.post("statements", [statement(), statement()])
    assert xv.get("statements", {"limit": 2}).json()["more"] == ""
    assert xv.get("statements", {"limit": 5}).json()["more"] == ""


@pytest.mark.parametrize("extra", [{"verb": COMPLETED}, {"limit": "1"}], ids=["verb", "limit"])
def test_more_with_other_parameters_is_400(xv, extra):
    xv.post("statements", [statement(), statement()])
    more = xv.get("statements", {"limit": 1}).json()["more"]
    token = more.split("more=", 1)[1]
    assert xv.get("statements", {"more": token, **extra}).status_code == 400


BAD_PARAMS: list[tuple[str, dict[str, str]]] = [
    ("unknown", {"unknown": "1"}),
    ("camel-case", {"Verb": COMPLETED}),
    ("statement-id", {"statementId": "not-a-uuid"}),
    ("voided-id", {"voidedStatementId": "not-a-uuid"}),
    ("both-ids", {"statementId": str(uuid.uuid4()), "voidedStatementId": str(uuid.uuid4())}),
    ("agent-not-json", {"agent": "leo@example.com"}),
    ("agent-no-ifi", {"agent": '{"name": "Leo"}'}),
    ("agent-two-ifis", {"agent": json.dumps({"mbox": "mailto:a@b.c", "openid": "http://x.y/a"})}),
    ("agent-bad-mbox", {"agent": '{"mbox": "a@b.c"}'}),
    ("agent-anonymous-group", {"agent": json.dumps({"objectType": "Group", "member": [who("a")]})}),
    ("agent-list", {"agent": json.dumps([who("a")])}),
    ("agent-duplicate-key", {"agent": '{"mbox": "mailto:a@b.c", "mbox": "mailto:a@b.c"}'}),
    ("verb", {"verb": "completed"}),
    ("activity", {"activity": "course"}),
    ("registration", {"registration": "123"}),
    ("since", {"since": "yesterday"}),
    ("until", {"until": "2026-13-01T00:00:00Z"}),
    ("limit-negative", {"limit": "-1"}),
    ("limit-word", {"limit": "ten"}),
    ("limit-fraction", {"limit": "1.5"}),
    ("format", {"format": "full"}),
    ("attachments", {"attachments": "yes"}),
    ("ascending", {"ascending": "1"}),
    ("related-agents", {"agent": json.dumps(who("a")), "related_agents": "maybe"}),
    ("related-activities", {"activity": COURSE, "related_activities": "maybe"}),
    ("more", {"more": "forged"}),
]


@pytest.mark.parametrize("params", [c[1] for c in BAD_PARAMS], ids=[c[0] for c in BAD_PARAMS])
def test_bad_statement_query_parameters_are_400(xv, params):
    response = xv.get("statements", params)
    assert response.status_code == 400
    assert response[CONSISTENT]
    assert response[VERSION] == xv.version


# --- Formats --------------------------------------------------------------------------------------


def test_format_exact_returns_the_statement_as_stored(xv):
    body = statement(object={"id": COURSE, "definition": {"name": {"en-US": "A", "fr": "B"}}})
    statement_id = xv.post("statements", body).json()[0]
    got = xv.get("statements", {"statementId": statement_id, "format": "exact"}).json()
    assert got["object"] == body["object"]
    assert got["verb"] == body["verb"]


def test_format_ids_keeps_identifiers_only(xv):
    group = {"objectType": "Group", "name": "Pair", "member": [{"name": "Ann", **who("ann")}]}
    body = statement(actor=group, context={"instructor": {"name": "Coach", **who("coach")}})
    statement_id = xv.post("statements", body).json()[0]
    got = xv.get("statements", {"statementId": statement_id, "format": "ids"}).json()
    assert got["actor"] == {"objectType": "Group", "member": [who("ann")]}
    assert got["verb"] == {"id": COMPLETED}
    assert got["object"] == {"objectType": "Activity", "id": COURSE}
    assert got["context"]["instructor"] == who("coach")
    listed = xv.get("statements", {"format": "ids"}).json()["statements"]
    assert listed[0]["verb"] == {"id": COMPLETED}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("fr", {"fr": "Cours"}), ("en-US", {"en-US": "Course"}), ("de, fr;q=0.5", {"fr": "Cours"})],
)
def test_format_canonical_picks_one_language(xv, accept, expected):
    body = statement(
        object={"id": COURSE, "definition": {"name": {"en-US": "Course", "fr": "Cours"}}}
    )
    statement_id = xv.post("statements", body).json()[0]
    got = xv.get(
        "statements",
        {"statementId": statement_id, "format": "canonical"},
        **{"Accept-Language": accept},
    ).json()
    assert got["object"]["definition"]["name"] == expected


# --- Headers --------------------------------------------------------------------------------------


def _requests(xv) -> list[tuple[str, Any]]:
    stored = xv.post("statements", statement()).json()[0]
    return [
        ("get-list", lambda: xv.get("statements")),
        ("get-one", lambda: xv.get("statements", {"statementId": stored})),
        ("head", lambda: xv.head("statements")),
        ("post", lambda: xv.post("statements", statement())),
        ("put", lambda: xv.put("statements", statement(), params=f"statementId={new_id()}")),
        ("400", lambda: xv.get("statements", {"limit": "x"})),
        ("404", lambda: xv.get("statements", {"statementId": new_id()})),
        ("409", lambda: xv.post("statements", statement(id=stored, verb={"id": ATTENDED}))),
        ("401", lambda: xv.http.get("/xapi/statements", headers={VERSION: xv.version})),
        ("bad-post", lambda: xv.post("statements", {"actor": "x"})),
    ]


REQUEST_NAMES = [
    "get-list",
    "get-one",
    "head",
    "post",
    "put",
    "400",
    "404",
    "409",
    "401",
    "bad-post",
]


@pytest.mark.parametrize("name", REQUEST_NAMES)
def test_every_statements_answer_has_consistent_through_and_the_version(xv, name):
    response = dict(_requests(xv))[name]()
    from ecotone.lrs.validation import parse_timestamp

    assert parse_timestamp(response[CONSISTENT])
    assert response[VERSION] == xv.version


def test_consistent_through_is_not_before_stored(xv):
    statement_id = xv.post("statements", statement()).json()[0]
    response = xv.get("statements")
    from ecotone.lrs.validation import parse_timestamp

    stored = parse_timestamp(xv.get("statements", {"statementId": statement_id}).json()["stored"])
    assert parse_timestamp(response[CONSISTENT]) >= stored


def test_list_has_last_modified(xv):
    xv.post("statements", statement())
    assert xv.get("statements")["Last-Modified"]


@pytest.mark.parametrize(
    "params",
    [{}, {"verb": COMPLETED}, {"format": "ids"}, {"statementId": "x"}],
    ids=["list", "filter", "format", "bad"],
)
def test_head_is_get_without_a_body(xv, params):
    xv.post("statements", statement())
    got, head = xv.get("statements", params), xv.head("statements", params)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]


# --- Attachments ----------------------------------------------------------------------------------

BOUNDARY = "xapi-conformance"
MULTIPART = f'multipart/mixed; boundary="{BOUNDARY}"'


def multipart(
    body: Any, parts: list[tuple[dict[str, str], bytes]], first_type: str = "application/json"
) -> bytes:
    chunks = [
        f"--{BOUNDARY}\r\nContent-Type: {first_type}\r\n\r\n".encode(),
        json.dumps(body).encode(),
        b"\r\n",
    ]
    for headers, content in parts:
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        chunks += [f"--{BOUNDARY}\r\n{head}\r\n".encode(), content, b"\r\n"]
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks)


def part(content: bytes, **overrides: str) -> tuple[dict[str, str], bytes]:
    headers = {
        "Content-Type": "text/plain",
        "Content-Transfer-Encoding": "binary",
        "X-Experience-API-Hash": hashlib.sha256(content).hexdigest(),
    }
    headers.update(overrides)
    return {name: value for name, value in headers.items() if value}, content


@pytest.mark.parametrize("method", ["post", "put"])
def test_attachments_round_trip(xv, method):
    content = b"certified \x00\xff binary"
    body = statement(attachments=[attachment(content)])
    statement_id = new_id()
    params = f"statementId={statement_id}" if method == "put" else ""
    if method == "post":
        body["id"] = statement_id
    response = getattr(xv, method)(
        "statements", multipart(body, [part(content)]), params=params, content_type=MULTIPART
    )
    assert response.status_code in (200, 204), response.content
    fetched = xv.get("statements", {"statementId": statement_id, "attachments": "true"})
    assert fetched["Content-Type"].startswith("multipart/mixed; boundary=")
    sha2 = hashlib.sha256(content).hexdigest()
    assert f"X-Experience-API-Hash: {sha2}".encode() in fetched.content
    assert content in fetched.content
    first = fetched.content.split(b"\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0]
    assert json.loads(first)["id"] == statement_id
    listed = xv.get("statements", {"attachments": "true"})
    assert listed["Content-Type"].startswith("multipart/mixed")
    assert content in listed.content


def test_two_attachments_with_the_same_content_need_one_part(xv):
    content = b"same"
    body = statement(attachments=[attachment(content), attachment(content, display={"en": "Copy"})])
    response = xv.post("statements", multipart(body, [part(content)]), content_type=MULTIPART)
    assert response.status_code == 200


def test_attachment_with_only_a_file_url_needs_no_part(xv):
    body = statement(attachments=[attachment(b"x", fileUrl="http://example.com/x.txt")])
    assert xv.post("statements", body).status_code == 200
    assert (
        xv.post(
            "statements",
            multipart(statement(attachments=body["attachments"]), []),
            content_type=MULTIPART,
        ).status_code
        == 200
    )


ATTACHMENT_ERRORS: list[tuple[str, Any]] = [
    ("no-part", lambda c: (statement(attachments=[attachment(c)]), [])),
    (
        "no-hash-header",
        lambda c: (
            statement(attachments=[attachment(c)]),
            [part(c, **{"X-Experience-API-Hash": ""})],
        ),
    ),
    (
        "wrong-hash",
        lambda c: (
            statement(attachments=[attachment(c)]),
            [part(c + b"!", **{"X-Experience-API-Hash": hashlib.sha256(c).hexdigest()})],
        ),
    ),
    (
        "no-transfer-encoding",
        lambda c: (
            statement(attachments=[attachment(c)]),
            [part(c, **{"Content-Transfer-Encoding": ""})],
        ),
    ),
    (
        "base64-encoding",
        lambda c: (
            statement(attachments=[attachment(c)]),
            [part(c, **{"Content-Transfer-Encoding": "base64"})],
        ),
    ),
    ("stray-part", lambda c: (statement(), [part(c)])),
    ("part-for-another-hash", lambda c: (statement(attachments=[attachment(c)]), [part(b"other")])),
    (
        "invalid-statement",
        lambda c: (statement(actor={"name": "x"}, attachments=[attachment(c)]), [part(c)]),
    ),
]


@pytest.mark.parametrize(
    "build", [c[1] for c in ATTACHMENT_ERRORS], ids=[c[0] for c in ATTACHMENT_ERRORS]
)
def test_attachment_rules(xv, build):
    body, parts = build(b"certified")
    response = xv.post("statements", multipart(body, parts), content_type=MULTIPART)
    assert response.status_code == 400, response.content
    assert Statement.objects.count() == 0


@pytest.mark.parametrize("first_type", ["text/plain", "application/octet-stream"])
def test_the_first_part_must_be_the_json_statements(xv, first_type):
    content = b"certified"
    body = statement(attachments=[attachment(content)])
    request = multipart(body, [part(content)], first_type=first_type)
    assert xv.post("statements", request, content_type=MULTIPART).status_code == 400


def test_multipart_without_a_boundary_is_400(xv):
    content = b"certified"
    request = multipart(statement(attachments=[attachment(content)]), [part(content)])
    assert xv.post("statements", request, content_type="multipart/mixed").status_code == 400


# --- Versions, authentication, methods ------------------------------------------------------------

RESOURCES: list[tuple[str, dict[str, str]]] = [
    ("statements", {}),
    ("agents", {"agent": json.dumps(who("leo"))}),
    ("activities", {"activityId": COURSE}),
    ("activities/state", {"activityId": COURSE, "agent": json.dumps(who("leo"))}),
    ("activities/profile", {"activityId": COURSE}),
    ("agents/profile", {"agent": json.dumps(who("leo"))}),
]
RESOURCE_IDS = [c[0] for c in RESOURCES]


@pytest.mark.parametrize(("path", "params"), RESOURCES, ids=RESOURCE_IDS)
@pytest.mark.parametrize(
    ("header", "status", "answered"),
    [
        ("1.0.3", 200, "1.0.3"),
        ("1.0.0", 200, "1.0.3"),
        ("1.0", 200, "1.0.3"),
        ("2.0.0", 200, "2.0.0"),
        ("2.0", 200, "2.0.0"),
        ("0.95", 400, None),
        ("0.9", 400, None),
        ("3.0.0", 400, None),
        ("1.1.0", 400, None),
        ("latest", 400, None),
        (None, 400, None),
    ],
)
def test_version_header_on_every_resource(xapi, path, params, header, status, answered):
    headers = {"Authorization": xapi.headers()["Authorization"]}
    if header is not None:
        headers[VERSION] = header
    response = xapi.http.get(f"/xapi/{path}?{urlencode(params)}", headers=headers)
    assert response.status_code == status, response.content
    assert response[VERSION] == (answered or "2.0.0")


@pytest.mark.parametrize(("path", "params"), RESOURCES, ids=RESOURCE_IDS)
@pytest.mark.parametrize("credentials", [None, "lrs_nobody:secret", "not base64!", "Bearer abc"])
def test_every_resource_but_about_needs_credentials(xv, path, params, credentials):
    headers = {VERSION: xv.version}
    if credentials == "Bearer abc":
        headers["Authorization"] = credentials
    elif credentials is not None:
        import base64

        token = (
            credentials if " " in credentials else base64.b64encode(credentials.encode()).decode()
        )
        headers["Authorization"] = f"Basic {token}"
    response = Client().get(f"/xapi/{path}?{urlencode(params)}", headers=headers)
    assert response.status_code == 401
    assert response[VERSION] == xv.version


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("statements", "delete"),
        ("agents", "post"),
        ("agents", "put"),
        ("agents", "delete"),
        ("activities", "post"),
        ("activities", "put"),
        ("activities", "delete"),
        ("about", "post"),
        ("about", "put"),
        ("about", "delete"),
    ],
)
def test_methods_a_resource_does_not_allow_are_405(xv, path, method):
    response = getattr(xv.http, method)(f"/xapi/{path}", headers=xv.headers())
    assert response.status_code == 405
    assert response["Allow"]


@pytest.mark.parametrize(("path", "params"), RESOURCES, ids=RESOURCE_IDS)
def test_unknown_parameters_are_400_on_every_resource(xv, path, params):
    response = xv.get(path, {**params, "unknownParameter": "1"})
    assert response.status_code == 400


# --- About, agents, activities --------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "1.0.3", "2.0.0"])
def test_about_lists_versions_without_credentials(client, db, header):
    headers = {VERSION: header} if header else {}
    response = client.get("/xapi/about", headers=headers)
    assert response.status_code == 200
    body = response.json()
    if header == "1.0.3":
        # XAPI-00316/00317: a 1.0.3 about lists 1.0.x versions only, at least one.
        assert body["version"] == ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    else:
        assert body["version"] == ["2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    assert isinstance(body.get("extensions", {}), dict)
    assert response[VERSION] == (header or "2.0.0")
    head = client.head("/xapi/about", headers=headers)
    assert head.status_code == 200
    assert head.content == b""


def test_agents_returns_a_person(xv):
    response = xv.get("agents", {"agent": json.dumps({"name": "Leo", **who("leo")})})
    assert response.status_code == 200
    person = response.json()
    assert person["objectType"] == "Person"
    assert person["mbox"] == ["mailto:leo@example.com"]
    assert person["name"] == ["Leo"]
    for name in ("mbox_sha1sum", "openid", "account"):
        assert isinstance(person.get(name, []), list)


@pytest.mark.parametrize(
    "agent",
    [
        {"account": {"homePage": "http://example.com", "name": "leo"}},
        {"openid": "http://openid.example.com/leo"},
        {"mbox_sha1sum": "a" * 40},
    ],
    ids=["account", "openid", "sha1"],
)
def test_agents_person_for_each_identifier(xv, agent):
    person = xv.get("agents", {"agent": json.dumps(agent)}).json()
    (name,) = agent
    assert person[name] == [agent[name]]


@pytest.mark.parametrize(
    "params",
    [{}, {"agent": "leo"}, {"agent": '{"name": "x"}'}, {"agent": json.dumps(who("a")), "x": "1"}],
    ids=["missing", "not-json", "no-ifi", "extra"],
)
def test_agents_parameters(xv, params):
    assert xv.get("agents", params).status_code == 400


def test_activities_returns_the_canonical_definition(xv):
    xv.post("statements", statement(object={"id": COURSE, "definition": {"name": {"en-US": "A"}}}))
    xv.post(
        "statements",
        statement(object={"id": COURSE, "definition": {"description": {"en-US": "B"}}}),
    )
    got = xv.get("activities", {"activityId": COURSE}).json()
    assert got["objectType"] == "Activity"
    assert got["id"] == COURSE
    assert got["definition"]["description"] == {"en-US": "B"}


def test_activities_merges_every_language_sent(xv):
    # XAPI-00254: two statements describing one activity in two languages: both are returned.
    for tag, text in (("en-US", "Course"), ("fr-FR", "Cours")):
        body = statement(object={"id": COURSE, "definition": {"description": {tag: text}}})
        assert xv.post("statements", body).status_code == 200
    got = xv.get("activities", {"activityId": COURSE}).json()
    assert got["definition"]["description"] == {"en-US": "Course", "fr-FR": "Cours"}


def test_activities_of_an_unknown_activity(xv):
    got = xv.get("activities", {"activityId": "http://example.com/never-seen"})
    assert got.status_code == 200
    assert got.json() == {"objectType": "Activity", "id": "http://example.com/never-seen"}


@pytest.mark.parametrize(
    "params",
    [{}, {"activityId": "not an iri"}, {"activityId": COURSE, "agent": "x"}],
    ids=["missing", "not-iri", "extra"],
)
def test_activities_parameters(xv, params):
    assert xv.get("activities", params).status_code == 400


# --- Alternate request syntax (1.0.3 only) --------------------------------------------------------


def _alternate(xapi, method: str, fields: dict[str, str], query: str = ""):
    form = {"Authorization": xapi.headers()["Authorization"], **fields}
    return xapi.http.post(
        f"/xapi/statements?method={method}{query}",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )


def test_alternate_syntax_put_get_and_post(xapi1):
    statement_id = new_id()
    base = {VERSION: "1.0.3", "Content-Type": "application/json"}
    put = _alternate(
        xapi1, "PUT", {**base, "statementId": statement_id, "content": json.dumps(statement())}
    )
    assert put.status_code == 204, put.content
    got = _alternate(xapi1, "GET", {VERSION: "1.0.3", "statementId": statement_id})
    assert got.status_code == 200
    assert got.json()["id"] == statement_id
    posted = _alternate(xapi1, "POST", {**base, "content": json.dumps([statement()])})
    assert posted.status_code == 200
    assert len(posted.json()) == 1
    listed = _alternate(xapi1, "GET", {VERSION: "1.0.3", "verb": COMPLETED, "limit": "1"})
    assert listed.status_code == 200
    assert len(listed.json()["statements"]) == 1


@pytest.mark.parametrize(
    ("method", "fields", "query"),
    [
        ("GET", {VERSION: "2.0.0"}, ""),
        ("GET", {VERSION: "1.0.3"}, "&limit=1"),
        ("PATCH", {VERSION: "1.0.3"}, ""),
        ("PUT", {VERSION: "1.0.3", "content": json.dumps(statement())}, ""),
        ("GET", {}, ""),
    ],
    ids=["2.0", "query-parameters", "unknown-method", "put-without-id", "no-version"],
)
def test_alternate_syntax_rules(xapi1, method, fields, query):
    assert _alternate(xapi1, method, fields, query).status_code == 400


def test_alternate_syntax_content_without_a_content_type_is_json(xapi1):
    fields = {VERSION: "1.0.3", "content": json.dumps(statement())}
    response = _alternate(xapi1, "POST", fields)
    assert response.status_code == 200, response.content
    assert _alternate(xapi1, "POST", {**fields, "Content-Type": "text/plain"}).status_code == 400


def test_alternate_syntax_form_must_be_utf_8(xapi1):
    response = xapi1.http.post(
        "/xapi/statements?method=GET",
        b"X-Experience-API-Version=1.0.3&limit=\xff\xfe",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": xapi1.headers()["Authorization"]},
    )
    assert response.status_code == 400


def test_alternate_syntax_needs_a_form_body(xapi1):
    response = xapi1.post("statements", statement(), params="method=POST")
    assert response.status_code == 400


# --- Robustness: malformed requests are answered, never a server error ---------------------------

ODD_PARAMS = [
    "",
    " ",
    "x",
    "{}",
    "[]",
    "null",
    '{"mbox": 5}',
    "%00",
    "\u00e9\u00e9",
    "9" * 30,
    "-0",
]
QUERY_NAMES = [
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "more",
]


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_any_query_value_is_answered_never_a_500(xv, name):
    for value in ODD_PARAMS:
        response = xv.get("statements", {name: value})
        assert response.status_code in (200, 400, 404), (name, value, response.status_code)
        assert response[CONSISTENT]


GARBAGE_MULTIPART = [
    b"",
    b"--xapi-conformance--\r\n",
    b"--xapi-conformance\r\n\r\n--xapi-conformance--",
    b"--xapi-conformance\r\nContent-Type: application/json\r\n\r\n{}\r\n--xapi-conformance--",
    b"--xapi-conformance\r\nContent-Type: application/json\r\n\r\n[]\r\n--xapi-conformance--",
    b"--xapi-conformance\r\nContent-Type: application/json\r\n\r\n\xff\xfe\r\n--xapi-conformance--",
    b"--xapi-conformance\r\nno headers at all",
    b"--xapi-conformance\r\nContent-Type: application/json\r\n\r\n"
    + json.dumps(statement()).encode()
    + b"\r\n--xapi-conformance\r\nX-Experience-API-Hash: zz\r\n"
    + b"Content-Transfer-Encoding: binary\r\n\r\ndata\r\n--xapi-conformance--",
]


@pytest.mark.parametrize(
    "body", GARBAGE_MULTIPART, ids=[str(i) for i in range(len(GARBAGE_MULTIPART))]
)
def test_malformed_multipart_is_400(xv, body):
    response = xv.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 400
    assert Statement.objects.count() == 0
