"""The content panels on pages other apps own (registered in ``ContentConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ecotone.content import selectors
from ecotone.kernel.panels import register_panel
from ecotone.people.models import Person


def continue_learning(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """Courses the viewer is part-way through (one query)."""
    enrolments = selectors.continue_learning(request.user, limit=4)
    return {"enrolments": enrolments}


def needs_attention(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """The author's courses that need them and reviews waiting; nothing for non-authors."""
    items = selectors.attention_queue(request.user)
    reviews = list(selectors.reviews_for(request.user)[:5])
    assigned = list(selectors.assigned_to_me(request.user)[:5])
    if not items and not reviews and not assigned:
        return None
    return {"items": items[:5], "total": len(items), "reviews": reviews, "assigned": assigned}


def profile_courses(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    authored = selectors.authored_by(request.user, person)
    completed = selectors.completed_by(request.user, person)
    if not authored and not completed:
        return None
    return {"person": person, "authored": authored, "completed": completed}


register_panel(
    "home",
    name="continue_learning",
    template="content/_home_continue.html",
    context=continue_learning,
    order=30,
)
register_panel(
    "home.aside",
    name="content_attention",
    template="content/_home_attention.html",
    context=needs_attention,
    order=30,
)
register_panel(
    "profile",
    name="courses",
    template="content/_profile_courses.html",
    context=profile_courses,
    order=30,
)
