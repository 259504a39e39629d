"""Inbound progress: an outside tool's completions of Ecotone courses, lessons and quizzes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings

from ecotone.content import inbound
from ecotone.content.models import Enrolment
from ecotone.content.services import authoring, learning
from ecotone.lrs import profile
from ecotone.lrs.models import ConsumerCursor, Statement
from ecotone.skills.models import Evidence
from tests.content.conftest import write_course
from tests.lrs.conftest import make_xapi, statement

ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def tool(org):
    return make_xapi(org.people["admin"].user, scopes=["statements/write"], name="Academy")


def _leo(org) -> dict[str, Any]:
    return {"account": {"homePage": settings.SITE_URL, "name": str(org.people["learner"].user_id)}}


def _post(tool, *, actor: dict[str, Any], verb: str, path: str, **extra: Any) -> str:
    body = statement(
        actor=actor,
        verb={"id": ADL + verb},
        object={"objectType": "Activity", "id": profile.activity_iri(path)},
        **extra,
    )
    response = tool.post("statements", body)
    assert response.status_code == 200, response.content
    return str(response.json()[0])


def _enrolment(org, library) -> Enrolment | None:
    return Enrolment.objects.filter(person=org.people["learner"], course=library.course).first()


def _evidence(org) -> list[tuple[str, str, int | None]]:
    return list(
        Evidence.objects.filter(person=org.people["learner"])
        .order_by("pk")
        .values_list("skill__slug", "link_type", "level")
    )


def test_an_outside_course_completion_completes_the_course_and_gives_evidence(tool, org, library):
    _post(tool, actor=_leo(org), verb="completed", path=f"courses/{library.course.pk}")
    assert _enrolment(org, library) is None  # nothing happens until the consumer runs
    assert inbound.consume_all() == 1
    enrolment = _enrolment(org, library)
    assert enrolment is not None
    assert enrolment.completed_at is not None
    assert set(enrolment.done_keys) == {str(library.lesson.key), str(library.quiz.key)}
    assert _evidence(org) == [("sql", "content.course", 2)]
    own = Statement.objects.filter(client__isnull=True).values_list("verb_id", flat=True)
    assert sorted(own) == [ADL + "completed", ADL + "registered"]  # Ecotone's own ledger
    # idempotent: the cursor moved on, and the same report again changes nothing
    assert inbound.consume_all() == 0
    _post(tool, actor=_leo(org), verb="completed", path=f"courses/{library.course.pk}")
    assert inbound.consume_all() == 1
    assert _evidence(org) == [("sql", "content.course", 2)]
    assert Statement.objects.filter(client__isnull=True).count() == 2


def test_outside_lessons_and_quizzes_move_progress_one_by_one(tool, org, library):
    course = library.course.pk
    leo = _leo(org)
    _post(tool, actor=leo, verb="completed", path=f"courses/{course}/lessons/{library.lesson.key}")
    assert inbound.consume_all() == 1
    enrolment = _enrolment(org, library)
    assert enrolment is not None
    assert enrolment.done_keys == [str(library.lesson.key)]
    assert enrolment.completed_at is None
    # an outside quiz counts when passed (or mastered, or a success), not merely completed
    _post(tool, actor=leo, verb="completed", path=f"courses/{course}/quizzes/{library.quiz.key}")
    assert inbound.consume_all() == 0
    _post(tool, actor=leo, verb="passed", path=f"courses/{course}/quizzes/{library.quiz.key}")
    assert inbound.consume_all() == 1
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert _evidence(org) == [("sql", "content.course", 2)]


def test_progress_for_the_email_of_a_person(tool, org, library):
    actor = {"mbox": f"mailto:{org.people['learner'].user.email}"}
    _post(tool, actor=actor, verb="mastered", path=f"courses/{library.course.pk}")
    assert inbound.consume_all() == 1
    enrolment = _enrolment(org, library)
    assert enrolment is not None
    assert enrolment.completed_at is not None


def _void(tool, statement_id: str) -> None:
    body = statement(
        actor={"mbox": "mailto:academy@example.com"},
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": statement_id},
    )
    assert tool.post("statements", body).status_code == 200


def test_what_is_ignored(tool, org, library, skills):
    course = library.course.pk
    leo = _leo(org)
    stranger = {"mbox": "mailto:nobody@example.com"}
    draft = write_course(org.people["peer"], skills, title="Unpublished")
    _post(tool, actor=stranger, verb="completed", path=f"courses/{course}")  # unknown person
    _post(tool, actor=leo, verb="attempted", path=f"courses/{course}")  # not an evidence verb
    _post(tool, actor=leo, verb="experienced", path=f"courses/{course}")
    _post(tool, actor=leo, verb="completed", path="courses/999999")  # unknown course
    _post(tool, actor=leo, verb="completed", path=f"courses/{draft.pk}")  # not open to Leo
    _post(tool, actor=leo, verb="completed", path=f"courses/{course}/lessons/{uuid.uuid4()}")
    _post(  # a lesson's key under quizzes/: not an activity Ecotone publishes
        tool, actor=leo, verb="passed", path=f"courses/{course}/quizzes/{library.lesson.key}"
    )
    _post(  # completed, but failed
        tool, actor=leo, verb="completed", path=f"courses/{course}", result={"success": False}
    )
    _post(tool, actor=leo, verb="completed", path=f"events/{course}")  # not content's activity
    voided = _post(tool, actor=leo, verb="completed", path=f"courses/{course}")
    _void(tool, voided)
    assert inbound.consume_all() == 0
    assert not Enrolment.objects.filter(person=org.people["learner"]).exists()
    assert _evidence(org) == []
    assert ConsumerCursor.objects.get(name=inbound.CURSOR).seq > 0  # examined, not retried


def test_ecotone_s_own_completions_are_not_counted_twice(tool, org, library):
    leo = org.people["learner"].user
    enrolment = learning.enrol(actor=leo, course=library.course)
    learning.complete_lesson(actor=leo, enrolment=enrolment, lesson_key=str(library.lesson.key))
    learning.submit_quiz(
        actor=leo,
        enrolment=enrolment,
        lesson_key=str(library.quiz.key),
        answers={"0": [0], "1": [0]},
    )
    assert inbound.consume_all() == 0
    assert _evidence(org) == [("sql", "content.course", 2)]


def test_a_learner_on_an_older_version_keeps_it(tool, org, library):
    leo = org.people["learner"].user
    learning.enrol(actor=leo, course=library.course)
    peer = org.people["peer"].user
    authoring.add_lesson(actor=peer, course=library.course, title="Joins", body="# Joins")
    authoring.publish_course(actor=peer, course=library.course, changelog="Joins added.")
    _post(tool, actor=_leo(org), verb="completed", path=f"courses/{library.course.pk}")
    assert inbound.consume_all() == 1
    enrolment = _enrolment(org, library)
    assert enrolment is not None
    assert enrolment.completed_at is not None
    assert len(enrolment.done_keys) == 2  # every lesson of the version Leo learns from


def test_statements_that_count_for_nothing_cost_constant_queries(
    tool, org, library, django_assert_num_queries
):
    leo = _leo(org)

    def examine(count: int) -> None:
        for number in range(count):
            _post(tool, actor=leo, verb="completed", path=f"courses/{900000 + number}")
        # the cursor (read, locked, moved), the statements, mappings, people, courses; a savepoint
        with django_assert_num_queries(9):
            assert inbound.consume_inbound() == (0, True)  # examined: more may be waiting

    inbound.consume_all()  # the cursor exists
    examine(1)
    examine(5)
