"""Every list page and fragment runs the same number of queries whatever the size of the org.

Each test measures a page on a small org, grows the org about tenfold, and asserts the same count.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotone.people.models import Person, Team
from tests.factories import PersonFactory, TeamFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grow(*, manager: Person, team: Team, people: int, sub_teams: int = 0) -> None:
    """Add ``people`` reports under ``manager`` in ``team``, every third with a report of their own,
    and ``sub_teams`` sub-teams of ``team`` (each with a lead and a member)."""
    for n in range(people):
        report = PersonFactory(team=team, manager=manager, title=f"Title {n % 7}")
        if n % 3 == 0:
            PersonFactory(team=team, manager=report, location=f"City {n % 5}")
    for _ in range(sub_teams):
        lead = PersonFactory(manager=manager)
        sub = TeamFactory(parent=team, lead=lead)
        PersonFactory(team=sub, manager=lead)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def small_org(client):
    company = TeamFactory(name="Company", slug="company")
    team = TeamFactory(name="Engineering", slug="engineering", parent=company)
    boss = PersonFactory(display_name="Boss", team=company)
    manager = PersonFactory(display_name="Manager", team=team, manager=boss)
    team.lead = manager
    team.save()
    viewer = grant(PersonFactory(display_name="Viewer", team=company, manager=boss), "admin")
    grow(manager=manager, team=team, people=4, sub_teams=1)
    client.force_login(viewer.user)
    client.get(reverse("home"))  # the session and caches warm up outside the measures
    return {"team": team, "manager": manager, "boss": boss}


def assert_constant(client, django_assert_num_queries, url: str, org: dict) -> int:
    baseline = count_queries(client, url)
    grow(manager=org["manager"], team=org["team"], people=30, sub_teams=5)
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert response.status_code == 200
    return baseline


def test_directory_first_page(client, django_assert_num_queries, small_org):
    assert_constant(client, django_assert_num_queries, reverse("directory"), small_org)


def test_directory_search_and_filters(client, django_assert_num_queries, small_org):
    url = reverse("directory") + "?q=person&team=engineering&title=Title+1&left=on"
    assert_constant(client, django_assert_num_queries, url, small_org)


def test_directory_live_search_fragment(client, django_assert_num_queries, small_org):
    url = reverse("directory") + "?q=person"
    with CaptureQueriesContext(connection) as context:
        client.get(url, headers={"HX-Request": "true"})
    grow(manager=small_org["manager"], team=small_org["team"], people=30)
    with django_assert_num_queries(len(context.captured_queries)):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"results-summary" in response.content


def test_profile_of_a_manager(client, django_assert_num_queries, small_org):
    url = reverse("profile", args=[small_org["manager"].pk])
    assert_constant(client, django_assert_num_queries, url, small_org)


def test_team_page(client, django_assert_num_queries, small_org):
    url = reverse("team", args=[small_org["team"].slug])
    assert_constant(client, django_assert_num_queries, url, small_org)


def test_team_list(client, django_assert_num_queries, small_org):
    assert_constant(client, django_assert_num_queries, reverse("teams"), small_org)


def test_org_chart_branch(client, django_assert_num_queries, small_org):
    url = reverse("org_branch", args=[small_org["manager"].pk])
    assert_constant(client, django_assert_num_queries, url, small_org)


def test_org_chart_top_and_focus(client, django_assert_num_queries, small_org):
    deep = Person.objects.filter(manager__manager=small_org["manager"]).first()
    url = reverse("org_chart") + f"?focus={deep.pk}"
    assert_constant(client, django_assert_num_queries, url, small_org)
    assert_constant(client, django_assert_num_queries, reverse("org_chart"), small_org)


def test_home_page(client, django_assert_num_queries, small_org):
    assert_constant(client, django_assert_num_queries, reverse("home"), small_org)


def test_person_picker(client, django_assert_num_queries, small_org):
    url = reverse("person_picker") + "?name=manager&manager_q=person"
    assert_constant(client, django_assert_num_queries, url, small_org)


def test_audit_trail(client, django_assert_num_queries, small_org):
    assert_constant(client, django_assert_num_queries, reverse("audit"), small_org)
