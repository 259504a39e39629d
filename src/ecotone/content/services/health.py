"""Content health: how fresh each published course is, and why.

A course is *stale* when its review date passed more than ``STALE_AFTER`` ago, its owner left,
a skill it teaches was deprecated or merged, or ``STALE_REPORTS`` learners reported it outdated
since the last version. It is *due for review* when the review date is within ``DUE_WITHIN`` (or
passed), or anyone reported it outdated. Otherwise it is *fresh*.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ecotone import authz
from ecotone.content.models import Course, CourseSkill, Freshness, Reaction
from ecotone.kernel.errors import DomainError
from ecotone.notifications.services import notify_many
from ecotone.people.models import Person, User
from ecotone.skills.models import Skill

DUE_WITHIN = dt.timedelta(days=14)
STALE_AFTER = dt.timedelta(days=90)
STALE_REPORTS = 3
RANK: dict[str, int] = {Freshness.FRESH: 0, Freshness.DUE: 1, Freshness.STALE: 2}


@dataclass(frozen=True)
class Facts:
    review_by: dt.date | None
    outdated_reports: int
    owner_left: bool
    retired_skills: tuple[str, ...]


def assess(facts: Facts, today: dt.date) -> tuple[str, list[str]]:
    """The freshness state and the reasons for it, from the facts about one course."""
    stale: list[str] = []
    due: list[str] = []
    if facts.review_by is not None:
        if facts.review_by < today - STALE_AFTER:
            stale.append(f"Review was due on {facts.review_by.isoformat()}")
        elif facts.review_by <= today + DUE_WITHIN:
            due.append(f"Review due on {facts.review_by.isoformat()}")
    if facts.owner_left:
        stale.append("The owner has left")
    if facts.retired_skills:
        stale.append("Teaches retired skills: " + ", ".join(facts.retired_skills))
    if facts.outdated_reports >= STALE_REPORTS:
        stale.append(f"{facts.outdated_reports} learners report it outdated")
    elif facts.outdated_reports:
        noun = "learner reports" if facts.outdated_reports == 1 else "learners report"
        due.append(f"{facts.outdated_reports} {noun} it outdated")
    if stale:
        return Freshness.STALE, stale + due
    if due:
        return Freshness.DUE, due
    return Freshness.FRESH, []


def _facts(courses: list[Course]) -> dict[int, Facts]:
    """The facts of many courses in three queries."""
    ids = [course.pk for course in courses]
    outdated = dict(
        Reaction.objects.filter(
            course_id__in=ids, kind=Reaction.Kind.OUTDATED, resolved_at__isnull=True
        )
        .values("course_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "n")
    )
    retired: dict[int, list[str]] = defaultdict(list)
    for course_id, name in (
        CourseSkill.objects.filter(course_id__in=ids)
        .exclude(skill__status=Skill.Status.ACTIVE)
        .values_list("course_id", "skill__name")
    ):
        retired[course_id].append(name)
    left = set(
        Person.objects.filter(pk__in={c.owner_id for c in courses})
        .exclude(status=Person.Status.ACTIVE)
        .values_list("pk", flat=True)
    )
    return {
        course.pk: Facts(
            review_by=course.review_by,
            outdated_reports=outdated.get(course.pk, 0),
            owner_left=course.owner_id in left,
            retired_skills=tuple(sorted(retired.get(course.pk, []))),
        )
        for course in courses
    }


def refresh_course(course: Course) -> Course:
    """Recompute one course's freshness, inside the caller's transaction."""
    refresh_many([course])
    return course


def refresh_many(courses: Iterable[Course], *, today: dt.date | None = None) -> list[Course]:
    """Recompute freshness for ``courses``; returns those whose state got worse."""
    courses = list(courses)
    if not courses:
        return []
    today = today or timezone.localdate()
    facts = _facts(courses)
    worse: list[Course] = []
    changed: list[Course] = []
    for course in courses:
        state, reasons = assess(facts[course.pk], today)
        reports = facts[course.pk].outdated_reports
        if (state, reasons, reports) != (
            course.freshness,
            course.freshness_reasons,
            course.outdated_reports,
        ):
            if RANK[state] > RANK[course.freshness]:
                worse.append(course)
            course.freshness, course.freshness_reasons = state, reasons
            course.outdated_reports = reports
            changed.append(course)
    Course.objects.bulk_update(changed, ["freshness", "freshness_reasons", "outdated_reports"])
    return worse


def scan(*, today: dt.date | None = None, batch: int = 500) -> int:
    """The nightly freshness scan over every published course; tells owners of courses that got
    worse. Returns the number of courses that got worse."""
    total = 0
    ids = list(
        Course.objects.filter(status=Course.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            courses = list(
                Course.objects.filter(pk__in=ids[start : start + batch]).select_related("owner")
            )
            worse = refresh_many(courses, today=today)
            total += len(worse)
            by_owner: dict[int, list[Course]] = defaultdict(list)
            for course in worse:
                by_owner[course.owner_id].append(course)
            for owner_id, owned in by_owner.items():
                titles = ", ".join(f"“{c.title}”" for c in owned[:3])
                notify_many(
                    recipients=User.objects.filter(person__pk=owner_id),
                    kind="content.needs_attention",
                    title=f"{len(owned)} of your courses need attention",
                    body=titles,
                    url="/learn/attention/",
                )
    return total


@transaction.atomic
def mark_reviewed(*, actor: Any, course: Course, review_by: dt.date | None = None) -> Course:
    """An author confirms the course is still right: a new review date; reports are answered."""
    authz.require(actor, "content.edit_course", course)
    today = timezone.localdate()
    review_by = review_by or today + dt.timedelta(days=365)
    if review_by <= today:
        raise DomainError(
            "review_in_past", "Choose a review date in the future.", field="review_by"
        )
    course.review_by = review_by
    course.save(update_fields=["review_by", "updated_at"])
    Reaction.objects.filter(
        Q(course=course) & Q(kind=Reaction.Kind.OUTDATED) & Q(resolved_at__isnull=True)
    ).update(resolved_at=timezone.now())
    return refresh_course(course)
