"""State, activity profile and agent profile resources; agents and activities."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

import pytest

from tests.lrs.conftest import make_xapi, new_id

ACTIVITY = "http://example.com/courses/xapi-101"
AGENT = json.dumps({"mbox": "mailto:leo@example.com"})


def _q(**params: str) -> str:
    return urlencode(params)


STATE = _q(activityId=ACTIVITY, agent=AGENT, stateId="bookmark")
STATE_SCOPE = _q(activityId=ACTIVITY, agent=AGENT)
ACTIVITY_PROFILE = _q(activityId=ACTIVITY, profileId="settings")
AGENT_PROFILE = _q(agent=AGENT, profileId="preferences")


def test_state_round_trip_with_etag(xapi1):
    assert xapi1.put("activities/state", {"page": 3}, params=STATE).status_code == 204
    response = xapi1.http.get(f"/xapi/activities/state?{STATE}", headers=xapi1.headers())
    assert response.status_code == 200
    assert response.json() == {"page": 3}
    assert response["Content-Type"] == "application/json"
    assert response["ETag"] == f'"{hashlib.sha1(b'{"page": 3}').hexdigest()}"'
    assert response["Last-Modified"]


def test_state_post_merges_json_objects(xapi):
    xapi.post("activities/state", {"page": 3, "score": 1}, params=STATE)
    xapi.post("activities/state", {"page": 4, "seen": True}, params=STATE)
    response = xapi.http.get(f"/xapi/activities/state?{STATE}", headers=xapi.headers())
    assert response.json() == {"page": 4, "score": 1, "seen": True}


def test_post_merge_needs_json_objects(xapi):
    # Changed with the conformance suite: a POST to a document that does not exist yet is stored
    # as a PUT would store it, so the JSON-object rule applies to POSTs onto stored documents.
    assert xapi.post("activities/state", {"a": 1}, params=STATE).status_code == 204
    assert xapi.post("activities/state", "[1, 2]", params=STATE).status_code == 400
    plain = _q(activityId=ACTIVITY, agent=AGENT, stateId="plain")
    xapi.put("activities/state", b"plain", params=plain, content_type="text/plain")
    assert xapi.post("activities/state", {"a": 1}, params=plain).status_code == 400


def test_state_ids_list_with_since_and_delete_all(xapi):
    xapi.post("activities/state", {"a": 1}, params=STATE)
    other = _q(activityId=ACTIVITY, agent=AGENT, stateId="progress")
    xapi.post("activities/state", {"b": 2}, params=other)
    listed = xapi.http.get(f"/xapi/activities/state?{STATE_SCOPE}", headers=xapi.headers())
    assert listed.json() == ["bookmark", "progress"]
    future = _q(activityId=ACTIVITY, agent=AGENT, since="2999-01-01T00:00:00Z")
    assert xapi.http.get(f"/xapi/activities/state?{future}", headers=xapi.headers()).json() == []
    assert xapi.delete("activities/state", params=STATE_SCOPE).status_code == 204
    assert (
        xapi.http.get(f"/xapi/activities/state?{STATE_SCOPE}", headers=xapi.headers()).json() == []
    )


def test_state_is_scoped_by_registration(xapi):
    registration = new_id()
    with_registration = _q(
        activityId=ACTIVITY, agent=AGENT, stateId="bookmark", registration=registration
    )
    xapi.post("activities/state", {"a": 1}, params=with_registration)
    missing = xapi.http.get(f"/xapi/activities/state?{STATE}", headers=xapi.headers())
    assert missing.status_code == 404
    found = xapi.http.get(f"/xapi/activities/state?{with_registration}", headers=xapi.headers())
    assert found.json() == {"a": 1}


@pytest.mark.parametrize(
    "params",
    [
        _q(agent=AGENT, stateId="x"),
        _q(activityId="not an iri", agent=AGENT, stateId="x"),
        _q(activityId=ACTIVITY, stateId="x"),
        _q(activityId=ACTIVITY, agent='{"name": "nobody"}', stateId="x"),
        _q(activityId=ACTIVITY, agent=AGENT, stateId="x", registration="nope"),
        _q(activityId=ACTIVITY, agent=AGENT, stateId="x", unknown="1"),
        _q(activityId=ACTIVITY, agent=AGENT, stateId="nul\x00"),
    ],
)
def test_state_bad_parameters_are_400(xapi, params):
    assert xapi.put("activities/state", {"a": 1}, params=params).status_code == 400


def test_2_0_state_put_over_an_existing_document_needs_a_precondition(xapi, xapi1):
    xapi.put("activities/state", {"a": 1}, params=STATE)
    assert xapi.put("activities/state", {"a": 2}, params=STATE).status_code == 409
    assert xapi1.put("activities/state", {"a": 3}, params=STATE).status_code == 204


@pytest.mark.parametrize(
    ("path", "params"),
    [("activities/profile", ACTIVITY_PROFILE), ("agents/profile", AGENT_PROFILE)],
)
def test_profile_preconditions(xapi, path, params):
    assert xapi.put(path, {"v": 1}, params=params, **{"If-Match": '"nope"'}).status_code == 412
    assert xapi.put(path, {"v": 1}, params=params, **{"If-None-Match": "*"}).status_code == 204
    etag = xapi.http.get(f"/xapi/{path}?{params}", headers=xapi.headers())["ETag"]
    assert xapi.put(path, {"v": 2}, params=params).status_code == 409
    assert xapi.put(path, {"v": 2}, params=params, **{"If-None-Match": "*"}).status_code == 412
    assert xapi.put(path, {"v": 2}, params=params, **{"If-Match": '"stale"'}).status_code == 412
    assert xapi.put(path, {"v": 2}, params=params, **{"If-Match": etag}).status_code == 204
    assert xapi.http.get(f"/xapi/{path}?{params}", headers=xapi.headers()).json() == {"v": 2}
    assert xapi.delete(path, params=params, **{"If-Match": etag}).status_code == 412
    assert xapi.delete(path, params=params).status_code == 204
    assert xapi.http.get(f"/xapi/{path}?{params}", headers=xapi.headers()).status_code == 404


def test_profile_post_merges_without_precondition(xapi):
    xapi.post("agents/profile", {"a": 1}, params=AGENT_PROFILE)
    assert xapi.post("agents/profile", {"b": 2}, params=AGENT_PROFILE).status_code == 204
    body = xapi.http.get(f"/xapi/agents/profile?{AGENT_PROFILE}", headers=xapi.headers()).json()
    assert body == {"a": 1, "b": 2}


def test_profile_ids(xapi):
    xapi.post("activities/profile", {"a": 1}, params=ACTIVITY_PROFILE)
    listed = xapi.http.get(
        f"/xapi/activities/profile?{_q(activityId=ACTIVITY)}", headers=xapi.headers()
    )
    assert listed.json() == ["settings"]


def test_binary_documents_keep_their_content_type(xapi):
    xapi.put("agents/profile", b"\x89PNG", params=AGENT_PROFILE, content_type="image/png")
    response = xapi.http.get(f"/xapi/agents/profile?{AGENT_PROFILE}", headers=xapi.headers())
    assert response.content == b"\x89PNG"
    assert response["Content-Type"] == "image/png"


def test_document_scopes(lrs_admin):
    statements_only = make_xapi(lrs_admin, scopes=["statements/write"])
    assert statements_only.put("activities/state", {"a": 1}, params=STATE).status_code == 403
    state_only = make_xapi(lrs_admin, scopes=["state"], name="State")
    assert state_only.put("activities/state", {"a": 1}, params=STATE).status_code == 204
    assert state_only.put("agents/profile", {"a": 1}, params=AGENT_PROFILE).status_code == 403


def test_agents_resource_returns_a_person(xapi):
    response = xapi.get("agents", {"agent": json.dumps({"name": "Leo", "mbox": "mailto:l@e.com"})})
    assert response.json() == {"objectType": "Person", "name": ["Leo"], "mbox": ["mailto:l@e.com"]}
    assert xapi.get("agents", {}).status_code == 400


def test_activities_resource(xapi):
    response = xapi.get("activities", {"activityId": "http://example.com/never-seen"})
    assert response.json() == {"objectType": "Activity", "id": "http://example.com/never-seen"}
    assert xapi.get("activities", {"activityId": "nope"}).status_code == 400
