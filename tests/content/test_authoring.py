from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecotone.content import selectors
from ecotone.content.models import Course, CourseVersion
from ecotone.content.services import authoring
from ecotone.content.services.authoring import ChoiceInput
from ecotone.kernel.errors import DomainError, Forbidden, NotFound
from ecotone.notifications.models import Notification
from ecotone.people.models import RoleGrant
from tests.content.conftest import write_course
from tests.factories import grant


def codes(call):
    with pytest.raises(DomainError) as error:
        call()
    return error.value.code


def test_publishing_freezes_an_immutable_version(org, skills):
    peer = org.people["peer"]
    course = write_course(peer, skills)
    version = authoring.publish_course(actor=peer.user, course=course)
    assert (version.number, version.changelog) == (1, "First version.")
    assert [lesson["title"] for lesson in version.snapshot["lessons"]] == ["Select", "Check"]
    assert version.snapshot["skills"] == [
        {"id": skills["sql"].pk, "slug": "sql", "name": "SQL", "level": 2}
    ]
    lesson = course.lessons.get(title="Select")
    authoring.update_lesson(actor=peer.user, lesson=lesson, title="Selecting", body="Changed")
    assert CourseVersion.objects.get(pk=version.pk).snapshot["lessons"][0]["title"] == "Select"
    course.refresh_from_db()
    assert course.has_unpublished_changes
    second = authoring.publish_course(actor=peer.user, course=course, changelog="Renamed")
    change = selectors.diff(version, second)
    assert [(item.title, item.change) for item in change.lessons] == [("Selecting", "changed")]
    assert "+Changed" in change.lessons[0].diff


def test_publish_rules(org, skills):
    peer = org.people["peer"]
    empty = authoring.create_course(actor=peer.user, title="Empty")
    assert codes(lambda: authoring.publish_course(actor=peer.user, course=empty)) == "no_lessons"
    authoring.add_lesson(actor=peer.user, course=empty, title="Quiz", kind="quiz")
    assert codes(lambda: authoring.publish_course(actor=peer.user, course=empty)) == "empty_quiz"
    course = write_course(peer, skills)
    authoring.publish_course(actor=peer.user, course=course)
    course.refresh_from_db()
    assert (
        codes(lambda: authoring.publish_course(actor=peer.user, course=course, changelog="x"))
        == "no_changes"
    )
    with pytest.raises(NotFound):
        authoring.add_lesson(actor=org.people["learner"].user, course=empty, title="Hi", body="x")
    with pytest.raises(Forbidden):
        authoring.add_lesson(actor=org.people["learner"].user, course=course, title="Hi", body="x")


def test_review_gates_publishing_and_edits_reopen_it(org, skills):
    peer, manager = org.people["peer"], org.people["manager"]
    course = write_course(peer, skills)
    assert (
        codes(lambda: authoring.request_review(actor=peer.user, course=course, reviewer=peer))
        == "reviewer_is_author"
    )
    authoring.request_review(actor=peer.user, course=course, reviewer=manager, message="Please")
    assert (
        Notification.objects.filter(recipient=manager.user, kind="content.review_requested").count()
        == 1
    )
    assert (
        codes(lambda: authoring.publish_course(actor=peer.user, course=course)) == "review_pending"
    )
    assert (
        codes(lambda: authoring.resolve_review(actor=manager.user, course=course, approve=False))
        == "required"
    )
    authoring.resolve_review(
        actor=manager.user, course=course, approve=False, comment="Add a lesson"
    )
    assert (
        codes(lambda: authoring.publish_course(actor=peer.user, course=course)) == "review_pending"
    )
    authoring.add_lesson(actor=peer.user, course=course, title="More", body="More")
    authoring.resolve_review(actor=manager.user, course=course, approve=True)
    lesson = course.lessons.get(title="More")
    authoring.update_lesson(actor=peer.user, lesson=lesson, title="More", body="Even more")
    course.refresh_from_db()
    assert course.review_state == Course.Review.REQUESTED
    authoring.resolve_review(actor=manager.user, course=course, approve=True)
    authoring.publish_course(actor=peer.user, course=course)
    course.refresh_from_db()
    assert (course.is_published, course.review_state, course.reviewer) == (True, "", None)
    assert [c.body for c in selectors.review_comments(course)] == ["Please", "Add a lesson"]


def test_question_rules(org, skills):
    peer = org.people["peer"]
    course = authoring.create_course(actor=peer.user, title="Quiz me")
    quiz = authoring.add_lesson(actor=peer.user, course=course, title="Q", kind="quiz")

    def add(kind, choices):
        return lambda: authoring.add_question(
            actor=peer.user, lesson=quiz, kind=kind, prompt="?", choices=choices
        )

    assert codes(add("single", [ChoiceInput("a", True)])) == "two_choices"
    assert codes(add("single", [ChoiceInput("a", True), ChoiceInput("b", True)])) == "one_correct"
    assert codes(add("multiple", [ChoiceInput("a"), ChoiceInput("b")])) == "some_correct"
    question = authoring.add_question(
        actor=peer.user,
        lesson=quiz,
        kind="true_false",
        prompt="Sky is blue",
        choices=[ChoiceInput("True", False), ChoiceInput("False", True, "It is!")],
    )
    assert [(c.text, c.correct, c.feedback) for c in question.choices.all()] == [
        ("True", False, ""),
        ("False", True, "It is!"),
    ]


def test_reorder_and_coauthors(org, skills):
    peer, outsider = org.people["peer"], org.people["outsider"]
    course = write_course(peer, skills)
    first, second = course.lessons.order_by("position")
    authoring.move_lesson(actor=peer.user, lesson=second, direction="up")
    assert list(course.lessons.order_by("position").values_list("title", flat=True)) == [
        "Check",
        "Select",
    ]
    assert (
        codes(lambda: authoring.reorder_lessons(actor=peer.user, course=course, order=[first.pk]))
        == "invalid_order"
    )
    authoring.add_coauthor(actor=peer.user, course=course, person=outsider)
    authoring.add_lesson(actor=outsider.user, course=course, title="By the co-author", body="Hi")
    with pytest.raises(Forbidden):
        authoring.add_coauthor(actor=outsider.user, course=course, person=org.people["learner"])
    authoring.transfer_ownership(actor=peer.user, course=course, person=outsider)
    course.refresh_from_db()
    assert course.owner == outsider
    assert [a.person for a in selectors.coauthors(course)] == [peer]


def test_executive_courses_are_featured(org):
    course = authoring.create_course(actor=org.people["executive"].user, title="Strategy 101")
    assert course.featured is True
    assert authoring.create_course(actor=org.people["peer"].user, title="Git").featured is False
    assert RoleGrant.Role.EXECUTIVE  # granted by the org fixture
    assert grant


def test_cover_upload_checks_type_and_size(org, skills, settings):
    peer = org.people["peer"]
    course = write_course(peer, skills)
    png = SimpleUploadedFile("c.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    authoring.set_cover(actor=peer.user, course=course, upload=png)
    assert course.cover.name == f"courses/covers/course-{course.pk}.png"
    assert (settings.MEDIA_ROOT / course.cover.name).exists()
    html = SimpleUploadedFile("c.png", b"<html><script>", content_type="image/png")
    assert (
        codes(lambda: authoring.set_cover(actor=peer.user, course=course, upload=html))
        == "cover_type"
    )
    big = SimpleUploadedFile(
        "c.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024), content_type="image/png"
    )
    assert (
        codes(lambda: authoring.set_cover(actor=peer.user, course=course, upload=big))
        == "cover_too_large"
    )
