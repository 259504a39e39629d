"""Personal API tokens: the HTML section on one's profile and the /api/v1/me/tokens endpoints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecotone.kernel.models import SecurityEvent
from ecotone.people import services
from ecotone.people.models import ApiToken

API = "/api/v1"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def learner_client(org):
    client = Client()
    client.force_login(org.people["learner"].user)
    return client


# --- HTML ------------------------------------------------------------------------------------


def test_tokens_page_needs_sign_in(org):
    response = Client().get(reverse("api_tokens"))
    assert response.status_code == 302


def test_tokens_fragment_for_htmx_lists_only_own_tokens(org, learner_client):
    services.create_api_token(actor=org.people["learner"].user, name="laptop")
    services.create_api_token(actor=org.people["peer"].user, name="peer-secret-thing")
    response = learner_client.get(reverse("api_tokens"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "laptop" in html
    assert "peer-secret-thing" not in html
    assert 'hx-confirm="Revoke the token “laptop”?' in html
    assert response["Cache-Control"] == "no-store"


def test_tokens_full_page_without_htmx(learner_client):
    response = learner_client.get(reverse("api_tokens"))
    html = response.content.decode()
    assert "<html" in html
    assert "You have no API tokens yet." in html
    assert "ecotone/tokens.js" in html
    assert "<script>" not in html  # strict CSP: no inline script


def test_create_token_shows_the_secret_once(org, learner_client, django_assert_num_queries):
    response = learner_client.post(
        reverse("api_tokens"), {"name": "CI pipeline", "expires_on": ""}, HTTP_HX_REQUEST="true"
    )
    token = ApiToken.objects.get(user=org.people["learner"].user)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="eco_{token.prefix}_' in html
    assert "data-copy-token" in html
    assert SecurityEvent.objects.filter(action="people.token_created").count() == 1
    again = learner_client.get(reverse("api_tokens"), HTTP_HX_REQUEST="true").content.decode()
    assert f'value="eco_{token.prefix}_' not in again
    assert f"eco_{token.prefix}_…" in again


def test_create_token_with_expiry_day(org, learner_client):
    day = timezone.localdate() + dt.timedelta(days=30)
    learner_client.post(reverse("api_tokens"), {"name": "short", "expires_on": day.isoformat()})
    token = ApiToken.objects.get(user=org.people["learner"].user)
    assert timezone.localtime(token.expires_at).date() == day + dt.timedelta(days=1)


def test_create_token_in_the_past_shows_field_error(org, learner_client):
    response = learner_client.post(
        reverse("api_tokens"), {"name": "old", "expires_on": "2001-01-01"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "expires_on": ["The expiry date must be in the future."]
    }
    assert not ApiToken.objects.exists()


def test_create_token_without_name_keeps_htmx_swap(learner_client):
    response = learner_client.post(reverse("api_tokens"), {"name": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["This field is required."]}


def test_revoke_own_token(org, learner_client):
    issued = services.create_api_token(actor=org.people["learner"].user, name="laptop")
    response = learner_client.post(
        reverse("api_token_revoke", args=[issued.token.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Revoked" in response.content.decode()
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert services.authenticate_token(issued.secret) is None


def test_cannot_revoke_someone_elses_token(org, learner_client):
    issued = services.create_api_token(actor=org.people["peer"].user, name="theirs")
    response = learner_client.post(reverse("api_token_revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_revoke_needs_post(org, learner_client):
    issued = services.create_api_token(actor=org.people["learner"].user, name="laptop")
    response = learner_client.get(reverse("api_token_revoke", args=[issued.token.pk]))
    assert response.status_code == 405


def test_tokens_list_runs_constant_queries(org, learner_client, django_assert_num_queries):
    learner_client.get(reverse("api_tokens"), HTTP_HX_REQUEST="true")
    with django_assert_num_queries(6) as few:
        learner_client.get(reverse("api_tokens"), HTTP_HX_REQUEST="true")
    for n in range(10):
        services.create_api_token(actor=org.people["learner"].user, name=f"t{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        learner_client.get(reverse("api_tokens"), HTTP_HX_REQUEST="true")


# --- API -------------------------------------------------------------------------------------


def bearer(user):
    return {
        "HTTP_AUTHORIZATION": f"Bearer {services.create_api_token(actor=user, name='cli').secret}"
    }


def test_api_create_list_and_revoke_tokens(org):
    headers = bearer(org.people["learner"].user)
    client = Client()
    created = client.post(
        f"{API}/me/tokens",
        {"name": "deploy", "expires_at": "2099-01-01T00:00:00Z"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith(f"eco_{body['token']['prefix']}_")
    assert body["token"]["expires_at"] == "2099-01-01T00:00:00Z"
    assert services.authenticate_token(body["secret"]) == org.people["learner"].user

    listed = client.get(f"{API}/me/tokens", **headers).json()
    assert [t["name"] for t in listed] == ["deploy", "cli"]
    assert all("secret" not in t and "digest" not in t for t in listed)

    revoked = client.delete(f"{API}/me/tokens/{body['token']['id']}", **headers)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert services.authenticate_token(body["secret"]) is None


def test_api_token_expiry_needs_a_time_zone(org):
    response = Client().post(
        f"{API}/me/tokens",
        {"name": "naive", "expires_at": "2099-01-01T00:00:00"},
        content_type="application/json",
        **bearer(org.people["learner"].user),
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["expires_at"]


def test_api_cannot_revoke_someone_elses_token(org):
    theirs = services.create_api_token(actor=org.people["peer"].user, name="theirs")
    response = Client().delete(
        f"{API}/me/tokens/{theirs.token.pk}", **bearer(org.people["admin"].user)
    )
    assert response.status_code == 404


def test_api_tokens_list_runs_constant_queries(org, django_assert_num_queries):
    user = org.people["learner"].user
    headers, client = bearer(user), Client()
    client.get(f"{API}/me/tokens", **headers)
    with django_assert_num_queries(8) as few:
        client.get(f"{API}/me/tokens", **headers)
    for n in range(10):
        services.create_api_token(actor=user, name=f"t{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}/me/tokens", **headers).json()) == 11


def test_deactivated_person_token_stops_working(org):
    headers = bearer(org.people["peer"].user)
    services.deactivate_person(actor=org.people["admin"].user, person=org.people["peer"])
    assert Client().get(f"{API}/me", **headers).status_code == 401
