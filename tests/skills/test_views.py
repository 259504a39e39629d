from __future__ import annotations

import re

import pytest
from django.test import Client

from ecotone.skills.models import SkillLevel, ValidationRequest


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def no_inline_code(html: str) -> None:
    assert 'style="' not in html
    assert re.search(r"\son\w+=", html) is None
    for attributes, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes


@pytest.mark.parametrize(
    ("actor", "path", "status"),
    [
        ("learner", "/skills/", 200),
        ("learner", "/skills/?q=pyhton", 200),
        ("learner", "/skills/python/", 200),
        ("learner", "/skills/cooking/", 404),
        ("learner", "/skills/me/", 200),
        ("manager", "/skills/team/", 200),
        ("manager", "/skills/team/?team=platform&sort=python&category=engineering", 200),
        ("learner", "/skills/team/?team=platform", 403),
        ("manager", "/skills/reviews/", 200),
        ("ld", "/skills/org/", 200),
        ("executive", "/skills/org/?team=engineering", 200),
        ("manager", "/skills/org/", 403),
        ("ld", "/skills/manage/", 200),
        ("manager", "/skills/manage/", 403),
        ("ld", "/skills/manage/export.csv", 200),
    ],
)
def test_pages(engineers, framework, actor, path, status):
    response = client_for(engineers.users[actor]).get(path)
    assert response.status_code == status
    if status == 200 and response["Content-Type"].startswith("text/html"):
        no_inline_code(response.content.decode())


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get("/skills/me/")
    assert response.status_code == 302


def test_rate_ask_and_validate_journey(engineers, framework):
    learner, manager = engineers.people["learner"], engineers.people["manager"]
    python = framework.skills["python"]
    as_learner = client_for(learner.user)
    refused = as_learner.post("/skills/me/", {"skill": python.pk, "level": 4, "ask": "endorsement"})
    assert refused.status_code == 422
    assert "Choose a colleague." in refused.content.decode()
    response = as_learner.post(
        "/skills/me/", {"skill": python.pk, "level": 4, "ask": "validation", "note": "workshop"}
    )
    assert response.status_code == 302
    page = as_learner.get("/skills/me/").content.decode()
    assert 'id="skills-radar-data"' in page
    assert "Python" in page
    request = ValidationRequest.objects.get()
    as_manager = client_for(manager.user)
    assert "workshop" in as_manager.get("/skills/reviews/").content.decode()
    refused = as_manager.post(
        f"/skills/reviews/{request.pk}/", {"decision": "adjusted", "level": 3}
    )
    assert refused.status_code == 422
    assert "Say why you adjust the level." in refused.content.decode()
    done = as_manager.post(
        f"/skills/reviews/{request.pk}/", {"decision": "adjusted", "level": 3, "comment": "Soon"}
    )
    assert done.status_code == 302
    row = SkillLevel.objects.get(person=learner, skill=python)
    assert (row.validated_level, row.self_level) == (3, 4)
    matrix = as_manager.get("/skills/team/").content.decode()
    assert "(self 4)" in matrix  # the manager sees the self-rating beside the validated level
    assert "Leo Learner" in matrix


def test_team_matrix_query_count(engineers, framework, django_assert_num_queries):
    client = client_for(engineers.users["manager"])
    client.get("/skills/team/?team=platform")
    with django_assert_num_queries(18):
        client.get("/skills/team/?team=platform")


def test_org_heatmap_query_count(engineers, framework, django_assert_num_queries):
    client = client_for(engineers.users["ld"])
    client.get("/skills/org/")
    with django_assert_num_queries(27):
        client.get("/skills/org/")


def test_import_preview_then_apply(org, framework):
    client = client_for(org.users["ld"])
    content = "uri,label,alternative labels,description,type,broader\nurn:x:go,Go,golang,,skill,\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(
        "/skills/manage/import/", {"file": SimpleUploadedFile("f.csv", content.encode())}
    )
    assert preview.status_code == 200
    assert "1 new" in preview.content.decode()
    applied = client.post(
        "/skills/manage/import/", {"content": content, "filename": "f.csv", "apply": "1"}
    )
    assert applied.status_code == 302
    assert client.get("/skills/go/").status_code == 200


def test_interests_form(engineers, framework):
    learner = engineers.people["learner"]
    client = client_for(learner.user)
    client.post(
        "/skills/me/interests/",
        {"skill": framework.skills["sql"].pk, "kind": "learn", "wanted": "on"},
    )
    client.post("/skills/me/interests/", {"hidden": "1"})
    assert learner.skill_interests.get().hidden is True


def test_profile_partial_shows_self_ratings_only_to_private_viewers(engineers, framework, rf):
    from ecotone.kernel.panels import render_panels
    from ecotone.skills import services

    learner = engineers.people["learner"]
    services.record_evidence(
        actor=learner.user, person=learner, skill=framework.skills["python"], source="self", level=4
    )

    def render_for(name):
        request = rf.get("/")
        request.user = engineers.users[name]
        return render_panels("profile", request, learner)

    assert "Self-rating" in render_for("manager")
    assert "Self-rating" not in render_for("peer")
    assert "Python" in render_for("peer")  # required by the role, shown with its target hidden


def test_framework_managers_deprecate_and_merge_from_the_skill_page(org, framework):
    client = client_for(org.users["ld"])
    assert "Merge into" in client.get("/skills/sql/").content.decode()
    assert "Merge into" not in client_for(org.users["peer"]).get("/skills/sql/").content.decode()
    client.post("/skills/sql/change/", {"action": "deprecated"})
    framework.skills["sql"].refresh_from_db()
    assert framework.skills["sql"].status == "deprecated"
    client.post("/skills/sql/change/", {"action": "active"})
    response = client.post("/skills/sql/change/", {"action": "merge", "into": "python"})
    assert response.status_code == 302
    framework.skills["sql"].refresh_from_db()
    assert framework.skills["sql"].merged_into == framework.skills["python"]
    assert (
        client_for(org.users["peer"])
        .post("/skills/python/change/", {"action": "deprecated"})
        .status_code
        == 403
    )


def test_role_profiles_page(org, framework):
    ld = client_for(org.users["ld"])
    assert ld.post("/skills/roles/", {"name": "Data analyst"}).status_code == 302
    response = ld.post(
        "/skills/roles/data-analyst/requirements/",
        {"skill": framework.skills["sql"].pk, "target_level": "4", "required": "on"},
    )
    assert response.status_code == 302
    page = client_for(org.users["peer"]).get("/skills/roles/").content.decode()
    assert "SQL</a>: level 4" in page
    assert "New role profile" not in page
    refused = client_for(org.users["peer"]).post(
        "/skills/roles/data-analyst/requirements/",
        {"skill": framework.skills["sql"].pk, "target_level": "2"},
    )
    assert refused.status_code == 403
