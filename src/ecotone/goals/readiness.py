"""Capability readiness: for each skill an objective demands, who qualifies today against the
number needed, who is one level away, and who is learning it.

"Qualified" means a *validated* level at or above the demanded minimum (self-ratings do not
count), held by an active person within the supplying team and its sub-teams (anyone when the
demand names no team). "One level away": validated exactly one level below. "Learning": an
active skill goal for the skill at or above the minimum.

Objective demand is also a requirement source of the skills gap analysis (``ObjectiveDemand``),
weighted by the objective's priority.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ecotone.goals.models import LearningGoal, Objective, Priority, SkillDemand
from ecotone.people.models import Person, Team
from ecotone.skills.models import Skill, SkillLevel
from ecotone.skills.requirements import Requirement, register_source

PRIORITY_WEIGHT: dict[int, float] = {
    Priority.CRITICAL: 2.0,
    Priority.HIGH: 1.5,
    Priority.MEDIUM: 1.0,
    Priority.LOW: 0.5,
}


@dataclass
class DemandReadiness:
    """Supply against one demand."""

    demand: SkillDemand
    qualified: int = 0
    one_away: int = 0
    learning: int = 0
    qualified_people: list[Person] = field(default_factory=list)
    close_people: list[Person] = field(default_factory=list)
    learning_people: list[Person] = field(default_factory=list)

    @property
    def skill(self) -> Skill:
        return self.demand.skill

    @property
    def needed(self) -> int:
        return self.demand.needed

    @property
    def shortfall(self) -> int:
        return max(0, self.demand.needed - self.qualified)

    @property
    def coverage(self) -> float:
        return min(1.0, self.qualified / self.demand.needed) if self.demand.needed else 1.0

    @property
    def percent(self) -> int:
        return round(self.coverage * 100)


@dataclass
class Readiness:
    """The readiness of one objective: the mean coverage of its demands."""

    objective_id: int
    demands: list[DemandReadiness] = field(default_factory=list)

    @property
    def has_demand(self) -> bool:
        return bool(self.demands)

    @property
    def score(self) -> float:
        if not self.demands:
            return 1.0
        return sum(item.coverage for item in self.demands) / len(self.demands)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def shortfall(self) -> int:
        return sum(item.shortfall for item in self.demands)

    @property
    def band(self) -> str:
        """ok (80 % and more), warning (50 to 80 %), danger (below half)."""
        if self.score >= 0.8:
            return "ok"
        return "warning" if self.score >= 0.5 else "danger"


def _in_scope(path: str | None, team: Team | None) -> bool:
    return team is None or (path is not None and path.startswith(team.path))


def readiness_of(
    demands: Iterable[SkillDemand], *, with_people: bool = False, people_limit: int = 8
) -> dict[int, Readiness]:
    """Readiness per objective of ``demands`` (with ``skill`` and ``team`` loaded).

    Two grouped queries whatever the number of objectives, skills and people (counts per skill,
    validated level and team path; learning goals per skill and team path); ``with_people``
    adds two more that name people (for one objective's page).
    """
    demands = list(demands)
    result: dict[int, Readiness] = {}
    for demand in demands:
        result.setdefault(demand.objective_id, Readiness(demand.objective_id))
    if not demands:
        return result
    lowest: dict[int, int] = {}
    for demand in demands:
        lowest[demand.skill_id] = min(lowest.get(demand.skill_id, 99), demand.min_level - 1)
    floor = min(lowest.values())
    skill_ids = list(lowest)
    # skill -> team path -> level -> people; skill -> team path -> target level -> learners
    supply: dict[int, dict[str | None, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for skill_id, level, path, count in (
        SkillLevel.objects.filter(
            skill_id__in=skill_ids,
            validated_level__gte=max(1, floor),
            person__status=Person.Status.ACTIVE,
        )
        .values("skill_id", "validated_level", "person__team__path")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("skill_id", "validated_level", "person__team__path", "count")
    ):
        if level is not None:
            supply[skill_id][path][level] = count
    learners: dict[int, dict[str | None, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for skill_id, target, path, count in (
        LearningGoal.objects.filter(
            skill_id__in=skill_ids,
            kind=LearningGoal.Kind.SKILL,
            status=LearningGoal.Status.ACTIVE,
            person__status=Person.Status.ACTIVE,
        )
        .values("skill_id", "target_level", "person__team__path")
        .annotate(count=Count("person_id", distinct=True))
        .order_by()
        .values_list("skill_id", "target_level", "person__team__path", "count")
    ):
        if target is not None:
            learners[skill_id][path][target] = count
    done: dict[tuple[int, str | None, int], tuple[int, int, int]] = {}
    for demand in demands:
        scope = demand.team.path if demand.team_id is not None and demand.team else None
        key = (demand.skill_id, scope, demand.min_level)
        if key not in done:
            done[key] = _count(
                supply.get(demand.skill_id, {}),
                learners.get(demand.skill_id, {}),
                scope,
                demand.min_level,
            )
        item = DemandReadiness(demand)
        item.qualified, item.one_away, item.learning = done[key]
        result[demand.objective_id].demands.append(item)
    if with_people:
        _name_people(result, skill_ids, floor, people_limit)
    for readiness in result.values():
        readiness.demands.sort(key=lambda d: (-d.shortfall, d.coverage, d.skill.name.lower()))
    return result


def _count(
    supply: dict[str | None, dict[int, int]],
    learners: dict[str | None, dict[int, int]],
    scope: str | None,
    minimum: int,
) -> tuple[int, int, int]:
    """Qualified, one level away and learning, within the team path ``scope`` (None: anyone)."""
    qualified = close = learning = 0
    for path, levels in supply.items():
        if scope is None or (path is not None and path.startswith(scope)):
            for level, count in levels.items():
                if level >= minimum:
                    qualified += count
                elif level == minimum - 1:
                    close += count
    for path, targets in learners.items():
        if scope is None or (path is not None and path.startswith(scope)):
            learning += sum(count for target, count in targets.items() if target >= minimum)
    return qualified, close, learning


def _name_people(
    result: dict[int, Readiness], skill_ids: list[int], floor: int, limit: int
) -> None:
    rows = (
        SkillLevel.objects.filter(
            skill_id__in=skill_ids,
            validated_level__gte=max(1, floor),
            person__status=Person.Status.ACTIVE,
        )
        .select_related("person__team")
        .order_by("-validated_level", "-validated_at", "person__display_name")
    )
    goals = (
        LearningGoal.objects.filter(
            skill_id__in=skill_ids,
            kind=LearningGoal.Kind.SKILL,
            status=LearningGoal.Status.ACTIVE,
            person__status=Person.Status.ACTIVE,
        )
        .select_related("person__team")
        .order_by("-progress", "person__display_name")
    )
    items = [item for readiness in result.values() for item in readiness.demands]
    for row in rows.iterator(chunk_size=2000):
        path: str | None = row.person.team.path if row.person.team else None
        for item in items:
            if item.demand.skill_id != row.skill_id or not _in_scope(path, item.demand.team):
                continue
            level = row.validated_level or 0
            if level >= item.demand.min_level and len(item.qualified_people) < limit:
                item.qualified_people.append(row.person)
            elif level == item.demand.min_level - 1 and len(item.close_people) < limit:
                item.close_people.append(row.person)
    for goal in goals:
        path = goal.person.team.path if goal.person.team else None
        for item in items:
            if (
                item.demand.skill_id == goal.skill_id
                and (goal.target_level or 0) >= item.demand.min_level
                and _in_scope(path, item.demand.team)
                and len(item.learning_people) < limit
                and goal.person not in item.learning_people
            ):
                item.learning_people.append(goal.person)


def current_demands() -> QuerySet[SkillDemand]:
    """The demand of active objectives of the cycles running today."""
    today = timezone.localdate()
    return SkillDemand.objects.filter(
        objective__status=Objective.Status.ACTIVE,
        objective__cycle__starts_on__lte=today,
        objective__cycle__ends_on__gte=today,
    )


class ObjectiveDemand:
    """Skills gap analysis source: what the running objectives need, weighted by priority.

    A person needs a demanded skill when the demand's supplying team contains them. A group
    needs what the demands supplied by its teams (or by anyone) ask for. Critical and high
    priority demands are required; the others are nice to have.
    """

    name = "objective_demand"

    def _requirement(self, row: Any, *, needed: int | None = None) -> Requirement:
        priority = row["objective__priority"]
        return Requirement(
            skill_id=row["skill_id"],
            target_level=row["min_level"],
            needed=row["needed"] if needed is None else needed,
            required=priority <= Priority.HIGH,
            source=self.name,
            team_id=row.get("team_id"),
            weight=PRIORITY_WEIGHT.get(priority, 1.0),
        )

    def for_person(self, person: Person) -> list[Requirement]:
        """The demands supplied by the person's team or a team above it (one query)."""
        if person.team_id is None:
            return []
        above = Team.objects.filter(pk=person.team_id, path__startswith=OuterRef("team__path"))
        rows = (
            current_demands()
            .filter(Exists(above))
            .values("skill_id", "min_level", "needed", "objective__priority")
        )
        return [self._requirement(row, needed=1) for row in rows]

    def for_people(
        self, people: QuerySet[Person], *, subtrees: Sequence[Team] | None = None
    ) -> list[Requirement]:
        """The demands supplied by anyone, or by a team some of ``people`` belong to (or a team
        above theirs). Two flat queries: the teams of the people, then the demands.

        With ``subtrees``, each demand counts towards the subtree holding its supplying team;
        demands supplied by anyone or by a team above every subtree are left out.
        """
        paths = people.exclude(team__isnull=True).values_list("team__path", flat=True).distinct()
        ids = {
            int(part) for path in paths.order_by() for part in path.strip("/").split("/") if part
        }
        rows = (
            current_demands()
            .filter(Q(team__isnull=True) | Q(team_id__in=ids))
            .values("skill_id", "min_level", "needed", "objective__priority", "team__path")
            .order_by()
        )
        if subtrees is None:
            return [self._requirement({**row, "team_id": None}) for row in rows]
        deepest_first = sorted(subtrees, key=lambda subtree: -len(subtree.path))
        requirements = []
        for row in rows:
            team_path = row["team__path"] or ""
            holder = next((t for t in deepest_first if team_path.startswith(t.path)), None)
            if team_path and holder is not None:
                requirements.append(self._requirement({**row, "team_id": holder.pk}))
        return requirements


register_source(ObjectiveDemand())
