"""Course goals: how far each person is through the course a learning goal names.

Goals sit below content, so content registers itself as the completion source of ``course``
goals (``target_ref`` ``"course:<id>"``) and asks goals to re-derive progress after a lesson
or a course is completed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from ecotone.content.models import Enrolment
from ecotone.goals.progress import register_completion_source
from ecotone.goals.services import refresh_goal_progress

PREFIX = "course:"


def course_ref(course_id: int) -> str:
    return f"{PREFIX}{course_id}"


def course_completion(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], float]:
    """The share of the lessons done of each (person, ``course:<id>``) pair: one query."""
    wanted: dict[tuple[int, int], str] = {}
    for person_id, ref in pairs:
        if ref.startswith(PREFIX) and ref[len(PREFIX) :].isdigit():
            wanted[(person_id, int(ref[len(PREFIX) :]))] = ref
    if not wanted:
        return {}
    match = Q()
    for person_id, course_id in wanted:
        match |= Q(person_id=person_id, course_id=course_id)
    shares: dict[tuple[int, str], float] = {}
    for enrolment in (
        Enrolment.objects.filter(match)
        .only("person_id", "course_id", "done_keys", "completed_at", "version__snapshot")
        .select_related("version")
    ):
        ref = wanted[(enrolment.person_id, enrolment.course_id)]
        if enrolment.completed_at is not None:
            shares[(enrolment.person_id, ref)] = 1.0
            continue
        keys = {lesson["key"] for lesson in enrolment.version.snapshot.get("lessons", [])}
        done = len(keys.intersection(enrolment.done_keys))
        shares[(enrolment.person_id, ref)] = done / len(keys) if keys else 0.0
    return shares


def progress_changed(person_id: int) -> None:
    """Called by the learning services after a lesson or a course is done."""
    refresh_goal_progress(person_id=person_id, kinds=["course"])


def register() -> None:
    register_completion_source("course", course_completion)
