"""Every read of the skills app, starting from what the viewer may see.

Levels shown to a viewer: the person themselves, their management chain, L&D and admins see the
derived level and the self-rating; everyone else sees the validated level and endorsements only.
Every list here runs a constant number of queries, whatever the number of people or skills.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from ecotone import authz
from ecotone.kernel.errors import NotFound
from ecotone.people.models import Person, Team
from ecotone.people.roles import person_of
from ecotone.skills import levels, requirements
from ecotone.skills.models import (
    Evidence,
    EvidenceSource,
    Interest,
    LevelDescriptor,
    ProficiencyLevel,
    RoleAssignment,
    RoleProfile,
    Skill,
    SkillCategory,
    SkillLevel,
    ValidationRequest,
)

# --- The framework -------------------------------------------------------------------------------


def skills(viewer: Any, *, category: SkillCategory | None = None) -> QuerySet[Skill]:
    """The active skills of the framework."""
    queryset = authz.scope(viewer, "skills.view_framework", Skill.objects.all())
    queryset = queryset.filter(status=Skill.Status.ACTIVE).select_related("category")
    if category is not None:
        queryset = queryset.filter(category=category)
    return queryset


def all_skills(viewer: Any) -> QuerySet[Skill]:
    """Every skill, deprecated and merged ones included (framework management)."""
    authz.require(viewer, "skills.view_framework")
    return Skill.objects.select_related("category", "merged_into")


def skill_for(viewer: Any, slug: str) -> Skill:
    if not authz.can(viewer, "skills.view_framework"):
        raise NotFound()
    skill = Skill.objects.select_related("category", "merged_into").filter(slug=slug).first()
    if skill is None:
        raise NotFound()
    return skill


def skill_by_id(viewer: Any, pk: int) -> Skill:
    if not authz.can(viewer, "skills.view_framework"):
        raise NotFound()
    skill = Skill.objects.select_related("category").filter(pk=pk).first()
    if skill is None:
        raise NotFound()
    return skill


def categories(viewer: Any) -> list[SkillCategory]:
    if not authz.can(viewer, "skills.view_framework"):
        return []
    return list(SkillCategory.objects.select_related("parent"))


def scale() -> list[ProficiencyLevel]:
    return list(ProficiencyLevel.objects.all())


def descriptors(skill: Skill) -> dict[int, str]:
    return dict(LevelDescriptor.objects.filter(skill=skill).values_list("level", "description"))


def role_profiles(viewer: Any) -> QuerySet[RoleProfile]:
    if not authz.can(viewer, "skills.view_framework"):
        return RoleProfile.objects.none()
    return RoleProfile.objects.annotate(people=Count("assignments", distinct=True))


def role_profile_for(viewer: Any, slug: str) -> RoleProfile:
    role = role_profiles(viewer).filter(slug=slug).first()
    if role is None:
        raise NotFound()
    return role


# --- One person's levels -------------------------------------------------------------------------


def viewer_person(viewer: Any) -> Person:
    """The viewer's own person (accounts without one have no skills)."""
    person = person_of(viewer)
    if person is None:
        raise NotFound("This account is not a person of the organisation.")
    return person


def may_see_private(viewer: Any, person: Person) -> bool:
    return authz.can(viewer, "skills.view_private", person)


def private_ids(viewer: Any, people: Iterable[int]) -> set[int]:
    """The people among ``people`` whose private skill data the viewer may see (one query)."""
    ids = list(people)
    if not ids:
        return set()
    queryset = Person.objects.filter(pk__in=ids)
    return set(authz.scope(viewer, "skills.view_private", queryset).values_list("pk", flat=True))


@dataclass
class LevelRow:
    """One skill of one person as the viewer may see it."""

    skill: Skill
    level: int | None
    validated_level: int | None
    self_level: int | None
    confidence: float
    endorsements: int
    last_evidence_at: dt.datetime | None
    target_level: int | None = None
    required: bool = False

    @property
    def gap(self) -> int:
        if self.target_level is None:
            return 0
        return max(0, self.target_level - (self.level or 0))


def _visible(row: SkillLevel, private: bool) -> dict[str, Any]:
    return {
        "level": row.level if private else row.validated_level,
        "validated_level": row.validated_level,
        "self_level": row.self_level if private else None,
        "confidence": row.confidence,
        "endorsements": row.endorsements,
        "last_evidence_at": row.last_evidence_at,
    }


def person_levels(viewer: Any, person: Person) -> list[LevelRow]:
    """Every skill the person has evidence in or their role requires, targets included.

    Three queries (levels, requirements, the skills required but without evidence), plus one
    per requirement source beyond role profiles.
    """
    authz.require(viewer, "skills.view_levels", person)
    private = may_see_private(viewer, person)
    rows: dict[int, LevelRow] = {}
    for level in SkillLevel.objects.filter(person=person).select_related("skill__category"):
        visible = _visible(level, private)
        if not private and visible["level"] is None and not visible["endorsements"]:
            continue
        rows[level.skill_id] = LevelRow(skill=level.skill, **visible)
    needs = requirements.for_person(person)
    missing = [skill_id for skill_id in needs if skill_id not in rows]
    for skill in Skill.objects.filter(pk__in=missing).select_related("category"):
        rows[skill.pk] = LevelRow(skill, None, None, None, 0.0, 0, None)
    for skill_id, need in needs.items():
        if skill_id in rows:
            rows[skill_id].target_level = need.target_level
            rows[skill_id].required = need.required
    return sorted(
        rows.values(),
        key=lambda row: (row.target_level is None, not row.required, row.skill.name.lower()),
    )


def evidence_for(viewer: Any, person: Person, skill: Skill | None = None) -> QuerySet[Evidence]:
    """The evidence trail: all of it for private viewers, validated and endorsements otherwise."""
    authz.require(viewer, "skills.view_levels", person)
    queryset = Evidence.objects.filter(person=person).select_related("skill", "author__person")
    if skill is not None:
        queryset = queryset.filter(skill=skill)
    if not may_see_private(viewer, person):
        queryset = queryset.filter(source__in=[*levels.VALIDATED, EvidenceSource.PEER])
    return queryset


def level_on(viewer: Any, person: Person, skill: Skill, on: dt.datetime) -> levels.Derived:
    """The person's derived level in a skill as it stood on a past date (one query)."""
    return level_history(viewer, person, skill, [on])[0]


def level_history(
    viewer: Any, person: Person, skill: Skill, dates: Sequence[dt.datetime]
) -> list[levels.Derived]:
    """Levels at several dates, for trends: one query whatever the number of dates."""
    authz.require(viewer, "skills.view_private", person)
    pieces = levels.pieces_of(Evidence.objects.filter(person=person, skill=skill))
    return [levels.derive(pieces, on) for on in dates]


# --- Requests and interests ----------------------------------------------------------------------


def review_queue(viewer: Any) -> QuerySet[ValidationRequest]:
    """Pending requests the viewer should answer, oldest first."""
    viewer_person = person_of(viewer)
    if viewer_person is None:
        return ValidationRequest.objects.none()
    return (
        authz.scope(viewer, "skills.resolve_request", ValidationRequest.objects.all())
        .filter(status=ValidationRequest.Status.PENDING)
        .select_related("person", "skill")
        .order_by("created_at", "id")
    )


def request_for(viewer: Any, pk: int) -> ValidationRequest:
    queryset = authz.scope(viewer, "skills.view_request", ValidationRequest.objects.all())
    request = queryset.select_related("person__user", "skill", "reviewer").filter(pk=pk).first()
    if request is None:
        raise NotFound()
    return request


def my_requests(viewer: Any) -> QuerySet[ValidationRequest]:
    viewer_person = person_of(viewer)
    if viewer_person is None:
        return ValidationRequest.objects.none()
    return ValidationRequest.objects.filter(person=viewer_person).select_related(
        "skill", "reviewer"
    )


def interests_of(viewer: Any, person: Person) -> QuerySet[Interest]:
    queryset = authz.scope(viewer, "skills.view_interest", Interest.objects.all())
    return queryset.filter(person=person).select_related("skill")


def people_interested(viewer: Any, skill: Skill, *, limit: int = 50) -> list[Interest]:
    queryset = authz.scope(viewer, "skills.view_interest", Interest.objects.all())
    return list(
        queryset.filter(skill=skill, person__status=Person.Status.ACTIVE)
        .select_related("person")
        .order_by("kind", "person__display_name")[:limit]
    )


# --- Expert finder -------------------------------------------------------------------------------

_WORD = re.compile(r"[^a-z0-9+#.]+")


def _normal(text: str) -> str:
    return _WORD.sub(" ", text.lower()).strip()


def _score(query: str, label: str) -> float:
    label = _normal(label)
    if not label:
        return 0.0
    if query == label:
        return 1.0
    if len(query) >= 3 and (label.startswith(query) or f" {query}" in f" {label}"):
        return 0.92
    best = _ratio(query, label)
    words = label.split()
    if len(words) > 1:
        span = len(query.split())
        for start in range(len(words) - span + 1):
            chunk = " ".join(words[start : start + span])
            best = max(best, 0.97 * _ratio(query, chunk))
    return best


def _ratio(query: str, label: str) -> float:
    """Similarity 0 to 1; cheap upper bounds first, since most labels are far off."""
    matcher = difflib.SequenceMatcher(None, query, label, autojunk=False)
    if matcher.real_quick_ratio() < MATCH_THRESHOLD or matcher.quick_ratio() < MATCH_THRESHOLD:
        return 0.0
    return matcher.ratio()


MATCH_THRESHOLD = 0.75


def match_skills(viewer: Any, query: str, *, limit: int = 5) -> list[tuple[Skill, float]]:
    """Active skills whose name or an alias is close to ``query`` (typos tolerated), best first."""
    needle = _normal(query)
    if not needle:
        return []
    scored: list[tuple[float, str, Skill]] = []
    for skill in skills(viewer).only("id", "name", "slug", "aliases", "category"):
        score = max(_score(needle, label) for label in [skill.name, *skill.aliases])
        if score >= MATCH_THRESHOLD:
            scored.append((score, skill.name.lower(), skill))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(skill, round(score, 3)) for score, _, skill in scored[:limit]]


@dataclass
class Expert:
    person: Person
    skill: Skill
    level: int
    endorsements: int
    validated_at: dt.datetime | None
    match: float


def find_experts(viewer: Any, query: str, *, limit: int = 20) -> list[Expert]:
    """ "Who knows X?": people with a validated level in the skills matching ``query``.

    Ranked by how well the skill matches, then validated level, endorsements and recency of
    the validation. Two queries.
    """
    matched = match_skills(viewer, query)
    if not matched or not authz.can(viewer, "skills.view_levels"):
        return []
    match_of = {skill.pk: score for skill, score in matched}
    rows = (
        SkillLevel.objects.filter(
            skill_id__in=list(match_of),
            validated_level__isnull=False,
            person__status=Person.Status.ACTIVE,
        )
        .select_related("person", "skill")
        .order_by("-validated_level", "-endorsements", "-validated_at", "person_id")[: limit * 3]
    )
    experts = [
        Expert(
            person=row.person,
            skill=row.skill,
            level=row.validated_level or 0,
            endorsements=row.endorsements,
            validated_at=row.validated_at,
            match=match_of[row.skill_id],
        )
        for row in rows
    ]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    experts.sort(
        key=lambda e: (
            -e.match,
            -e.level,
            -e.endorsements,
            -(e.validated_at or epoch).timestamp(),
        )
    )
    return experts[:limit]


EXPERT_MIN_LEVEL = 3  # an expert has at least a validated "practitioner" level


def top_experts(
    skill_ids: Sequence[int], within: Team | None = None, *, per_skill: int = 3
) -> dict[int, list[SkillLevel]]:
    """The best validated people per skill (practitioners and above), in one query.

    ``within`` keeps the active members of a team and its sub-teams. For each skill, the n-th
    expert is a subquery that walks the skill's (validated level, validation date) index from
    the top and stops at the n-th match: the cost depends on ``per_skill``, not on how many
    people hold the skill.
    """
    if not skill_ids:
        return {}
    candidates = SkillLevel.objects.filter(
        skill_id=OuterRef("pk"),
        validated_level__gte=EXPERT_MIN_LEVEL,
        person__status=Person.Status.ACTIVE,
    )
    if within is not None:
        # The team copied onto the level is empty once the person leaves.
        candidates = candidates.filter(team__path__startswith=within.path)
    ranked = candidates.order_by("-validated_level", "-validated_at", "-id").values("id")
    chosen = Skill.objects.filter(pk__in=list(skill_ids)).order_by()
    wanted = Q()
    for rank in range(per_skill):
        wanted |= Q(
            pk__in=chosen.annotate(expert=Subquery(ranked[rank : rank + 1])).values("expert")
        )
    rows = (
        SkillLevel.objects.filter(wanted)
        .select_related("person")
        .only(
            "person_id",
            "skill_id",
            "level",
            "validated_level",
            "validated_at",
            "endorsements",
            "person__display_name",
        )
    )
    result: dict[int, list[SkillLevel]] = defaultdict(list)
    for row in rows:
        result[row.skill_id].append(row)
    for experts in result.values():
        experts.sort(key=lambda row: (-(row.validated_level or 0), _newest_first(row), -row.pk))
    return dict(result)


def _newest_first(row: SkillLevel) -> float:
    return -row.validated_at.timestamp() if row.validated_at else 0.0


# --- Gap analysis --------------------------------------------------------------------------------


@dataclass
class SkillGap:
    """Supply against demand for one skill within a group of people."""

    skill: Skill
    target_level: int
    needed: int
    required: bool
    qualified: int
    people_with_level: int
    average_level: float | None
    experts: list[SkillLevel] = field(default_factory=list)

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - self.qualified)

    @property
    def coverage(self) -> float:
        return 1.0 if self.needed == 0 else min(1.0, self.qualified / self.needed)

    @property
    def bus_factor_risk(self) -> bool:
        """Held at target by one person or none."""
        return self.qualified <= 1

    @property
    def coverage_band(self) -> int:
        """0 (none) to 4 (full), for heatmap colours."""
        return min(4, int(self.coverage * 4))


@dataclass
class GapAnalysis:
    scope: str
    people: int
    gaps: list[SkillGap]

    @property
    def bus_factor(self) -> list[SkillGap]:
        return [gap for gap in self.gaps if gap.bus_factor_risk]


def _histogram_within(
    team: Team, skill_ids: Iterable[int]
) -> dict[tuple[Any, int], dict[int, int]]:
    """Counts of a team's active members (sub-teams included) per skill and derived level.

    One query on the team copied onto each level (empty once the person left): no people join.
    """
    rows = (
        SkillLevel.objects.filter(team__path__startswith=team.path, skill_id__in=list(skill_ids))
        .exclude(level__isnull=True)
        .values("skill_id", "level")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("skill_id", "level", "count")
    )
    result: dict[tuple[Any, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for skill_id, level, count in rows:
        if level is not None:
            result[(None, skill_id)][level] += count
    return result


def _histogram_of_everyone(skill_ids: Iterable[int]) -> dict[tuple[Any, int], dict[int, int]]:
    """The histogram of every active person: all rows, minus those of people who left.

    Two queries, both on indexes, much faster than filtering every row through a join.
    """
    ids = list(skill_ids)
    base = SkillLevel.objects.filter(skill_id__in=ids).exclude(level__isnull=True)
    result: dict[tuple[Any, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for sign, rows in (
        (1, base),
        (-1, base.filter(person__status=Person.Status.LEFT)),
    ):
        for skill_id, level, count in (
            rows.values("skill_id", "level")
            .annotate(count=Count("id"))
            .order_by()
            .values_list("skill_id", "level", "count")
        ):
            if level is not None:
                result[(None, skill_id)][level] += sign * count
    return result


def _histogram_by_subtree(
    skill_ids: Iterable[int], subtrees: Sequence[Team]
) -> dict[tuple[int, int], dict[int, int]]:
    """Counts of active people per (subtree's team id, skill) and level, in one query.

    Reads the team copied onto each level (``SkillLevel.team``, empty for people who left), so
    it joins the small team table but not people, and the database rolls teams up into their
    subtrees: one row per subtree, skill and level.
    """
    result: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    if not subtrees:
        return result
    for group, skill_id, level, count in (
        SkillLevel.objects.filter(
            skill_id__in=list(skill_ids), level__isnull=False, team__isnull=False
        )
        .values("skill_id", "level", group=requirements.subtree_of("team", subtrees))
        .annotate(count=Count("id"))
        .order_by()
        .values_list("group", "skill_id", "level", "count")
    ):
        if group is not None and level is not None:
            result[(group, skill_id)][level] = count
    return result


def _gap(skill: Skill, need: requirements.Requirement, histogram: dict[int, int]) -> SkillGap:
    people_with_level = sum(histogram.values())
    total = sum(level * count for level, count in histogram.items())
    return SkillGap(
        skill=skill,
        target_level=need.target_level,
        needed=need.needed,
        required=need.required,
        qualified=sum(count for level, count in histogram.items() if level >= need.target_level),
        people_with_level=people_with_level,
        average_level=round(total / people_with_level, 2) if people_with_level else None,
    )


def active_people() -> QuerySet[Person]:
    return Person.objects.filter(status=Person.Status.ACTIVE)


def team_people(team: Team) -> QuerySet[Person]:
    """The active members of a team and of all its sub-teams."""
    return active_people().filter(team__path__startswith=team.path)


EXPERT_GAPS = 25


def _analyse(
    scope: str,
    people: QuerySet[Person],
    *,
    team: Team | None = None,
    category: SkillCategory | None = None,
    experts: int = 3,
) -> GapAnalysis:
    """``people`` are everyone active (``team`` None) or the active members of ``team``."""
    needs = {skill_id: need for (_, skill_id), need in requirements.for_people(people).items()}
    skill_map = Skill.objects.select_related("category").in_bulk(list(needs))
    if category is not None:
        skill_map = {pk: s for pk, s in skill_map.items() if s.category_id == category.pk}
    histogram = (
        _histogram_of_everyone(skill_map) if team is None else _histogram_within(team, skill_map)
    )
    gaps = [
        _gap(skill, needs[pk], histogram.get((None, pk), {})) for pk, skill in skill_map.items()
    ]
    gaps.sort(key=lambda gap: (-gap.shortfall, gap.coverage, gap.skill.name.lower()))
    if experts:
        # Experts of the largest gaps and of every bus-factor risk: what the pages show.
        wanted = {gap.skill.pk for gap in gaps[:EXPERT_GAPS]}
        wanted |= {gap.skill.pk for gap in gaps if gap.bus_factor_risk}
        best = top_experts(sorted(wanted), team, per_skill=experts)
        for gap in gaps:
            gap.experts = best.get(gap.skill.pk, [])
    return GapAnalysis(scope=scope, people=people.count(), gaps=gaps)


def team_gaps(viewer: Any, team: Team, *, category: SkillCategory | None = None) -> GapAnalysis:
    """A team with its sub-teams: per required skill, qualified against needed. Seven queries
    (plus those of requirement sources beyond role profiles)."""
    authz.require(viewer, "skills.view_team_gaps", team)
    return _analyse(team.name, team_people(team), team=team, category=category)


def org_gaps(viewer: Any, *, category: SkillCategory | None = None) -> GapAnalysis:
    """The whole organisation. Seven queries
    (plus those of requirement sources beyond role profiles)."""
    authz.require(viewer, "skills.view_org_gaps")
    return _analyse("Organisation", active_people(), category=category)


def person_gaps(viewer: Any, person: Person) -> list[LevelRow]:
    """The person's required skills with target, current level and gap, largest gap first."""
    rows = [row for row in person_levels(viewer, person) if row.target_level is not None]
    return sorted(rows, key=lambda row: (-row.gap, not row.required, row.skill.name.lower()))


# --- Heatmaps ------------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    level: int | None
    self_level: int | None
    target_level: int | None
    validated: bool

    @property
    def gap(self) -> int:
        if self.target_level is None:
            return 0
        return max(0, self.target_level - (self.level or 0))


@dataclass
class TeamMatrix:
    people: list[Person]
    skills: list[Skill]
    cells: dict[tuple[int, int], MatrixCell]
    private: set[int]

    def row(self, person: Person) -> list[MatrixCell]:
        empty = MatrixCell(None, None, None, False)
        return [self.cells.get((person.pk, skill.pk), empty) for skill in self.skills]


MATRIX_MAX_PEOPLE = 200
MATRIX_MAX_SKILLS = 60


def team_matrix(
    viewer: Any,
    *,
    team: Team | None = None,
    category: SkillCategory | None = None,
    sort: str = "",
) -> TeamMatrix:
    """People x skills for a team (with sub-teams) or, without a team, the viewer's reports.

    Columns: the skills their role profiles require, else those they hold most. Cells show the
    derived level to those who may see it, the validated level to others. Five queries.
    """
    if team is not None:
        authz.require(viewer, "skills.view_team_gaps", team)
        people_qs = team_people(team)
    else:
        viewer_person = person_of(viewer)
        if viewer_person is None:
            return TeamMatrix([], [], {}, set())
        people_qs = active_people().filter(manager_path__startswith=viewer_person.subtree_prefix)
    people = list(people_qs.order_by("display_name", "id")[:MATRIX_MAX_PEOPLE])
    ids = [person.pk for person in people]
    targets: dict[tuple[int, int], int] = {}
    for person_id, skill_id, target in RoleAssignment.objects.filter(
        person_id__in=ids, role__requirements__isnull=False
    ).values_list("person_id", "role__requirements__skill_id", "role__requirements__target_level"):
        targets[(person_id, skill_id)] = target
    levels_qs = SkillLevel.objects.filter(person_id__in=ids)
    required_ids = {skill_id for _, skill_id in targets}
    if not required_ids:
        required_ids = set(
            levels_qs.values("skill_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("skill_id", flat=True)[:MATRIX_MAX_SKILLS]
        )
    skill_qs = Skill.objects.filter(pk__in=required_ids, status=Skill.Status.ACTIVE)
    if category is not None:
        skill_qs = skill_qs.filter(category=category)
    columns = list(skill_qs.select_related("category").order_by("category__name", "name"))
    columns = columns[:MATRIX_MAX_SKILLS]
    private = private_ids(viewer, ids)
    cells: dict[tuple[int, int], MatrixCell] = {}
    for row in levels_qs.filter(skill_id__in=[s.pk for s in columns]):
        mine = row.person_id in private
        cells[(row.person_id, row.skill_id)] = MatrixCell(
            level=row.level if mine else row.validated_level,
            self_level=row.self_level if mine else None,
            target_level=targets.get((row.person_id, row.skill_id)),
            validated=row.validated_level is not None,
        )
    for (person_id, skill_id), target in targets.items():
        cells.setdefault((person_id, skill_id), MatrixCell(None, None, target, False))
    if sort:
        by_skill = next((s for s in columns if s.slug == sort), None)
        if by_skill is not None:
            people.sort(
                key=lambda p: (
                    -(
                        (
                            cells.get((p.pk, by_skill.pk)) or MatrixCell(None, None, None, False)
                        ).level
                        or 0
                    )
                )
            )
    return TeamMatrix(people=people, skills=columns, cells=cells, private=private)


@dataclass
class HeatmapRow:
    team: Team
    people: int
    cells: list[SkillGap | None]
    has_children: bool


@dataclass
class OrgHeatmap:
    parent: Team | None
    skills: list[Skill]
    rows: list[HeatmapRow]
    totals: GapAnalysis


HEATMAP_MAX_SKILLS = 40


def org_heatmap(
    viewer: Any, *, team: Team | None = None, category: SkillCategory | None = None
) -> OrgHeatmap:
    """Teams x skills: coverage of each team's need (sub-teams rolled up), with drill-down.

    Rows are the sub-teams of ``team`` (the top-level teams, or the sub-teams of the only one,
    when none). A constant number of queries.
    """
    authz.require(viewer, "skills.view_org_gaps")
    if team is None:
        roots = list(Team.objects.filter(parent=None))
        if len(roots) == 1:
            team = roots[0]
    row_teams = list(
        Team.objects.filter(parent=team).order_by("name")
        if team is not None
        else Team.objects.filter(parent=None).order_by("name")
    )
    parent_ids = set(Team.objects.filter(parent__in=row_teams).values_list("parent_id", flat=True))
    people = team_people(team) if team is not None else active_people()
    # The only top-level team holds nearly everyone: count everyone, which is faster.
    everyone = team is None or team.parent_id is None
    totals = _analyse(
        team.name if team else "Organisation",
        people,
        team=None if everyone else team,
        category=category,
    )
    columns = [gap.skill for gap in totals.gaps][:HEATMAP_MAX_SKILLS]
    column_ids = {skill.pk for skill in columns}
    rolled_need = {
        (group, skill_id): need
        for (group, skill_id), need in requirements.for_people(people, subtrees=row_teams).items()
        if group is not None and skill_id in column_ids
    }
    supply = _histogram_by_subtree(column_ids, row_teams)
    headcount: dict[int, int] = defaultdict(int)
    if row_teams:
        for group, count in (
            people.values(group=requirements.subtree_of("team", row_teams))
            .annotate(n=Count("id"))
            .order_by()
            .values_list("group", "n")
        ):
            if group is not None:
                headcount[group] += count
    rows = []
    for row_team in row_teams:
        cells: list[SkillGap | None] = []
        for skill in columns:
            cell_need = rolled_need.get((row_team.pk, skill.pk))
            cells.append(
                None
                if cell_need is None
                else _gap(skill, cell_need, supply.get((row_team.pk, skill.pk), {}))
            )
        rows.append(
            HeatmapRow(
                team=row_team,
                people=headcount[row_team.pk],
                cells=cells,
                has_children=row_team.pk in parent_ids,
            )
        )
    return OrgHeatmap(parent=team, skills=columns, rows=rows, totals=totals)
