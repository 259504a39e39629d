"""The goals panels on pages other apps own (registered in ``GoalsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ecotone.goals import selectors
from ecotone.kernel.panels import register_panel
from ecotone.people.models import Person


def home_goals(request: HttpRequest, me: Person | None) -> dict[str, Any] | None:
    """My open goals and the check-ins due (four queries)."""
    if me is None:
        return None
    rows = selectors.goals_of(request.user, me, include_closed=False)
    return {
        "rows": rows[:6],
        "more": max(0, len(rows) - 6),
        "due": selectors.check_ins_due(request.user),
    }


def profile_goals(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """The person's goals the viewer may see (private ones only to them and their managers)."""
    rows = selectors.goals_of(request.user, person)
    if not rows:
        return None
    return {"person": person, "rows": rows}


register_panel(
    "home", name="goals", template="goals/_home_goals.html", context=home_goals, order=20
)
register_panel(
    "profile", name="goals", template="goals/_profile_goals.html", context=profile_goals, order=30
)
