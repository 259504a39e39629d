"""Seed steps of the skills app (200-299): the demo framework, role profiles and months of history.

Evidence is generated in memory and written with bulk inserts; the read model is computed with
the same policy ``record_evidence`` uses (``levels.derive``), so the demo looks exactly as if
every rating had gone through the service.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from itertools import batched

from django.utils import timezone
from django.utils.text import slugify

from ecotone.people.models import Person
from ecotone.people.seeding import PersonPlan, SeedContext, register_step
from ecotone.skills import levels
from ecotone.skills.demo_framework import (
    CATEGORIES,
    DIVISION_CORE,
    LADDER,
    LEADERSHIP,
    MANAGEMENT,
    ROLE_SKILLS,
)
from ecotone.skills.models import (
    Evidence,
    Interest,
    RoleAssignment,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLevel,
    ValidationRequest,
)

BATCH = 2000
HISTORY_DAYS = 540
GENERALIST = (("Project management", 3, True), ("Stakeholder management", 3, True))
ABILITY = {"Junior": 1.8, "": 2.6, "Senior": 3.3, "Staff": 3.9, "Lead": 3.8, "Principal": 4.4}


def base_role(title: str) -> tuple[str, str]:
    """("Senior", "Data Engineer") from "Senior Data Engineer"."""
    first, _, rest = title.partition(" ")
    return (first, rest) if first in LADDER and rest else ("", title)


def requirements_for(person: PersonPlan) -> tuple[str, tuple[tuple[str, int, bool], ...]]:
    """The role profile a demo person is measured against: its name and requirements."""
    _, role = base_role(person.title)
    division = person.team.division
    core = tuple((name, 3, True) for name in DIVISION_CORE.get(division, ()))
    if person.is_lead:
        if person.team.depth <= 1 or not person.team.is_leaf:
            return role, LEADERSHIP + MANAGEMENT
        return role, core + MANAGEMENT
    if role in ROLE_SKILLS:
        specific = ROLE_SKILLS[role]
        names = {name for name, _, _ in specific}
        return role, specific + tuple(item for item in core if item[0] not in names)
    return role, GENERALIST + core


@register_step("skills_framework", label="Writing the skills framework", order=200)
def write_framework(context: SeedContext) -> None:
    categories = {c.slug: c for c in SkillCategory.objects.all()}
    for name, (description, _) in CATEGORIES.items():
        if slugify(name) not in categories:
            categories[slugify(name)] = SkillCategory.objects.create(
                name=name, slug=slugify(name), description=description
            )
    existing = set(Skill.objects.values_list("slug", flat=True))
    new = [
        Skill(
            name=name,
            slug=slugify(name),
            category=categories[slugify(category)],
            aliases=list(aliases),
            description=description,
        )
        for category, (_, skills) in CATEGORIES.items()
        for name, aliases, description in skills
        if slugify(name) not in existing
    ]
    Skill.objects.bulk_create(new, batch_size=BATCH)
    context.added["skills"] += len(new)
    skills = {skill.name: skill for skill in Skill.objects.filter(status=Skill.Status.ACTIVE)}
    profiles = {role.name: role for role in RoleProfile.objects.all()}
    wanted: dict[str, tuple[tuple[str, int, bool], ...]] = {}
    for person in context.people:
        name, needs = requirements_for(person)
        wanted.setdefault(name, needs)
    requirements = []
    for name, needs in sorted(wanted.items()):
        if name in profiles:
            continue
        profiles[name] = RoleProfile.objects.create(name=name, slug=slugify(name)[:140])
        requirements += [
            RoleRequirement(
                role=profiles[name], skill=skills[skill], target_level=target, required=required
            )
            for skill, target, required in needs
        ]
    RoleRequirement.objects.bulk_create(requirements, batch_size=BATCH, ignore_conflicts=True)
    context.added["role profiles"] += len(wanted)
    context.extras["skills"] = skills
    context.extras["role_profiles"] = profiles


def _moment(base: dt.datetime, rng: random.Random, *, after: int = 0) -> dt.datetime:
    """A time between ``HISTORY_DAYS`` and ``after`` days before ``base``."""
    days = rng.uniform(after + 1, HISTORY_DAYS)
    return base - dt.timedelta(days=days, minutes=rng.randint(0, 600))


@register_step("skills_history", label="Writing months of skill history", order=210)
def write_history(context: SeedContext) -> None:
    rng = context.rng
    skills: dict[str, Skill] = context.extras["skills"]
    profiles: dict[str, RoleProfile] = context.extras["role_profiles"]
    names = sorted(skills)
    base = min(
        timezone.now(),
        dt.datetime.combine(context.today, dt.time(9), tzinfo=dt.UTC),
    )
    active = [p for p in context.people if p.is_active and p.id is not None]
    done = set(Evidence.objects.values_list("person_id", flat=True).distinct())
    assigned = set(RoleAssignment.objects.values_list("person_id", flat=True))
    teammates: dict[int, list[PersonPlan]] = defaultdict(list)
    for person in active:
        teammates[id(person.team)].append(person)
    evidence: list[Evidence] = []
    assignments: list[RoleAssignment] = []
    interests: list[Interest] = []
    context.progress.start("Skill history", len(active))
    for person in active:
        context.progress.advance()
        assert person.id is not None
        role, needs = requirements_for(person)
        if person.id not in assigned:
            assignments.append(RoleAssignment(person_id=person.id, role=profiles[role]))
        if person.id in done:
            continue
        ladder, _ = base_role(person.title)
        ability = ABILITY.get(ladder, 2.6) + (0.6 if person.is_lead else 0.0)
        held = [(skills[name], target, required) for name, target, required in needs]
        for name in rng.sample(names, rng.randint(1, 4)):
            held.append((skills[name], 0, False))
        peers = [p for p in teammates[id(person.team)] if p is not person and p.user_id]
        best: tuple[int, Skill] | None = None
        worst: tuple[int, Skill] | None = None
        for skill, target, required in held:
            offset = 0.0 if required else (-0.5 if target else -1.0)
            true_level = max(1, min(5, round(rng.gauss(ability + offset, 0.8))))
            evidence += _history(person, skill, true_level, peers, base, rng)
            if best is None or true_level > best[0]:
                best = (true_level, skill)
            if target and (worst is None or target - true_level > worst[0]):
                worst = (target - true_level, skill)
        if worst is not None and worst[0] > 0 and rng.random() < 0.35:
            interests.append(Interest(person_id=person.id, skill=worst[1], kind="learn"))
        if best is not None and best[0] >= 4 and rng.random() < 0.3:
            kind = rng.choice(["teach", "mentor"])
            interests.append(Interest(person_id=person.id, skill=best[1], kind=kind))
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH, ignore_conflicts=True)
    for chunk in batched(evidence, BATCH):
        Evidence.objects.bulk_create(chunk)
    Interest.objects.bulk_create(interests, batch_size=BATCH, ignore_conflicts=True)
    _write_levels({e.person_id for e in evidence}, base)
    _pending_requests(context, skills, base)
    context.added["skill evidence"] += len(evidence)
    context.added["role assignments"] += len(assignments)


def _history(
    person: PersonPlan,
    skill: Skill,
    true_level: int,
    peers: list[PersonPlan],
    base: dt.datetime,
    rng: random.Random,
) -> list[Evidence]:
    """A few self-ratings growing towards a (biased) view, a validation, endorsements, courses."""
    rows = []
    assert person.id is not None
    first = _moment(base, rng, after=120)
    bias = rng.choice([-1, 0, 0, 1, 1])
    early = max(1, min(5, true_level - rng.choice([0, 1]) + bias))
    rows.append(_row(person.id, skill, "self", early, first, person.user_id))
    if rng.random() < 0.6:
        later = first + dt.timedelta(days=rng.uniform(30, (base - first).days or 31))
        rows.append(
            _row(
                person.id,
                skill,
                "self",
                max(1, min(5, true_level + bias)),
                min(later, base - dt.timedelta(hours=1)),
                person.user_id,
            )
        )
    manager = person.manager
    if manager is not None and manager.user_id and rng.random() < 0.55:
        when = _moment(base, rng)
        rows.append(_row(person.id, skill, "manager", true_level, when, manager.user_id))
    for peer in rng.sample(peers, min(len(peers), rng.choice([0, 0, 1, 1, 2, 3]))):
        rows.append(_row(person.id, skill, "peer", None, _moment(base, rng), peer.user_id))
    if rng.random() < 0.2:
        course = max(1, true_level - rng.choice([0, 1]))
        row = _row(person.id, skill, "course", course, _moment(base, rng), None)
        row.link_type, row.link_id = "demo.course", f"{skill.slug}-{course}"
        rows.append(row)
    return rows


def _row(
    person_id: int,
    skill: Skill,
    source: str,
    level: int | None,
    when: dt.datetime,
    author_id: int | None,
) -> Evidence:
    return Evidence(
        person_id=person_id,
        skill=skill,
        source=source,
        level=level,
        occurred_at=when,
        author_id=author_id,
    )


def _write_levels(person_ids: set[int], as_of: dt.datetime) -> None:
    """Derive the read model from the evidence just written, with the service's policy."""
    for chunk in batched(sorted(person_ids), 500):
        grouped: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
        teams = dict(
            Person.objects.filter(pk__in=chunk, status=Person.Status.ACTIVE).values_list(
                "pk", "team_id"
            )
        )
        for row in Evidence.objects.filter(person_id__in=chunk).order_by():
            grouped[(row.person_id, row.skill_id)].append(row)
        rows = []
        for (person_id, skill_id), items in grouped.items():
            derived = levels.derive(levels.pieces_of(items), as_of)
            rows.append(
                SkillLevel(
                    person_id=person_id,
                    skill_id=skill_id,
                    level=derived.level,
                    validated_level=derived.validated_level,
                    self_level=derived.self_level,
                    confidence=derived.confidence,
                    endorsements=derived.endorsements,
                    last_evidence_at=derived.last_evidence_at,
                    validated_at=derived.validated_at,
                    computed_at=as_of,
                    team_id=teams.get(person_id),
                )
            )
        SkillLevel.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _pending_requests(context: SeedContext, skills: dict[str, Skill], base: dt.datetime) -> None:
    """The demo manager finds reports' self-ratings waiting for validation."""
    manager = context.extras.get("demo_people", {}).get("manager")
    if manager is None or manager.id is None:
        return
    reports = [p.id for p in context.people if p.manager is manager and p.is_active and p.id]
    candidates = (
        SkillLevel.objects.filter(person_id__in=reports, self_level__isnull=False)
        .exclude(validated_level__gte=5)
        .order_by("person_id", "-self_level", "skill_id")
    )
    seen: set[int] = set()
    requests = []
    for row in candidates:
        if row.person_id in seen or len(seen) >= 4:
            continue
        seen.add(row.person_id)
        requests.append(
            ValidationRequest(
                person_id=row.person_id,
                skill_id=row.skill_id,
                level=row.self_level or 3,
                kind=ValidationRequest.Kind.VALIDATION,
                reviewer_id=manager.id,
                message="I led this on our last project; could you validate it?",
            )
        )
    ValidationRequest.objects.bulk_create(requests, ignore_conflicts=True)
    context.added["validation requests"] += len(requests)
