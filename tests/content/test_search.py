from __future__ import annotations

from ecotone.content.services import authoring, requests
from ecotone.kernel import search
from tests.content.conftest import write_course


def titles(viewer, query, source=None):
    page = search.search(viewer, query, sources=[source] if source else None)
    return sorted((hit.source, hit.title) for hit in page.items)


def test_courses_lessons_and_requests_are_searchable(org, skills):
    peer, learner = org.people["peer"], org.people["learner"]
    course = write_course(peer, skills, title="Window functions")
    authoring.request_review(actor=peer.user, course=course, reviewer=org.people["manager"])
    # A draft: its authors and reviewer find it, nobody else does.
    assert titles(peer.user, "window") == [("content.courses", "Window functions")]
    assert titles(org.people["manager"].user, "window") == [("content.courses", "Window functions")]
    assert titles(learner.user, "window") == []
    authoring.withdraw_review(actor=peer.user, course=course)
    authoring.publish_course(actor=peer.user, course=course)
    assert titles(learner.user, "window", "content.courses") == [
        ("content.courses", "Window functions")
    ]
    assert titles(learner.user, "rows", "content.lessons") == [("content.lessons", "Select")]
    lesson = course.lessons.get(title="Select")
    authoring.update_lesson(actor=peer.user, lesson=lesson, title="Projection", body="Columns.")
    assert titles(learner.user, "projection") == []  # the draft is not public yet
    authoring.publish_course(actor=peer.user, course=course, changelog="Renamed")
    assert titles(learner.user, "projection") == [("content.lessons", "Projection")]
    assert titles(learner.user, "rows", "content.lessons") == []
    authoring.archive_course(actor=peer.user, course=course)
    assert titles(learner.user, "window") == []

    request = requests.create_request(actor=learner.user, topic="Kotlin coroutines")
    assert titles(peer.user, "coroutines") == [("content.requests", "Kotlin coroutines")]
    page = search.search(peer.user, "haskell")
    assert [action.label for action in page.no_results] == ["Request this content"]
    assert request.pk
