"""The notifications endpoints of /api/v1/: thin adapters over the same selectors and services."""

from __future__ import annotations

import pytest
from django.test import Client

from ecotone.notifications.models import Notification, NotificationPreference
from ecotone.notifications.services import notify
from ecotone.people.services import create_api_token

API = "/api/v1/notifications"


@pytest.fixture
def learner(org):
    return org.people["learner"].user


@pytest.fixture
def api(learner):
    """A client calling the API with the learner's personal token."""
    secret = create_api_token(actor=learner, name="test").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _ping(user, title="Ping"):
    notification = notify(recipient=user, kind="tests.ping", title=title, url="/x/")
    assert notification is not None
    return notification


def test_anonymous_gets_401(client, db):
    response = client.get(API)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_list_is_mine_newest_first_with_constant_queries(
    api, learner, org, django_assert_num_queries
):
    _ping(org.people["peer"].user, "Theirs")
    first = _ping(learner, "First")
    second = _ping(learner, "Second")
    api.get(API)
    # token, rate-limit cache, count, page
    with django_assert_num_queries(9) as few:
        response = api.get(API)
    for n in range(5):
        _ping(learner, f"More {n}")
    with django_assert_num_queries(len(few)):
        api.get(API)
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    assert [item["id"] for item in body["items"]] == [second.pk, first.pk]
    assert body["items"][0] == {
        "id": second.pk,
        "kind": "tests.ping",
        "title": "Second",
        "body": "",
        "url": "/x/",
        "actor_id": None,
        "created_at": body["items"][0]["created_at"],
        "read_at": None,
    }


def test_unread_filter_count_and_mark_read(api, learner):
    first = _ping(learner, "First")
    _ping(learner, "Second")
    assert api.get(f"{API}/unread-count").json() == {"unread": 2}

    response = api.post(f"{API}/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None

    assert api.get(f"{API}/unread-count").json() == {"unread": 1}
    assert [i["title"] for i in api.get(f"{API}?unread=true").json()["items"]] == ["Second"]
    assert api.post(f"{API}/read-all").json() == {"marked": 1}
    assert api.get(f"{API}/unread-count").json() == {"unread": 0}


def test_someone_elses_notification_is_404(api, org):
    theirs = _ping(org.people["peer"].user)
    response = api.post(f"{API}/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_default_then_update(api, learner):
    assert api.get(f"{API}/preferences").json() == {
        "email_mode": "daily_digest",
        "kind_overrides": {},
    }
    response = api.put(
        f"{API}/preferences",
        {"email_mode": "off", "kind_overrides": {"people.role_granted": "immediate"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "email_mode": "off",
        "kind_overrides": {"people.role_granted": "immediate"},
    }
    assert NotificationPreference.objects.get(user=learner).email_mode == "off"


def test_preferences_refuse_unknown_modes_as_problem(api):
    response = api.put(
        f"{API}/preferences", {"email_mode": "hourly"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "email_mode" in response.json()["errors"]
    response = api.put(
        f"{API}/preferences",
        {"email_mode": "off", "kind_overrides": {"Not A Kind": "off"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "kind_overrides" in response.json()["errors"]
