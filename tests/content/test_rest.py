from __future__ import annotations

from django.test import Client

from ecotone.content.models import ContentRequest, Course
from ecotone.content.services import authoring
from ecotone.skills.models import EvidenceSource
from ecotone.skills.services import SYSTEM, record_evidence
from tests.content.conftest import write_course


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_author_and_learner_through_the_api(org, skills):
    author = client_for(org.users["peer"])
    learner = client_for(org.users["learner"])
    created = author.post(
        "/api/v1/courses",
        {"title": "Git", "skills": [{"skill": "python", "level": 2}], "tags": ["Tools"]},
        content_type="application/json",
    )
    assert created.status_code == 201
    course = created.json()
    assert (course["status"], course["tags"], course["skills"][0]["skill"]) == (
        "draft",
        ["tools"],
        "python",
    )
    assert learner.get(f"/api/v1/courses/{course['id']}").status_code == 404
    lesson = author.post(
        f"/api/v1/courses/{course['id']}/lessons",
        {"title": "Commit", "body": "git commit"},
        content_type="application/json",
    ).json()
    quiz = author.post(
        f"/api/v1/courses/{course['id']}/lessons",
        {"title": "Check", "kind": "quiz", "pass_mark": 100},
        content_type="application/json",
    ).json()
    question = author.post(
        f"/api/v1/lessons/{quiz['id']}/questions",
        {
            "kind": "multiple",
            "prompt": "Which?",
            "choices": [
                {"text": "add", "correct": True},
                {"text": "commit", "correct": True},
                {"text": "rm"},
            ],
        },
        content_type="application/json",
    )
    assert question.status_code == 201
    bad = author.post(
        f"/api/v1/courses/{course['id']}/publish", {}, content_type="application/json"
    )
    assert bad.status_code == 201
    assert bad.json()["number"] == 1
    version = learner.get(f"/api/v1/courses/{course['id']}/versions/1").json()
    assert version["snapshot"]["lessons"][1]["questions"][0]["choices"] == [
        {"text": "add"},
        {"text": "commit"},
        {"text": "rm"},
    ]
    enrolment = learner.post(f"/api/v1/courses/{course['id']}/enrolment").json()
    assert (enrolment["resume"], enrolment["progress"]) == (lesson["key"], 0)
    done = learner.post(f"/api/v1/courses/{course['id']}/lessons/{lesson['key']}/complete").json()
    assert done["progress"] == 50
    failed = learner.post(
        f"/api/v1/courses/{course['id']}/quizzes/{quiz['key']}/attempts",
        {"answers": {"0": [0]}},
        content_type="application/json",
    ).json()
    assert (failed["score"], failed["passed"], failed["course_completed"]) == (0, False, False)
    passed = learner.post(
        f"/api/v1/courses/{course['id']}/quizzes/{quiz['key']}/attempts",
        {"answers": {"0": [0, 1]}},
        content_type="application/json",
    ).json()
    assert (passed["score"], passed["course_completed"]) == (100, True)
    rating = learner.put(
        f"/api/v1/courses/{course['id']}/rating", {"stars": 4}, content_type="application/json"
    ).json()
    assert (rating["rating"], rating["ratings"]) == (4.0, 1)
    wrong = learner.put(
        f"/api/v1/courses/{course['id']}/rating", {"stars": 9}, content_type="application/json"
    )
    assert wrong.status_code == 422
    catalogue = learner.get("/api/v1/courses?skill=python").json()
    assert [(c["title"], c["version"], c["completions"]) for c in catalogue["items"]] == [
        ("Git", 1, 1)
    ]


def test_requests_through_the_api(org, skills):
    learner = client_for(org.users["learner"])
    ld = client_for(org.users["ld"])
    peer = client_for(org.users["peer"])
    record_evidence(
        actor=SYSTEM,
        person=org.people["peer"],
        skill=skills["sql"],
        source=EvidenceSource.ASSESSMENT,
        level=4,
    )
    created = learner.post(
        "/api/v1/content-requests",
        {"topic": "Indexes", "skills": ["sql"], "origin": "search"},
        content_type="application/json",
    ).json()
    assert created["requester_id"] == org.people["learner"].pk
    seen_by_peer = peer.get(f"/api/v1/content-requests/{created['id']}").json()
    assert seen_by_peer["requester_id"] is None
    assert peer.post(f"/api/v1/content-requests/{created['id']}/me-too").json()["supporters"] == 2
    assert learner.get("/api/v1/content-requests/backlog").status_code == 403
    [top] = ld.get("/api/v1/content-requests/backlog").json()
    assert (top["request"]["id"], top["demand"]) == (created["id"], 2)
    [expert] = ld.get(f"/api/v1/content-requests/{created['id']}/experts").json()
    assert expert["person_id"] == org.people["peer"].pk
    ld.post(
        f"/api/v1/content-requests/{created['id']}/assignment",
        {"expert_id": expert["person_id"]},
        content_type="application/json",
    )
    answer = peer.post(
        f"/api/v1/content-requests/{created['id']}/response",
        {"accept": True},
        content_type="application/json",
    ).json()
    assert (answer["status"], answer["assignment"]) == ("in_progress", "accepted")
    declined = ld.post(
        f"/api/v1/content-requests/{created['id']}/status",
        {"status": "declined"},
        content_type="application/json",
    )
    assert declined.status_code == 422
    assert declined.json()["code"] == "required"
    assert ContentRequest.objects.get().status == "in_progress"
    health = ld.get("/api/v1/library-health").json()
    assert health["uncovered"] == [{"skill": "sql", "name": "SQL", "requests": 1}]
    assert Course.objects.count() == 0


def test_catalogue_api_constant_queries(org, library, django_assert_num_queries):
    for index in range(3):
        course = write_course(org.people["peer"], library.skills, title=f"More {index}")
        authoring.publish_course(actor=org.users["peer"], course=course)
    client = client_for(org.users["learner"])
    client.get("/api/v1/courses")
    # Session, user, API throttle (6), the viewer, then count, page, skills and versions.
    with django_assert_num_queries(13):
        response = client.get("/api/v1/courses?size=10")
    assert response.json()["total"] == 4
