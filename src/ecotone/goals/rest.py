"""JSON adapters for goals, over the same services and selectors as the HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from ecotone import authz
from ecotone.goals import selectors, services
from ecotone.goals.models import Cycle, KeyResult, LearningGoal, Objective
from ecotone.goals.readiness import Readiness
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.kernel.problems import ERRORS
from ecotone.people import selectors as people_selectors
from ecotone.people.models import Person, Team
from ecotone.skills import selectors as skill_selectors
from ecotone.skills.models import Skill

router = Router(tags=["goals"])


# --- Schemas -------------------------------------------------------------------------------------


class CycleIn(Schema):
    name: str
    kind: Literal["quarter", "half", "custom"] = "quarter"
    starts_on: dt.date
    ends_on: dt.date


class CycleOut(Schema):
    id: int
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date


class KeyResultIn(Schema):
    title: str
    metric: Literal["number", "percentage", "currency", "boolean", "milestones"] = "number"
    start_value: float = 0
    target_value: float = 1
    direction: Literal["increase", "decrease"] = "increase"
    unit: str = ""
    milestones: list[str] = []
    due_on: dt.date | None = None
    owner_id: int | None = None


class KeyResultOut(Schema):
    id: int
    objective_id: int
    title: str
    owner_id: int | None
    metric: str
    unit: str
    direction: str
    start_value: float
    target_value: float
    current_value: float
    milestones: list[dict[str, Any]]
    due_on: dt.date | None
    confidence: str
    last_check_in_at: dt.datetime | None
    progress: float


class CheckInIn(Schema):
    value: float | None = Field(None, description="The new value (not for skill goals).")
    confidence: Literal["on_track", "at_risk", "off_track"] = "on_track"
    comment: str = ""
    done_milestones: list[int] | None = Field(
        None, description="Indexes of the milestones done (milestone key results)."
    )


class CheckInOut(Schema):
    id: int
    key_result_id: int | None
    goal_id: int | None
    author_id: int | None
    value: float | None
    confidence: str
    comment: str
    created_at: dt.datetime


class DemandIn(Schema):
    skill: str = Field(description="Skill slug.")
    min_level: int
    needed: int = 1
    team_id: int | None = Field(None, description="The supplying team; anyone when empty.")
    key_result_id: int | None = None


class DemandOut(Schema):
    id: int
    skill: str
    skill_id: int
    min_level: int
    needed: int
    team_id: int | None
    key_result_id: int | None
    qualified: int
    one_away: int
    learning: int
    shortfall: int
    qualified_people: list[int] = Field(description="Some of the people qualified (ids).")
    close_people: list[int] = Field(description="Some of the people one level away (ids).")
    learning_people: list[int] = Field(description="Some of the people learning it (ids).")


class ReadinessOut(Schema):
    objective_id: int
    score: float = Field(description="Mean coverage of the demands, 0 to 1.")
    shortfall: int
    demands: list[DemandOut]


class ObjectiveIn(Schema):
    cycle_id: int
    level: Literal["company", "team", "personal"]
    title: str
    description: str = ""
    owner_id: int | None = Field(None, description="Defaults to the caller.")
    team_id: int | None = None
    priority: int = Field(3, description="1 critical, 2 high, 3 medium, 4 low.")
    parent_ids: list[int] = []


class ObjectivePatch(Schema):
    title: str | None = None
    description: str | None = None
    status: Literal["draft", "active", "done", "cancelled"] | None = None
    priority: int | None = None
    owner_id: int | None = None


class ObjectiveOut(Schema):
    id: int
    cycle_id: int
    level: str
    title: str
    description: str
    owner_id: int
    team_id: int | None
    status: str
    priority: int
    parent_ids: list[int]
    progress: float
    readiness: float | None = Field(description="None when no skill demand is declared.")
    shortfall: int


class ObjectiveDetailOut(ObjectiveOut):
    key_results: list[KeyResultOut]
    children_ids: list[int]
    demands: list[DemandOut]


class AlignIn(Schema):
    parent_id: int


class GoalIn(Schema):
    person_id: int | None = Field(None, description="Someone one manages, to propose a goal.")
    kind: Literal["skill", "course", "path", "talk", "mentor", "custom"]
    title: str = ""
    skill: str | None = Field(None, description="Skill slug (skill goals).")
    target_level: int | None = None
    target_ref: str = Field("", description='What a completion goal completes ("course:12").')
    target_value: float | None = None
    unit: str = ""
    due_on: dt.date | None = None
    motivation: str = ""
    visibility: Literal["private", "team", "everyone"] = "private"
    draft: bool = False
    objective_ids: list[int] = []
    key_result_ids: list[int] = []


class GoalPatch(Schema):
    title: str | None = None
    motivation: str | None = None
    skill: str | None = None
    target_level: int | None = None
    target_ref: str | None = None
    target_value: float | None = None
    unit: str | None = None
    due_on: dt.date | None = None
    visibility: Literal["private", "team", "everyone"] | None = None
    objective_ids: list[int] | None = None
    key_result_ids: list[int] | None = None


class GoalOut(Schema):
    id: int
    person_id: int
    kind: str
    title: str
    motivation: str
    skill_id: int | None
    target_level: int | None
    start_level: int
    target_ref: str
    target_value: float | None
    current_value: float
    unit: str
    due_on: dt.date | None
    visibility: str
    status: str
    progress: float
    stalled: bool
    overdue: bool
    proposed_by_id: int | None
    cosigned_by_id: int | None
    achieved_at: dt.datetime | None
    created_at: dt.datetime


class AbandonIn(Schema):
    reason: str = ""


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    goal_id: int
    author_id: int
    body: str
    created_at: dt.datetime


class SuggestionOut(Schema):
    skill: str
    skill_id: int
    target_level: int
    current_level: int | None
    score: float
    reasons: list[str]
    objective_id: int | None


class DueOut(Schema):
    kind: str
    title: str
    url: str
    last_check_in_at: dt.datetime | None


# --- Helpers -------------------------------------------------------------------------------------


def _skill(request: HttpRequest, slug: str | None) -> Skill | None:
    if not slug:
        return None
    try:
        return skill_selectors.skill_for(request.user, slug)
    except NotFound:
        raise DomainError("unknown_skill", "No such skill.", field="skill") from None


def _team(pk: int | None) -> Team | None:
    if pk is None:
        return None
    team = Team.objects.filter(pk=pk).first()
    if team is None:
        raise DomainError("unknown_team", "No such team.", field="team_id")
    return team


def _person(request: HttpRequest, pk: int | None, *, field: str) -> Person | None:
    if pk is None:
        return None
    try:
        return people_selectors.person_for(request.user, pk)
    except NotFound:
        raise DomainError("unknown_person", "No such person.", field=field) from None


def _objectives(request: HttpRequest, ids: list[int]) -> list[Objective]:
    found = list(selectors.objectives(request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("unknown_objective", "No such objective.", field="objective_ids")
    return found


def _key_results(request: HttpRequest, ids: list[int]) -> list[KeyResult]:
    found = list(authz.scope(request.user, "goals.view_okrs", KeyResult.objects.filter(pk__in=ids)))
    if len(found) != len(set(ids)):
        raise DomainError("unknown_key_result", "No such key result.", field="key_result_ids")
    return found


def _demands_out(readiness: Readiness | None) -> list[dict[str, Any]]:
    if readiness is None:
        return []
    return [
        {
            "id": item.demand.pk,
            "skill": item.skill.slug,
            "skill_id": item.skill.pk,
            "min_level": item.demand.min_level,
            "needed": item.needed,
            "team_id": item.demand.team_id,
            "key_result_id": item.demand.key_result_id,
            "qualified": item.qualified,
            "one_away": item.one_away,
            "learning": item.learning,
            "shortfall": item.shortfall,
            "qualified_people": [p.pk for p in item.qualified_people],
            "close_people": [p.pk for p in item.close_people],
            "learning_people": [p.pk for p in item.learning_people],
        }
        for item in readiness.demands
    ]


def _objective_out(node: selectors.OkrNode) -> dict[str, Any]:
    objective = node.objective
    readiness = node.readiness
    return {
        "id": objective.pk,
        "cycle_id": objective.cycle_id,
        "level": objective.level,
        "title": objective.title,
        "description": objective.description,
        "owner_id": objective.owner_id,
        "team_id": objective.team_id,
        "status": objective.status,
        "priority": objective.priority,
        "parent_ids": node.parent_ids,
        "progress": round(node.progress, 4),
        "readiness": round(readiness.score, 4) if readiness and readiness.has_demand else None,
        "shortfall": readiness.shortfall if readiness else 0,
    }


def _key_result_out(key_result: KeyResult) -> dict[str, Any]:
    return {
        **{
            name: getattr(key_result, name)
            for name in (
                "id",
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
                "due_on",
                "confidence",
                "last_check_in_at",
            )
        },
        "progress": round(key_result.progress, 4),
    }


def _objective_detail(request: HttpRequest, objective: Objective) -> dict[str, Any]:
    page = selectors.objective_page(request.user, objective)
    page.node.readiness = page.readiness
    return {
        **_objective_out(page.node),
        "key_results": [_key_result_out(kr) for kr in page.node.key_results],
        "children_ids": [child.objective.pk for child in page.node.children],
        "demands": _demands_out(page.readiness),
    }


def _goal_out(row: selectors.GoalRow) -> dict[str, Any]:
    goal = row.goal
    return {
        **{
            name: getattr(goal, name)
            for name in (
                "id",
                "person_id",
                "kind",
                "title",
                "motivation",
                "skill_id",
                "target_level",
                "start_level",
                "target_ref",
                "target_value",
                "current_value",
                "unit",
                "due_on",
                "visibility",
                "status",
                "progress",
                "proposed_by_id",
                "cosigned_by_id",
                "achieved_at",
                "created_at",
            )
        },
        "stalled": row.stalled,
        "overdue": row.overdue,
    }


def _one_goal(goal: LearningGoal) -> dict[str, Any]:
    return _goal_out(selectors.goal_rows([goal])[0])


def _cycle(request: HttpRequest, pk: int | None) -> Cycle:
    if pk is not None:
        return selectors.cycle_for(request.user, pk)
    cycle = selectors.current_cycle(request.user)
    if cycle is None:
        raise NotFound("No cycle yet.")
    return cycle


# --- Cycles and objectives -----------------------------------------------------------------------


@router.get("/goal-cycles", response={200: list[CycleOut], **ERRORS}, summary="OKR cycles")
def list_cycles(request: HttpRequest) -> list[Cycle]:
    return list(selectors.cycles(request.user))


@router.post("/goal-cycles", response={201: CycleOut, **ERRORS}, summary="Create a cycle")
def create_cycle(request: HttpRequest, payload: CycleIn) -> Status[Any]:
    return Status(201, services.create_cycle(actor=request.user, **payload.model_dump()))


@router.get(
    "/objectives",
    response={200: list[ObjectiveOut], **ERRORS},
    summary="The objectives of a cycle (the current one by default), with progress and readiness",
)
def list_objectives(
    request: HttpRequest,
    cycle: int | None = None,
    level: Literal["company", "team", "personal"] | None = None,
    q: str = "",
) -> list[dict[str, Any]]:
    tree = selectors.okr_tree(request.user, _cycle(request, cycle), level=level or "", query=q)
    nodes = tree.roots if (level or q) else list(tree.nodes.values())
    return [_objective_out(node) for node in nodes]


@router.post("/objectives", response={201: ObjectiveDetailOut, **ERRORS}, summary="Create")
def create_objective(request: HttpRequest, payload: ObjectiveIn) -> Status[Any]:
    owner = _person(request, payload.owner_id, field="owner_id") or skill_selectors.viewer_person(
        request.user
    )
    objective = services.create_objective(
        actor=request.user,
        cycle=selectors.cycle_for(request.user, payload.cycle_id),
        level=payload.level,
        title=payload.title,
        description=payload.description,
        owner=owner,
        team=_team(payload.team_id),
        priority=payload.priority,
        parents=_objectives(request, payload.parent_ids),
    )
    return Status(201, _objective_detail(request, objective))


@router.get(
    "/objectives/{objective_id}",
    response={200: ObjectiveDetailOut, **ERRORS},
    summary="One objective: key results, alignment, skill demand and readiness",
)
def get_objective(request: HttpRequest, objective_id: int) -> dict[str, Any]:
    return _objective_detail(request, selectors.objective_for(request.user, objective_id))


@router.patch(
    "/objectives/{objective_id}", response={200: ObjectiveDetailOut, **ERRORS}, summary="Edit"
)
def update_objective(
    request: HttpRequest, objective_id: int, payload: ObjectivePatch
) -> dict[str, Any]:
    objective = selectors.objective_for(request.user, objective_id)
    changes = payload.model_dump(exclude_unset=True)
    if "owner_id" in changes:
        changes["owner"] = _person(request, changes.pop("owner_id"), field="owner_id")
    services.update_objective(actor=request.user, objective=objective, **changes)
    return _objective_detail(request, objective)


@router.post(
    "/objectives/{objective_id}/alignments",
    response={204: None, **ERRORS},
    summary="Align to a parent objective (refused when it would make a loop)",
)
def align(request: HttpRequest, objective_id: int, payload: AlignIn) -> Status[None]:
    child = selectors.objective_for(request.user, objective_id)
    parent = selectors.objective_for(request.user, payload.parent_id)
    services.align_objective(actor=request.user, child=child, parent=parent)
    return Status(204, None)


@router.delete(
    "/objectives/{objective_id}/alignments/{parent_id}",
    response={204: None, **ERRORS},
    summary="Remove an alignment",
)
def unalign(request: HttpRequest, objective_id: int, parent_id: int) -> Status[None]:
    child = selectors.objective_for(request.user, objective_id)
    parent = selectors.objective_for(request.user, parent_id)
    services.unalign_objective(actor=request.user, child=child, parent=parent)
    return Status(204, None)


@router.post(
    "/objectives/{objective_id}/key-results",
    response={201: KeyResultOut, **ERRORS},
    summary="Add a key result",
)
def add_key_result(request: HttpRequest, objective_id: int, payload: KeyResultIn) -> Status[Any]:
    objective = selectors.objective_for(request.user, objective_id)
    data = payload.model_dump()
    owner = _person(request, data.pop("owner_id"), field="owner_id")
    key_result = services.add_key_result(
        actor=request.user, objective=objective, owner=owner, **data
    )
    return Status(201, _key_result_out(key_result))


@router.get(
    "/key-results/{key_result_id}/check-ins",
    response={200: list[CheckInOut], **ERRORS},
    summary="Check-ins of a key result",
)
def key_result_check_ins(request: HttpRequest, key_result_id: int) -> list[Any]:
    key_result = selectors.key_result_for(request.user, key_result_id)
    return list(key_result.check_ins.all()[:100])


@router.post(
    "/key-results/{key_result_id}/check-ins",
    response={201: CheckInOut, **ERRORS},
    summary="Check in on a key result",
)
def check_in_key_result(
    request: HttpRequest, key_result_id: int, payload: CheckInIn
) -> Status[Any]:
    key_result = selectors.key_result_for(request.user, key_result_id)
    check_in = services.check_in_key_result(
        actor=request.user,
        key_result=key_result,
        value=payload.value,
        confidence=payload.confidence,
        comment=payload.comment,
        done_milestones=payload.done_milestones,
    )
    return Status(201, check_in)


@router.put(
    "/objectives/{objective_id}/skill-demand",
    response={200: DemandOut, **ERRORS},
    summary="Declare or change a skill the objective needs (skill, level, people, team)",
)
def set_demand(request: HttpRequest, objective_id: int, payload: DemandIn) -> dict[str, Any]:
    objective = selectors.objective_for(request.user, objective_id)
    skill = _skill(request, payload.skill)
    assert skill is not None
    key_result = None
    if payload.key_result_id is not None:
        key_result = selectors.key_result_for(request.user, payload.key_result_id)
    demand = services.set_skill_demand(
        actor=request.user,
        objective=objective,
        skill=skill,
        min_level=payload.min_level,
        needed=payload.needed,
        team=_team(payload.team_id),
        key_result=key_result,
    )
    page = selectors.objective_page(request.user, objective)
    return next(item for item in _demands_out(page.readiness) if item["id"] == demand.pk)


@router.delete(
    "/skill-demand/{demand_id}", response={204: None, **ERRORS}, summary="Remove a skill demand"
)
def remove_demand(request: HttpRequest, demand_id: int) -> Status[None]:
    services.remove_skill_demand(
        actor=request.user, demand=selectors.demand_for(request.user, demand_id)
    )
    return Status(204, None)


@router.get(
    "/readiness",
    response={200: list[ReadinessOut], **ERRORS},
    summary="Capability readiness of every objective of a cycle, by risk (L&D, executives)",
)
def org_readiness(
    request: HttpRequest,
    cycle: int | None = None,
    sort: Literal["risk", "readiness", "shortfall", "priority", "title"] = "risk",
) -> list[dict[str, Any]]:
    rows = selectors.org_readiness(request.user, _cycle(request, cycle), sort=sort)
    return [
        {
            "objective_id": row.objective.pk,
            "score": round(row.readiness.score, 4),
            "shortfall": row.readiness.shortfall,
            "demands": _demands_out(row.readiness),
        }
        for row in rows
    ]


# --- Learning goals ------------------------------------------------------------------------------


@router.get("/learning-goals", response={200: list[GoalOut], **ERRORS}, summary="My goals")
def my_goals(request: HttpRequest) -> list[dict[str, Any]]:
    return [_goal_out(row) for row in selectors.my_goals(request.user)]


@router.get(
    "/learning-goals/team",
    response={200: list[GoalOut], **ERRORS},
    summary="Open goals of the people I manage, stalled and overdue flagged",
)
def team_goals(
    request: HttpRequest, only: Literal["stalled", "overdue"] | None = None
) -> list[dict[str, Any]]:
    return [_goal_out(row) for row in selectors.team_goals(request.user, only=only or "").rows]


@router.get(
    "/people/{person_id}/learning-goals",
    response={200: list[GoalOut], **ERRORS},
    summary="A person's goals the caller may see",
)
def person_goals(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    person = people_selectors.person_for(request.user, person_id)
    return [_goal_out(row) for row in selectors.goals_of(request.user, person)]


@router.get(
    "/people/{person_id}/goal-suggestions",
    response={200: list[SuggestionOut], **ERRORS},
    summary="Skills worth a goal, and why",
)
def suggestions(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    person = people_selectors.person_for(request.user, person_id)
    return [
        {
            "skill": item.skill.slug,
            "skill_id": item.skill.pk,
            "target_level": item.target_level,
            "current_level": item.current,
            "score": round(item.score, 3),
            "reasons": item.reasons,
            "objective_id": item.objective.pk if item.objective else None,
        }
        for item in selectors.suggestions(request.user, person)
    ]


@router.post(
    "/learning-goals",
    response={201: GoalOut, **ERRORS},
    summary="Set a goal (or propose one to someone one manages)",
)
def create_goal(request: HttpRequest, payload: GoalIn) -> Status[Any]:
    person = _person(request, payload.person_id, field="person_id") or (
        skill_selectors.viewer_person(request.user)
    )
    goal = services.create_goal(
        actor=request.user,
        person=person,
        kind=payload.kind,
        title=payload.title,
        skill=_skill(request, payload.skill),
        target_level=payload.target_level,
        target_ref=payload.target_ref,
        target_value=payload.target_value,
        unit=payload.unit,
        due_on=payload.due_on,
        motivation=payload.motivation,
        visibility=payload.visibility,
        draft=payload.draft,
        objectives=_objectives(request, payload.objective_ids),
        key_results=_key_results(request, payload.key_result_ids),
    )
    return Status(201, _one_goal(goal))


@router.get("/learning-goals/{goal_id}", response={200: GoalOut, **ERRORS}, summary="One goal")
def get_goal(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    return _one_goal(selectors.goal_for(request.user, goal_id))


def _goal_changes(request: HttpRequest, payload: GoalPatch) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    if "skill" in changes:
        changes["skill"] = _skill(request, changes["skill"])
    if "objective_ids" in changes:
        changes["objectives"] = _objectives(request, changes.pop("objective_ids") or [])
    if "key_result_ids" in changes:
        changes["key_results"] = _key_results(request, changes.pop("key_result_ids") or [])
    return changes


@router.patch("/learning-goals/{goal_id}", response={200: GoalOut, **ERRORS}, summary="Edit")
def update_goal(request: HttpRequest, goal_id: int, payload: GoalPatch) -> dict[str, Any]:
    goal = selectors.goal_for(request.user, goal_id)
    services.update_goal(actor=request.user, goal=goal, **_goal_changes(request, payload))
    return _one_goal(goal)


@router.post(
    "/learning-goals/{goal_id}/accept",
    response={200: GoalOut, **ERRORS},
    summary="Accept a proposed goal (with edits) or start a draft",
)
def accept_goal(request: HttpRequest, goal_id: int, payload: GoalPatch) -> dict[str, Any]:
    goal = selectors.goal_for(request.user, goal_id)
    services.accept_goal(actor=request.user, goal=goal, **_goal_changes(request, payload))
    return _one_goal(goal)


@router.post(
    "/learning-goals/{goal_id}/abandon", response={200: GoalOut, **ERRORS}, summary="Abandon"
)
def abandon_goal(request: HttpRequest, goal_id: int, payload: AbandonIn) -> dict[str, Any]:
    goal = selectors.goal_for(request.user, goal_id)
    services.abandon_goal(actor=request.user, goal=goal, reason=payload.reason)
    return _one_goal(goal)


@router.post(
    "/learning-goals/{goal_id}/achieve",
    response={200: GoalOut, **ERRORS},
    summary="Declare a talk, mentoring or custom goal achieved",
)
def achieve_goal(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    goal = selectors.goal_for(request.user, goal_id)
    services.achieve_goal(actor=request.user, goal=goal)
    return _one_goal(goal)


@router.post(
    "/learning-goals/{goal_id}/cosign",
    response={200: GoalOut, **ERRORS},
    summary="Co-sign a report's goal (managers)",
)
def cosign_goal(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    goal = selectors.goal_for(request.user, goal_id)
    services.cosign_goal(actor=request.user, goal=goal)
    return _one_goal(goal)


@router.get(
    "/learning-goals/{goal_id}/check-ins",
    response={200: list[CheckInOut], **ERRORS},
    summary="Check-ins of a goal",
)
def goal_check_ins(request: HttpRequest, goal_id: int) -> list[Any]:
    goal = selectors.goal_for(request.user, goal_id)
    return selectors.goal_activity(request.user, goal)[0]


@router.post(
    "/learning-goals/{goal_id}/check-ins",
    response={201: CheckInOut, **ERRORS},
    summary="Check in on one's goal",
)
def check_in_goal(request: HttpRequest, goal_id: int, payload: CheckInIn) -> Status[Any]:
    goal = selectors.goal_for(request.user, goal_id)
    check_in = services.check_in_goal(
        actor=request.user,
        goal=goal,
        value=payload.value,
        confidence=payload.confidence,
        comment=payload.comment,
    )
    return Status(201, check_in)


@router.get(
    "/learning-goals/{goal_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="The conversation on a goal",
)
def goal_comments(request: HttpRequest, goal_id: int) -> list[Any]:
    goal = selectors.goal_for(request.user, goal_id)
    return selectors.goal_activity(request.user, goal)[1]


@router.post(
    "/learning-goals/{goal_id}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Comment on a goal (the person or their managers)",
)
def comment_on_goal(request: HttpRequest, goal_id: int, payload: CommentIn) -> Status[Any]:
    goal = selectors.goal_for(request.user, goal_id)
    return Status(201, services.comment_on_goal(actor=request.user, goal=goal, body=payload.body))


@router.get(
    "/check-ins/due",
    response={200: list[DueOut], **ERRORS},
    summary="My goals and key results due a check-in",
)
def check_ins_due(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"kind": item.kind, "title": item.title, "url": item.url, "last_check_in_at": item.last}
        for item in selectors.check_ins_due(request.user)
    ]
