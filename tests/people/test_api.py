"""The people, teams and roles endpoints of /api/v1/: thin adapters over the people services."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from ecotone.kernel.models import SecurityEvent
from ecotone.people import services
from ecotone.people.models import Person, RoleGrant, Team
from tests.factories import PersonFactory, TeamFactory

API = "/api/v1"


def bearer(user) -> dict[str, str]:
    secret = services.create_api_token(actor=user, name="test").secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_user(org):
    """``as_user("admin")``: a client and headers authenticated with that person's token."""

    def make(name: str) -> tuple[Client, dict[str, str]]:
        return Client(), bearer(org.people[name].user)

    return make


def call(as_user, name, method, path, body=None):
    client, headers = as_user(name)
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json", **headers)


# --- Authentication, CSRF, rate limits -------------------------------------------------------


def test_anonymous_gets_401_problem(org):
    response = Client().get(f"{API}/people")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "unauthenticated"


def test_bad_token_gets_401(org):
    response = Client().get(f"{API}/me", HTTP_AUTHORIZATION="Bearer eco_nope_nope")
    assert response.status_code == 401


def test_revoked_token_gets_401(org):
    user = org.people["learner"].user
    issued = services.create_api_token(actor=user, name="old")
    services.revoke_api_token(actor=user, token=issued.token)
    response = Client().get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 401


def test_session_read_works_without_csrf(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.people["learner"].user)
    response = client.get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["email"] == org.people["learner"].user.email


def test_session_write_without_csrf_token_is_refused(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.people["learner"].user)
    response = client.post(f"{API}/me/tokens", {"name": "laptop"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not org.people["learner"].user.api_tokens.exists()


def test_session_write_with_csrf_token_passes(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.people["learner"].user)
    client.get(f"{API}/me")  # any page; sets no cookie by itself, so ask Django for one
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(
        f"{API}/me/tokens",
        {"name": "laptop"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret),
    )
    assert response.status_code == 201


def test_token_write_needs_no_csrf(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{API}/me/tokens",
        {"name": "ci"},
        content_type="application/json",
        **bearer(org.people["learner"].user),
    )
    assert response.status_code == 201


@override_settings(ECOTONE_API_RATE="3/m")
def test_rate_limit_per_user_answers_429(org):
    client, headers = Client(), bearer(org.people["learner"].user)
    statuses = [client.get(f"{API}/me", **headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(f"{API}/me", **headers)
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) >= 1
    # Another user has their own allowance.
    assert client.get(f"{API}/me", **bearer(org.people["peer"].user)).status_code == 200


# --- /me -------------------------------------------------------------------------------------


def test_me_shows_person_and_derived_roles(as_user, org):
    response = call(as_user, "manager", "get", "/me")
    assert response.status_code == 200
    body = response.json()
    assert body["roles"] == ["manager"]
    assert body["person"]["id"] == org.people["manager"].pk
    assert body["person"]["team"] == {
        "id": org.teams["engineering"].pk,
        "slug": "engineering",
        "name": "Engineering",
    }
    assert body["person"]["manager"] == {
        "id": org.people["ceo"].pk,
        "display_name": "Cora CEO",
    }


# --- People: list ----------------------------------------------------------------------------


def names(response) -> list[str]:
    return [item["display_name"] for item in response.json()["items"]]


def test_list_people_sorted_and_paginated(as_user):
    response = call(as_user, "learner", "get", "/people?size=3&page=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    assert body["page"] == 2
    assert body["pages"] == 3
    assert names(response) == ["Lena L&D", "Leo Learner", "Mia Manager"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=engineer", ["Leo Learner", "Mia Manager", "Pia Peer"]),
        ("team=engineering", ["Leo Learner", "Mia Manager", "Pia Peer"]),
        ("team=platform", ["Leo Learner", "Pia Peer"]),
        ("title=Recruiter", ["Otto Outsider"]),
        ("location=Nowhere", []),
    ],
)
def test_list_people_filters(as_user, query, expected):
    assert names(call(as_user, "learner", "get", f"/people?{query}")) == expected


def test_list_people_team_filter_by_id(as_user, org):
    response = call(as_user, "learner", "get", f"/people?team={org.teams['platform'].pk}")
    assert names(response) == ["Leo Learner", "Pia Peer"]


def test_list_people_unknown_team_is_a_field_error(as_user):
    response = call(as_user, "learner", "get", "/people?team=atlantis")
    assert response.status_code == 422
    assert response.json()["errors"] == {"team": ["No such team."]}


def test_list_people_status_filter(as_user, org):
    services.deactivate_person(actor=org.people["admin"].user, person=org.people["peer"])
    assert "Pia Peer" not in names(call(as_user, "learner", "get", "/people"))
    assert names(call(as_user, "learner", "get", "/people?status=left")) == ["Pia Peer"]
    assert len(names(call(as_user, "learner", "get", "/people?status=all"))) == 8


def test_employee_ids_show_to_admins_only(as_user, org):
    Person.objects.filter(pk=org.people["peer"].pk).update(employee_id="E-7")
    by_admin = call(as_user, "admin", "get", "/people?q=Pia").json()["items"][0]
    by_learner = call(as_user, "learner", "get", "/people?q=Pia").json()["items"][0]
    assert by_admin["employee_id"] == "E-7"
    assert by_learner["employee_id"] is None


def test_list_people_runs_constant_queries(as_user, org, django_assert_num_queries):
    client, headers = as_user("learner")
    client.get(f"{API}/people", **headers)  # the token's last-use stamp is written once

    with django_assert_num_queries(12) as small:
        assert client.get(f"{API}/people", **headers).status_code == 200
    for n in range(30):
        PersonFactory(
            display_name=f"Extra {n:02}",
            team=org.teams["platform"],
            manager=org.people["manager"],
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(f"{API}/people?size=50", **headers)
    assert len(response.json()["items"]) == 38


def test_list_teams_runs_constant_queries(as_user, org, django_assert_num_queries):
    client, headers = as_user("learner")
    client.get(f"{API}/teams", **headers)
    with django_assert_num_queries(11) as small:
        assert client.get(f"{API}/teams", **headers).status_code == 200
    for n in range(20):
        team = TeamFactory(name=f"Squad {n}", parent=org.teams["platform"])
        PersonFactory(team=team, manager=org.people["manager"])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(f"{API}/teams?size=100", **headers)
    assert response.json()["count"] == 24


# --- People: one, create, update -------------------------------------------------------------


def test_get_person(as_user, org):
    RoleGrant.objects.create(person=org.people["peer"], role="executive")
    body = call(as_user, "learner", "get", f"/people/{org.people['peer'].pk}").json()
    assert body["display_name"] == "Pia Peer"
    assert body["roles"] == ["executive"]
    assert body["status"] == "active"


def test_get_unknown_person_is_404_problem(as_user):
    response = call(as_user, "learner", "get", "/people/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wrong_type_in_path_is_422(as_user):
    response = call(as_user, "learner", "get", "/people/abc")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("body", ['"Abc"', "[]", "42", "null", "true"])
def test_a_body_that_is_not_a_json_object_is_422(as_user, body):
    client, headers = as_user("admin")
    for path in ("/api/v1/courses", "/api/v1/people"):
        response = client.post(path, body, content_type="application/json", **headers)
        # "Abc" once became a course titled "Abc": the string's .title() read as its field
        assert response.status_code == 422, (path, response.content)
        assert response.json()["errors"] == {"__all__": ["The request body must be a JSON object."]}


def test_admin_creates_person(as_user, org):
    response = call(
        as_user,
        "admin",
        "post",
        "/people",
        {
            "email": "New.Hire@Example.com",
            "display_name": "Nora New",
            "title": "Engineer",
            "team": org.teams["platform"].pk,
            "manager": org.people["manager"].pk,
            "time_zone": "Europe/Paris",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.hire@example.com"
    assert body["manager"]["id"] == org.people["manager"].pk
    person = Person.objects.get(pk=body["id"])
    assert person.manager_path == f"{org.people['manager'].subtree_prefix}"
    assert SecurityEvent.objects.filter(action="people.person_created").count() == 1


def test_learner_cannot_create_person(as_user):
    response = call(
        as_user, "learner", "post", "/people", {"email": "x@example.com", "display_name": "X"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_duplicate_email_is_a_field_error(as_user, org):
    response = call(
        as_user,
        "admin",
        "post",
        "/people",
        {"email": org.people["peer"].user.email.upper(), "display_name": "Twin"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "duplicate_email"
    assert response.json()["errors"] == {"email": ["Someone already uses this e-mail address."]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "No Mail"}, "email"),
        ({"email": "a@example.com", "display_name": 12}, "display_name"),
        ({"email": "a@example.com", "display_name": "A", "team": "x"}, "team"),
        ({"email": "a@example.com", "display_name": "A", "manager": 0}, "manager"),
        ({"email": "a@example.com", "display_name": "A", "start_date": "soon"}, "start_date"),
        ({"email": "a@example.com", "display_name": "A\x00"}, "display_name"),
        ({"email": "not-an-email", "display_name": "A"}, "email"),
        ({"email": "a@example.com", "display_name": "A", "time_zone": "Mars/Base"}, "time_zone"),
        ({"email": "a@example.com", "display_name": "A", "team": 999999}, "team"),
        ({"email": "a@example.com", "display_name": "A", "manager": 999999}, "manager"),
    ],
)
def test_create_person_bad_input(as_user, body, field):
    response = call(as_user, "admin", "post", "/people", body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]
    assert not Person.objects.filter(user__email="a@example.com").exists()


def test_malformed_json_is_a_problem(as_user):
    client, headers = as_user("admin")
    response = client.post(f"{API}/people", "{not json", content_type="application/json", **headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "[null, null]"])
def test_body_must_be_a_json_object(as_user, org, body):
    client, headers = as_user("learner")
    response = client.patch(
        f"{API}/people/{org.people['learner'].pk}",
        body,
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/people/<peer>/team", {"team": "12"}, "team"),
        ("/people/<peer>/team", {"team": True}, "team"),
        ("/people/<peer>/manager", {"manager": 1.0}, "manager"),
        ("/people/<peer>/deactivate", {"left_on": 0}, "left_on"),
    ],
)
def test_no_coercion_of_ids_and_dates(as_user, org, path, body, field):
    path = path.replace("<peer>", str(org.people["peer"].pk))
    method = "post" if path.endswith("deactivate") else "put"
    response = call(as_user, "admin", method, path, body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert Person.objects.get(pk=org.people["peer"].pk).status == "active"


def test_ids_beyond_what_a_column_holds_are_422(as_user):
    response = call(as_user, "learner", "get", f"/people/{2**63}")
    assert response.status_code == 422


def test_person_edits_own_profile(as_user, org):
    response = call(
        as_user,
        "learner",
        "patch",
        f"/people/{org.people['learner'].pk}",
        {"location": "Nantes", "bio": "Rust and coffee."},
    )
    assert response.status_code == 200
    assert response.json()["location"] == "Nantes"
    assert response.json()["bio"] == "Rust and coffee."
    assert response.json()["display_name"] == "Leo Learner"


def test_person_cannot_change_own_title(as_user, org):
    response = call(
        as_user, "learner", "patch", f"/people/{org.people['learner'].pk}", {"title": "CTO"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"title": ["You cannot change title."]}


def test_null_for_a_required_text_is_refused(as_user, org):
    response = call(
        as_user, "learner", "patch", f"/people/{org.people['learner'].pk}", {"display_name": None}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["display_name"]


def test_peer_cannot_edit_someone_else(as_user, org):
    response = call(
        as_user, "peer", "patch", f"/people/{org.people['learner'].pk}", {"location": "Paris"}
    )
    assert response.status_code == 403


def test_admin_changes_email_to_a_taken_one(as_user, org):
    response = call(
        as_user,
        "admin",
        "patch",
        f"/people/{org.people['learner'].pk}",
        {"email": org.people["peer"].user.email},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "duplicate_email"


# --- People: lifecycle, manager, team ---------------------------------------------------------


def test_deactivate_and_reactivate(as_user, org):
    manager = org.people["manager"]
    response = call(as_user, "admin", "post", f"/people/{manager.pk}/deactivate", {})
    assert response.status_code == 200
    assert response.json()["status"] == "left"
    assert Person.objects.get(pk=org.people["learner"].pk).manager_id == org.people["ceo"].pk
    again = call(as_user, "admin", "post", f"/people/{manager.pk}/deactivate", {})
    assert again.status_code == 422
    assert again.json()["code"] == "already_left"
    back = call(as_user, "admin", "post", f"/people/{manager.pk}/reactivate")
    assert back.json()["status"] == "active"


def test_manager_cannot_deactivate(as_user, org):
    response = call(as_user, "manager", "post", f"/people/{org.people['learner'].pk}/deactivate")
    assert response.status_code == 403


def test_change_manager(as_user, org):
    response = call(
        as_user,
        "admin",
        "put",
        f"/people/{org.people['peer'].pk}/manager",
        {"manager": org.people["outsider"].pk},
    )
    assert response.status_code == 200
    assert response.json()["manager"]["id"] == org.people["outsider"].pk


def test_change_manager_refuses_a_cycle(as_user, org):
    response = call(
        as_user,
        "admin",
        "put",
        f"/people/{org.people['ceo'].pk}/manager",
        {"manager": org.people["learner"].pk},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "reporting_cycle"
    assert list(response.json()["errors"]) == ["manager"]
    assert Person.objects.get(pk=org.people["ceo"].pk).manager_id is None


def test_change_manager_to_self_is_a_cycle(as_user, org):
    peer = org.people["peer"]
    response = call(as_user, "admin", "put", f"/people/{peer.pk}/manager", {"manager": peer.pk})
    assert response.json()["code"] == "reporting_cycle"


def test_change_manager_requires_the_field(as_user, org):
    response = call(as_user, "admin", "put", f"/people/{org.people['peer'].pk}/manager", {})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["manager"]


def test_move_team(as_user, org):
    response = call(
        as_user,
        "admin",
        "put",
        f"/people/{org.people['peer'].pk}/team",
        {"team": org.teams["people"].pk},
    )
    assert response.status_code == 200
    assert response.json()["team"]["slug"] == "people"
    cleared = call(as_user, "admin", "put", f"/people/{org.people['peer'].pk}/team", {"team": None})
    assert cleared.json()["team"] is None


# --- Roles -----------------------------------------------------------------------------------


def test_admin_grants_and_revokes_a_role(as_user, org):
    peer = org.people["peer"]
    granted = call(as_user, "admin", "post", f"/people/{peer.pk}/roles", {"role": "ld"})
    assert granted.status_code == 201
    assert granted.json()["role"] == "ld"
    assert call(as_user, "learner", "get", f"/people/{peer.pk}").json()["roles"] == ["ld"]
    revoked = call(as_user, "admin", "delete", f"/people/{peer.pk}/roles/ld")
    assert revoked.status_code == 204
    assert not RoleGrant.objects.filter(person=peer).exists()


@pytest.mark.parametrize("actor", ["learner", "manager", "ld", "executive"])
def test_only_admins_grant_roles(as_user, org, actor):
    response = call(
        as_user, actor, "post", f"/people/{org.people['peer'].pk}/roles", {"role": "admin"}
    )
    assert response.status_code == 403


def test_unknown_role_is_422(as_user, org):
    response = call(
        as_user, "admin", "post", f"/people/{org.people['peer'].pk}/roles", {"role": "king"}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["role"]


def test_admin_cannot_revoke_own_admin_role(as_user, org):
    response = call(as_user, "admin", "delete", f"/people/{org.people['admin'].pk}/roles/admin")
    assert response.status_code == 422
    assert response.json()["code"] == "self_revoke"


# --- Teams -----------------------------------------------------------------------------------


def test_list_teams_in_tree_order_with_member_counts(as_user):
    body = call(as_user, "learner", "get", "/teams").json()
    assert [(t["slug"], t["member_count"]) for t in body["items"]] == [
        ("acme", 8),
        ("engineering", 3),
        ("platform", 2),
        ("people", 3),
    ] or [(t["slug"], t["member_count"]) for t in body["items"]] == [
        ("acme", 8),
        ("people", 3),
        ("engineering", 3),
        ("platform", 2),
    ]


def test_list_teams_by_parent(as_user, org):
    body = call(as_user, "learner", "get", f"/teams?parent={org.teams['company'].pk}").json()
    assert sorted(t["slug"] for t in body["items"]) == ["engineering", "people"]


@pytest.mark.parametrize("ref", ["engineering", "id"])
def test_get_team_by_slug_or_id(as_user, org, ref):
    team = org.teams["engineering"]
    body = call(as_user, "learner", "get", f"/teams/{team.pk if ref == 'id' else ref}").json()
    assert body["name"] == "Engineering"
    assert body["member_count"] == 3
    assert [(c["slug"], c["member_count"]) for c in body["children"]] == [("platform", 2)]


def test_get_unknown_team_is_404(as_user):
    assert call(as_user, "learner", "get", "/teams/atlantis").status_code == 404


def test_admin_creates_and_updates_a_team(as_user, org):
    created = call(
        as_user,
        "admin",
        "post",
        "/teams",
        {"name": "Data", "parent": org.teams["engineering"].pk, "lead": org.people["peer"].pk},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["slug"] == "data"
    assert body["lead"] == {"id": org.people["peer"].pk, "display_name": "Pia Peer"}
    assert body["depth"] == 2
    updated = call(as_user, "admin", "patch", "/teams/data", {"name": "Data Science", "lead": None})
    assert updated.status_code == 200
    assert updated.json()["name"] == "Data Science"
    assert updated.json()["lead"] is None
    assert updated.json()["parent_id"] == org.teams["engineering"].pk


def test_team_cannot_move_inside_itself(as_user, org):
    response = call(
        as_user,
        "admin",
        "patch",
        f"/teams/{org.teams['engineering'].pk}",
        {"parent": org.teams["platform"].pk},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "team_cycle"
    assert Team.objects.get(pk=org.teams["platform"].pk).parent_id == org.teams["engineering"].pk


def test_duplicate_team_name_among_siblings(as_user, org):
    response = call(
        as_user,
        "admin",
        "post",
        "/teams",
        {"name": "platform", "parent": org.teams["engineering"].pk},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "duplicate_team"


def test_learner_cannot_create_team(as_user):
    assert call(as_user, "learner", "post", "/teams", {"name": "Rogue"}).status_code == 403


# --- Who may call what: one table ------------------------------------------------------------

ENDPOINT_MATRIX = """
actor      method  path                              body                      status
learner    get     /people/<peer>                    -                         200
anonymous  get     /people/<peer>                    -                         401
learner    patch   /people/<learner>                 {"bio":"hi"}              200
peer       patch   /people/<learner>                 {"bio":"hi"}              403
manager    patch   /people/<learner>                 {"bio":"hi"}              403
admin      patch   /people/<learner>                 {"title":"Lead"}          200
learner    post    /people/<peer>/deactivate         {}                        403
ld         post    /people/<peer>/deactivate         {}                        403
admin      post    /people/<peer>/deactivate         {}                        200
manager    put     /people/<learner>/manager         {"manager":<ceo>}         403
admin      put     /people/<learner>/manager         {"manager":<ceo>}         200
executive  put     /people/<learner>/team            {"team":<people>}         403
admin      put     /people/<learner>/team            {"team":<people>}         200
ld         post    /people/<peer>/roles              {"role":"ld"}             403
admin      post    /people/<peer>/roles              {"role":"ld"}             201
executive  post    /teams                            {"name":"Ops"}            403
admin      post    /teams                            {"name":"Ops"}            201
learner    patch   /teams/platform                   {"name":"Core"}           403
admin      patch   /teams/platform                   {"name":"Core"}           200
anonymous  post    /me/tokens                        {"name":"x"}              401
learner    post    /me/tokens                        {"name":"x"}              201
"""


def _matrix_rows():
    lines = [line.split() for line in ENDPOINT_MATRIX.strip().splitlines()[1:]]
    return [pytest.param(*line, id="-".join(line[:3])) for line in lines]


@pytest.mark.parametrize(("actor", "method", "path", "body", "status"), _matrix_rows())
def test_endpoint_permissions(org, actor, method, path, body, status):
    ids = {name: person.pk for name, person in org.people.items()}
    ids |= {name: team.pk for name, team in org.teams.items()}

    def fill(text: str) -> str:
        return re.sub(r"<(\w+)>", lambda match: str(ids[match[1]]), text)

    path, body = fill(path), None if body == "-" else fill(body)
    headers = {} if actor == "anonymous" else bearer(org.people[actor].user)
    response = getattr(Client(), method)(
        f"{API}{path}", body, content_type="application/json", **headers
    )
    assert response.status_code == int(status), response.content
