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

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Count, F, Max, Q, QuerySet

from ecotone.people.models import Person
from ecotone.skills.models import RoleAssignment, RoleRequirement


@dataclass(frozen=True)
class Requirement:
    """A need for ``needed`` people at ``target_level`` in a skill (within a team when given)."""

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

    def for_people(self, people: QuerySet[Person], *, by_team: bool = False) -> list[Requirement]:
        """What a group needs, per skill (and per team of the people when ``by_team``)."""
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

    def for_people(self, people: QuerySet[Person], *, by_team: bool = False) -> list[Requirement]:
        fields: dict[str, Any] = {"skill_id": F("role__requirements__skill_id")}
        if by_team:
            fields["team_id"] = F("person__team_id")
        rows = (
            RoleAssignment.objects.filter(person__in=people, role__requirements__isnull=False)
            .values(**fields)
            .annotate(
                required_by=Count("id", filter=Q(role__requirements__required=True)),
                wanted_by=Count("id"),
                target=Max("role__requirements__target_level"),
            )
            .order_by()
        )
        result = []
        for row in rows:
            values: dict[str, Any] = dict(row)
            result.append(
                Requirement(
                    skill_id=values["skill_id"],
                    target_level=values["target"],
                    needed=values["required_by"] or values["wanted_by"],
                    required=values["required_by"] > 0,
                    source=self.name,
                    team_id=values.get("team_id"),
                )
            )
        return result


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
    people: QuerySet[Person], *, by_team: bool = False
) -> dict[tuple[int | None, int], Requirement]:
    return merge(
        item for source in sources() for item in source.for_people(people, by_team=by_team)
    )


register_source(RoleProfiles())
