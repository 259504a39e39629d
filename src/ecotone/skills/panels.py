"""The skills panels on pages other apps own (registered in ``SkillsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ecotone.kernel.panels import register_panel
from ecotone.people.models import Person
from ecotone.skills import selectors


def profile_skills(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The skill rows the viewer may see on ``person``'s profile (three queries)."""
    rows = selectors.person_levels(request.user, person)
    return {
        "person": person,
        "rows": [row for row in rows if row.level or row.validated_level or row.target_level],
        "private": selectors.may_see_private(request.user, person),
    }


register_panel(
    "profile",
    name="skills",
    template="skills/_profile_skills.html",
    context=profile_skills,
    order=20,
)
