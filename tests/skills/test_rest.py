from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ecotone.skills.models import Skill, SkillLevel, ValidationRequest


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_gets_401_problem(db):
    response = Client().get("/api/v1/skills")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_list_skills_constant_queries(org, framework, django_assert_num_queries):
    client = client_for(org.users["peer"])
    with django_assert_num_queries(11):
        response = client.get("/api/v1/skills?size=2")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["pages"], [s["slug"] for s in body["items"]]) == (
        4,
        2,
        ["kubernetes", "python"],
    )


def test_skill_detail_and_404(org, framework):
    client = client_for(org.users["peer"])
    body = client.get("/api/v1/skills/python").json()
    assert (body["name"], body["aliases"], [lvl["name"] for lvl in body["levels"]][:2]) == (
        "Python",
        ["py", "CPython"],
        ["Awareness", "Beginner"],
    )
    missing = client.get("/api/v1/skills/cooking")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_rate_request_and_validate_through_the_api(engineers, framework):
    learner, manager = engineers.people["learner"], engineers.people["manager"]
    as_learner, as_manager = client_for(learner.user), client_for(manager.user)
    rated = as_learner.post(
        f"/api/v1/people/{learner.pk}/skills/evidence",
        {"skill": "python", "source": "self", "level": 3},
        content_type="application/json",
    )
    assert rated.status_code == 201
    bad = as_learner.post(
        f"/api/v1/people/{learner.pk}/skills/evidence",
        {"skill": "python", "source": "self", "level": 9},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["errors"]) == (
        422,
        {"level": ["A level is between 1 and 5."]},
    )
    forbidden = as_learner.post(
        f"/api/v1/people/{learner.pk}/skills/evidence",
        {"skill": "python", "source": "manager", "level": 5},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    asked = as_learner.post(
        "/api/v1/skill-requests",
        {"skill": "python", "level": 4, "message": "ran the workshop"},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.json()
    queue = as_manager.get("/api/v1/skill-requests/queue").json()
    assert [(r["person_id"], r["level"]) for r in queue] == [(learner.pk, 4)]
    resolved = as_manager.post(
        f"/api/v1/skill-requests/{queue[0]['id']}/resolve",
        {"decision": "adjusted", "level": 3, "comment": "Almost"},
        content_type="application/json",
    )
    assert (resolved.status_code, resolved.json()["status"]) == (200, "adjusted")
    levels = client_for(engineers.users["peer"]).get(f"/api/v1/people/{learner.pk}/skills").json()
    python = next(row for row in levels if row["skill"]["slug"] == "python")
    assert (python["level"], python["validated_level"], python["self_level"]) == (3, 3, None)
    own = as_learner.get(f"/api/v1/people/{learner.pk}/skills").json()
    python = next(row for row in own if row["skill"]["slug"] == "python")
    assert (python["level"], python["self_level"], python["target_level"]) == (3, 4, 3)
    history = as_learner.get(f"/api/v1/people/{learner.pk}/skills/python/history?months=2").json()
    assert [point["level"] for point in history] == [None, None, 3]
    assert ValidationRequest.objects.get().status == "adjusted"


def test_interests_and_role_assignment(engineers, framework):
    learner = engineers.people["learner"]
    client = client_for(learner.user)
    response = client.post(
        f"/api/v1/people/{learner.pk}/skill-interests",
        {"skill": "sql", "kind": "mentor"},
        content_type="application/json",
    )
    assert response.json() == [
        {"skill_id": framework.skills["sql"].pk, "kind": "mentor", "hidden": False}
    ]
    assert (
        client_for(engineers.users["peer"])
        .get(f"/api/v1/people/{learner.pk}/skill-interests")
        .json()
        == []
    )
    assigned = client_for(engineers.users["manager"]).put(
        f"/api/v1/people/{learner.pk}/role-profile",
        {"role": None},
        content_type="application/json",
    )
    assert assigned.status_code == 204


def test_gaps_experts_and_matrix(engineers, framework, django_assert_num_queries):
    SkillLevel.objects.create(
        person=engineers.people["peer"],
        skill=framework.skills["kubernetes"],
        level=4,
        validated_level=4,
        computed_at="2026-01-01T00:00:00Z",
    )
    ld = client_for(engineers.users["ld"])
    gaps = ld.get("/api/v1/org/skill-gaps").json()
    assert gaps["people"] == 8
    assert {g["skill"]: g["qualified"] for g in gaps["gaps"]} == {
        "Kubernetes": 1,
        "Python": 0,
        "SQL": 0,
    }
    assert client_for(engineers.users["learner"]).get("/api/v1/org/skill-gaps").status_code == 403
    team = client_for(engineers.users["manager"]).get("/api/v1/teams/platform/skill-gaps")
    assert team.status_code == 200
    with django_assert_num_queries(18):
        matrix = ld.get("/api/v1/teams/platform/skill-matrix").json()
    assert len(matrix["people"]) == 2
    experts = ld.get("/api/v1/skills/experts?q=kuberntes").json()
    assert [(e["display_name"], e["level"]) for e in experts] == [("Pia Peer", 4)]


def test_framework_management_import_and_export(org, framework):
    ld = client_for(org.users["ld"])
    created = ld.post(
        "/api/v1/skills",
        {
            "name": "Go",
            "category_id": framework.categories["engineering"].pk,
            "aliases": ["golang"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert (
        client_for(org.users["peer"])
        .post("/api/v1/skills", {"name": "Rust"}, content_type="application/json")
        .status_code
        == 403
    )
    patched = ld.patch(
        "/api/v1/skills/go", {"status": "deprecated"}, content_type="application/json"
    )
    assert patched.json()["status"] == "deprecated"
    merged = ld.post(
        "/api/v1/skills/sql/merge", {"into": "python"}, content_type="application/json"
    )
    assert merged.json()["aliases"] == ["py", "CPython", "SQL", "Postgres"]
    exported = ld.get("/api/v1/skills/export?format=csv")
    assert exported["Content-Type"] == "text/csv"
    upload = SimpleUploadedFile("framework.csv", exported.content, content_type="text/csv")
    preview = ld.post("/api/v1/skills/import", {"file": upload})
    assert preview.json()["counts"] == {"create": 0, "update": 0, "unchanged": 6, "error": 0}
    bad = SimpleUploadedFile("bad.csv", b"uri,label\n,Nameless\n", content_type="text/csv")
    refused = ld.post("/api/v1/skills/import", {"file": bad, "apply": "true"})
    assert (refused.status_code, refused.json()["errors"]) == (
        422,
        {
            "line 2": ["The uri is missing."],
            "file": ["1 row(s) have errors; nothing was imported."],
        },
    )
    assert Skill.objects.count() == 5


@pytest.mark.parametrize("path", ["/api/v1/role-profiles", "/api/v1/skill-categories"])
def test_lists(org, framework, path):
    assert client_for(org.users["peer"]).get(path).status_code == 200
