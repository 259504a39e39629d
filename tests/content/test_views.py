from __future__ import annotations

import re

import pytest
from django.test import Client

from ecotone.content.models import ContentRequest, Course, Enrolment
from ecotone.content.services import authoring, feedback, learning, requests
from ecotone.skills.models import Evidence


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def no_inline_code(html: str) -> None:
    assert 'style="' not in html
    assert re.search(r"\son\w+=", html) is None
    for attributes, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes


@pytest.fixture
def busy(org, library):
    """The learner half-way through the course, with a question, a reaction and a request."""
    learner = org.people["learner"]
    enrolment = learning.enrol(actor=learner.user, course=library.course)
    key = str(library.lesson.key)
    learning.complete_lesson(actor=learner.user, enrolment=enrolment, lesson_key=key)
    feedback.react(actor=learner.user, course=library.course, lesson_key=key, kind="outdated")
    question = feedback.ask_question(
        actor=learner.user, course=library.course, lesson_key=key, title="Why SELECT?"
    )
    feedback.answer_question(actor=org.people["peer"].user, question=question, body="Because.")
    requests.create_request(actor=learner.user, topic="Window functions")
    return library


def test_pages_render_for_their_roles(org, busy):
    course, key = busy.course, busy.lesson.key
    request = ContentRequest.objects.get()
    pages = [
        ("learner", "/learn/", 200),
        (
            "learner",
            "/learn/?q=sql&skill=sql&level=2&duration=medium&freshness=due&rating=3&sort=rating",
            200,
        ),
        ("learner", "/learn/?q=nothing-like-this", 200),
        ("learner", "/learn/mine/", 200),
        ("learner", "/learn/attention/", 200),
        ("learner", f"/learn/courses/{course.pk}/", 200),
        ("learner", f"/learn/courses/{course.pk}/lessons/{key}/", 200),
        ("learner", f"/learn/courses/{course.pk}/lessons/{busy.quiz.key}/", 200),
        ("learner", f"/learn/courses/{course.pk}/versions/", 200),
        ("learner", f"/learn/courses/{course.pk}/certificate/", 404),
        ("learner", f"/learn/courses/{course.pk}/edit/", 404),
        ("peer", f"/learn/courses/{course.pk}/edit/", 200),
        ("peer", f"/learn/lessons/{busy.quiz.pk}/", 200),
        ("peer", f"/learn/courses/{course.pk}/lessons/new/", 200),
        ("peer", "/learn/attention/", 200),
        ("learner", "/learn/courses/new/", 200),
        ("learner", "/learn/requests/", 200),
        ("learner", "/learn/requests/new/?topic=Window&origin=search", 200),
        ("learner", f"/learn/requests/{request.pk}/", 200),
        ("ld", f"/learn/requests/{request.pk}/", 200),
        ("ld", "/learn/backlog/", 200),
        ("learner", "/learn/backlog/", 403),
        ("ld", "/learn/health/", 200),
        ("manager", "/learn/health/", 403),
        ("learner", "/", 200),
        ("peer", "/", 200),
        ("learner", f"/people/{org.people['learner'].pk}/", 200),
    ]
    for actor, path, status in pages:
        response = client_for(org.people[actor].user).get(path)
        assert (path, response.status_code) == (path, status)
        if status == 200:
            no_inline_code(response.content.decode())


def test_empty_search_offers_a_request(org, library):
    response = client_for(org.people["learner"].user).get("/learn/?q=Kotlin")
    html = response.content.decode()
    assert "Request this content" in html
    assert "/learn/requests/new/?topic=Kotlin&amp;origin=search" in html


def test_learner_journey_through_the_html(org, library):
    client = client_for(org.people["learner"].user)
    course = library.course
    response = client.post(f"/learn/courses/{course.pk}/enrol/")
    assert response.status_code == 302
    response = client.post(f"/learn/courses/{course.pk}/lessons/{library.lesson.key}/done/")
    assert response["Location"] == f"/learn/courses/{course.pk}/lessons/{library.quiz.key}/"
    response = client.post(
        f"/learn/courses/{course.pk}/lessons/{library.quiz.key}/quiz/", {"q0": "0", "q1": "0"}
    )
    assert response.status_code == 200
    assert "Passed" in response.content.decode()
    assert Enrolment.objects.get().completed_at is not None
    assert Evidence.objects.filter(person=org.people["learner"]).count() == 1
    assert client.get(f"/learn/courses/{course.pk}/certificate/").status_code == 200
    profile = client.get(f"/people/{org.people['learner'].pk}/").content.decode()
    assert "SQL basics" in profile


def test_author_writes_and_publishes_through_the_html(org, skills):
    client = client_for(org.people["peer"].user)
    response = client.post(
        "/learn/courses/new/",
        {
            "title": "Pandas",
            "summary": "Dataframes",
            "audience": "everyone",
            "estimated_minutes": "30",
            "tags": "data, python",
            "skill_0": skills["python"].pk,
            "level_0": "2",
            "level_1": "2",
            "level_2": "2",
            "level_3": "2",
        },
    )
    course = Course.objects.get(title="Pandas")
    assert response["Location"] == f"/learn/courses/{course.pk}/edit/"
    response = client.post(
        f"/learn/courses/{course.pk}/lessons/new/",
        {
            "title": "Intro",
            "kind": "text",
            "body": "Hello <script>x</script>",
            "pass_mark": "70",
            "max_attempts": "0",
        },
    )
    assert response.status_code == 302
    response = client.post(f"/learn/courses/{course.pk}/publish/", {"changelog": ""})
    assert response["Location"] == f"/learn/courses/{course.pk}/"
    course.refresh_from_db()
    assert course.is_published
    lesson = course.lessons.get()
    page = client.get(f"/learn/courses/{course.pk}/lessons/{lesson.key}/").content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert authoring  # the services behind the forms


def test_review_and_assignment_through_the_html(org, skills):
    peer, manager, ld = org.people["peer"], org.people["manager"], org.people["ld"]
    course = authoring.create_course(actor=peer.user, title="Draft")
    client = client_for(peer.user)
    response = client.post(f"/learn/courses/{course.pk}/review/", {"action": "request"})
    assert response.status_code == 302
    response = client.post(
        f"/learn/courses/{course.pk}/review/",
        {"action": "request", "reviewer": manager.pk, "comment": "Please"},
    )
    course.refresh_from_db()
    assert (course.review_state, course.reviewer) == ("requested", manager)
    reviewer_page = client_for(manager.user).get(f"/learn/courses/{course.pk}/edit/")
    assert "Approve" in reviewer_page.content.decode()
    client_for(manager.user).post(
        f"/learn/courses/{course.pk}/review/", {"action": "approve", "comment": "Fine"}
    )
    course.refresh_from_db()
    assert course.review_state == "approved"
    request = requests.create_request(actor=org.people["learner"].user, topic="Kotlin")
    as_ld = client_for(ld.user)
    assert as_ld.post(f"/learn/requests/{request.pk}/act/", {"action": "assign"}).status_code == 302
    as_ld.post(f"/learn/requests/{request.pk}/act/", {"action": "assign", "expert": peer.pk})
    client.post(f"/learn/requests/{request.pk}/act/", {"action": "accept"})
    response = client.post(f"/learn/requests/{request.pk}/act/", {"action": "start"})
    request.refresh_from_db()
    assert (request.status, response["Location"]) == (
        "in_progress",
        f"/learn/courses/{request.course_id}/edit/",
    )
