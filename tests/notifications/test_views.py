"""The bell, the inbox and the preferences page: thin HTML adapters."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from ecotone.notifications.models import Notification, NotificationPreference
from ecotone.notifications.services import notify


def _bell(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("notifications/_bell.html", {"request": request, "me": None})


def _ping(user, title="Ping", url=""):
    notification = notify(recipient=user, kind="tests.ping", title=title, url=url)
    assert notification is not None
    return notification


@pytest.fixture
def learner(org):
    return org.people["learner"].user


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def test_bell_renders_nothing_for_anonymous(db):
    assert _bell(AnonymousUser()).strip() == ""


def test_bell_renders_without_a_request(db):
    assert render_to_string("notifications/_bell.html", {}).strip() == ""


def test_bell_shows_the_unread_count_in_one_query(learner, django_assert_num_queries):
    for n in range(3):
        _ping(learner, f"Thing {n}")
    with django_assert_num_queries(1):
        html = _bell(learner)
    assert 'href="/notifications/"' in html
    assert ">3<span" in html
    assert 'hx-get="/notifications/badge/"' in html
    assert 'hx-trigger="every 60s, notifications-changed from:body"' in html


def test_bell_caps_the_count(learner):
    Notification.objects.bulk_create(
        [Notification(recipient=learner, kind="tests.ping", title="x") for _ in range(105)]
    )
    assert ">99+<span" in _bell(learner)


def test_bell_hides_an_empty_badge(learner):
    html = _bell(learner)
    assert "badge-empty" in html
    assert "none unread" in html


def test_badge_endpoint_is_one_query_after_the_session(
    signed_in, learner, django_assert_num_queries
):
    _ping(learner)
    signed_in.get("/notifications/badge/")  # warm the session
    with django_assert_num_queries(3):  # session, user, count
        response = signed_in.get("/notifications/badge/")
    assert response.status_code == 200
    assert response.content.decode().startswith('<span id="notification-badge"')
    assert ">1<span" in response.content.decode()


def test_badge_endpoint_is_empty_for_anonymous(client, db):
    assert client.get("/notifications/badge/").status_code == 204


def test_inbox_needs_sign_in(client, db):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_inbox_lists_only_my_notifications_with_constant_queries(
    signed_in, learner, org, django_assert_num_queries
):
    _ping(org.people["peer"].user, "Not yours")
    _ping(learner, "First")
    signed_in.get("/notifications/")
    with django_assert_num_queries(8) as few:
        response = signed_in.get("/notifications/")
    for n in range(8):
        _ping(learner, f"More {n}")
    with django_assert_num_queries(len(few)):
        signed_in.get("/notifications/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "First" in html
    assert "Not yours" not in html
    assert 'class="notification is-unread"' in html


def test_inbox_unread_filter_and_empty_state(signed_in, learner):
    read = _ping(learner, "Seen it")
    read.read_at = read.created_at
    read.save()
    html = signed_in.get("/notifications/?filter=unread").content.decode()
    assert "Seen it" not in html
    assert "all caught up" in html
    assert "Seen it" in signed_in.get("/notifications/").content.decode()


def test_inbox_paginates(signed_in, learner):
    Notification.objects.bulk_create(
        [Notification(recipient=learner, kind="tests.ping", title=f"N{n}") for n in range(30)]
    )
    html = signed_in.get("/notifications/?page=2").content.decode()
    assert "Page 2 of 2" in html
    assert html.count('class="notification is-unread"') == 5


def test_mark_read_with_htmx_returns_the_item(signed_in, learner):
    notification = _ping(learner, "Read me")
    response = signed_in.post(f"/notifications/{notification.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    html = response.content.decode()
    assert html.strip().startswith(f'<li id="notification-{notification.pk}" class="notification"')
    assert "Mark as read" not in html
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_of_someone_elses_notification_is_404(signed_in, org):
    theirs = _ping(org.people["peer"].user)
    assert signed_in.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert signed_in.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_follows_the_link(signed_in, learner):
    notification = _ping(learner, url="/people/1/")
    response = signed_in.get(f"/notifications/{notification.pk}/open/")
    assert (response.status_code, response["Location"]) == (302, "/people/1/")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_does_not_redirect_off_site(signed_in, learner):
    notification = _ping(learner, url="https://elsewhere.example/")
    response = signed_in.get(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read(signed_in, learner):
    for n in range(3):
        _ping(learner, f"N{n}")
    response = signed_in.post("/notifications/read-all/")
    assert (response.status_code, response["Location"]) == (302, "/notifications/")
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_preferences_page_shows_and_saves_the_mode(signed_in, learner):
    html = signed_in.get("/notifications/preferences/").content.decode()
    assert 'value="daily_digest"' in html
    assert 'id="email-mode-daily_digest" value="daily_digest"' in html
    assert "One e-mail a day" in html
    response = signed_in.post("/notifications/preferences/", {"email_mode": "immediate"})
    assert (response.status_code, response["Location"]) == (302, "/notifications/preferences/")
    assert NotificationPreference.objects.get(user=learner).email_mode == "immediate"


def test_preferences_page_refuses_an_unknown_mode(signed_in, learner):
    response = signed_in.post("/notifications/preferences/", {"email_mode": "hourly"})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not NotificationPreference.objects.filter(user=learner).exists()
