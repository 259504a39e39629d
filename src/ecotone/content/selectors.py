"""Every read of the content app, starting from what the viewer may see.

Lists run a constant number of queries whatever their length: the catalogue reads the course
read-model columns (enrolments, rating, freshness) and prefetches skills in one more query.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from ecotone import authz
from ecotone.content.models import (
    Answer,
    ContentRequest,
    Course,
    CourseAuthor,
    CourseSkill,
    CourseVersion,
    Enrolment,
    Freshness,
    Lesson,
    LessonQuestion,
    MeToo,
    QuizAttempt,
    Rating,
    Reaction,
    ReviewComment,
)
from ecotone.content.policies import author_ids
from ecotone.kernel.errors import NotFound
from ecotone.people.models import Person
from ecotone.people.roles import person_of
from ecotone.skills import selectors as skill_selectors
from ecotone.skills.models import Skill, SkillLevel

SORTS = {
    "popular": ("-enrolments", "title"),
    "rating": ("-rating", "-ratings", "title"),
    "new": ("-published_at", "title"),
    "title": ("title", "id"),
}
DURATIONS = {"short": (0, 30), "medium": (31, 120), "long": (121, 100_000)}


def _viewer(viewer: Any) -> Person | None:
    return person_of(viewer)


# --- The catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    skill: Skill | None = None
    level: int | None = None
    duration: str = ""
    freshness: str = ""
    min_rating: int | None = None
    sort: str = "popular"


def catalogue(viewer: Any, filters: CatalogueFilters | None = None) -> QuerySet[Course]:
    """Published courses, filtered and sorted. Skills are prefetched (one more query)."""
    filters = filters or CatalogueFilters()
    # Published courses are visible to every member: no per-row scope, so the sort indexes work.
    if not authz.can(viewer, "content.browse"):
        return Course.objects.none()
    queryset = Course.objects.filter(status=Course.Status.PUBLISHED)
    if filters.query:
        words = filters.query.split()[:6]
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if filters.skill is not None:
        taught = CourseSkill.objects.filter(skill=filters.skill)
        if filters.level is not None:
            taught = taught.filter(level=filters.level)
        queryset = queryset.filter(pk__in=taught.values("course_id"))
    elif filters.level is not None:
        queryset = queryset.filter(
            pk__in=CourseSkill.objects.filter(level=filters.level).values("course_id")
        )
    if filters.duration in DURATIONS:
        low, high = DURATIONS[filters.duration]
        queryset = queryset.filter(estimated_minutes__gte=low, estimated_minutes__lte=high)
    if filters.freshness in Freshness.values:
        queryset = queryset.filter(freshness=filters.freshness)
    if filters.min_rating:
        queryset = queryset.filter(rating__gte=filters.min_rating)
    order = SORTS.get(filters.sort, SORTS["popular"])
    return (
        queryset.select_related("owner")
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=CourseSkill.objects.select_related("skill").order_by("skill__name"),
            )
        )
        .order_by("-featured", *order)
    )


def with_version_numbers(courses: Sequence[Course]) -> Sequence[Course]:
    """Set ``version_number`` on each course in one query (the catalogue joins no version, so
    its count stays an index-only scan)."""
    ids = [course.version_id for course in courses if course.version_id]
    numbers = dict(CourseVersion.objects.filter(pk__in=ids).values_list("pk", "number"))
    for course in courses:
        course.version_number = numbers.get(course.version_id or 0)  # type: ignore[attr-defined]
    return courses


def featured(viewer: Any, *, limit: int = 4) -> list[Course]:
    return list(
        authz.scope(viewer, "content.view_course", Course.objects.all())
        .filter(status=Course.Status.PUBLISHED, featured=True)
        .select_related("owner")
        .order_by("-published_at")[:limit]
    )


# --- One course ----------------------------------------------------------------------------------


def course_for(viewer: Any, pk: int) -> Course:
    """A course the viewer may see, or NotFound."""
    course = Course.objects.select_related("owner", "version", "reviewer").filter(pk=pk).first()
    if course is None or not authz.can(viewer, "content.view_course", course):
        raise NotFound()
    return course


def draft_for(viewer: Any, pk: int) -> Course:
    """A course whose draft the viewer may see (authors, reviewer), or NotFound."""
    course = course_for(viewer, pk)
    if not authz.can(viewer, "content.view_draft", course):
        raise NotFound()
    return course


def course_skills(course: Course) -> list[CourseSkill]:
    return list(course.skills.select_related("skill").order_by("skill__name"))


def coauthors(course: Course) -> list[CourseAuthor]:
    return list(course.coauthors.select_related("person"))


def draft_lessons(course: Course) -> list[Lesson]:
    """The draft's lessons with their questions and answers (three queries)."""
    return list(course.lessons.order_by("position", "id").prefetch_related("questions__choices"))


def lesson_for(viewer: Any, pk: int) -> Lesson:
    lesson = Lesson.objects.select_related("course").filter(pk=pk).first()
    if lesson is None or not authz.can(viewer, "content.view_draft", lesson.course):
        raise NotFound()
    return lesson


def review_comments(course: Course) -> list[ReviewComment]:
    return list(course.review_comments.select_related("author"))


def versions(course: Course) -> list[CourseVersion]:
    return list(course.versions.select_related("published_by").defer("snapshot"))


def version_for(viewer: Any, course: Course, number: int) -> CourseVersion:
    version = course.versions.filter(number=number).first()
    if version is None:
        raise NotFound()
    return version


def enrolment_of(viewer: Any, course: Course) -> Enrolment | None:
    person = _viewer(viewer)
    if person is None:
        return None
    return Enrolment.objects.filter(course=course, person=person).select_related("version").first()


def resume_key(enrolment: Enrolment) -> str | None:
    """Where the learner left: the last lesson they reached, else the first one not done."""
    lessons = enrolment.version.snapshot["lessons"]
    keys: list[str] = [str(lesson["key"]) for lesson in lessons]
    if enrolment.last_lesson_key is not None and str(enrolment.last_lesson_key) in keys:
        return str(enrolment.last_lesson_key)
    for key in keys:
        if key not in enrolment.done_keys:
            return key
    return keys[0] if keys else None


def progress(enrolment: Enrolment) -> int:
    keys = [lesson["key"] for lesson in enrolment.version.snapshot["lessons"]]
    done = len(set(keys) & set(enrolment.done_keys))
    return round(100 * done / len(keys)) if keys else 0


def newer_versions(enrolment: Enrolment) -> list[CourseVersion]:
    """Versions published after the one the learner is on (to tell them what changed)."""
    return list(
        CourseVersion.objects.filter(
            course_id=enrolment.course_id, number__gt=enrolment.version.number
        )
        .defer("snapshot")
        .order_by("number")
    )


def attempts(enrolment: Enrolment, lesson_key: str) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(enrolment=enrolment, lesson_key=lesson_key))


def ratings(course: Course, *, limit: int = 10) -> list[Rating]:
    return list(
        course.rating_rows.exclude(comment="")
        .select_related("person")
        .order_by("-updated_at")[:limit]
    )


def my_rating(viewer: Any, course: Course) -> Rating | None:
    person = _viewer(viewer)
    return course.rating_rows.filter(person=person).first() if person else None


def reaction_summary(course: Course, lesson_key: str | None = None) -> dict[str, int]:
    queryset = Reaction.objects.filter(course=course, resolved_at__isnull=True)
    if lesson_key is not None:
        queryset = queryset.filter(lesson_key=lesson_key)
    counts = dict(queryset.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {kind: counts.get(kind, 0) for kind in Reaction.Kind.values}


def my_reactions(viewer: Any, course: Course, lesson_key: str) -> set[str]:
    person = _viewer(viewer)
    if person is None:
        return set()
    return set(
        Reaction.objects.filter(
            course=course, lesson_key=lesson_key, person=person, resolved_at__isnull=True
        ).values_list("kind", flat=True)
    )


def my_reaction(viewer: Any, course: Course, lesson_key: str, kind: str) -> Reaction | None:
    person = _viewer(viewer)
    if person is None:
        return None
    return Reaction.objects.filter(
        course=course, lesson_key=lesson_key, person=person, kind=kind, resolved_at__isnull=True
    ).first()


def recent_reactions(course: Course, *, limit: int = 20) -> list[Reaction]:
    return list(
        Reaction.objects.filter(course=course, resolved_at__isnull=True)
        .exclude(comment="")
        .select_related("person")[:limit]
    )


@dataclass
class Thread:
    question: LessonQuestion
    answers: list[Answer]
    expert_ids: set[int]
    author_ids: set[int]


def lesson_threads(viewer: Any, course: Course, lesson_key: str) -> list[Thread]:
    """Questions on a lesson with their answers; who is an author or an expert. Four queries."""
    questions = list(
        LessonQuestion.objects.filter(course=course, lesson_key=lesson_key)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("author")))
    )
    answerers = {a.author_id for q in questions for a in q.answers.all()}
    skill_ids = list(course.skills.values_list("skill_id", flat=True)) if answerers else []
    experts = (
        set(
            SkillLevel.objects.filter(
                person_id__in=answerers,
                skill_id__in=skill_ids,
                validated_level__gte=skill_selectors.EXPERT_MIN_LEVEL,
            ).values_list("person_id", flat=True)
        )
        if answerers
        else set()
    )
    authors = author_ids(course)
    threads = []
    for question in questions:
        answers = sorted(
            question.answers.all(),
            key=lambda a: (a.pk != question.accepted_id, a.author_id not in authors, a.created_at),
        )
        threads.append(Thread(question, answers, experts, authors))
    return threads


def question_for(viewer: Any, pk: int) -> LessonQuestion:
    question = LessonQuestion.objects.select_related("course", "author").filter(pk=pk).first()
    if question is None or not authz.can(viewer, "content.view_course", question.course):
        raise NotFound()
    return question


# --- Diff between versions -----------------------------------------------------------------------


@dataclass
class LessonChange:
    title: str
    change: str  # added, removed, changed, moved
    diff: list[str] = field(default_factory=list)


@dataclass
class VersionDiff:
    old: CourseVersion
    new: CourseVersion
    fields: list[tuple[str, str, str]]
    lessons: list[LessonChange]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.lessons


def _lesson_text(lesson: dict[str, Any]) -> list[str]:
    lines = [f"# {lesson['title']}", *lesson["body"].splitlines()]
    for index, question in enumerate(lesson.get("questions", []), start=1):
        lines.append(f"Q{index}. {question['prompt']}")
        for choice in question["choices"]:
            mark = "[x]" if choice["correct"] else "[ ]"
            lines.append(f"  {mark} {choice['text']}")
    return lines


def diff(old: CourseVersion, new: CourseVersion) -> VersionDiff:
    """What changed between two versions: description fields and lessons (line diffs)."""
    a, b = old.snapshot, new.snapshot
    fields = []
    for name in ("title", "summary", "audience", "estimated_minutes"):
        if a.get(name) != b.get(name):
            fields.append((name.replace("_", " "), str(a.get(name, "")), str(b.get(name, ""))))
    skills_a = {s["name"]: s["level"] for s in a.get("skills", [])}
    skills_b = {s["name"]: s["level"] for s in b.get("skills", [])}
    if skills_a != skills_b:
        fields.append(
            (
                "skills",
                ", ".join(f"{k} {v}" for k, v in sorted(skills_a.items())),
                ", ".join(f"{k} {v}" for k, v in sorted(skills_b.items())),
            )
        )
    old_lessons = {lesson["key"]: lesson for lesson in a["lessons"]}
    new_lessons = {lesson["key"]: lesson for lesson in b["lessons"]}
    changes: list[LessonChange] = []
    old_order = [k for k in old_lessons if k in new_lessons]
    new_order = [k for k in new_lessons if k in old_lessons]
    for key, lesson in new_lessons.items():
        if key not in old_lessons:
            changes.append(LessonChange(lesson["title"], "added", _lesson_text(lesson)))
            continue
        before, after = _lesson_text(old_lessons[key]), _lesson_text(lesson)
        if before != after or old_lessons[key]["pass_mark"] != lesson["pass_mark"]:
            lines = list(difflib.unified_diff(before, after, lineterm="", n=1))[2:]
            changes.append(LessonChange(lesson["title"], "changed", lines))
        elif old_order.index(key) != new_order.index(key):
            changes.append(LessonChange(lesson["title"], "moved"))
    for key, lesson in old_lessons.items():
        if key not in new_lessons:
            changes.append(LessonChange(lesson["title"], "removed"))
    return VersionDiff(old=old, new=new, fields=fields, lessons=changes)


# --- The learner's and the author's lists --------------------------------------------------------


def continue_learning(viewer: Any, *, limit: int = 5) -> list[Enrolment]:
    person = _viewer(viewer)
    if person is None:
        return []
    return list(
        Enrolment.objects.filter(person=person, completed_at__isnull=True)
        .select_related("course", "version")
        .order_by("-last_activity_at")[:limit]
    )


def my_enrolments(viewer: Any) -> QuerySet[Enrolment]:
    person = _viewer(viewer)
    if person is None:
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(person=person)
        .select_related("course", "version")
        .defer("version__snapshot")
        .order_by("completed_at", "-last_activity_at")
    )


def authored(viewer: Any) -> QuerySet[Course]:
    """Courses the viewer owns or co-writes, drafts included."""
    return (
        authz.scope(viewer, "content.edit_course", Course.objects.all())
        .select_related("owner")
        .annotate(version_number=F("version__number"))
        .order_by("-updated_at")
    )


def reviews_for(viewer: Any) -> QuerySet[Course]:
    person = _viewer(viewer)
    if person is None:
        return Course.objects.none()
    return Course.objects.filter(
        reviewer=person, review_state__in=[Course.Review.REQUESTED, Course.Review.CHANGES]
    ).select_related("owner")


@dataclass
class AttentionItem:
    course: Course
    reasons: list[str]
    unanswered: int


def attention_queue(viewer: Any) -> list[AttentionItem]:
    """The viewer's courses that need them: not fresh, or unanswered questions. Four queries."""
    courses = list(
        authored(viewer).filter(status=Course.Status.PUBLISHED).prefetch_related("skills__skill")
    )
    ids = [c.pk for c in courses]
    unanswered = (
        dict(
            LessonQuestion.objects.filter(course_id__in=ids)
            .annotate(n=Count("answers"))
            .filter(n=0)
            .values("course_id")
            .annotate(total=Count("id"))
            .values_list("course_id", "total")
        )
        if ids
        else {}
    )
    items = []
    for course in courses:
        open_questions = unanswered.get(course.pk, 0)
        if course.freshness != Freshness.FRESH or open_questions:
            reasons = list(course.freshness_reasons)
            if open_questions:
                reasons.append(
                    f"{open_questions} unanswered question{'s' if open_questions > 1 else ''}"
                )
            items.append(AttentionItem(course, reasons, open_questions))
    rank = {Freshness.STALE: 0, Freshness.DUE: 1, Freshness.FRESH: 2}
    items.sort(key=lambda item: (rank[Freshness(item.course.freshness)], -item.unanswered))
    return items


def completed_by(viewer: Any, person: Person, *, limit: int = 20) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(person=person, completed_at__isnull=False)
        .select_related("course")
        .defer("course__summary")
        .order_by("-completed_at")[:limit]
    )


def authored_by(viewer: Any, person: Person, *, limit: int = 20) -> list[Course]:
    coauthored = CourseAuthor.objects.filter(person=person).values("course_id")
    return list(
        Course.objects.filter(
            Q(owner=person) | Q(pk__in=coauthored), status=Course.Status.PUBLISHED
        ).order_by("-published_at")[:limit]
    )


def certificate(viewer: Any, course: Course) -> Enrolment:
    enrolment = enrolment_of(viewer, course)
    if enrolment is None or enrolment.completed_at is None:
        raise NotFound("No completion to certify.")
    return enrolment


# --- Suggestions from validated skill levels -----------------------------------------------------


def suggested_reviewers(viewer: Any, course: Course, *, limit: int = 5) -> list[SkillLevel]:
    """People with a validated level in the course's skills, best first, authors left out."""
    skill_ids = list(course.skills.values_list("skill_id", flat=True))
    best = skill_selectors.top_experts(skill_ids, per_skill=limit + 3)
    authors = author_ids(course)
    seen: set[int] = set()
    ranked: list[SkillLevel] = []
    for rows in best.values():
        for row in rows:
            if row.person_id not in authors and row.person_id not in seen:
                seen.add(row.person_id)
                ranked.append(row)
    ranked.sort(key=lambda row: -(row.validated_level or 0))
    return ranked[:limit]


def suggested_experts(viewer: Any, request: ContentRequest, *, limit: int = 5) -> list[SkillLevel]:
    """Experts for a request: validated in its skills, else in skills matching its topic."""
    skill_ids = list(request.skills.values_list("pk", flat=True))
    if not skill_ids:
        skill_ids = [skill.pk for skill, _ in skill_selectors.match_skills(viewer, request.topic)]
    best = skill_selectors.top_experts(skill_ids, per_skill=limit)
    seen: set[int] = set()
    ranked: list[SkillLevel] = []
    for rows in best.values():
        for row in rows:
            if row.person_id not in seen and row.person_id != request.requester_id:
                seen.add(row.person_id)
                ranked.append(row)
    ranked.sort(key=lambda row: -(row.validated_level or 0))
    return ranked[:limit]


# --- Content requests ----------------------------------------------------------------------------


def requests(
    viewer: Any, *, status: str = "", mine: bool = False, query: str = ""
) -> QuerySet[ContentRequest]:
    queryset = authz.scope(viewer, "content.view_request", ContentRequest.objects.all())
    if status in ContentRequest.Status.values:
        queryset = queryset.filter(status=status)
    if mine:
        person = _viewer(viewer)
        supported = MeToo.objects.filter(person=person).values("request_id")
        queryset = queryset.filter(Q(requester=person) | Q(pk__in=supported))
    if query:
        queryset = queryset.filter(Q(topic__icontains=query) | Q(description__icontains=query))
    return queryset.select_related("requester", "assignee", "course").prefetch_related("skills")


def request_for(viewer: Any, pk: int) -> ContentRequest:
    request = (
        ContentRequest.objects.select_related("requester", "assignee", "course", "origin_course")
        .filter(pk=pk)
        .first()
    )
    if request is None or not authz.can(viewer, "content.view_request", request):
        raise NotFound()
    return request


def assigned_to_me(viewer: Any) -> QuerySet[ContentRequest]:
    return (
        authz.scope(viewer, "content.respond_request", ContentRequest.objects.all())
        .filter(
            assignment__in=[ContentRequest.Assignment.PENDING, ContentRequest.Assignment.ACCEPTED]
        )
        .exclude(status__in=[ContentRequest.Status.DONE, ContentRequest.Status.DECLINED])
    )


def supports(viewer: Any, request: ContentRequest) -> bool:
    person = _viewer(viewer)
    return person is not None and (
        request.requester_id == person.pk or request.me_toos.filter(person=person).exists()
    )


def similar_requests(viewer: Any, topic: str, *, limit: int = 5) -> list[ContentRequest]:
    words = [w for w in topic.split() if len(w) > 2][:5]
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(topic__icontains=word)
    return list(
        requests(viewer)
        .filter(query)
        .exclude(status__in=[ContentRequest.Status.DONE, ContentRequest.Status.DECLINED])
        .order_by("-supporters")[:limit]
    )


@dataclass
class BacklogItem:
    request: ContentRequest
    demand: int
    priority: int
    gap: int
    score: float


# Weights of the backlog ranking: demand counts most, then the objectives it blocks, then gaps.
DEMAND_WEIGHT = 3.0
PRIORITY_WEIGHT = 4.0
GAP_WEIGHT = 1.0
OPEN_STATES = [
    ContentRequest.Status.OPEN,
    ContentRequest.Status.PLANNED,
    ContentRequest.Status.IN_PROGRESS,
]


def _skill_gaps(skill_ids: Sequence[int]) -> dict[int, int]:
    """People below the target level their role sets, per skill (one query)."""
    from ecotone.skills.models import RoleRequirement

    if not skill_ids:
        return {}
    rows = RoleRequirement.objects.filter(skill_id__in=list(skill_ids)).values_list(
        "skill_id", "target_level", "role__assignments__person_id"
    )
    people_levels: dict[tuple[int, int], int] = {}
    wanted: list[tuple[int, int, int]] = []
    for skill_id, target, person_id in rows:
        if person_id is not None:
            wanted.append((skill_id, target, person_id))
    if not wanted:
        return {}
    for person_id, skill_id, level in SkillLevel.objects.filter(
        skill_id__in=list(skill_ids), person_id__in={p for _, _, p in wanted}
    ).values_list("person_id", "skill_id", "level"):
        people_levels[(person_id, skill_id)] = level or 0
    gaps: dict[int, int] = defaultdict(int)
    for skill_id, target, person_id in wanted:
        if people_levels.get((person_id, skill_id), 0) < target:
            gaps[skill_id] += 1
    return dict(gaps)


def backlog(viewer: Any, *, status: str = "", limit: int = 200) -> list[BacklogItem]:
    """The training-needs backlog: open requests ranked by demand, blocked objectives and the
    size of the skill gap they would close. Six queries (two for the viewer's roles)."""
    authz.require(viewer, "content.manage_requests")
    queryset = requests(viewer)
    queryset = (
        queryset.filter(status=status)
        if status in ContentRequest.Status.values
        else queryset.filter(status__in=OPEN_STATES)
    )
    items = list(queryset.order_by("-supporters", "created_at")[: limit * 2])
    skill_ids = {skill.pk for request in items for skill in request.skills.all()}
    gaps = _skill_gaps(sorted(skill_ids))
    ranked = []
    for request in items:
        gap = max((gaps.get(skill.pk, 0) for skill in request.skills.all()), default=0)
        score = (
            DEMAND_WEIGHT * request.supporters
            + PRIORITY_WEIGHT * request.blocks_priority
            + GAP_WEIGHT * min(gap, 10)
        )
        ranked.append(BacklogItem(request, request.supporters, request.blocks_priority, gap, score))
    ranked.sort(key=lambda item: (-item.score, item.request.created_at))
    return ranked[:limit]


def backlog_counts(viewer: Any) -> dict[str, int]:
    authz.require(viewer, "content.manage_requests")
    counts = dict(
        ContentRequest.objects.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in ContentRequest.Status.values}


# --- Library health ------------------------------------------------------------------------------


@dataclass
class LibraryHealth:
    counts: dict[str, int]
    courses: Sequence[Course]
    uncovered: list[tuple[Skill, int]]
    total: int


def library_health(viewer: Any, *, freshness: str = "", limit: int = 100) -> LibraryHealth:
    """Freshness of the published library, the courses to look at and why. Five queries."""
    authz.require(viewer, "content.view_health")
    published = Course.objects.filter(status=Course.Status.PUBLISHED)
    counts = dict(
        published.values("freshness").annotate(n=Count("id")).values_list("freshness", "n")
    )
    listed = published.exclude(freshness=Freshness.FRESH)
    if freshness in Freshness.values:
        listed = published.filter(freshness=freshness)
    courses = list(
        listed.select_related("owner")
        .annotate(version_number=F("version__number"))
        .prefetch_related("skills__skill")
        .order_by("-freshness", "-outdated_reports", "review_by")[:limit]
    )
    # Skills most requested in open requests that no published course teaches.
    taught = CourseSkill.objects.filter(course__status=Course.Status.PUBLISHED).values("skill_id")
    uncovered = list(
        Skill.objects.filter(content_requests__status__in=OPEN_STATES, status=Skill.Status.ACTIVE)
        .exclude(pk__in=taught)
        .annotate(n=Count("content_requests"))
        .order_by("-n", "name")[:10]
    )
    return LibraryHealth(
        counts={state: counts.get(state, 0) for state in Freshness.values},
        courses=courses,
        uncovered=[(skill, skill.n) for skill in uncovered],  # type: ignore[attr-defined]
        total=sum(counts.values()),
    )


def due_soon(viewer: Any, *, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return (
        authored(viewer)
        .filter(status=Course.Status.PUBLISHED)
        .exclude(freshness=Freshness.FRESH)
        .count()
    )
