"""Every read of the goals app, starting from what the viewer may see.

OKR pages (the tree, an objective, org-wide readiness) run a constant number of queries whatever
the number of objectives, key results, skills and people: progress rolls up in memory from three
flat queries, readiness comes from grouped counts (``readiness.readiness_of``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ecotone import authz
from ecotone.goals.models import (
    Alignment,
    CheckIn,
    Cycle,
    GoalComment,
    KeyResult,
    LearningGoal,
    Objective,
    SkillDemand,
)
from ecotone.goals.readiness import PRIORITY_WEIGHT, Readiness, readiness_of
from ecotone.goals.services import CHECK_IN_DAYS, STALLED_DAYS, last_movement
from ecotone.kernel.errors import NotFound
from ecotone.people.models import Person, Team
from ecotone.people.roles import person_of
from ecotone.skills import selectors as skill_selectors
from ecotone.skills.models import Interest, Skill, SkillLevel
from ecotone.skills.requirements import RoleProfiles

# --- Cycles --------------------------------------------------------------------------------------


def cycles(viewer: Any) -> QuerySet[Cycle]:
    return authz.scope(viewer, "goals.view_okrs", Cycle.objects.all())


def current_cycle(viewer: Any) -> Cycle | None:
    """The cycle running today (the shortest if several), else the latest one."""
    today = timezone.localdate()
    visible = cycles(viewer)
    running = [c for c in visible.filter(starts_on__lte=today, ends_on__gte=today) if c is not None]
    if running:
        return min(running, key=lambda c: (c.ends_on - c.starts_on, c.pk))
    return visible.first()


def cycle_for(viewer: Any, pk: int) -> Cycle:
    cycle = cycles(viewer).filter(pk=pk).first()
    if cycle is None:
        raise NotFound()
    return cycle


# --- Objectives and the OKR tree -----------------------------------------------------------------


def objectives(viewer: Any) -> QuerySet[Objective]:
    return authz.scope(viewer, "goals.view_okrs", Objective.objects.all())


def objective_for(viewer: Any, pk: int) -> Objective:
    objective = objectives(viewer).select_related("cycle", "owner", "team").filter(pk=pk).first()
    if objective is None:
        raise NotFound()
    return objective


def key_result_for(viewer: Any, pk: int) -> KeyResult:
    key_result = (
        authz.scope(viewer, "goals.view_okrs", KeyResult.objects.all())
        .select_related("objective__cycle", "objective__owner", "objective__team", "owner")
        .filter(pk=pk)
        .first()
    )
    if key_result is None:
        raise NotFound()
    return key_result


def demand_for(viewer: Any, pk: int) -> SkillDemand:
    demand = (
        authz.scope(viewer, "goals.view_okrs", SkillDemand.objects.all())
        .select_related("objective__owner", "skill", "team")
        .filter(pk=pk)
        .first()
    )
    if demand is None:
        raise NotFound()
    return demand


@dataclass
class OkrNode:
    objective: Objective
    key_results: list[KeyResult] = field(default_factory=list)
    children: list[OkrNode] = field(default_factory=list)
    parent_ids: list[int] = field(default_factory=list)
    owner_name: str = ""
    progress: float = 0.0
    readiness: Readiness | None = None

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

    @property
    def branches(self) -> list[OkrNode]:
        """Aligned objectives shown as nodes of their own: teams, and people with followers."""
        return [c for c in self.children if c.objective.level != "personal" or c.children]

    @property
    def leaves(self) -> list[OkrNode]:
        """Aligned personal objectives nobody aligns to: one line each."""
        return [c for c in self.children if c.objective.level == "personal" and not c.children]


@dataclass
class OkrTree:
    cycle: Cycle
    roots: list[OkrNode]
    nodes: dict[int, OkrNode]

    def __len__(self) -> int:
        return len(self.nodes)


def _roll_up(nodes: dict[int, OkrNode]) -> None:
    """Objective progress: the mean of its key results and of the objectives aligned to it
    (cancelled ones left out). The alignment graph has no cycle; a guard stops one anyway."""
    done: dict[int, float] = {}
    visiting: set[int] = set()

    def progress_of(node: OkrNode) -> float:
        pk = node.objective.pk
        if pk in done:
            return done[pk]
        if pk in visiting:
            return 0.0
        visiting.add(pk)
        parts = [kr.progress for kr in node.key_results]
        parts += [
            progress_of(child)
            for child in node.children
            if child.objective.status != Objective.Status.CANCELLED
        ]
        visiting.discard(pk)
        done[pk] = sum(parts) / len(parts) if parts else 0.0
        if node.objective.status == Objective.Status.DONE:
            done[pk] = max(done[pk], 1.0) if not parts else done[pk]
        return done[pk]

    for node in nodes.values():
        node.progress = progress_of(node)


OBJECTIVE_COLUMNS = (
    "cycle_id",
    "level",
    "title",
    "owner_id",
    "team_id",
    "status",
    "priority",
)
KEY_RESULT_COLUMNS = (
    "objective_id",
    "title",
    "owner_id",
    "metric",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "milestones",
    "confidence",
    "due_on",
    "last_check_in_at",
)


def _build(cycle: Cycle, queryset: QuerySet[Objective]) -> dict[int, OkrNode]:
    teams = Team.objects.only("name", "slug", "path").in_bulk()
    nodes: dict[int, OkrNode] = {}
    for objective in queryset.filter(cycle=cycle).only(*OBJECTIVE_COLUMNS):
        if objective.team_id is not None:
            objective.team = teams.get(objective.team_id)
        nodes[objective.pk] = OkrNode(objective)
    names = dict(
        Person.objects.filter(objectives__cycle=cycle).distinct().values_list("pk", "display_name")
    )
    for node in nodes.values():
        node.owner_name = names.get(node.objective.owner_id, "")
    for key_result in KeyResult.objects.filter(objective__cycle=cycle).only(*KEY_RESULT_COLUMNS):
        if key_result.objective_id in nodes:
            nodes[key_result.objective_id].key_results.append(key_result)
    for child_id, parent_id in Alignment.objects.filter(child__cycle=cycle).values_list(
        "child_id", "parent_id"
    ):
        if child_id in nodes and parent_id in nodes:
            nodes[parent_id].children.append(nodes[child_id])
            nodes[child_id].parent_ids.append(parent_id)
    _roll_up(nodes)
    return nodes


LEVEL_ORDER: dict[str, int] = {"company": 0, "team": 1, "personal": 2}


def _sort_key(node: OkrNode) -> tuple[Any, ...]:
    objective = node.objective
    return (
        LEVEL_ORDER.get(objective.level, 3),
        objective.team.name if objective.team else "",
        objective.priority,
        objective.title.lower(),
    )


def okr_tree(
    viewer: Any, cycle: Cycle, *, level: str = "", team: Team | None = None, query: str = ""
) -> OkrTree:
    """The objectives of a cycle as a tree (company → teams → people), with rolled-up progress
    and readiness on each. Eight queries at any size. Filters keep the matching objectives and
    show them as roots."""
    authz.require(viewer, "goals.view_okrs", cycle)
    nodes = _build(cycle, objectives(viewer))
    demands = SkillDemand.objects.filter(objective__cycle=cycle).select_related("skill", "team")
    readiness = readiness_of(demands)
    for pk, item in readiness.items():
        if pk in nodes:
            nodes[pk].readiness = item
    for node in nodes.values():
        node.children.sort(key=_sort_key)
    filtered = bool(level or team or query)
    if filtered:
        roots = [
            node
            for node in nodes.values()
            if (not level or node.objective.level == level)
            and (
                team is None
                or (node.objective.team and node.objective.team.path.startswith(team.path))
            )
            and (not query or query.lower() in node.objective.title.lower())
        ]
    else:
        roots = [node for node in nodes.values() if not node.parent_ids]
    roots.sort(key=_sort_key)
    return OkrTree(cycle=cycle, roots=roots, nodes=nodes)


@dataclass
class ObjectivePage:
    node: OkrNode
    parents: list[OkrNode]
    readiness: Readiness
    check_ins: list[CheckIn]
    goals: list[LearningGoal]


def objective_page(viewer: Any, objective: Objective) -> ObjectivePage:
    """One objective: key results, progress, parents and children, readiness naming who
    qualifies, who is close and who is learning, recent check-ins, and the learning goals the
    viewer may see that serve it. A constant number of queries."""
    nodes = _build(objective.cycle, objectives(viewer))
    node = nodes[objective.pk]
    demands = SkillDemand.objects.filter(objective=objective).select_related(
        "skill", "team", "key_result"
    )
    readiness = readiness_of(demands, with_people=True).get(objective.pk, Readiness(objective.pk))
    check_ins = list(
        CheckIn.objects.filter(key_result__objective=objective).select_related(
            "key_result", "author__person"
        )[:20]
    )
    goals = list(
        visible_goals(viewer)
        .filter(Q(objectives=objective) | Q(key_results__objective=objective))
        .exclude(status=LearningGoal.Status.ABANDONED)
        .select_related("person", "skill")
        .distinct()[:50]
    )
    return ObjectivePage(
        node=node,
        parents=[nodes[pk] for pk in node.parent_ids],
        readiness=readiness,
        check_ins=check_ins,
        goals=goals,
    )


@dataclass
class ReadinessRow:
    objective: Objective
    progress: float
    readiness: Readiness

    @property
    def risk(self) -> float:
        """Shortfall share weighted by priority: what sorting "by risk" means."""
        weight = PRIORITY_WEIGHT.get(self.objective.priority, 1.0)
        return (1.0 - self.readiness.score) * weight


SORTS = {
    "risk": lambda row: (-row.risk, -row.readiness.shortfall, row.objective.title.lower()),
    "readiness": lambda row: (row.readiness.score, row.objective.priority),
    "shortfall": lambda row: (-row.readiness.shortfall, row.readiness.score),
    "priority": lambda row: (row.objective.priority, row.readiness.score),
    "title": lambda row: row.objective.title.lower(),
}


def org_readiness(viewer: Any, cycle: Cycle, *, sort: str = "risk") -> list[ReadinessRow]:
    """Every objective of the cycle that demands skills, with its readiness (L&D, executives).
    Eight queries at any size."""
    authz.require(viewer, "goals.view_readiness")
    nodes = _build(cycle, objectives(viewer))
    demands = SkillDemand.objects.filter(objective__cycle=cycle).select_related("skill", "team")
    rows = [
        ReadinessRow(nodes[pk].objective, nodes[pk].progress, item)
        for pk, item in readiness_of(demands).items()
        if pk in nodes and nodes[pk].objective.status != Objective.Status.CANCELLED
    ]
    rows.sort(key=SORTS.get(sort, SORTS["risk"]))
    return rows


# --- Learning goals ------------------------------------------------------------------------------


def visible_goals(viewer: Any) -> QuerySet[LearningGoal]:
    return authz.scope(viewer, "goals.view_goal", LearningGoal.objects.all())


def goal_for(viewer: Any, pk: int) -> LearningGoal:
    goal = (
        visible_goals(viewer)
        .select_related("person__team", "person__manager", "skill", "proposed_by", "cosigned_by")
        .filter(pk=pk)
        .first()
    )
    if goal is None:
        raise NotFound()
    return goal


@dataclass
class GoalRow:
    goal: LearningGoal
    stalled: bool
    overdue: bool
    level: int | None = None

    @property
    def percent(self) -> int:
        return round(self.goal.progress * 100)


def goal_rows(goals: Iterable[LearningGoal], now: dt.datetime | None = None) -> list[GoalRow]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    stalled_before = now - dt.timedelta(days=STALLED_DAYS)
    rows = []
    for goal in goals:
        active = goal.status == LearningGoal.Status.ACTIVE
        rows.append(
            GoalRow(
                goal=goal,
                stalled=active and last_movement(goal) < stalled_before,
                overdue=active and goal.due_on is not None and goal.due_on < today,
            )
        )
    return rows


STATUS_ORDER = {"proposed": 0, "active": 1, "draft": 2, "achieved": 3, "abandoned": 4}


def goals_of(viewer: Any, person: Person, *, include_closed: bool = True) -> list[GoalRow]:
    """The goals of one person the viewer may see, open first. Two queries."""
    queryset = (
        visible_goals(viewer)
        .filter(person=person)
        .select_related("skill", "proposed_by", "cosigned_by")
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.only("pk", "title")))
    )
    if not include_closed:
        queryset = queryset.filter(
            status__in=[
                LearningGoal.Status.ACTIVE,
                LearningGoal.Status.PROPOSED,
                LearningGoal.Status.DRAFT,
            ]
        )
    goals = sorted(
        queryset,
        key=lambda g: (STATUS_ORDER.get(g.status, 9), g.due_on or dt.date.max, g.pk),
    )
    return goal_rows(goals)


def my_goals(viewer: Any) -> list[GoalRow]:
    person = skill_selectors.viewer_person(viewer)
    return goals_of(viewer, person)


@dataclass
class TeamGoals:
    people: list[Person]
    rows: list[GoalRow]

    @property
    def stalled(self) -> int:
        return sum(1 for row in self.rows if row.stalled)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    def of(self, person: Person) -> list[GoalRow]:
        return [row for row in self.rows if row.goal.person_id == person.pk]


def team_goals(viewer: Any, *, only: str = "") -> TeamGoals:
    """The open goals of everyone the viewer manages (directly or not), stalled and overdue
    flagged; ``only`` = "stalled" or "overdue" keeps those. Two queries."""
    me = skill_selectors.viewer_person(viewer)
    people = list(
        Person.objects.filter(
            manager_path__startswith=me.subtree_prefix, status=Person.Status.ACTIVE
        )
        .select_related("team")
        .order_by("display_name")
    )
    goals = (
        authz.scope(viewer, "goals.coach_goal", LearningGoal.objects.all())
        .filter(
            person__status=Person.Status.ACTIVE,
            status__in=[LearningGoal.Status.ACTIVE, LearningGoal.Status.PROPOSED],
        )
        .select_related("person", "skill")
        .order_by("person__display_name", "due_on", "pk")
    )
    rows = goal_rows(goals)
    if only == "stalled":
        rows = [row for row in rows if row.stalled]
    elif only == "overdue":
        rows = [row for row in rows if row.overdue]
    return TeamGoals(people=people, rows=rows)


def goal_activity(viewer: Any, goal: LearningGoal) -> tuple[list[CheckIn], list[GoalComment]]:
    """A goal's check-ins and comments (the viewer already sees the goal). Two queries."""
    authz.require(viewer, "goals.view_goal", goal)
    check_ins = list(goal.check_ins.select_related("author__person"))
    comments = list(goal.comments.select_related("author"))
    return check_ins, comments


def current_level(person: Person, skill: Skill | None) -> int | None:
    if skill is None:
        return None
    return (
        SkillLevel.objects.filter(person=person, skill=skill)
        .values_list("validated_level", flat=True)
        .first()
    )


@dataclass
class DueCheckIn:
    title: str
    url: str
    last: dt.datetime | None
    kind: str


def check_ins_due(viewer: Any, *, limit: int = 10) -> list[DueCheckIn]:
    """The viewer's active goals and key results not checked in for a while. Two queries."""
    me = person_of(viewer)
    if me is None:
        return []
    now = timezone.now()
    due_before = now - dt.timedelta(days=CHECK_IN_DAYS)
    today = timezone.localdate(now)
    result = []
    for goal in LearningGoal.objects.filter(
        person=me, status=LearningGoal.Status.ACTIVE, created_at__lt=due_before
    ).exclude(last_check_in_at__gte=due_before)[:limit]:
        result.append(DueCheckIn(goal.title, f"/goals/{goal.pk}/", goal.last_check_in_at, "goal"))
    for key_result in (
        KeyResult.objects.filter(
            Q(owner=me) | Q(owner__isnull=True, objective__owner=me),
            objective__status=Objective.Status.ACTIVE,
            objective__cycle__starts_on__lte=today,
            objective__cycle__ends_on__gte=today,
        )
        .exclude(last_check_in_at__gte=due_before)
        .order_by("last_check_in_at", "pk")[:limit]
    ):
        result.append(
            DueCheckIn(
                key_result.title,
                f"/goals/objectives/{key_result.objective_id}/",
                key_result.last_check_in_at,
                "key result",
            )
        )
    return result[:limit]


# --- Suggestions ---------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """A skill worth a goal, with a level to aim for and why."""

    skill: Skill
    target_level: int
    score: float
    reasons: list[str] = field(default_factory=list)
    objective: Objective | None = None
    current: int | None = None


def contributing_objectives(person: Person) -> QuerySet[Objective]:
    """The running objectives a person contributes to: their own, their teams' (up the tree),
    the company's, and those their goals are linked to."""
    today = timezone.localdate()
    team_ids: list[int] = []
    if person.team_id is not None:
        team = Team.objects.filter(pk=person.team_id).only("path").first()
        if team is not None:
            team_ids = [*team.ancestor_ids, team.pk]
    return Objective.objects.filter(
        Q(owner=person)
        | Q(level=Objective.Level.COMPANY)
        | Q(level=Objective.Level.TEAM, team_id__in=team_ids)
        | Q(learning_goals__person=person),
        status=Objective.Status.ACTIVE,
        cycle__starts_on__lte=today,
        cycle__ends_on__gte=today,
    ).distinct()


INTEREST_SCORE = 2.0
ROLE_SCORE = 1.5
OBJECTIVE_SCORE = 2.5


def suggestions(viewer: Any, person: Person, *, limit: int = 8) -> list[Suggestion]:
    """Skills worth a goal for ``person``, balancing what they want to learn, the gaps against
    their role profile, and the readiness gaps of the objectives they contribute to; each says
    why. Skills with an open goal are left out. A constant number of queries."""
    authz.require(viewer, "goals.create_goal", person)
    found: dict[int, Suggestion] = {}
    levels = dict(
        SkillLevel.objects.filter(person=person).values_list("skill_id", "validated_level")
    )

    def add(skill: Skill, target: int, score: float, reason: str) -> Suggestion:
        current = levels.get(skill.pk)
        item = found.get(skill.pk)
        if item is None:
            item = found[skill.pk] = Suggestion(skill, target, 0.0, current=current)
        item.target_level = max(item.target_level, target)
        item.score += score
        item.reasons.append(reason)
        return item

    interests = Interest.objects.filter(
        person=person, kind=Interest.Kind.LEARN, skill__status=Skill.Status.ACTIVE
    ).select_related("skill")
    for interest in interests:
        current = levels.get(interest.skill_id) or 0
        if current < 5:
            add(interest.skill, current + 1, INTEREST_SCORE, "You want to learn it.")
    role_needs = RoleProfiles().for_person(person)
    role_skills = Skill.objects.filter(
        pk__in=[need.skill_id for need in role_needs], status=Skill.Status.ACTIVE
    ).in_bulk()
    for need in role_needs:
        validated = levels.get(need.skill_id) or 0
        skill = role_skills.get(need.skill_id)
        if skill is not None and validated < need.target_level:
            add(
                skill,
                need.target_level,
                ROLE_SCORE * (1.0 if need.required else 0.5) * (need.target_level - validated),
                f"Your role profile asks for level {need.target_level}; "
                f"you are validated at {validated or 'no level'}.",
            )
    demands = list(
        SkillDemand.objects.filter(objective__in=contributing_objectives(person))
        .select_related("skill", "team", "objective")
        .filter(skill__status=Skill.Status.ACTIVE)
    )
    path = person.team.path if person.team_id and person.team else None
    demands = [
        d
        for d in demands
        if (d.team is None or (path is not None and path.startswith(d.team.path)))
        and (levels.get(d.skill_id) or 0) < d.min_level
    ]
    readiness = readiness_of(demands)
    for demand in demands:
        item_readiness = readiness[demand.objective_id]
        match = next((r for r in item_readiness.demands if r.demand.pk == demand.pk), None)
        if match is None or match.shortfall == 0:
            continue
        weight = PRIORITY_WEIGHT.get(demand.objective.priority, 1.0)
        suggestion = add(
            demand.skill,
            demand.min_level,
            OBJECTIVE_SCORE * weight,
            f"“{demand.objective.title}” needs {demand.needed} people at level "
            f"{demand.min_level}; {match.qualified} qualify today.",
        )
        if suggestion.objective is None or weight > PRIORITY_WEIGHT.get(
            suggestion.objective.priority, 1.0
        ):
            suggestion.objective = demand.objective
    taken = set(
        LearningGoal.objects.filter(
            person=person,
            kind=LearningGoal.Kind.SKILL,
            status__in=[
                LearningGoal.Status.ACTIVE,
                LearningGoal.Status.PROPOSED,
                LearningGoal.Status.DRAFT,
            ],
        ).values_list("skill_id", flat=True)
    )
    result = [item for pk, item in found.items() if pk not in taken]
    for item in result:
        item.target_level = min(5, max(item.target_level, (item.current or 0) + 1))
    result.sort(key=lambda item: (-item.score, item.skill.name.lower()))
    return result[:limit]


def goal_links(viewer: Any, person: Person) -> tuple[list[Objective], list[KeyResult]]:
    """The objectives and key results a goal of ``person`` can contribute to."""
    objectives_ = list(contributing_objectives(person).select_related("cycle").order_by("title"))
    key_results = list(
        KeyResult.objects.filter(objective__in=[o.pk for o in objectives_])
        .select_related("objective")
        .order_by("objective__title", "pk")
    )
    return objectives_, key_results


def people_map(ids: Iterable[int]) -> dict[int, Person]:
    return Person.objects.in_bulk(list(ids))


def demands_by_objective(objective_ids: Iterable[int]) -> dict[int, list[SkillDemand]]:
    result: dict[int, list[SkillDemand]] = defaultdict(list)
    for demand in SkillDemand.objects.filter(objective_id__in=list(objective_ids)).select_related(
        "skill", "team"
    ):
        result[demand.objective_id].append(demand)
    return result
