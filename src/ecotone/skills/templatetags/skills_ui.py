"""Template helpers of the skills app, for pages other apps own (the profile page)."""

from __future__ import annotations

from typing import Any

from django import template

from ecotone.people.models import Person
from ecotone.skills import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_skills(context: dict[str, Any], person: Person) -> dict[str, Any]:
    """``{% profile_skills person as skills %}``: the rows the viewer may see (three queries)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    rows = selectors.person_levels(viewer, person)
    return {
        "rows": [row for row in rows if row.level or row.validated_level or row.target_level],
        "private": selectors.may_see_private(viewer, person),
    }
