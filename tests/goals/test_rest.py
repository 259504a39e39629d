from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from ecotone.goals.models import LearningGoal
from ecotone.skills import services as skill_services


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_gets_401_problem(db):
    response = Client().get("/api/v1/learning-goals")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_okr_flow_through_the_api(okrs):
    executive, manager = client_for(okrs.users["executive"]), client_for(okrs.users["manager"])
    today = timezone.localdate()
    response = executive.post(
        "/api/v1/goal-cycles",
        {"name": "Next", "starts_on": str(today), "ends_on": str(today - dt.timedelta(days=1))},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "ends_before_start"
    team = okrs.objectives["team"]
    response = manager.post(
        f"/api/v1/objectives/{team.pk}/key-results",
        {"title": "Launch", "metric": "milestones", "milestones": ["Design", "Build"]},
        content_type="application/json",
    )
    assert response.status_code == 201
    key_result = response.json()
    response = manager.post(
        f"/api/v1/key-results/{key_result['id']}/check-ins",
        {"done_milestones": [0], "confidence": "at_risk", "comment": "Design done"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["value"]) == (201, 1.0)
    response = manager.put(
        f"/api/v1/objectives/{team.pk}/skill-demand",
        {"skill": "kubernetes", "min_level": 3, "needed": 2},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["needed"], response.json()["qualified"]) == (2, 0)
    body = client_for(okrs.users["peer"]).get(f"/api/v1/objectives/{team.pk}").json()
    assert (body["progress"], body["readiness"], body["shortfall"]) == (0.5, 0.0, 2)
    company = client_for(okrs.users["peer"]).get(
        f"/api/v1/objectives/{okrs.objectives['company'].pk}"
    )
    assert company.json()["progress"] == 0.5
    response = executive.post(
        f"/api/v1/objectives/{okrs.objectives['company'].pk}/alignments",
        {"parent_id": team.pk},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (422, "alignment_cycle")
    listed = client_for(okrs.users["learner"]).get("/api/v1/objectives").json()
    assert sorted(item["title"] for item in listed) == ["Launch in Europe", "Run the EU cluster"]
    readiness = executive.get("/api/v1/readiness").json()
    assert [row["objective_id"] for row in readiness] == [team.pk]
    assert client_for(okrs.users["learner"]).get("/api/v1/readiness").status_code == 403


def test_goal_flow_through_the_api(okrs):
    learner, manager = okrs.people["learner"], okrs.people["manager"]
    as_manager, as_learner = client_for(manager.user), client_for(learner.user)
    response = as_manager.post(
        "/api/v1/learning-goals",
        {"person_id": learner.pk, "kind": "skill", "skill": "python", "target_level": 2},
        content_type="application/json",
    )
    assert response.status_code == 201
    goal = response.json()
    assert (goal["status"], goal["proposed_by_id"]) == ("proposed", manager.pk)
    response = as_learner.post(
        f"/api/v1/learning-goals/{goal['id']}/accept",
        {"visibility": "team", "objective_ids": [okrs.objectives["team"].pk]},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["status"]) == (200, "active")
    assert (
        client_for(okrs.users["peer"]).get(f"/api/v1/learning-goals/{goal['id']}").status_code
        == 200
    )
    assert (
        client_for(okrs.users["outsider"]).get(f"/api/v1/learning-goals/{goal['id']}").status_code
        == 404
    )
    skill_services.record_evidence(
        actor=manager.user, person=learner, skill=okrs.skills["python"], source="manager", level=2
    )
    body = as_learner.get(f"/api/v1/learning-goals/{goal['id']}").json()
    assert (body["progress"], body["status"]) == (1.0, "achieved")
    response = as_learner.post(
        "/api/v1/learning-goals",
        {"kind": "custom", "title": "Posts"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (422, "target_value_required")
    assert [g["id"] for g in as_manager.get("/api/v1/learning-goals/team").json()] == []
    assert as_learner.get(f"/api/v1/people/{learner.pk}/goal-suggestions").status_code == 200
    assert (
        client_for(okrs.users["peer"])
        .get(f"/api/v1/people/{learner.pk}/goal-suggestions")
        .status_code
        == 403
    )
    assert LearningGoal.objects.count() == 1


def test_goal_check_ins_and_comments(okrs):
    learner = okrs.people["learner"]
    client = client_for(learner.user)
    goal = client.post(
        "/api/v1/learning-goals",
        {"kind": "talk", "title": "Two talks", "target_value": 2},
        content_type="application/json",
    ).json()
    response = client.post(
        f"/api/v1/learning-goals/{goal['id']}/check-ins",
        {"value": 1, "confidence": "on_track"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/learning-goals/{goal['id']}").json()["progress"] == 0.5
    response = client_for(okrs.users["manager"]).post(
        f"/api/v1/learning-goals/{goal['id']}/comments",
        {"body": "Great start"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [
        c["body"] for c in client.get(f"/api/v1/learning-goals/{goal['id']}/comments").json()
    ] == ["Great start"]
    response = client.post(f"/api/v1/learning-goals/{goal['id']}/achieve")
    assert response.json()["status"] == "achieved"


def test_objective_detail_query_count_does_not_grow(okrs, django_assert_max_num_queries):
    client = client_for(okrs.users["peer"])
    team = okrs.objectives["team"]
    url = f"/api/v1/objectives/{team.pk}"

    def add_key_results(count: int) -> None:
        for index in range(count):
            client_for(okrs.users["manager"]).post(
                f"/api/v1/objectives/{team.pk}/key-results",
                {"title": f"KR {index}", "target_value": 3},
                content_type="application/json",
            )

    add_key_results(1)
    client.get(url)
    with django_assert_max_num_queries(100) as first:
        client.get(url)
    baseline = len(first.captured_queries)
    add_key_results(5)
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200
