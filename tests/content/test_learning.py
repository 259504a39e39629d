from __future__ import annotations

import pytest

from ecotone.content.models import Course, Enrolment
from ecotone.content.services import authoring, learning
from ecotone.kernel.errors import DomainError
from ecotone.lrs.models import Statement
from ecotone.skills.models import Evidence, EvidenceSource, SkillLevel


def test_completing_a_course_records_evidence_and_statements(org, library):
    learner = org.people["learner"]
    enrolment = learning.enrol(actor=learner.user, course=library.course)
    learning.complete_lesson(
        actor=learner.user, enrolment=enrolment, lesson_key=str(library.lesson.key)
    )
    attempt, results = learning.submit_quiz(
        actor=learner.user,
        enrolment=enrolment,
        lesson_key=str(library.quiz.key),
        answers={"0": [0], "1": [0]},
    )
    assert (attempt.score, attempt.passed, [r.correct for r in results]) == (
        100,
        True,
        [True, True],
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    evidence = Evidence.objects.get(person=learner)
    assert (evidence.source, evidence.level, evidence.link_id) == (
        EvidenceSource.ASSESSMENT,
        2,
        str(library.course.pk),
    )
    assert SkillLevel.objects.get(person=learner).validated_level == 2
    course = Course.objects.get(pk=library.course.pk)
    assert (course.enrolments, course.completions) == (1, 1)
    verbs = sorted(Statement.objects.values_list("verb_id", flat=True))
    assert len(verbs) == 4


def test_retry_policy_caps_attempts(org, library):
    learner = org.people["learner"]
    enrolment = learning.enrol(actor=learner.user, course=library.course)
    key = str(library.quiz.key)
    for _ in range(2):
        attempt, _ = learning.submit_quiz(
            actor=learner.user, enrolment=enrolment, lesson_key=key, answers={"0": [1], "1": [1]}
        )
        assert (attempt.score, attempt.passed) == (0, False)
    with pytest.raises(DomainError) as error:
        learning.submit_quiz(actor=learner.user, enrolment=enrolment, lesson_key=key, answers={})
    assert error.value.code == "no_attempts_left"


def test_new_version_keeps_progress_and_pins_old_learners(org, library):
    learner, peer = org.people["learner"], org.people["peer"]
    enrolment = learning.enrol(actor=learner.user, course=library.course)
    learning.complete_lesson(
        actor=learner.user, enrolment=enrolment, lesson_key=str(library.lesson.key)
    )
    authoring.update_lesson(actor=peer.user, lesson=library.lesson, title="Select rows", body="New")
    with pytest.raises(DomainError) as error:
        authoring.publish_course(actor=peer.user, course=library.course)
    assert error.value.code == "required"
    version = authoring.publish_course(actor=peer.user, course=library.course, changelog="Clearer")
    assert version.number == 2
    enrolment.refresh_from_db()
    assert enrolment.version.number == 1
    learning.switch_version(actor=learner.user, enrolment=enrolment)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    assert (enrolment.version.number, enrolment.done_keys) == (2, [str(library.lesson.key)])


def test_course_goals_take_their_progress_from_the_lessons_done(org, library):
    from ecotone.goals import services as goal_services

    learner = org.people["learner"]
    goal = goal_services.create_goal(
        actor=learner.user,
        person=learner,
        kind="course",
        target_ref=f"course:{library.course.pk}",
    )
    enrolment = learning.enrol(actor=learner.user, course=library.course)
    learning.complete_lesson(
        actor=learner.user, enrolment=enrolment, lesson_key=str(library.lesson.key)
    )
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (0.5, "active")
    learning.submit_quiz(
        actor=learner.user,
        enrolment=enrolment,
        lesson_key=str(library.quiz.key),
        answers={"0": [0], "1": [0]},
    )
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (1.0, "achieved")


def test_a_course_page_offers_to_make_finishing_it_a_goal(org, library):
    from django.test import Client

    client = Client()
    client.force_login(org.users["learner"])
    page = client.get(f"/learn/courses/{library.course.pk}/").content.decode()
    assert f"/goals/new/?course={library.course.pk}" in page
    form = client.get(f"/goals/new/?course={library.course.pk}").content.decode()
    assert f'value="course:{library.course.pk}"' in form
