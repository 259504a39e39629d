from __future__ import annotations

from ecotone.content import selectors
from ecotone.content.selectors import CatalogueFilters
from ecotone.content.services import authoring, feedback, learning
from ecotone.kernel.pagination import paginate
from tests.content.conftest import write_course


def _publish_many(org, skills, count):
    peer = org.people["peer"]
    for index in range(count):
        course = write_course(peer, skills, title=f"Course {index}")
        authoring.publish_course(actor=peer.user, course=course)


def test_catalogue_runs_constant_queries(org, skills, django_assert_num_queries):
    _publish_many(org, skills, 6)
    learner = org.people["learner"].user
    selectors.catalogue(learner).count()  # the viewer's person is cached after the first use
    with django_assert_num_queries(3):  # count, page, skills of the page
        page = paginate(selectors.catalogue(learner), size=4)
        assert [item.skills.all()[0].skill.name for item in page.items] == ["SQL"] * 4
    filters = CatalogueFilters(
        query="Course 1", skill=skills["sql"], level=2, duration="medium", sort="rating"
    )
    with django_assert_num_queries(2):
        assert [c.title for c in selectors.catalogue(learner, filters)] == ["Course 1"]


def test_author_lists_run_constant_queries(org, skills, django_assert_num_queries):
    _publish_many(org, skills, 4)
    peer, learner, ld = org.people["peer"].user, org.people["learner"], org.people["ld"].user
    courses = list(selectors.authored(peer))
    for course in courses:
        learning.enrol(actor=learner.user, course=course)
        lesson = course.lessons.first()
        feedback.react(
            actor=learner.user, course=course, lesson_key=str(lesson.key), kind="outdated"
        )
        feedback.ask_question(
            actor=learner.user, course=course, lesson_key=str(lesson.key), title="?"
        )
    selectors.attention_queue(peer)
    with django_assert_num_queries(4):
        items = selectors.attention_queue(peer)
    assert [item.unanswered for item in items] == [1, 1, 1, 1]
    selectors.library_health(ld)
    with django_assert_num_queries(5):
        report = selectors.library_health(ld)
    assert report.counts == {"fresh": 0, "due": 4, "stale": 0}
    with django_assert_num_queries(1):
        assert len(selectors.continue_learning(learner.user)) == 4
    lesson = courses[0].lessons.first()
    question = courses[0].questions.get()
    feedback.answer_question(actor=org.people["outsider"].user, question=question, body="Yes")
    feedback.answer_question(actor=peer, question=question, body="Indeed")
    with django_assert_num_queries(4):  # the course's authors are already cached on it
        threads = selectors.lesson_threads(learner.user, courses[0], str(lesson.key))
    assert len(threads) == 1
