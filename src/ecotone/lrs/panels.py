"""The LRS panel on the profile page: the person's recent learning activity (the ledger)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ecotone import authz
from ecotone.kernel.panels import register_panel
from ecotone.lrs import selectors
from ecotone.people.models import Person

PAGE = 10


def profile_activity(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """The first page of the timeline, for those who may see the person's private side."""
    if not authz.can(request.user, "people.view_private", person):
        return None
    timeline = selectors.person_timeline(request.user, person, limit=PAGE)
    return {"person": person, "timeline": timeline, "is_self": request.user == person.user}


register_panel(
    "profile",
    name="activity",
    template="lrs/_profile_activity.html",
    context=profile_activity,
    order=60,
)
