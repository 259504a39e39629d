from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from ecotone.notifications.services import notify


def _bell(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("notifications/_bell.html", {"request": request, "me": None})


def test_bell_renders_nothing_for_anonymous(db):
    assert _bell(AnonymousUser()).strip() == ""


def test_bell_shows_the_unread_count_in_one_query(org, django_assert_num_queries):
    user = org.people["learner"].user
    for n in range(3):
        notify(recipient=user, kind="tests.thing", title=f"Thing {n}")
    with django_assert_num_queries(1):
        html = _bell(user)
    assert 'href="/notifications/"' in html
    assert ">3<span" in html
    assert 'hx-get="/notifications/badge/"' in html
    assert 'hx-trigger="every 60s"' in html
