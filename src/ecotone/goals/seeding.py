"""Seed steps of the goals app (300-399): OKRs with skill demand, and learning goals.

Two quarters (the current one and the previous one) with company, division, team and personal
objectives aligned into a tree, key results with check-in history, skill demand that leaves
visible readiness gaps, and learning goals for many people: achieved, on track, stalled,
proposed by a manager. Everything is written with bulk inserts; progress of skill goals is
derived from the levels the skills steps wrote, exactly as ``refresh_goal_progress`` would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from itertools import batched
from typing import Any

from django.utils import timezone

from ecotone.goals import progress as derived
from ecotone.goals.models import (
    Alignment,
    CheckIn,
    Cycle,
    KeyResult,
    LearningGoal,
    Objective,
    Priority,
    SkillDemand,
)
from ecotone.people.models import Team
from ecotone.people.seeding import PersonPlan, SeedContext, TeamPlan, register_step
from ecotone.skills.demo_framework import DIVISION_CORE
from ecotone.skills.models import Skill, SkillLevel

BATCH = 2000
PERSONAL_SHARE = 12  # one person in twelve writes a personal objective
GOAL_SHARE = 0.45  # of active people have learning goals

COMPANY = (
    (
        "Launch Larkspur in two new European markets",
        Priority.CRITICAL,
        (("Markets live", "number", 0, 2), ("Localised onboarding flows", "milestones", 0, 4)),
        (("Kubernetes", 4, 40), ("Security compliance", 4, 25), ("Multilingual support", 3, 60)),
    ),
    (
        "Make the platform reliable enough for hospital customers",
        Priority.CRITICAL,
        (("Availability (%)", "percentage", 99.5, 99.95), ("Sev-1 incidents", "number", 9, 2)),
        (("Observability", 4, 45), ("Incident response", 4, 30), ("System design", 4, 50)),
    ),
    (
        "Grow net revenue retention above 115 %",
        Priority.HIGH,
        (
            ("Net revenue retention (%)", "percentage", 104, 115),
            ("Renewal playbook", "boolean", 0, 1),
        ),
        (("Customer success", 4, 40), ("Negotiation", 3, 30), ("Product analytics", 3, 25)),
    ),
    (
        "Decide with data in every product team",
        Priority.MEDIUM,
        (
            ("Teams running experiments", "number", 2, 12),
            ("Self-serve dashboards", "number", 5, 30),
        ),
        (("Experimentation", 3, 35), ("SQL", 3, 120), ("Data visualisation", 3, 40)),
    ),
)
TEAM_TITLES = (
    "Ship what {team} promised for the {company}",
    "Raise the quality bar of {team}",
    "Grow {team}'s skills for the launch",
    "Cut the toil in {team}",
)
TEAM_RESULTS = {
    "number": ("Customer-facing releases shipped", "Runbooks written", "Flaky tests removed"),
    "percentage": ("Share of work items with a design review", "Automated test coverage"),
    "milestones": ("Migration to the new platform",),
    "boolean": ("Quarterly plan agreed with stakeholders",),
}
PERSONAL_TITLES = (
    "Lead my first cross-team project",
    "Become the go-to person for {skill}",
    "Share what I know with the guild",
    "Automate my team's weekly chores",
    "Get ready for a senior role",
)


def _quarter(day: dt.date) -> tuple[dt.date, dt.date, str]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + 3
    end = (
        dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)
    ) - dt.timedelta(days=1)
    return start, end, f"Q{(first_month - 1) // 3 + 1} {day.year}"


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


class _Writer:
    """Collects rows in memory, then writes them in bulk."""

    def __init__(self, context: SeedContext, skills: dict[str, Skill]) -> None:
        self.context = context
        self.rng: random.Random = context.rng
        self.skills = skills
        self.key_results: list[tuple[Objective, KeyResult, float]] = []
        self.demands: list[SkillDemand] = []
        self.alignments: list[Alignment] = []

    def objective(self, **fields: Any) -> Objective:
        return Objective(**fields)

    def key_result(
        self,
        objective: Objective,
        title: str,
        metric: str,
        start: float,
        target: float,
        done: float,
    ) -> None:
        milestones: list[dict[str, Any]] = []
        if metric == "milestones":
            names = ["Plan", "Build", "Pilot", "Roll out", "Review"][: int(target)]
            milestones = [
                {"title": name, "done": i < round(done * target)} for i, name in enumerate(names)
            ]
        direction = "increase" if target >= start else "decrease"
        current = start + (target - start) * done
        if metric == "number" and float(target).is_integer() and float(start).is_integer():
            current = float(round(current))
        if metric == "boolean":
            current = 1.0 if done >= 1 else 0.0
        if metric == "milestones":
            current = float(sum(1 for item in milestones if item["done"]))
        key_result = KeyResult(
            objective=objective,
            title=title,
            metric=metric,
            direction=direction,
            start_value=start,
            target_value=target,
            current_value=round(current, 2),
            milestones=milestones,
            confidence=("on_track" if done > 0.45 else "at_risk" if done > 0.2 else "off_track"),
        )
        self.key_results.append((objective, key_result, done))


@register_step("goals_okrs", label="Writing OKRs and skill demand", order=300)
def write_okrs(context: SeedContext) -> None:
    if Cycle.objects.exists():
        return
    skills = {skill.name: skill for skill in Skill.objects.filter(status=Skill.Status.ACTIVE)}
    if not skills:
        return
    start, end, name = _quarter(context.today)
    previous_start, previous_end, previous_name = _quarter(start - dt.timedelta(days=1))
    current = Cycle.objects.create(name=name, kind="quarter", starts_on=start, ends_on=end)
    previous = Cycle.objects.create(
        name=previous_name, kind="quarter", starts_on=previous_start, ends_on=previous_end
    )
    elapsed = max(0.05, min(1.0, (context.today - start).days / max(1, (end - start).days)))
    teams = [team for team in context.teams if team.id is not None and team.lead is not None]
    root = next((team for team in context.teams if team.parent is None), None)
    if root is None or root.lead is None or root.lead.id is None:
        return
    headcount = sum(1 for person in context.people if person.is_active)
    writer = _Writer(context, skills)
    demo = context.extras.get("demo_people", {})
    for cycle, pace, status in ((previous, 1.0, "done"), (current, elapsed, "active")):
        _cycle_okrs(
            writer,
            cycle=cycle,
            pace=pace,
            status=status,
            root=root,
            teams=teams,
            headcount=headcount,
            demo=demo,
            full=cycle is current,
        )
    context.added["objectives"] += Objective.objects.count()
    context.added["skill demands"] += SkillDemand.objects.count()
    context.extras["goals_cycle"] = current


def _cycle_okrs(
    writer: _Writer,
    *,
    cycle: Cycle,
    pace: float,
    status: str,
    root: TeamPlan,
    teams: list[TeamPlan],
    headcount: int,
    demo: dict[str, PersonPlan],
    full: bool,
) -> None:
    rng, skills, context = writer.rng, writer.skills, writer.context
    assert root.lead is not None
    assert root.lead.id is not None
    scale = headcount / 2000
    company: list[Objective] = []
    company_demand: list[tuple[int, str, int, int]] = []
    for title, priority, key_results, demand in COMPANY:
        objective = Objective.objects.create(
            cycle=cycle,
            level="company",
            title=title,
            owner_id=root.lead.id,
            priority=priority,
            status=status,
            description="A company objective for the quarter.",
        )
        company.append(objective)
        for kr_title, metric, start, target in key_results:
            done = (
                min(1.0, max(0.0, rng.gauss(pace * 0.9, 0.15)))
                if pace < 1
                else rng.uniform(0.7, 1.0)
            )
            writer.key_result(objective, kr_title, metric, start, target, done)
        for skill_name, level, per_2000 in demand:
            if skill_name in skills:
                company_demand.append(
                    (objective.pk, skill_name, level, max(2, round(per_2000 * scale)))
                )
    for objective_id, skill_name, level, needed in company_demand:
        writer.demands.append(
            SkillDemand(
                objective_id=objective_id, skill=skills[skill_name], min_level=level, needed=needed
            )
        )
    by_team: dict[int, Objective] = {}
    ordered = sorted(teams, key=lambda team: (team.depth, team.slug))
    team_rows = []
    for team in ordered:
        if team.depth == 0 or team.lead is None or team.lead.id is None:
            continue
        team_rows.append(
            Objective(
                cycle=cycle,
                level="team",
                title=rng.choice(TEAM_TITLES).format(
                    team=team.name, company=rng.choice(company).title.lower()
                )[:200],
                owner_id=team.lead.id,
                team_id=team.id,
                priority=rng.choice(
                    [Priority.HIGH, Priority.MEDIUM, Priority.MEDIUM, Priority.LOW]
                ),
                status=status,
            )
        )
    Objective.objects.bulk_create(team_rows, batch_size=BATCH)
    plans = {team.id: team for team in ordered}
    for objective in team_rows:
        by_team[objective.team_id or 0] = objective
    names = sorted(skills)
    demo_manager = demo.get("manager")
    demo_learner = demo.get("learner")
    for objective in team_rows:
        team = plans[objective.team_id]
        parent = by_team.get(team.parent.id or 0) if team.parent is not None else None
        writer.alignments.append(
            Alignment(child=objective, parent=parent or company[len(team.slug) % len(company)])
        )
        for index in range(rng.randint(1, 3)):
            done = (
                min(1.0, max(0.0, rng.gauss(pace * 0.85, 0.25)))
                if pace < 1
                else rng.uniform(0.5, 1.0)
            )
            metric = rng.choice(["number", "number", "percentage", "milestones", "boolean"])
            target = {
                "number": rng.choice([5, 10, 20, 50]),
                "percentage": rng.choice([60, 80, 95]),
            }.get(metric, 4 if metric == "milestones" else 1)
            titles = TEAM_RESULTS[metric]
            writer.key_result(objective, titles[index % len(titles)], metric, 0, target, done)
        if full:
            core = [name for name in DIVISION_CORE.get(team.division, ()) if name in skills]
            chosen = set(rng.sample(core, min(len(core), 1)))
            chosen |= set(rng.sample(names, 2 if team.is_leaf else 1))
            for skill_name in sorted(chosen):
                writer.demands.append(
                    SkillDemand(
                        objective=objective,
                        skill=skills[skill_name],
                        min_level=rng.choice([3, 3, 4]),
                        needed=rng.randint(2, 4) if team.is_leaf else rng.randint(3, 8),
                        team_id=team.id,
                    )
                )
    if full and demo_manager is not None and demo_learner is not None:
        _demo_demand(writer, by_team, demo_manager, demo_learner)
    personal_rows = []
    parents: list[tuple[Objective, Objective | None]] = []
    for person in context.people:
        if not person.is_active or person.id is None or person.is_lead:
            continue
        if rng.randrange(PERSONAL_SHARE) != 0 and person is not demo_learner:
            continue
        team_objective = by_team.get(person.team.id or 0)
        objective = Objective(
            cycle=cycle,
            level="personal",
            title=rng.choice(PERSONAL_TITLES).format(skill=rng.choice(names))[:200],
            owner_id=person.id,
            team_id=person.team.id,
            priority=Priority.MEDIUM,
            status=status,
        )
        personal_rows.append(objective)
        parents.append((objective, team_objective))
    Objective.objects.bulk_create(personal_rows, batch_size=BATCH)
    for objective, parent in parents:
        if parent is not None:
            writer.alignments.append(Alignment(child=objective, parent=parent))
        done = min(1.0, max(0.0, rng.gauss(pace * 0.8, 0.3))) if pace < 1 else rng.uniform(0.4, 1.0)
        writer.key_result(objective, "Milestones reached", "milestones", 0, 3, done)
    _flush(writer, cycle)


def _demo_demand(
    writer: _Writer, by_team: dict[int, Objective], manager: PersonPlan, learner: PersonPlan
) -> None:
    """The demo manager's team objective needs a skill the demo learner does not have yet."""
    objective = by_team.get(manager.team.id or 0)
    if objective is None or learner.id is None:
        return
    held = dict(
        SkillLevel.objects.filter(person_id=learner.id).values_list(
            "skill__name", "validated_level"
        )
    )
    for name in ("Kubernetes", "Observability", "System design", "Terraform"):
        if name in writer.skills and (held.get(name) or 0) < 3:
            writer.demands = [
                d for d in writer.demands if not (d.objective is objective and d.skill.name == name)
            ]
            writer.demands.append(
                SkillDemand(
                    objective=objective,
                    skill=writer.skills[name],
                    min_level=3,
                    needed=4,
                    team_id=manager.team.id,
                )
            )
            return


def _flush(writer: _Writer, cycle: Cycle) -> None:
    rng = writer.rng
    KeyResult.objects.bulk_create([kr for _, kr, _ in writer.key_results], batch_size=BATCH)
    check_ins = []
    days = max(1, (min(cycle.ends_on, writer.context.today) - cycle.starts_on).days)
    for _objective, key_result, done in writer.key_results:
        count = rng.randint(0, 4)
        last = None
        for step in range(1, count + 1):
            day = cycle.starts_on + dt.timedelta(days=days * step // (count + 1))
            share = done * step / count
            value = (
                key_result.start_value + (key_result.target_value - key_result.start_value) * share
            )
            last = _moment(day)
            check_ins.append(
                CheckIn(
                    key_result=key_result,
                    value=round(value, 2),
                    confidence=key_result.confidence or "on_track",
                    comment=rng.choice(
                        ["", "", "Steady progress.", "Blocked on a dependency.", "Ahead of plan."]
                    ),
                )
            )
        key_result.last_check_in_at = last
    KeyResult.objects.bulk_update(
        [kr for _, kr, _ in writer.key_results], ["last_check_in_at"], batch_size=BATCH
    )
    for chunk in batched(check_ins, BATCH):
        CheckIn.objects.bulk_create(chunk)
    Alignment.objects.bulk_create(writer.alignments, batch_size=BATCH, ignore_conflicts=True)
    SkillDemand.objects.bulk_create(writer.demands, batch_size=BATCH, ignore_conflicts=True)
    writer.key_results, writer.alignments, writer.demands = [], [], []


@register_step("goals_learning", label="Writing learning goals", order=310)
def write_learning_goals(context: SeedContext) -> None:
    if LearningGoal.objects.exists():
        return
    cycle: Cycle | None = context.extras.get("goals_cycle")
    if cycle is None:
        return
    rng = context.rng
    now = timezone.now()
    today = context.today
    active = [p for p in context.people if p.is_active and p.id is not None]
    levels: dict[int, dict[int, tuple[int | None, int | None]]] = defaultdict(dict)
    for chunk in batched([p.id for p in active if p.id is not None], 5000):
        for person_id, skill_id, level, validated in SkillLevel.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "skill_id", "level", "validated_level"):
            levels[person_id][skill_id] = (level, validated)
    team_objectives = dict(
        Objective.objects.filter(cycle=cycle, level="team").values_list("team_id", "pk")
    )
    demanded: dict[int, list[tuple[int | None, int, int]]] = defaultdict(list)
    for demand_objective, team_id, skill_id, level in SkillDemand.objects.filter(
        objective__cycle=cycle, team__isnull=False
    ).values_list("objective_id", "team_id", "skill_id", "min_level"):
        demanded[team_id].append((demand_objective, skill_id, level))
    team_paths = dict(Team.objects.values_list("pk", "path"))
    goals: list[LearningGoal] = []
    created_at: list[dt.datetime] = []
    links: list[tuple[LearningGoal, int | None]] = []
    demo = context.extras.get("demo_people", {})
    demo_learner, demo_manager = demo.get("learner"), demo.get("manager")
    for person in active:
        assert person.id is not None
        in_demo_team = demo_manager is not None and person.manager is demo_manager
        if not in_demo_team and rng.random() > GOAL_SHARE:
            continue
        held = levels.get(person.id, {})
        if not held:
            continue
        reports_demo_manager = (
            demo_manager is not None
            and person.manager is demo_manager
            and person is not demo_learner
        )
        path = team_paths.get(person.team.id or 0, "")
        ancestry = [int(part) for part in path.strip("/").split("/") if part]
        options = [
            (objective_id, skill_id, level)
            for team_id in ancestry
            for objective_id, skill_id, level in demanded.get(team_id, ())
            if (held.get(skill_id, (None, None))[1] or 0) < level
        ]
        chosen_skills: set[int] = set()
        for index in range(rng.choice([1, 1, 2])):
            if options and rng.random() < 0.6:
                objective_id, skill_id, target = rng.choice(options)
            else:
                skill_id = rng.choice(sorted(held))
                objective_id = (
                    team_objectives.get(person.team.id or 0) if rng.random() < 0.5 else None
                )
                target = min(5, max(2, (held[skill_id][1] or 0) + 1))
            if skill_id in chosen_skills:
                continue
            chosen_skills.add(skill_id)
            validated = held.get(skill_id, (None, None))[1] or 0
            fate = rng.random()
            start_level = max(0, validated - (1 if fate < 0.25 else 0))
            if fate < 0.25 and validated >= 1:
                status, start_level, target = "achieved", validated - 1, validated
            elif validated >= target:
                continue
            elif fate < 0.3:
                status = "abandoned"
            else:
                status = "active"
                if validated >= 1 and rng.random() < 0.5:
                    start_level = validated - 1  # moved one level since the goal was set
            created = now - dt.timedelta(days=rng.randint(10, 120))
            stalled = status == "active" and (
                rng.random() < 0.25
                or (reports_demo_manager and index == 0 and created < now - dt.timedelta(days=30))
            )
            overdue = reports_demo_manager and index == 0 and not stalled and status == "active"
            progress = derived.skill_progress(validated, start_level, target)
            goal = LearningGoal(
                person_id=person.id,
                kind="skill",
                skill_id=skill_id,
                target_level=target,
                start_level=start_level,
                title="",
                due_on=today + dt.timedelta(days=rng.randint(-20, 120) if not overdue else -6)
                if status == "active"
                else today - dt.timedelta(days=rng.randint(5, 60)),
                visibility=rng.choice(["private", "team", "team", "everyone"]),
                status=status,
                progress=progress,
                progress_changed_at=created
                if stalled
                else now - dt.timedelta(days=rng.randint(1, 15)),
                last_check_in_at=None if stalled else now - dt.timedelta(days=rng.randint(1, 20)),
                motivation=rng.choice(
                    [
                        "",
                        "Our objective needs it.",
                        "I want to grow into this.",
                        "My manager and I agreed on it.",
                    ]
                ),
                achieved_at=now - dt.timedelta(days=rng.randint(1, 60))
                if status == "achieved"
                else None,
            )
            created_at.append(created)
            goals.append(goal)
            links.append((goal, objective_id))
            if index == 0 and person is demo_learner and demo_manager is not None:
                goal.status = "proposed"
                goal.proposed_by_id = demo_manager.id
    names = dict(Skill.objects.values_list("pk", "name"))
    for goal in goals:
        goal.title = (
            f"Reach level {goal.target_level} in {names.get(goal.skill_id or 0, 'a skill')}"
        )
    for part in batched(goals, BATCH):
        LearningGoal.objects.bulk_create(part)
    for goal, created in zip(goals, created_at, strict=True):
        goal.created_at = created
    LearningGoal.objects.bulk_update(goals, ["created_at"], batch_size=BATCH)
    through_objectives = LearningGoal.objectives.through
    through_skills = LearningGoal.skills.through
    rows_o = [
        through_objectives(learninggoal_id=goal.pk, objective_id=objective_id)
        for goal, objective_id in links
        if objective_id
    ]
    rows_s = [through_skills(learninggoal_id=goal.pk, skill_id=goal.skill_id) for goal in goals]
    through_objectives.objects.bulk_create(rows_o, batch_size=BATCH, ignore_conflicts=True)
    through_skills.objects.bulk_create(rows_s, batch_size=BATCH, ignore_conflicts=True)
    context.added["learning goals"] += len(goals)
