"""The learning activity timeline on a person's profile: privacy, paging, the htmx fragment."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotone.lrs import selectors, services
from tests.lrs.conftest import make_xapi, statement


def _events(user, count: int) -> None:
    for number in range(count):
        services.record_learning_event(
            actor=user,
            verb="completed",
            activity=f"courses/{number}",
            activity_type="course",
            name=f"Course {number}",
            result={"score": {"scaled": 0.5}},
        )


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("learner", True),
        ("manager", True),
        ("ceo", True),
        ("ld", True),
        ("admin", True),
        ("peer", False),
        ("outsider", False),
        ("executive", False),
    ],
)
def test_the_profile_panel_follows_the_privacy_rules(client, org, viewer, sees):
    learner = org.people["learner"]
    _events(learner.user, 2)
    client.force_login(org.people[viewer].user)
    response = client.get(reverse("profile", args=[learner.pk]))
    assert response.status_code == 200
    assert ("Learning activity" in response.content.decode()) is sees
    assert ("Course 1" in response.content.decode()) is sees


def test_the_panel_lists_newest_first_with_details(client, org):
    learner = org.people["learner"]
    _events(learner.user, 2)
    tool = make_xapi(org.people["admin"].user, scopes=["statements/write"], name="Academy")
    tool.post("statements", statement(actor={"mbox": f"mailto:{learner.user.email}"}))
    client.force_login(learner.user)
    html = client.get(reverse("profile", args=[learner.pk])).content.decode()
    assert html.index("xAPI 101") < html.index("Course 1") < html.index("Course 0")
    assert '<span class="badge">score 50%</span>' in html
    assert '<span class="badge">from Academy</span>' in html
    assert "Older activity" not in html


def test_older_activity_pages_through_everything_once(client, org):
    learner = org.people["learner"]
    _events(learner.user, 25)
    client.force_login(org.people["manager"].user)
    html = client.get(reverse("profile", args=[learner.pk])).content.decode()
    assert html.count("<strong>Completed</strong>") == 10
    assert "Older activity" in html
    url = reverse("lrs:person_activity", args=[learner.pk])
    more = selectors.person_timeline(learner.user, learner, limit=10).more
    pages = 0
    names: list[str] = []
    while more:
        response = client.get(url, {"more": more}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert b"<html" not in response.content
        pages += 1
        timeline = selectors.person_timeline(learner.user, learner, limit=20, more=more)
        names += [entry.target for entry in timeline.entries]
        more = timeline.more
    assert pages == 1
    assert names == [f"Course {n}" for n in range(14, -1, -1)]


def test_the_activity_page_without_htmx_and_for_colleagues(client, org):
    learner = org.people["learner"]
    _events(learner.user, 1)
    url = reverse("lrs:person_activity", args=[learner.pk])
    client.force_login(learner.user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"<html" in response.content
    assert b"Course 0" in response.content
    assert client.get(url, {"more": "tampered"}).status_code == 200
    client.force_login(org.people["peer"].user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("lrs:person_activity", args=[99999])).status_code == 404


def test_the_timeline_costs_the_same_queries_however_long(org):
    learner = org.people["learner"]
    _events(learner.user, 3)
    with CaptureQueriesContext(connection) as few:
        selectors.person_timeline(org.people["manager"].user, learner, limit=10)
    _events(learner.user, 30)
    with CaptureQueriesContext(connection) as many:
        timeline = selectors.person_timeline(org.people["manager"].user, learner, limit=10)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(timeline.entries) == 10


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("learner", 200), ("manager", 200), ("ld", 200), ("admin", 200), ("peer", 403)],
)
def test_the_activity_api_follows_the_privacy_rules(client, org, viewer, status):
    learner = org.people["learner"]
    _events(learner.user, 1)
    client.force_login(org.people[viewer].user)
    response = client.get(f"/api/v1/people/{learner.pk}/activity")
    assert response.status_code == status
    if status == 200:
        assert [entry["target"] for entry in response.json()["entries"]] == ["Course 0"]
    else:
        assert response["Content-Type"] == "application/problem+json"


def test_the_activity_api_pages_in_constant_queries(client, org, django_assert_num_queries):
    learner = org.people["learner"]
    _events(learner.user, 25)
    client.force_login(org.people["manager"].user)
    url = f"/api/v1/people/{learner.pk}/activity"
    client.get(url)
    # Session, user and rate limit (7); the two people; one index range scan per identity.
    with django_assert_num_queries(12):  # whatever the page size or the history
        first = client.get(url, {"limit": 10}).json()
    assert [entry["target"] for entry in first["entries"]][:2] == ["Course 24", "Course 23"]
    assert first["entries"][0]["details"] == ["score 50%"]
    second = client.get(url, {"limit": 10, "more": first["more"]}).json()
    third = client.get(url, {"limit": 10, "more": second["more"]}).json()
    assert [entry["target"] for entry in third["entries"]] == [
        f"Course {n}" for n in range(4, -1, -1)
    ]
    assert third["more"] == ""
    assert client.get(url, {"limit": 0}).status_code == 422
    assert client.get("/api/v1/people/999999/activity").status_code == 404
