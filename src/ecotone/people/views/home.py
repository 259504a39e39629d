"""The home page: what exists for the signed-in person, by role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ecotone import authz
from ecotone.people import selectors
from ecotone.people.roles import ADMIN, EXECUTIVE, LEARNING, person_of, roles_of

RECENT_EVENTS = 8


@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    me = person_of(viewer)
    roles = roles_of(viewer)
    context: dict[str, Any] = {"profile": None, "teammates": []}
    if me is not None:
        context["profile"] = selectors.profile(viewer, me)
        context["teammates"] = selectors.teammates(viewer, me)
    if ADMIN in roles:
        context["counts"] = selectors.org_counts(viewer)
        context["events"] = list(selectors.recent_audit_events(viewer)[:RECENT_EVENTS])
    if roles & {ADMIN, LEARNING, EXECUTIVE}:
        context["team_sizes"] = selectors.top_level_teams(viewer)
    context["can_export"] = authz.can(viewer, "people.export_org")
    return render(request, "people/home.html", context)
