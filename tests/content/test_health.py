from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ecotone.content import selectors
from ecotone.content.models import Course, Freshness
from ecotone.content.services import feedback, health, learning
from ecotone.content.services.health import Facts, assess
from ecotone.notifications.models import Notification
from ecotone.people.models import Person
from ecotone.skills.models import Skill

TODAY = dt.date(2026, 6, 1)


def test_assess_states():
    def facts(**kw):
        return Facts(
            **(
                {
                    "review_by": TODAY + dt.timedelta(days=100),
                    "outdated_reports": 0,
                    "owner_left": False,
                    "retired_skills": (),
                }
                | kw
            )
        )

    assert assess(facts(), TODAY) == (Freshness.FRESH, [])
    assert assess(facts(review_by=TODAY + dt.timedelta(days=10)), TODAY) == (
        Freshness.DUE,
        ["Review due on 2026-06-11"],
    )
    assert assess(facts(outdated_reports=1), TODAY) == (
        Freshness.DUE,
        ["1 learner reports it outdated"],
    )
    assert assess(facts(outdated_reports=3), TODAY)[0] == Freshness.STALE
    assert assess(facts(review_by=TODAY - dt.timedelta(days=91)), TODAY) == (
        Freshness.STALE,
        ["Review was due on 2026-03-02"],
    )
    assert assess(facts(owner_left=True), TODAY) == (Freshness.STALE, ["The owner has left"])
    assert assess(facts(retired_skills=("Flash",)), TODAY) == (
        Freshness.STALE,
        ["Teaches retired skills: Flash"],
    )


def test_outdated_reaction_puts_the_course_in_the_authors_queue(org, library):
    learner, peer = org.people["learner"], org.people["peer"]
    assert selectors.attention_queue(peer.user) == []
    learning.enrol(actor=learner.user, course=library.course)
    feedback.react(
        actor=learner.user,
        course=library.course,
        lesson_key=str(library.lesson.key),
        kind="outdated",
        comment="v2 is out",
    )
    [item] = selectors.attention_queue(peer.user)
    assert (item.course, item.reasons) == (library.course, ["1 learner reports it outdated"])
    assert Notification.objects.filter(recipient=peer.user, kind="content.reaction").count() == 1
    course = Course.objects.get(pk=library.course.pk)
    assert (course.freshness, course.reaction_score) == ("due", -2)
    health.mark_reviewed(actor=peer.user, course=course)
    assert Course.objects.get(pk=course.pk).freshness == "fresh"


def test_nightly_scan_finds_owners_who_left_and_retired_skills(org, library):
    peer = org.people["peer"]
    Skill.objects.filter(pk=library.skills["sql"].pk).update(status=Skill.Status.DEPRECATED)
    assert health.scan() == 1
    course = Course.objects.get(pk=library.course.pk)
    assert (course.freshness, course.freshness_reasons) == (
        "stale",
        ["Teaches retired skills: SQL"],
    )
    assert (
        Notification.objects.filter(recipient=peer.user, kind="content.needs_attention").count()
        == 1
    )
    assert health.scan() == 0
    Person.objects.filter(pk=peer.pk).update(
        status=Person.Status.LEFT, left_on=timezone.localdate()
    )
    health.scan()
    assert "The owner has left" in Course.objects.get(pk=course.pk).freshness_reasons
    report = selectors.library_health(org.people["ld"].user)
    assert (report.counts, [c.pk for c in report.courses]) == (
        {"fresh": 0, "due": 0, "stale": 1},
        [course.pk],
    )
