from __future__ import annotations

import re

import pytest

from ecotone.content import selectors
from ecotone.content.models import Course
from ecotone.content.services import feedback, learning
from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.kernel.markdown import render
from ecotone.skills.models import EvidenceSource
from ecotone.skills.services import SYSTEM, record_evidence


def test_questions_answers_and_acceptance(org, library):
    learner, peer, outsider = org.people["learner"], org.people["peer"], org.people["outsider"]
    key = str(library.lesson.key)
    record_evidence(
        actor=SYSTEM,
        person=outsider,
        skill=library.skills["sql"],
        source=EvidenceSource.ASSESSMENT,
        level=4,
    )
    question = feedback.ask_question(
        actor=learner.user, course=library.course, lesson_key=key, title="Joins?"
    )
    by_expert = feedback.answer_question(actor=outsider.user, question=question, body="Use JOIN.")
    by_author = feedback.answer_question(actor=peer.user, question=question, body="Next lesson.")
    with pytest.raises(Forbidden):
        feedback.accept_answer(actor=outsider.user, question=question, answer=by_expert)
    feedback.accept_answer(actor=learner.user, question=question, answer=by_expert)
    [thread] = selectors.lesson_threads(learner.user, library.course, key)
    assert [a.pk for a in thread.answers] == [by_expert.pk, by_author.pk]
    assert (thread.expert_ids, thread.author_ids) == ({outsider.pk}, {peer.pk})


def test_reactions_and_ratings(org, library):
    learner, peer = org.people["learner"], org.people["peer"]
    key = str(library.lesson.key)
    with pytest.raises(DomainError) as error:
        feedback.rate_course(actor=learner.user, course=library.course, stars=5)
    assert error.value.code == "not_enrolled"
    learning.enrol(actor=learner.user, course=library.course)
    learning.enrol(actor=peer.user, course=library.course)
    feedback.rate_course(actor=learner.user, course=library.course, stars=5)
    feedback.rate_course(actor=peer.user, course=library.course, stars=2)
    feedback.rate_course(actor=peer.user, course=library.course, stars=4, comment="Better")
    for kind in ("helpful", "helpful", "unclear"):
        feedback.react(actor=learner.user, course=library.course, lesson_key=key, kind=kind)
    course = Course.objects.get(pk=library.course.pk)
    assert (course.rating, course.ratings, course.reaction_score) == (4.5, 2, 0)
    assert selectors.reaction_summary(course, key)["helpful"] == 1
    with pytest.raises(DomainError):
        feedback.react(actor=learner.user, course=library.course, lesson_key="nope", kind="helpful")


def test_markdown_is_sanitised():
    html = str(
        render(
            "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
            '<img src=x onerror="alert(1)">\n\n'
            "| a | b |\n|---|--:|\n| 1 | 2 |\n\n```py\nprint(1)\n```\n\n"
            "[ok](https://example.com) ![pic](/media/a.png)"
        )
    )
    assert "<script" not in html
    assert re.search(r"<[^>]*(onerror|javascript:)", html) is None
    assert "<h1>Title</h1>" in html
    assert "<table>" in html
    assert "<th>b</th>" in html
    assert '<pre><code class="language-py">print(1)' in html
    assert '<a href="https://example.com" rel="noopener nofollow">ok</a>' in html
    assert '<img src="/media/a.png" alt="pic">' in html
    assert "style=" not in html
