"""Every write of the goals app. Each function is one transaction.

OKRs: cycles, objectives (aligned without cycles), key results, check-ins and skill demand.
Learning goals: created by the person, or proposed by a manager and accepted by the person;
progress of skill and completion goals is derived from evidence (``refresh_goal_progress``),
and achieving a goal is written to the activity ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from ecotone import authz
from ecotone.goals import ledger
from ecotone.goals import progress as derived
from ecotone.goals.models import (
    Alignment,
    CheckIn,
    Cycle,
    GoalComment,
    KeyResult,
    LearningGoal,
    Objective,
    Priority,
    SkillDemand,
)
from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError
from ecotone.lrs.services import record_learning_event
from ecotone.notifications.services import notify
from ecotone.people.models import Person, Team
from ecotone.people.roles import person_of
from ecotone.skills.models import MAX_LEVEL, MIN_LEVEL, Skill, SkillLevel

TITLE_MAX = 200
TEXT_MAX = 5000
MAX_MILESTONES = 20
DERIVED_KINDS = frozenset(
    {LearningGoal.Kind.SKILL, LearningGoal.Kind.COURSE, LearningGoal.Kind.PATH}
)
MANUAL_KINDS = frozenset(
    {LearningGoal.Kind.TALK, LearningGoal.Kind.MENTOR, LearningGoal.Kind.CUSTOM}
)
COMPLETION_KINDS = frozenset({LearningGoal.Kind.COURSE, LearningGoal.Kind.PATH})


def _text(value: str | None, *, field: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"{field}_required", "This field is required.", field=field)
    if len(text) > limit:
        raise DomainError(f"{field}_too_long", f"Keep it under {limit} characters.", field=field)
    return text


def _level(value: Any, *, field: str) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise DomainError("invalid_level", "A level is a whole number.", field=field) from None
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise DomainError(
            "invalid_level", f"Choose a level from {MIN_LEVEL} to {MAX_LEVEL}.", field=field
        )
    return level


def _actor_person(actor: Any) -> Person:
    person = person_of(actor)
    if person is None:
        raise DomainError("not_a_person", "This account is not a person of the organisation.")
    return person


# --- Cycles --------------------------------------------------------------------------------------


@transaction.atomic
def create_cycle(
    *, actor: Any, name: str, starts_on: dt.date, ends_on: dt.date, kind: str = "quarter"
) -> Cycle:
    """A new OKR cycle (a quarter, a half, or custom dates)."""
    authz.require(actor, "goals.manage_cycles")
    name = _text(name, field="name", limit=80, required=True)
    if kind not in Cycle.Kind.values:
        raise DomainError("invalid_kind", "Choose quarter, half or custom.", field="kind")
    if ends_on < starts_on:
        raise DomainError("ends_before_start", "A cycle ends after it starts.", field="ends_on")
    if Cycle.objects.filter(name__iexact=name).exists():
        raise DomainError("name_taken", "A cycle already has this name.", field="name")
    cycle = Cycle.objects.create(name=name, kind=kind, starts_on=starts_on, ends_on=ends_on)
    audit.record(actor=actor, action="goals.cycle_created", target=cycle, detail={"name": name})
    return cycle


# --- Objectives ----------------------------------------------------------------------------------


def _priority(value: Any) -> int:
    try:
        priority = int(value)
    except (TypeError, ValueError):
        priority = 0
    if priority not in Priority.values:
        raise DomainError("invalid_priority", "Choose a priority.", field="priority")
    return priority


def _check_objective(objective: Objective) -> None:
    if objective.level not in Objective.Level.values:
        raise DomainError("invalid_level", "Choose company, team or personal.", field="level")
    if objective.level == Objective.Level.TEAM and objective.team_id is None:
        raise DomainError("team_required", "A team objective names its team.", field="team")
    if objective.status not in Objective.Status.values:
        raise DomainError("invalid_status", "Unknown status.", field="status")
    if not objective.owner.is_active:
        raise DomainError("owner_inactive", f"{objective.owner} has left.", field="owner")


@transaction.atomic
def create_objective(
    *,
    actor: Any,
    cycle: Cycle,
    level: str,
    title: str,
    owner: Person,
    description: str = "",
    team: Team | None = None,
    priority: int = Priority.MEDIUM,
    status: str = Objective.Status.ACTIVE,
    parents: Sequence[Objective] = (),
) -> Objective:
    """An objective of a cycle. Company: executives and admins; team: its lead (or above);
    personal: the owner or their managers."""
    objective = Objective(
        cycle=cycle,
        level=level,
        title=_text(title, field="title", limit=TITLE_MAX, required=True),
        description=_text(description, field="description", limit=TEXT_MAX),
        owner=owner,
        team=team if level != Objective.Level.COMPANY else None,
        priority=_priority(priority),
        status=status,
    )
    if level == Objective.Level.PERSONAL and team is None:
        objective.team = owner.team
    _check_objective(objective)
    authz.require(actor, "goals.change_objective", objective)
    objective.save()
    for parent in parents:
        _align(objective, parent)
    audit.record(
        actor=actor, action="goals.objective_created", target=objective, detail={"title": title}
    )
    return objective


OBJECTIVE_FIELDS = {"title", "description", "status", "priority", "owner", "team"}


@transaction.atomic
def update_objective(*, actor: Any, objective: Objective, **changes: Any) -> Objective:
    """Edit the title, description, status, priority, owner or team of an objective."""
    authz.require(actor, "goals.change_objective", objective)
    unknown = set(changes) - OBJECTIVE_FIELDS
    if unknown:
        raise DomainError("unknown_field", f"Cannot change {', '.join(sorted(unknown))}.")
    if "title" in changes:
        changes["title"] = _text(changes["title"], field="title", limit=TITLE_MAX, required=True)
    if "description" in changes:
        changes["description"] = _text(changes["description"], field="description", limit=TEXT_MAX)
    if "priority" in changes:
        changes["priority"] = _priority(changes["priority"])
    for name, value in changes.items():
        setattr(objective, name, value)
    _check_objective(objective)
    authz.require(actor, "goals.change_objective", objective)
    objective.save()
    return objective


def _descendant_ids(objective: Objective) -> set[int]:
    """Every objective aligned below ``objective``, directly or not (one query per level)."""
    seen: set[int] = set()
    frontier = {objective.pk}
    while frontier:
        children = set(
            Alignment.objects.filter(parent_id__in=frontier).values_list("child_id", flat=True)
        )
        frontier = children - seen
        seen |= children
    return seen


def _align(child: Objective, parent: Objective) -> None:
    if parent.pk == child.pk:
        raise DomainError("alignment_cycle", "An objective cannot support itself.", field="parent")
    if parent.cycle_id != child.cycle_id:
        raise DomainError("other_cycle", "Align to an objective of the same cycle.", field="parent")
    if parent.pk in _descendant_ids(child):
        raise DomainError(
            "alignment_cycle",
            f"“{parent.title}” already supports “{child.title}”: aligning would make a loop.",
            field="parent",
        )
    Alignment.objects.get_or_create(child=child, parent=parent)


@transaction.atomic
def align_objective(*, actor: Any, child: Objective, parent: Objective) -> None:
    """Say that ``child`` contributes to ``parent``. Refused when it would make a loop."""
    authz.require(actor, "goals.change_objective", child)
    authz.require(actor, "goals.view_okrs", parent)
    _align(child, parent)


@transaction.atomic
def unalign_objective(*, actor: Any, child: Objective, parent: Objective) -> None:
    authz.require(actor, "goals.change_objective", child)
    Alignment.objects.filter(child=child, parent=parent).delete()


# --- Key results and check-ins -------------------------------------------------------------------


def _milestones(items: Iterable[Any]) -> list[dict[str, Any]]:
    result = []
    for item in items:
        if isinstance(item, str):
            item = {"title": item, "done": False}
        title = _text(str(item.get("title", "")), field="milestones", limit=TITLE_MAX)
        if title:
            result.append({"title": title, "done": bool(item.get("done", False))})
    if len(result) > MAX_MILESTONES:
        raise DomainError(
            "too_many_milestones", f"At most {MAX_MILESTONES} milestones.", field="milestones"
        )
    return result


@transaction.atomic
def add_key_result(
    *,
    actor: Any,
    objective: Objective,
    title: str,
    metric: str = KeyResult.Metric.NUMBER,
    start_value: float = 0,
    target_value: float = 1,
    direction: str = KeyResult.Direction.INCREASE,
    due_on: dt.date | None = None,
    owner: Person | None = None,
    unit: str = "",
    milestones: Iterable[Any] = (),
) -> KeyResult:
    """A key result of an objective. Yes/no results go from 0 to 1; milestones count done items."""
    authz.require(actor, "goals.change_objective", objective)
    if metric not in KeyResult.Metric.values:
        raise DomainError("invalid_metric", "Choose a metric type.", field="metric")
    if direction not in KeyResult.Direction.values:
        raise DomainError("invalid_direction", "Increase or decrease.", field="direction")
    steps = _milestones(milestones)
    if metric == KeyResult.Metric.BOOLEAN:
        start_value, target_value = 0, 1
    elif metric == KeyResult.Metric.MILESTONES:
        if not steps:
            raise DomainError(
                "milestones_required", "List at least one milestone.", field="milestones"
            )
        start_value, target_value = 0, len(steps)
    elif metric == KeyResult.Metric.PERCENTAGE and not (
        0 <= start_value <= 100 and 0 <= target_value <= 100
    ):
        raise DomainError(
            "invalid_percentage", "Percentages go from 0 to 100.", field="target_value"
        )
    if target_value == start_value:
        raise DomainError(
            "no_change", "The target must differ from the start value.", field="target_value"
        )
    if (target_value > start_value) != (direction == KeyResult.Direction.INCREASE):
        raise DomainError(
            "direction_mismatch",
            "The target must be above the start to increase, below it to decrease.",
            field="target_value",
        )
    if owner is not None and not owner.is_active:
        raise DomainError("owner_inactive", f"{owner} has left.", field="owner")
    return KeyResult.objects.create(
        objective=objective,
        title=_text(title, field="title", limit=TITLE_MAX, required=True),
        metric=metric,
        start_value=start_value,
        target_value=target_value,
        current_value=start_value,
        direction=direction,
        due_on=due_on,
        owner=owner,
        unit=_text(unit, field="unit", limit=12),
        milestones=steps,
    )


@transaction.atomic
def check_in_key_result(
    *,
    actor: Any,
    key_result: KeyResult,
    value: float | None = None,
    confidence: str = KeyResult.Confidence.ON_TRACK,
    comment: str = "",
    done_milestones: Iterable[int] | None = None,
) -> CheckIn:
    """Record a new value, a confidence and a comment; the key result takes the new value."""
    authz.require(actor, "goals.check_in", key_result)
    if confidence not in KeyResult.Confidence.values:
        raise DomainError("invalid_confidence", "Choose a confidence.", field="confidence")
    if key_result.metric == KeyResult.Metric.MILESTONES:
        done = set(done_milestones or ())
        key_result.milestones = [
            {**item, "done": index in done} for index, item in enumerate(key_result.milestones)
        ]
        value = float(len(done & set(range(len(key_result.milestones)))))
    elif value is None:
        value = key_result.current_value
    elif key_result.metric == KeyResult.Metric.BOOLEAN:
        value = 1.0 if value else 0.0
    elif key_result.metric == KeyResult.Metric.PERCENTAGE and not 0 <= value <= 100:
        raise DomainError("invalid_percentage", "Percentages go from 0 to 100.", field="value")
    now = timezone.now()
    key_result.current_value = float(value)
    key_result.confidence = confidence
    key_result.last_check_in_at = now
    key_result.save(update_fields=["current_value", "confidence", "last_check_in_at", "milestones"])
    return CheckIn.objects.create(
        key_result=key_result,
        author=actor,
        value=value,
        confidence=confidence,
        comment=_text(comment, field="comment", limit=TEXT_MAX),
    )


# --- Skill demand --------------------------------------------------------------------------------


@transaction.atomic
def set_skill_demand(
    *,
    actor: Any,
    objective: Objective,
    skill: Skill,
    min_level: int,
    needed: int = 1,
    team: Team | None = None,
    key_result: KeyResult | None = None,
) -> SkillDemand:
    """Declare (or change) that an objective needs ``needed`` people at ``min_level`` in a skill,
    optionally supplied by a team (and its sub-teams)."""
    authz.require(actor, "goals.change_objective", objective)
    if skill.status != Skill.Status.ACTIVE:
        raise DomainError("skill_not_active", f"{skill.name} is no longer in use.", field="skill")
    try:
        count = int(needed)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= 10_000:
        raise DomainError("invalid_needed", "Ask for at least one person.", field="needed")
    if key_result is not None and key_result.objective_id != objective.pk:
        raise DomainError(
            "other_objective", "This key result belongs to another objective.", field="key_result"
        )
    demand, _ = SkillDemand.objects.update_or_create(
        objective=objective,
        skill=skill,
        team=team,
        defaults={
            "min_level": _level(min_level, field="min_level"),
            "needed": count,
            "key_result": key_result,
        },
    )
    return demand


@transaction.atomic
def remove_skill_demand(*, actor: Any, demand: SkillDemand) -> None:
    authz.require(actor, "goals.change_objective", demand.objective)
    demand.delete()


# --- Learning goals ------------------------------------------------------------------------------


def _validated_level(person: Person, skill: Skill) -> int:
    level = (
        SkillLevel.objects.filter(person=person, skill=skill)
        .values_list("validated_level", flat=True)
        .first()
    )
    return level or 0


def _clean_goal(goal: LearningGoal) -> None:
    if goal.kind not in LearningGoal.Kind.values:
        raise DomainError("invalid_kind", "Choose what kind of goal this is.", field="kind")
    if goal.visibility not in LearningGoal.Visibility.values:
        raise DomainError("invalid_visibility", "Choose who sees this goal.", field="visibility")
    if goal.kind == LearningGoal.Kind.SKILL:
        if goal.skill is None:
            raise DomainError("skill_required", "Choose the skill.", field="skill")
        if goal.skill.status != Skill.Status.ACTIVE:
            raise DomainError(
                "skill_not_active", f"{goal.skill.name} is no longer in use.", field="skill"
            )
        goal.target_level = _level(goal.target_level, field="target_level")
    elif goal.kind in COMPLETION_KINDS:
        if not goal.target_ref:
            raise DomainError(
                "target_required", "Name what is to be completed.", field="target_ref"
            )
    elif goal.target_value is None or goal.target_value <= 0:
        raise DomainError(
            "target_value_required", "Give a target above zero.", field="target_value"
        )
    if not goal.title:
        goal.title = _default_title(goal)


def _default_title(goal: LearningGoal) -> str:
    if goal.kind == LearningGoal.Kind.SKILL and goal.skill is not None:
        return f"Reach level {goal.target_level} in {goal.skill.name}"
    if goal.kind in COMPLETION_KINDS:
        return f"Complete {goal.target_ref}"
    if goal.kind == LearningGoal.Kind.TALK:
        return "Give a talk"
    if goal.kind == LearningGoal.Kind.MENTOR:
        return "Mentor someone"
    raise DomainError("title_required", "Give the goal a title.", field="title")


def _link(
    goal: LearningGoal,
    *,
    key_results: Iterable[KeyResult] | None,
    objectives: Iterable[Objective] | None,
    skills: Iterable[Skill] | None,
) -> None:
    if key_results is not None:
        goal.key_results.set(list(key_results))
    if objectives is not None:
        goal.objectives.set(list(objectives))
    if skills is not None:
        linked = {skill.pk for skill in skills}
        if goal.skill_id:
            linked.add(goal.skill_id)
        goal.skills.set(linked)
    elif goal.skill_id:
        goal.skills.add(goal.skill_id)


@transaction.atomic
def create_goal(
    *,
    actor: Any,
    person: Person,
    kind: str,
    title: str = "",
    skill: Skill | None = None,
    target_level: int | None = None,
    target_ref: str = "",
    target_value: float | None = None,
    unit: str = "",
    due_on: dt.date | None = None,
    motivation: str = "",
    visibility: str = LearningGoal.Visibility.PRIVATE,
    draft: bool = False,
    key_results: Iterable[KeyResult] | None = None,
    objectives: Iterable[Objective] | None = None,
    skills: Iterable[Skill] | None = None,
) -> LearningGoal:
    """A learning goal of ``person``. Created by the person (active, or a draft), or proposed
    by one of their managers (then the person accepts or edits it)."""
    authz.require(actor, "goals.create_goal", person)
    author = _actor_person(actor)
    if not person.is_active:
        raise DomainError("person_inactive", f"{person} has left.", field="person")
    proposed = author.pk != person.pk
    goal = LearningGoal(
        person=person,
        kind=kind,
        title=_text(title, field="title", limit=TITLE_MAX),
        motivation=_text(motivation, field="motivation", limit=TEXT_MAX),
        skill=skill if kind == LearningGoal.Kind.SKILL else None,
        target_level=target_level if kind == LearningGoal.Kind.SKILL else None,
        target_ref=_text(target_ref, field="target_ref", limit=120),
        target_value=target_value if kind in MANUAL_KINDS else None,
        unit=_text(unit, field="unit", limit=30),
        due_on=due_on,
        visibility=visibility,
        status=(
            LearningGoal.Status.PROPOSED
            if proposed
            else LearningGoal.Status.DRAFT
            if draft
            else LearningGoal.Status.ACTIVE
        ),
        proposed_by=author if proposed else None,
    )
    _clean_goal(goal)
    if due_on is not None and due_on < timezone.localdate() - dt.timedelta(days=1):
        raise DomainError("due_in_past", "Choose a due date from today on.", field="due_on")
    if goal.kind == LearningGoal.Kind.SKILL and goal.skill is not None:
        goal.start_level = _validated_level(person, goal.skill)
        if goal.target_level is not None and goal.start_level >= goal.target_level:
            raise DomainError(
                "already_reached",
                f"{person.display_name} is already validated at level {goal.start_level} "
                f"in {goal.skill.name}: aim higher.",
                field="target_level",
            )
    goal.progress_changed_at = timezone.now()
    goal.save()
    _link(goal, key_results=key_results, objectives=objectives, skills=skills)
    if proposed:
        notify(
            recipient=person.user,
            kind="goals.goal_proposed",
            title=f"{author.display_name} proposed a goal: {goal.title}",
            url=f"/goals/{goal.pk}/",
            actor=actor,
        )
    return goal


GOAL_FIELDS = {
    "title",
    "motivation",
    "target_level",
    "target_ref",
    "target_value",
    "unit",
    "due_on",
    "visibility",
    "skill",
}


@transaction.atomic
def update_goal(
    *,
    actor: Any,
    goal: LearningGoal,
    key_results: Iterable[KeyResult] | None = None,
    objectives: Iterable[Objective] | None = None,
    skills: Iterable[Skill] | None = None,
    **changes: Any,
) -> LearningGoal:
    """The person edits their goal (what, by when, why, who sees it, what it serves)."""
    authz.require(actor, "goals.change_goal", goal)
    if not goal.is_open:
        raise DomainError("goal_closed", "This goal is closed.")
    unknown = set(changes) - GOAL_FIELDS
    if unknown:
        raise DomainError("unknown_field", f"Cannot change {', '.join(sorted(unknown))}.")
    for name in ("title", "motivation", "target_ref", "unit"):
        if name in changes:
            limit = {"title": TITLE_MAX, "motivation": TEXT_MAX, "target_ref": 120, "unit": 30}
            changes[name] = _text(changes[name], field=name, limit=limit[name])
    skill_changed = "skill" in changes and changes["skill"] != goal.skill
    for name, value in changes.items():
        setattr(goal, name, value)
    _clean_goal(goal)
    if skill_changed and goal.skill is not None:
        goal.start_level = _validated_level(goal.person, goal.skill)
    goal.save()
    _link(goal, key_results=key_results, objectives=objectives, skills=skills)
    _refresh([goal], now=timezone.now())
    return goal


@transaction.atomic
def accept_goal(*, actor: Any, goal: LearningGoal, **changes: Any) -> LearningGoal:
    """The person accepts a goal proposed by their manager (or starts a draft), maybe edited."""
    authz.require(actor, "goals.change_goal", goal)
    if goal.status not in (LearningGoal.Status.PROPOSED, LearningGoal.Status.DRAFT):
        raise DomainError("not_pending", "Only a proposed or draft goal can be accepted.")
    if changes:
        update_goal(actor=actor, goal=goal, **changes)
    goal.status = LearningGoal.Status.ACTIVE
    goal.progress_changed_at = timezone.now()
    goal.save(update_fields=["status", "progress_changed_at", "updated_at"])
    if goal.proposed_by is not None and goal.proposed_by.is_active:
        notify(
            recipient=goal.proposed_by.user,
            kind="goals.goal_accepted",
            title=f"{goal.person.display_name} accepted the goal “{goal.title}”",
            url=f"/goals/{goal.pk}/",
            actor=actor,
        )
    _refresh([goal], now=timezone.now())
    return goal


@transaction.atomic
def cosign_goal(*, actor: Any, goal: LearningGoal) -> LearningGoal:
    """A manager of the person co-signs the goal: they back it and will help."""
    authz.require(actor, "goals.coach_goal", goal)
    if not goal.is_open:
        raise DomainError("goal_closed", "This goal is closed.")
    goal.cosigned_by = _actor_person(actor)
    goal.cosigned_at = timezone.now()
    goal.save(update_fields=["cosigned_by", "cosigned_at", "updated_at"])
    notify(
        recipient=goal.person.user,
        kind="goals.goal_cosigned",
        title=f"{goal.cosigned_by.display_name} co-signed your goal “{goal.title}”",
        url=f"/goals/{goal.pk}/",
        actor=actor,
    )
    return goal


@transaction.atomic
def comment_on_goal(*, actor: Any, goal: LearningGoal, body: str) -> GoalComment:
    """The person or one of their managers comments; the other side is told."""
    if not (
        authz.can(actor, "goals.change_goal", goal) or authz.can(actor, "goals.coach_goal", goal)
    ):
        authz.require(actor, "goals.coach_goal", goal)
    author = _actor_person(actor)
    comment = GoalComment.objects.create(
        goal=goal, author=author, body=_text(body, field="body", limit=TEXT_MAX, required=True)
    )
    recipient = goal.person.manager if author.pk == goal.person_id else goal.person
    if recipient is not None:
        notify(
            recipient=recipient.user,
            kind="goals.goal_comment",
            title=f"{author.display_name} commented on “{goal.title}”",
            body=comment.body[:300],
            url=f"/goals/{goal.pk}/",
            actor=actor,
        )
    return comment


@transaction.atomic
def check_in_goal(
    *,
    actor: Any,
    goal: LearningGoal,
    confidence: str = KeyResult.Confidence.ON_TRACK,
    value: float | None = None,
    comment: str = "",
) -> CheckIn:
    """The person checks in: a confidence and a comment, and for talk, mentoring and custom
    goals the new value. Skill and completion goals take their progress from evidence only."""
    authz.require(actor, "goals.change_goal", goal)
    if goal.status != LearningGoal.Status.ACTIVE:
        raise DomainError("not_active", "Check in on an active goal.")
    if confidence not in KeyResult.Confidence.values:
        raise DomainError("invalid_confidence", "Choose a confidence.", field="confidence")
    now = timezone.now()
    if goal.kind in MANUAL_KINDS and value is not None:
        if value < 0:
            raise DomainError("invalid_value", "A value cannot be negative.", field="value")
        goal.current_value = float(value)
        new = derived.metric_progress(goal.current_value, goal.target_value)
        if new != goal.progress:
            goal.progress = new
            goal.progress_changed_at = now
    elif goal.kind in DERIVED_KINDS:
        value = None
    goal.last_check_in_at = now
    goal.save(
        update_fields=[
            "current_value",
            "progress",
            "progress_changed_at",
            "last_check_in_at",
            "updated_at",
        ]
    )
    return CheckIn.objects.create(
        goal=goal,
        author=actor,
        value=value,
        confidence=confidence,
        comment=_text(comment, field="comment", limit=TEXT_MAX),
    )


def _achieve(goal: LearningGoal, *, now: dt.datetime, actor: Any = None) -> None:
    """Mark achieved, write it to the activity ledger, tell the person's manager."""
    goal.status = LearningGoal.Status.ACHIEVED
    goal.achieved_at = now
    if goal.progress != 1.0:
        goal.progress = 1.0
        goal.progress_changed_at = now
    goal.save(update_fields=["status", "achieved_at", "progress", "progress_changed_at"])
    record_learning_event(**ledger.achieved_event(goal))
    audit.record(
        actor=actor,
        action="goals.goal_achieved",
        target=goal,
        detail={"title": goal.title, "kind": goal.kind},
    )
    manager = goal.person.manager
    if manager is not None and manager.is_active:
        notify(
            recipient=manager.user,
            kind="goals.goal_achieved",
            title=f"{goal.person.display_name} achieved “{goal.title}”",
            url=f"/goals/{goal.pk}/",
        )


@transaction.atomic
def achieve_goal(*, actor: Any, goal: LearningGoal) -> LearningGoal:
    """The person declares a talk, mentoring or custom goal achieved. Skill and completion
    goals are achieved by evidence alone."""
    authz.require(actor, "goals.change_goal", goal)
    if goal.status != LearningGoal.Status.ACTIVE:
        raise DomainError("not_active", "Only an active goal can be achieved.")
    if goal.kind in DERIVED_KINDS:
        raise DomainError(
            "derived_goal",
            "This goal is achieved when the evidence shows it (a validated level, a completion).",
        )
    _achieve(goal, now=timezone.now(), actor=actor)
    return goal


@transaction.atomic
def abandon_goal(*, actor: Any, goal: LearningGoal, reason: str = "") -> LearningGoal:
    """The person drops a goal (or declines a proposed one)."""
    authz.require(actor, "goals.change_goal", goal)
    if not goal.is_open:
        raise DomainError("goal_closed", "This goal is already closed.")
    goal.status = LearningGoal.Status.ABANDONED
    goal.save(update_fields=["status", "updated_at"])
    reason = _text(reason, field="reason", limit=TEXT_MAX)
    if reason:
        GoalComment.objects.create(goal=goal, author=goal.person, body=reason)
    if goal.proposed_by is not None and goal.proposed_by.is_active:
        notify(
            recipient=goal.proposed_by.user,
            kind="goals.goal_abandoned",
            title=f"{goal.person.display_name} dropped the goal “{goal.title}”",
            body=reason,
            url=f"/goals/{goal.pk}/",
            actor=actor,
        )
    return goal


# --- Derived progress ----------------------------------------------------------------------------


def _refresh(goals: Sequence[LearningGoal], *, now: dt.datetime) -> list[LearningGoal]:
    """Recompute derived progress of skill and completion goals; achieve the ones complete.

    Two queries for any number of goals (levels, completions per kind), plus the writes.
    """
    skill_goals = [g for g in goals if g.kind == LearningGoal.Kind.SKILL and g.skill_id]
    levels: dict[tuple[int, int], int | None] = {}
    if skill_goals:
        people = {g.person_id for g in skill_goals}
        skills = {g.skill_id for g in skill_goals if g.skill_id is not None}
        for person_id, skill_id, level in SkillLevel.objects.filter(
            person_id__in=people, skill_id__in=skills
        ).values_list("person_id", "skill_id", "validated_level"):
            levels[(person_id, skill_id)] = level
    completion: dict[tuple[int, str], float] = {}
    for kind in COMPLETION_KINDS:
        source = derived.completion_source(kind)
        pairs = [(g.person_id, g.target_ref) for g in goals if g.kind == kind]
        if source is not None and pairs:
            completion.update(source(pairs))
    achieved = []
    for goal in goals:
        if goal.kind == LearningGoal.Kind.SKILL and goal.skill_id and goal.target_level:
            new = derived.skill_progress(
                levels.get((goal.person_id, goal.skill_id)), goal.start_level, goal.target_level
            )
        elif (goal.person_id, goal.target_ref) in completion and goal.kind in COMPLETION_KINDS:
            new = max(0.0, min(1.0, completion[(goal.person_id, goal.target_ref)]))
        else:
            continue
        if new != goal.progress:
            goal.progress = new
            goal.progress_changed_at = now
            goal.save(update_fields=["progress", "progress_changed_at"])
        if new >= 1.0 and goal.status == LearningGoal.Status.ACTIVE:
            _achieve(goal, now=now)
            achieved.append(goal)
    return achieved


@transaction.atomic
def refresh_goal_progress(
    *, person_id: int, skill_id: int | None = None, kinds: Iterable[str] | None = None
) -> list[LearningGoal]:
    """Re-derive the progress of a person's active goals (of one skill, or of some kinds) from
    evidence, achieving those complete. Called by skills after a level changes, by content after
    a completion, and by the nightly scan. Returns the goals achieved now."""
    goals = LearningGoal.objects.filter(
        person_id=person_id, status=LearningGoal.Status.ACTIVE, kind__in=list(DERIVED_KINDS)
    ).select_related("person__user", "person__manager__user")
    if skill_id is not None:
        goals = goals.filter(kind=LearningGoal.Kind.SKILL, skill_id=skill_id)
    if kinds is not None:
        goals = goals.filter(kind__in=list(kinds))
    return _refresh(list(goals), now=timezone.now())


def level_changed(person_id: int, skill_id: int) -> None:
    """The listener skills calls after ``record_evidence`` rewrote a level."""
    refresh_goal_progress(person_id=person_id, skill_id=skill_id)


# --- The recurring scan --------------------------------------------------------------------------

STALLED_DAYS = 21
CHECK_IN_DAYS = 14
REMIND_EVERY_DAYS = 7
SCAN_BATCH = 2000


def last_movement(goal: LearningGoal) -> dt.datetime:
    """When the goal last moved: progress, a check-in, or its creation."""
    moments = [goal.created_at, goal.progress_changed_at, goal.last_check_in_at]
    return max(moment for moment in moments if moment is not None)


def scan_goals(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily scan: re-derive progress of every active goal, then remind people of stalled
    and overdue goals and of key results without a recent check-in (at most once a week each),
    and tell managers about their reports' stalled goals."""
    now = now or timezone.now()
    counts = {"refreshed": 0, "achieved": 0, "stalled": 0, "overdue": 0, "key_results": 0}
    active = LearningGoal.objects.filter(
        status=LearningGoal.Status.ACTIVE, kind__in=list(DERIVED_KINDS)
    ).select_related("person__user", "person__manager__user")
    ids = list(active.values_list("pk", flat=True))
    for start in range(0, len(ids), SCAN_BATCH):
        with transaction.atomic():
            batch = list(active.filter(pk__in=ids[start : start + SCAN_BATCH]))
            counts["refreshed"] += len(batch)
            counts["achieved"] += len(_refresh(batch, now=now))
    with transaction.atomic():
        _remind_goals(now, counts)
        _remind_key_results(now, counts)
    return counts


def _remind_goals(now: dt.datetime, counts: dict[str, int]) -> None:
    quiet_since = now - dt.timedelta(days=REMIND_EVERY_DAYS)
    stalled_before = now - dt.timedelta(days=STALLED_DAYS)
    candidates = (
        LearningGoal.objects.filter(status=LearningGoal.Status.ACTIVE)
        .exclude(reminded_at__gte=quiet_since)
        .select_related("person__user", "person__manager__user")
    )
    by_manager: dict[int, tuple[Person, list[LearningGoal]]] = {}
    reminded = []
    today = timezone.localdate(now)
    for goal in candidates.iterator(chunk_size=SCAN_BATCH):
        overdue = goal.due_on is not None and goal.due_on < today
        stalled = last_movement(goal) < stalled_before
        if not (overdue or stalled):
            continue
        counts["overdue" if overdue else "stalled"] += 1
        reminded.append(goal.pk)
        notify(
            recipient=goal.person.user,
            kind="goals.check_in_due",
            title=(
                f"“{goal.title}” is overdue: check in, move the date or close it"
                if overdue
                else f"“{goal.title}” has not moved for {STALLED_DAYS} days: time for a check-in"
            ),
            url=f"/goals/{goal.pk}/",
        )
        manager = goal.person.manager
        if manager is not None and manager.is_active:
            by_manager.setdefault(manager.pk, (manager, []))[1].append(goal)
    for manager, goals in by_manager.values():
        names = sorted({goal.person.display_name for goal in goals})
        notify(
            recipient=manager.user,
            kind="goals.team_goals_stalled",
            title=f"{len(goals)} goal(s) of your team need attention",
            body="Stalled or overdue goals of " + ", ".join(names) + ".",
            url="/goals/team/",
        )
    LearningGoal.objects.filter(pk__in=reminded).update(reminded_at=now)


def _remind_key_results(now: dt.datetime, counts: dict[str, int]) -> None:
    today = timezone.localdate(now)
    due_before = now - dt.timedelta(days=CHECK_IN_DAYS)
    quiet_since = now - dt.timedelta(days=REMIND_EVERY_DAYS)
    key_results = (
        KeyResult.objects.filter(
            objective__status=Objective.Status.ACTIVE,
            objective__cycle__starts_on__lte=today,
            objective__cycle__ends_on__gte=today,
            created_at__lt=due_before,
        )
        .exclude(last_check_in_at__gte=due_before)
        .exclude(reminded_at__gte=quiet_since)
        .select_related("owner__user", "objective__owner__user")
    )
    reminded = []
    for key_result in key_results.iterator(chunk_size=SCAN_BATCH):
        owner = key_result.owner or key_result.objective.owner
        reminded.append(key_result.pk)
        counts["key_results"] += 1
        if owner.is_active:
            notify(
                recipient=owner.user,
                kind="goals.check_in_due",
                title=f"Check in on “{key_result.title}”",
                url=f"/goals/objectives/{key_result.objective_id}/",
            )
    KeyResult.objects.filter(pk__in=reminded).update(reminded_at=now)
