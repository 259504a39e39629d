"""LRS clients and activity mappings: services, permissions, HTML and API adapters."""

from __future__ import annotations

import base64
import json

import pytest

from ecotone.authz.testing import check_matrix
from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.kernel.models import SecurityEvent
from ecotone.lrs import services
from ecotone.lrs.models import ActivityMapping, LrsClient
from ecotone.skills.models import Skill, SkillCategory


def test_lrs_permission_matrix(staff):
    check_matrix(
        """
        actor      permission              target  allowed
        admin      lrs.browse_statements   -       yes
        ld         lrs.browse_statements   -       yes
        manager    lrs.browse_statements   -       no
        learner    lrs.browse_statements   -       no
        executive  lrs.browse_statements   -       no
        anonymous  lrs.browse_statements   -       no
        admin      lrs.manage_clients      -       yes
        ld         lrs.manage_clients      -       no
        learner    lrs.manage_clients      -       no
        admin      lrs.manage_mappings     -       yes
        ld         lrs.manage_mappings     -       no
        manager    lrs.manage_mappings     -       no
        """,
        actors=staff,
        targets={},
    )


def test_create_client_stores_only_a_keyed_hash_and_audits(staff):
    admin = staff["admin"]
    issued = services.create_client(actor=admin, name="Moodle", scopes=["statements/write"])
    client = LrsClient.objects.get()
    assert client.key.startswith("lrs_")
    assert issued.secret not in client.secret_digest
    assert client.secret_digest == services.secret_digest(issued.secret)
    assert client.authority == {
        "objectType": "Agent",
        "name": "Moodle",
        "account": {"homePage": "http://127.0.0.1:8000", "name": client.key},
    }
    assert services.authenticate_client(client.key, issued.secret) == client
    assert services.authenticate_client(client.key, "wrong") is None
    event = SecurityEvent.objects.get(action="lrs.client_created")
    assert event.detail == {"scopes": ["statements/write"]}


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [("", ["all"], "name"), ("Tool", [], "scopes"), ("Tool", ["root"], "scopes")],
)
def test_create_client_validates(staff, name, scopes, field):
    with pytest.raises(DomainError) as caught:
        services.create_client(actor=staff["admin"], name=name, scopes=scopes)
    assert caught.value.field == field


def test_only_admins_manage_clients(staff):
    with pytest.raises(Forbidden):
        services.create_client(actor=staff["ld"], name="Tool", scopes=["all"])


def test_revoke_client_audits(staff):
    admin = staff["admin"]
    issued = services.create_client(actor=admin, name="Tool", scopes=["all"])
    services.revoke_client(actor=admin, client=issued.client)
    assert services.authenticate_client(issued.client.key, issued.secret) is None
    assert SecurityEvent.objects.filter(action="lrs.client_revoked").count() == 1


def test_clients_page_shows_the_secret_once(client, staff):
    client.force_login(staff["admin"])
    response = client.post(
        "/xapi/clients/", {"name": "Moodle", "scopes": ["statements/write", "state"]}
    )
    assert response.status_code == 200
    issued = response.context["issued"]
    assert issued.secret.encode() in response.content
    again = client.get("/xapi/clients/")
    assert issued.secret.encode() not in again.content
    assert b"Moodle" in again.content


def test_clients_page_form_errors(client, staff):
    client.force_login(staff["admin"])
    response = client.post("/xapi/clients/", {"name": "Tool"})
    assert response.status_code == 400
    assert LrsClient.objects.count() == 0


def test_clients_page_is_for_admins(client, staff):
    client.force_login(staff["ld"])
    assert client.get("/xapi/clients/").status_code == 403


def test_clients_page_queries(client, staff, django_assert_num_queries):
    admin = staff["admin"]
    for index in range(3):
        services.create_client(actor=admin, name=f"Tool {index}", scopes=["all"])
    client.force_login(admin)
    client.get("/xapi/clients/")
    with django_assert_num_queries(7):
        assert client.get("/xapi/clients/").status_code == 200


def test_revoke_from_the_page(client, staff):
    admin = staff["admin"]
    issued = services.create_client(actor=admin, name="Tool", scopes=["all"])
    client.force_login(admin)
    response = client.post(f"/xapi/clients/{issued.client.pk}/revoke/")
    assert response.status_code == 302
    issued.client.refresh_from_db()
    assert issued.client.revoked_at is not None


def test_client_api(client, staff, django_assert_num_queries):
    admin = staff["admin"]
    client.force_login(admin)
    response = client.post(
        "/api/v1/lrs/clients",
        json.dumps({"name": "Tool", "scopes": ["statements/read"]}),
        content_type="application/json",
        headers={"X-CSRFToken": "x"},
    )
    assert response.status_code in (201, 403), response.content
    if response.status_code == 403:  # the API checks CSRF on session writes
        client = client.__class__(enforce_csrf_checks=False)
        client.force_login(admin)
        response = client.post(
            "/api/v1/lrs/clients",
            json.dumps({"name": "Tool", "scopes": ["statements/read"]}),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Tool"
    assert body["scopes"] == ["statements/read"]
    credentials = base64.b64encode(f"{body['key']}:{body['secret']}".encode()).decode()
    xapi = client.get(
        "/xapi/statements",
        headers={"Authorization": f"Basic {credentials}", "X-Experience-API-Version": "2.0.0"},
    )
    assert xapi.status_code == 200
    listed = client.get("/api/v1/lrs/clients")
    assert [item["key"] for item in listed.json()] == [body["key"]]
    assert "secret" not in listed.json()[0]
    revoked = client.post(f"/api/v1/lrs/clients/{body['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None


def test_client_api_is_for_admins(client, staff):
    client.force_login(staff["learner"])
    assert client.get("/api/v1/lrs/clients").status_code == 403


def test_map_activity_validates_and_replaces(staff):
    admin = staff["admin"]
    with pytest.raises(DomainError) as caught:
        services.map_activity(actor=admin, activity_iri="not an iri", skill_refs=["python"])
    assert caught.value.field == "activity_iri"
    with pytest.raises(DomainError) as caught:
        services.map_activity(actor=admin, activity_iri="http://x.y/a", skill_refs=[" "])
    assert caught.value.field == "skill_refs"
    services.map_activity(actor=admin, activity_iri="http://x.y/a", skill_refs=["python"])
    services.map_activity(actor=admin, activity_iri="http://x.y/a", skill_refs=["sql", "python"])
    assert list(ActivityMapping.objects.values_list("skill_refs", flat=True)) == [["sql", "python"]]


def test_mappings_page(client, staff, django_assert_num_queries):
    admin = staff["admin"]
    client.force_login(admin)
    response = client.post(
        "/xapi/mappings/",
        {"activity_iri": "https://lms.example/courses/42", "label": "SQL", "skill_refs": "sql\n"},
    )
    assert response.status_code == 302
    mapping = ActivityMapping.objects.get()
    assert mapping.skill_refs == ["sql"]
    client.get("/xapi/mappings/")
    with django_assert_num_queries(8):  # one of them resolves every mapping's skills at once
        page = client.get("/xapi/mappings/")
    assert b"https://lms.example/courses/42" in page.content
    assert b"no such skill" in page.content  # the test company has no skill called sql
    assert b"data-confirm=" in page.content  # removing asks first
    assert client.post(f"/xapi/mappings/{mapping.pk}/delete/").status_code == 302
    assert ActivityMapping.objects.count() == 0
    client.force_login(staff["ld"])
    assert client.get("/xapi/mappings/").status_code == 403


def _skill(slug: str, **fields: object) -> Skill:
    category, _ = SkillCategory.objects.get_or_create(slug="data", defaults={"name": "Data"})
    return Skill.objects.create(name=slug.upper(), slug=slug, category=category, **fields)


def test_mappings_page_warns_of_skills_that_do_not_exist(client, staff):
    _skill("sql", external_id="https://skills.example/sql")
    client.force_login(staff["admin"])
    response = client.post(
        "/xapi/mappings/",
        {
            "activity_iri": "https://lms.example/a",
            "skill_refs": "https://skills.example/sql\nSQL\npyhton\n",
        },
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "No skill is called pyhton yet" in text  # by external id and by name they resolve
    assert text.count("no such skill") == 1
    assert ActivityMapping.objects.get().skill_refs == [
        "https://skills.example/sql",
        "SQL",
        "pyhton",
    ]


def test_mapping_api(staff):
    from django.test import Client

    _skill("sql")
    api = Client(enforce_csrf_checks=False)
    api.force_login(staff["admin"])
    put = api.put(
        "/api/v1/lrs/mappings",
        json.dumps({"activity_iri": "https://lms.example/a", "skill_refs": ["sql", "nope"]}),
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    body = put.json()
    assert body["skill_refs"] == ["sql", "nope"]
    assert body["unknown_skill_refs"] == ["nope"]
    replaced = api.put(
        "/api/v1/lrs/mappings",
        json.dumps({"activity_iri": "https://lms.example/a", "skill_refs": ["sql"], "label": "A"}),
        content_type="application/json",
    )
    assert replaced.json()["id"] == body["id"]  # one mapping per activity
    listed = api.get("/api/v1/lrs/mappings").json()
    assert [(m["label"], m["skill_refs"], m["unknown_skill_refs"]) for m in listed] == [
        ("A", ["sql"], [])
    ]
    bad = api.put(
        "/api/v1/lrs/mappings",
        json.dumps({"activity_iri": "not an iri", "skill_refs": ["sql"]}),
        content_type="application/json",
    )
    assert bad.status_code in (400, 422)
    assert "IRI" in bad.content.decode()
    assert api.delete(f"/api/v1/lrs/mappings/{body['id']}").status_code == 204
    assert api.delete(f"/api/v1/lrs/mappings/{body['id']}").status_code == 404
    assert ActivityMapping.objects.count() == 0


@pytest.mark.parametrize("role", ["ld", "manager", "learner"])
def test_mapping_api_is_for_admins(client, staff, role):
    client.force_login(staff[role])
    assert client.get("/api/v1/lrs/mappings").status_code == 403
