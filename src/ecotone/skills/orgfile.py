"""The ``role_profile`` column of the org file, registered with people's org importer.

A cell names a role profile by its name or its slug (case-insensitive); an empty cell removes the
person's assignment. The export writes the profile's name. See docs/org-import.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecotone.people.orgfile.extensions import ExtraColumn, register_column
from ecotone.skills import services
from ecotone.skills.models import RoleAssignment, RoleProfile

SUGGESTIONS = 3


@dataclass(frozen=True)
class Profiles:
    """Every role profile by lower-case name and slug, and who is assigned which (by name)."""

    by_key: dict[str, RoleProfile]
    names: list[str]
    assigned: dict[int, str]


def assigned_names() -> dict[int, str]:
    """Person id to the name of their role profile. One query."""
    return dict(RoleAssignment.objects.order_by().values_list("person_id", "role__name"))


def load() -> Profiles:
    """Two queries, whatever the size of the file."""
    profiles = list(RoleProfile.objects.order_by("name").only("pk", "name", "slug"))
    by_key = {profile.slug.lower(): profile for profile in profiles}
    by_key |= {profile.name.lower(): profile for profile in profiles}  # a name wins over a slug
    return Profiles(
        by_key=by_key, names=[profile.name for profile in profiles], assigned=assigned_names()
    )


def validate(profiles: Profiles, cell: str) -> str:
    """The profile's name, or ``""`` for none. Raises ``ValueError`` for an unknown profile."""
    value = cell.strip()
    if not value:
        return ""
    profile = profiles.by_key.get(value.lower())
    if profile is None:
        if not profiles.names:
            raise ValueError(f"Unknown role profile {value!r}: no role profile exists yet.")
        examples = ", ".join(profiles.names[:SUGGESTIONS])
        more = ", …" if len(profiles.names) > SUGGESTIONS else ""
        raise ValueError(
            f"Unknown role profile {value!r}: write the name or slug of a role profile "
            f"({examples}{more})."
        )
    return profile.name


def current(profiles: Profiles) -> dict[int, str]:
    return profiles.assigned


def apply(actor: Any, profiles: Profiles, values: dict[int, str]) -> None:
    services.assign_role_profiles(
        actor=actor,
        assignments={
            person_id: profiles.by_key[name.lower()] if name else None
            for person_id, name in values.items()
        },
    )


ROLE_PROFILE_COLUMN: ExtraColumn[Profiles] = ExtraColumn(
    name="role_profile",
    aliases=("role_profile_slug", "job_role", "job_profile", "skills_profile"),
    load=load,
    validate=validate,
    current=current,
    apply=apply,
    export=assigned_names,
    description="The role profile the person's skills are measured against (name or slug).",
)

register_column(ROLE_PROFILE_COLUMN)
