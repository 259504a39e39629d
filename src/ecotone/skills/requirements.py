"""Where skill requirements come from: a registry of pluggable requirement sources.

Gap analysis asks every registered source what a person, or a group of people, needs. Role
profiles are the first source; the goals app will register the skill demand of business
objectives the same way (``register_source(ObjectiveDemand())`` in its ``AppConfig.ready``), and
no caller of the gap analysis changes.

Merging: when several sources require the same skill, the highest target wins, and so does the
largest number of people needed and the largest ``weight`` (how much the need matters: objective
demand is weighted by the objective's priority; role profiles weigh 1).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from ecotone.people.models import Person, Team
from ecotone.skills.models import RoleAssignment, RoleRequirement


@dataclass(frozen=True)
class Requirement:
    """A need for ``needed`` people at ``target_level`` in a skill (within a group when given).

    ``team_id`` is set when requirements are asked for per subtree (``subtrees``): the id of the
    team whose subtree the people belong to.
    """

    skill_id: int
    target_level: int
    needed: int
    required: bool
    source: str
    team_id: int | None = None
    weight: float = 1.0


class RequirementSource(Protocol):
    name: str

    def for_person(self, person: Person) -> list[Requirement]:
        """What this one person should master (``needed`` is 1)."""
        ...

    def for_people(
        self, people: QuerySet[Person], *, subtrees: Sequence[Team] | None = None
    ) -> list[Requirement]:
        """What a group of people needs, per skill.

        With ``subtrees`` (teams whose subtrees do not overlap), per subtree and skill: people
        count towards the subtree that holds their team; people outside them are left out
        (``subtree_of`` builds the expression that says which subtree).
        """
        ...


class RoleProfiles:
    """People need the skills of the role profile they are assigned."""

    name = "role_profiles"

    def for_person(self, person: Person) -> list[Requirement]:
        rows = RoleRequirement.objects.filter(role__assignments__person=person).values_list(
            "skill_id", "target_level", "required"
        )
        return [
            Requirement(skill_id, target, 1, required, self.name)
            for skill_id, target, required in rows
        ]

    def for_people(
        self, people: QuerySet[Person], *, subtrees: Sequence[Team] | None = None
    ) -> list[Requirement]:
        """Two queries: how many people hold each role (per team), and the roles' requirements.

        Counting people per role, then multiplying by the roles' requirements, reads each
        assignment once instead of once per required skill.
        """
        assignments = RoleAssignment.objects.filter(person__in=people).order_by()
        holders: dict[tuple[int | None, int], int] = defaultdict(int)
        if subtrees is None:
            for role_id, count in (
                assignments.values("role_id").annotate(n=Count("id")).values_list("role_id", "n")
            ):
                holders[(None, role_id)] += count
        else:
            for group, role_id, count in (
                assignments.values("role_id", group=subtree_of("person__team", subtrees))
                .annotate(n=Count("id"))
                .values_list("group", "role_id", "n")
            ):
                if group is not None:
                    holders[(group, role_id)] += count
        needs: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
        for role_id, skill_id, target, required in RoleRequirement.objects.filter(
            role_id__in={role_id for _, role_id in holders}
        ).values_list("role_id", "skill_id", "target_level", "required"):
            needs[role_id].append((skill_id, target, required))
        # Per (group, skill): people required to hold it, people for whom it is nice to have,
        # and the highest target.
        totals: dict[tuple[int | None, int], list[int]] = {}
        for (group, role_id), count in holders.items():
            for skill_id, target, required in needs.get(role_id, ()):
                total = totals.setdefault((group, skill_id), [0, 0, 0])
                total[0] += count if required else 0
                total[1] += count
                total[2] = max(total[2], target)
        return [
            Requirement(
                skill_id=skill_id,
                target_level=target,
                needed=required_by or wanted_by,
                required=required_by > 0,
                source=self.name,
                team_id=group,
            )
            for (group, skill_id), (required_by, wanted_by, target) in totals.items()
        ]


def subtree_of(team: str, subtrees: Sequence[Team]) -> Case:
    """SQL: the id of the team of ``subtrees`` whose subtree holds the team ``team`` names (a
    relation path such as ``"person__team"``), or NULL. Lets the database count per subtree
    on the materialized team paths, returning one row per subtree instead of one per team.
    """
    deepest_first = sorted(subtrees, key=lambda subtree: -len(subtree.path))
    return Case(
        *(
            When(**{f"{team}__path__startswith": subtree.path}, then=Value(subtree.pk))
            for subtree in deepest_first
        ),
        default=None,
        output_field=IntegerField(),
    )


_sources: dict[str, RequirementSource] = {}


def register_source(source: RequirementSource) -> None:
    _sources[source.name] = source


def sources() -> list[RequirementSource]:
    return list(_sources.values())


def merge(requirements: Iterable[Requirement]) -> dict[tuple[int | None, int], Requirement]:
    """One requirement per (team, skill): the highest target, the most people needed."""
    merged: dict[tuple[int | None, int], Requirement] = {}
    for item in requirements:
        key = (item.team_id, item.skill_id)
        kept = merged.get(key)
        if kept is None:
            merged[key] = item
            continue
        merged[key] = Requirement(
            skill_id=item.skill_id,
            target_level=max(kept.target_level, item.target_level),
            needed=max(kept.needed, item.needed),
            required=kept.required or item.required,
            source=kept.source if kept.source == item.source else f"{kept.source},{item.source}",
            team_id=item.team_id,
            weight=max(kept.weight, item.weight),
        )
    return merged


def for_person(person: Person) -> dict[int, Requirement]:
    merged = merge(item for source in sources() for item in source.for_person(person))
    return {skill_id: item for (_, skill_id), item in merged.items()}


def for_people(
    people: QuerySet[Person], *, subtrees: Sequence[Team] | None = None
) -> dict[tuple[int | None, int], Requirement]:
    """What ``people`` need per skill; per subtree too, keyed by its team id, with ``subtrees``."""
    return merge(
        item for source in sources() for item in source.for_people(people, subtrees=subtrees)
    )


register_source(RoleProfiles())
