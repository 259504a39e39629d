"""Conformance: the document resources (state, activity profile, agent profile) and concurrency
(xAPI 1.0.3 Communication 2.3-2.6 and 3.1; xAPI 2.0 Communication "Document Resources",
"Concurrency").

Every requirement runs for the three resources and both versions, with its negative cases. Where
the versions differ (a PUT over an existing state document without a precondition: allowed in
1.0.3, a 409 in 2.0) each version is checked for its own rule.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from ecotone.lrs.models import Document
from tests.lrs.conftest import new_id

ACTIVITY = "http://example.com/courses/xapi-101"
AGENT = json.dumps({"mbox": "mailto:leo@example.com"})
SAME_AGENT_OTHER_NAME = json.dumps(
    {"objectType": "Agent", "name": "Leo", "mbox": "mailto:leo@example.com"}
)
OTHER_AGENT = json.dumps({"mbox": "mailto:ann@example.com"})


@dataclass(frozen=True)
class Resource:
    path: str
    scope: dict[str, str]
    id_param: str

    def params(self, document_id: str = "doc", **extra: str) -> str:
        return urlencode({**self.scope, self.id_param: document_id, **extra})

    def list_params(self, **extra: str) -> str:
        return urlencode({**self.scope, **extra})

    @property
    def is_state(self) -> bool:
        return self.path == "activities/state"


STATE = Resource("activities/state", {"activityId": ACTIVITY, "agent": AGENT}, "stateId")
ACTIVITY_PROFILE = Resource("activities/profile", {"activityId": ACTIVITY}, "profileId")
AGENT_PROFILE = Resource("agents/profile", {"agent": AGENT}, "profileId")
RESOURCES = [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]
NAMES = ["state", "activity-profile", "agent-profile"]


@pytest.fixture(params=RESOURCES, ids=NAMES)
def res(request) -> Resource:
    return request.param


def get(xv, res: Resource, params: str, **headers: Any):
    return xv.http.get(f"/xapi/{res.path}?{params}", headers=xv.headers(**headers))


def head(xv, res: Resource, params: str):
    return xv.http.head(f"/xapi/{res.path}?{params}", headers=xv.headers())


def put(xv, res: Resource, body: Any, params: str | None = None, **kwargs: Any):
    return xv.put(res.path, body, params=params or res.params(), **kwargs)


def post(xv, res: Resource, body: Any, params: str | None = None, **kwargs: Any):
    return xv.post(res.path, body, params=params or res.params(), **kwargs)


def etag_of(content: bytes) -> str:
    return f'"{hashlib.sha1(content).hexdigest()}"'


# --- PUT, GET, HEAD, DELETE -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"page":3}', "application/json"),
        (b"[1,2,3]", "application/json"),
        (b'"text"', "application/json"),
        (b"plain text", "text/plain"),
        (b"\x00\x01\xff binary", "application/octet-stream"),
        (b"<x/>", "application/xml; charset=utf-8"),
    ],
    ids=["object", "array", "string", "text", "binary", "xml-with-charset"],
)
def test_put_then_get_returns_the_same_bytes_type_and_a_quoted_etag(xv, res, content, content_type):
    response = put(xv, res, content, content_type=content_type)
    assert response.status_code == 204
    assert response.content == b""
    got = get(xv, res, res.params())
    assert got.status_code == 200
    assert got.content == content
    assert got["Content-Type"] == content_type
    assert got["ETag"] == etag_of(content)
    assert got["Last-Modified"]


def test_get_of_a_missing_document_is_404(xv, res):
    assert get(xv, res, res.params("missing")).status_code == 404
    assert head(xv, res, res.params("missing")).status_code == 404


def test_head_answers_like_get_without_a_body(xv, res):
    put(xv, res, {"a": 1})
    got, headed = get(xv, res, res.params()), head(xv, res, res.params())
    assert headed.status_code == 200
    assert headed.content == b""
    assert headed["ETag"] == got["ETag"]
    assert headed["Content-Type"] == got["Content-Type"]
    listed = xv.http.head(f"/xapi/{res.path}?{res.list_params()}", headers=xv.headers())
    assert listed.status_code == 200
    assert listed.content == b""


def test_delete_removes_the_document(xv, res):
    put(xv, res, {"a": 1})
    response = xv.delete(res.path, params=res.params())
    assert response.status_code == 204
    assert get(xv, res, res.params()).status_code == 404


def test_delete_of_a_missing_document_is_204(xv, res):
    assert xv.delete(res.path, params=res.params("never")).status_code == 204


def test_put_replaces_with_a_precondition(xv, res):
    put(xv, res, {"a": 1, "b": 2})
    etag = get(xv, res, res.params())["ETag"]
    assert put(xv, res, {"c": 3}, **{"If-Match": etag}).status_code == 204
    assert get(xv, res, res.params()).json() == {"c": 3}


def test_the_agent_is_matched_by_its_identifier(xv):
    put(xv, STATE, {"a": 1})
    params = urlencode({"activityId": ACTIVITY, "agent": SAME_AGENT_OTHER_NAME, "stateId": "doc"})
    assert get(xv, STATE, params).json() == {"a": 1}
    other = urlencode({"activityId": ACTIVITY, "agent": OTHER_AGENT, "stateId": "doc"})
    assert get(xv, STATE, other).status_code == 404


def test_documents_are_scoped_by_their_resource(xv):
    put(xv, STATE, {"state": 1})
    put(xv, ACTIVITY_PROFILE, {"activity": 1})
    put(xv, AGENT_PROFILE, {"agent": 1})
    assert get(xv, STATE, STATE.params()).json() == {"state": 1}
    assert get(xv, ACTIVITY_PROFILE, ACTIVITY_PROFILE.params()).json() == {"activity": 1}
    assert get(xv, AGENT_PROFILE, AGENT_PROFILE.params()).json() == {"agent": 1}
    other_activity = urlencode({"activityId": ACTIVITY + "/2", "profileId": "doc"})
    assert get(xv, ACTIVITY_PROFILE, other_activity).status_code == 404
    other_agent = urlencode({"agent": OTHER_AGENT, "profileId": "doc"})
    assert get(xv, AGENT_PROFILE, other_agent).status_code == 404


def test_state_is_scoped_by_registration(xv):
    registration = new_id()
    with_registration = STATE.params(registration=registration)
    put(xv, STATE, {"r": 1}, params=with_registration)
    assert get(xv, STATE, with_registration).json() == {"r": 1}
    assert get(xv, STATE, STATE.params()).status_code == 404
    assert get(xv, STATE, STATE.params(registration=new_id())).status_code == 404


# --- POST: store or merge -------------------------------------------------------------------------


def test_post_merges_top_level_json_keys(xv, res):
    put(xv, res, {"a": 1, "b": {"x": 1}})
    before = get(xv, res, res.params())["ETag"]
    response = post(xv, res, {"b": {"y": 2}, "c": 3})
    assert response.status_code == 204
    got = get(xv, res, res.params())
    assert got.json() == {"a": 1, "b": {"y": 2}, "c": 3}
    assert got["Content-Type"] == "application/json"
    assert got["ETag"] != before
    assert got["ETag"] == etag_of(got.content)


def test_post_needs_no_precondition(xv, res):
    post(xv, res, {"a": 1})
    assert post(xv, res, {"b": 2}).status_code == 204
    assert get(xv, res, res.params()).json() == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"plain text", "text/plain"),
        (b"\x00\xff", "application/octet-stream"),
        (b"[1, 2]", "application/json"),
        (b'{"a": 1}', "application/json"),
    ],
    ids=["text", "binary", "json-array", "json-object"],
)
def test_post_to_a_new_document_stores_it_as_a_put_would(xv, res, content, content_type):
    assert post(xv, res, content, content_type=content_type).status_code == 204
    got = get(xv, res, res.params())
    assert got.content == content
    assert got["Content-Type"] == content_type


@pytest.mark.parametrize(
    ("stored", "stored_type", "posted", "posted_type"),
    [
        (b'{"a": 1}', "application/json", b'{"b": 2}', "text/plain"),
        (b'{"a": 1}', "application/json", b'{"b": 2}', "application/octet-stream"),
        (b'{"a": 1}', "application/json", b"[1, 2]", "application/json"),
        (b'{"a": 1}', "application/json", b'"b"', "application/json"),
        (b'{"a": 1}', "application/json", b"not json", "application/json"),
        (b'{"a": 1}', "application/json", b'{"b": 1, "b": 2}', "application/json"),
        (b"[1, 2]", "application/json", b'{"b": 2}', "application/json"),
        (b"plain", "text/plain", b'{"b": 2}', "application/json"),
        (b"\x00\xff", "application/octet-stream", b'{"b": 2}', "application/json"),
    ],
    ids=[
        "onto-json-as-text",
        "onto-json-as-binary",
        "array-onto-object",
        "string-onto-object",
        "invalid-json",
        "duplicate-keys",
        "object-onto-array",
        "onto-text",
        "onto-binary",
    ],
)
def test_post_onto_a_stored_document_must_merge_two_json_objects(
    xv, res, stored, stored_type, posted, posted_type
):
    put(xv, res, stored, content_type=stored_type)
    response = post(xv, res, posted, content_type=posted_type)
    assert response.status_code == 400
    got = get(xv, res, res.params())
    assert got.content == stored
    assert got["Content-Type"] == stored_type


# --- Concurrency ----------------------------------------------------------------------------------


def test_put_over_an_existing_document_without_a_precondition(xv, res):
    put(xv, res, {"a": 1})
    response = put(xv, res, {"a": 2})
    if res.is_state and xv.version == "1.0.3":
        # 1.0.3 applies the 409 rule to the profile resources only.
        assert response.status_code == 204
        assert get(xv, res, res.params()).json() == {"a": 2}
    else:
        assert response.status_code == 409
        assert "If-Match" in response.json()["error"]["message"]
        assert get(xv, res, res.params()).json() == {"a": 1}


def test_put_without_a_precondition_creates_a_new_document(xv, res):
    assert put(xv, res, {"a": 1}).status_code == 204


PRECONDITIONS: list[tuple[str, str, dict[str, str], int]] = [
    # (case, method, headers, status) against an existing document; "ETAG" is its current tag.
    ("put-if-match-current", "put", {"If-Match": "ETAG"}, 204),
    ("put-if-match-star", "put", {"If-Match": "*"}, 204),
    ("put-if-match-uppercase", "put", {"If-Match": "UPPER_ETAG"}, 204),
    ("put-if-match-list", "put", {"If-Match": '"nope", ETAG'}, 204),
    ("put-if-match-stale", "put", {"If-Match": '"0000000000000000000000000000000000000000"'}, 412),
    ("put-if-match-unquoted-garbage", "put", {"If-Match": "garbage"}, 412),
    ("put-if-none-match-star", "put", {"If-None-Match": "*"}, 412),
    ("put-if-none-match-current", "put", {"If-None-Match": "ETAG"}, 412),
    ("put-if-none-match-other", "put", {"If-None-Match": '"other"'}, 204),
    ("post-if-match-current", "post", {"If-Match": "ETAG"}, 204),
    ("post-if-match-stale", "post", {"If-Match": '"stale"'}, 412),
    ("post-if-none-match-star", "post", {"If-None-Match": "*"}, 412),
    ("delete-if-match-current", "delete", {"If-Match": "ETAG"}, 204),
    ("delete-if-match-stale", "delete", {"If-Match": '"stale"'}, 412),
]


@pytest.mark.parametrize(
    ("method", "headers", "status"),
    [c[1:] for c in PRECONDITIONS],
    ids=[c[0] for c in PRECONDITIONS],
)
def test_preconditions_on_an_existing_document(xv, res, method, headers, status):
    put(xv, res, {"a": 1})
    etag = get(xv, res, res.params())["ETag"]
    sent = {
        name: value.replace("UPPER_ETAG", etag.upper()).replace("ETAG", etag)
        for name, value in headers.items()
    }
    if method == "delete":
        response = xv.delete(res.path, params=res.params(), **sent)
    else:
        response = getattr(xv, method)(res.path, {"b": 2}, params=res.params(), **sent)
    assert response.status_code == status, response.content
    current = get(xv, res, res.params())
    if status == 412:
        assert current.json() == {"a": 1}
        assert current["ETag"] == etag


@pytest.mark.parametrize(
    ("method", "headers", "status"),
    [
        ("put", {"If-Match": '"anything"'}, 412),
        ("put", {"If-Match": "*"}, 412),
        ("put", {"If-None-Match": "*"}, 204),
        ("post", {"If-Match": '"anything"'}, 412),
        ("post", {"If-None-Match": "*"}, 204),
    ],
    ids=[
        "put-if-match",
        "put-if-match-star",
        "put-if-none-match",
        "post-if-match",
        "post-if-none-match",
    ],
)
def test_preconditions_on_a_missing_document(xv, res, method, headers, status):
    response = getattr(xv, method)(res.path, {"a": 1}, params=res.params(), **headers)
    assert response.status_code == status
    expected = 200 if status == 204 else 404
    assert get(xv, res, res.params()).status_code == expected


# --- Content types and sizes ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "post"])
def test_a_write_without_content_type_is_400(xv, res, method):
    response = getattr(xv, method)(res.path, b"data", params=res.params(), content_type="")
    assert response.status_code == 400
    assert not Document.objects.exists()


@pytest.mark.parametrize("method", ["put", "post"])
def test_json_documents_must_be_json(xv, res, method):
    for bad in (b"{not json", b'{"a": 1, "a": 2}', b"NaN"):
        response = getattr(xv, method)(res.path, bad, params=res.params())
        assert response.status_code == 400
    assert not Document.objects.exists()


@pytest.mark.parametrize("method", ["put", "post"])
def test_an_oversized_document_is_413(xv, res, method):
    with override_settings(LRS_MAX_BODY_BYTES=100):
        response = getattr(xv, method)(
            res.path, b"x" * 101, params=res.params(), content_type="text/plain"
        )
        assert response.status_code == 413
    assert not Document.objects.exists()


# --- Lists of ids ---------------------------------------------------------------------------------


def test_get_without_an_id_lists_the_ids(xv, res):
    assert get(xv, res, res.list_params()).json() == []
    for document_id in ("b", "a", "c"):
        put(xv, res, {"id": document_id}, params=res.params(document_id))
    response = get(xv, res, res.list_params())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert sorted(response.json()) == ["a", "b", "c"]


def test_since_lists_the_ids_updated_after_it(xv, res):
    put(xv, res, {"v": 1}, params=res.params("old"))
    updated = get(xv, res, res.params("old"))["Last-Modified"]
    from django.utils.http import parse_http_date

    from ecotone.lrs.models import Document as Stored

    old_time = Stored.objects.get(document_id="old").updated
    put(xv, res, {"v": 1}, params=res.params("new"))
    Stored.objects.filter(document_id="new").update(
        updated=old_time.replace(year=old_time.year + 1)
    )
    since = old_time.isoformat()
    assert get(xv, res, res.list_params(since=since)).json() == ["new"]
    assert sorted(get(xv, res, res.list_params(since="2000-01-01T00:00:00Z")).json()) == [
        "new",
        "old",
    ]
    assert get(xv, res, res.list_params(since="2999-01-01T00:00:00+02:00")).json() == []
    assert parse_http_date(updated)


@pytest.mark.parametrize(
    "since", ["yesterday", "2026-13-01T00:00:00Z", ""], ids=["words", "month", "empty"]
)
def test_since_must_be_a_timestamp(xv, res, since):
    assert get(xv, res, res.list_params(since=since)).status_code == 400


def test_since_with_an_id_is_checked_and_the_id_decides(xv, res):
    # XAPI-00192: nothing requires the LRS to react to since beside an id; a malformed one is
    # still a 400 (XAPI-00204).
    put(xv, res, {"a": 1})
    assert get(xv, res, res.params(since="2999-01-01T00:00:00Z")).json() == {"a": 1}
    assert get(xv, res, res.params(since="yesterday")).status_code == 400
    assert xv.delete(res.path, params=res.params(since="yesterday")).status_code == 400
    assert xv.delete(res.path, params=res.params(since="2999-01-01T00:00:00Z")).status_code == 204
    assert get(xv, res, res.params()).status_code == 404


def test_state_delete_without_an_id_honours_since(xv):
    from ecotone.lrs.models import Document as Stored

    put(xv, STATE, {"v": 1}, params=STATE.params("old"))
    put(xv, STATE, {"v": 1}, params=STATE.params("new"))
    old_time = Stored.objects.get(document_id="old").updated
    Stored.objects.filter(document_id="new").update(
        updated=old_time.replace(year=old_time.year + 1)
    )
    response = xv.delete(STATE.path, params=STATE.list_params(since=old_time.isoformat()))
    assert response.status_code == 204
    assert get(xv, STATE, STATE.list_params()).json() == ["old"]
    assert xv.delete(STATE.path, params=STATE.list_params(since="soon")).status_code == 400
    assert get(xv, STATE, STATE.list_params()).json() == ["old"]


def test_state_delete_without_an_id_clears_the_scope(xv):
    registration = new_id()
    for document_id in ("a", "b"):
        put(xv, STATE, {"v": 1}, params=STATE.params(document_id))
        put(xv, STATE, {"v": 1}, params=STATE.params(document_id, registration=registration))
    other = urlencode({"activityId": ACTIVITY, "agent": OTHER_AGENT, "stateId": "a"})
    put(xv, STATE, {"v": 1}, params=other)
    assert (
        xv.delete(STATE.path, params=STATE.list_params(registration=registration)).status_code
        == 204
    )
    assert get(xv, STATE, STATE.list_params(registration=registration)).json() == []
    assert sorted(get(xv, STATE, STATE.list_params()).json()) == ["a", "b"]
    assert xv.delete(STATE.path, params=STATE.list_params()).status_code == 204
    assert get(xv, STATE, STATE.list_params()).json() == []
    assert get(xv, STATE, other).status_code == 200


@pytest.mark.parametrize("res_profile", [ACTIVITY_PROFILE, AGENT_PROFILE], ids=NAMES[1:])
def test_profile_delete_needs_an_id(xv, res_profile):
    put(xv, res_profile, {"a": 1})
    assert xv.delete(res_profile.path, params=res_profile.list_params()).status_code == 400
    assert get(xv, res_profile, res_profile.params()).status_code == 200


# --- Parameters -----------------------------------------------------------------------------------

BAD_PARAMETERS: list[tuple[str, Resource, dict[str, str]]] = [
    ("state-no-activity", STATE, {"agent": AGENT, "stateId": "x"}),
    ("state-no-agent", STATE, {"activityId": ACTIVITY, "stateId": "x"}),
    ("state-activity-not-iri", STATE, {"activityId": "course", "agent": AGENT, "stateId": "x"}),
    ("state-agent-not-json", STATE, {"activityId": ACTIVITY, "agent": "leo", "stateId": "x"}),
    (
        "state-agent-no-ifi",
        STATE,
        {"activityId": ACTIVITY, "agent": '{"name": "x"}', "stateId": "x"},
    ),
    (
        "state-agent-two-ifis",
        STATE,
        {
            "activityId": ACTIVITY,
            "agent": json.dumps({"mbox": "mailto:a@b.c", "openid": "http://x.y/a"}),
            "stateId": "x",
        },
    ),
    (
        "state-registration",
        STATE,
        {"activityId": ACTIVITY, "agent": AGENT, "stateId": "x", "registration": "r"},
    ),
    (
        "state-unknown",
        STATE,
        {"activityId": ACTIVITY, "agent": AGENT, "stateId": "x", "profileId": "y"},
    ),
    ("activity-profile-no-activity", ACTIVITY_PROFILE, {"profileId": "x"}),
    ("activity-profile-not-iri", ACTIVITY_PROFILE, {"activityId": "course", "profileId": "x"}),
    (
        "activity-profile-unknown",
        ACTIVITY_PROFILE,
        {"activityId": ACTIVITY, "profileId": "x", "agent": AGENT},
    ),
    ("agent-profile-no-agent", AGENT_PROFILE, {"profileId": "x"}),
    ("agent-profile-bad-agent", AGENT_PROFILE, {"agent": '{"mbox": "leo"}', "profileId": "x"}),
    (
        "agent-profile-unknown",
        AGENT_PROFILE,
        {"agent": AGENT, "profileId": "x", "activityId": ACTIVITY},
    ),
]


@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
@pytest.mark.parametrize(
    ("res_bad", "params"), [c[1:] for c in BAD_PARAMETERS], ids=[c[0] for c in BAD_PARAMETERS]
)
def test_bad_parameters_are_400(xv, method, res_bad, params):
    query = urlencode(params)
    if method == "get":
        response = xv.http.get(f"/xapi/{res_bad.path}?{query}", headers=xv.headers())
    elif method == "delete":
        response = xv.delete(res_bad.path, params=query)
    else:
        response = getattr(xv, method)(res_bad.path, {"a": 1}, params=query)
    assert response.status_code == 400
    assert response["X-Experience-API-Version"] == xv.version
    assert not Document.objects.exists()


@pytest.mark.parametrize("method", ["put", "post"])
def test_writes_need_the_document_id(xv, res, method):
    response = getattr(xv, method)(res.path, {"a": 1}, params=res.list_params())
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_documents_need_credentials_with_the_scope(xv, res, lrs_admin):
    from tests.lrs.conftest import make_xapi

    reader = make_xapi(lrs_admin, scopes=("statements/read",), version=xv.version, name="Reader")
    assert reader.put(res.path, {"a": 1}, params=res.params()).status_code == 403
    assert get(reader, res, res.params()).status_code == 403


# --- Alternate request syntax (1.0.3) -------------------------------------------------------------


def test_alternate_syntax_for_documents(xapi1, res):
    form = {
        "Authorization": xapi1.headers()["Authorization"],
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "content": json.dumps({"a": 1}),
        **res.scope,
        res.id_param: "doc",
    }
    response = xapi1.http.post(
        f"/xapi/{res.path}?method=PUT",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 204, response.content
    assert get(xapi1, res, res.params()).json() == {"a": 1}
    fetch = {key: value for key, value in form.items() if key not in ("content", "Content-Type")}
    got = xapi1.http.post(
        f"/xapi/{res.path}?method=GET",
        urlencode(fetch),
        content_type="application/x-www-form-urlencoded",
    )
    assert got.json() == {"a": 1}
    deleted = xapi1.http.post(
        f"/xapi/{res.path}?method=DELETE",
        urlencode(fetch),
        content_type="application/x-www-form-urlencoded",
    )
    assert deleted.status_code == 204
    assert get(xapi1, res, res.params()).status_code == 404


# --- Cost -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "post"])
def test_a_document_write_is_a_constant_number_of_queries(
    xv, res, method, django_assert_num_queries
):
    put(xv, res, {"a": 1})
    etag = get(xv, res, res.params())["ETag"]
    # The client's credentials, the locked read of the document and its update, inside the
    # write's transaction (a savepoint and its release under the test's own transaction).
    with django_assert_num_queries(5) as captured:
        response = getattr(xv, method)(
            res.path, {"b": 2}, params=res.params(), **{"If-Match": etag}
        )
    assert response.status_code == 204
    statements = [query["sql"] for query in captured.captured_queries]
    assert sum("lrs_document" in sql for sql in statements) == 2, statements
