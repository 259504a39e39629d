"""The people directory and the search-as-you-type pickers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ecotone import authz
from ecotone.kernel.errors import NotFound
from ecotone.kernel.pagination import paginate
from ecotone.people import selectors
from ecotone.people.models import Team
from ecotone.people.views.common import int_param, render_page

PAGE_SIZE = 25
FILTER_TEAM_DEPTH = 2  # the team filter lists the top levels; a filter includes sub-teams


@require_GET
@login_required
def directory(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    authz.require(viewer, "people.view_person")
    query = request.GET.get("q", "").strip()[:200]
    title = request.GET.get("title", "").strip()
    location = request.GET.get("location", "").strip()
    include_left = request.GET.get("left") == "on"
    team: Team | None = None
    if slug := request.GET.get("team", "").strip():
        try:
            team = selectors.team_for(viewer, slug)
        except NotFound:
            team = None
    results = selectors.directory(
        viewer,
        query=query,
        team=team,
        title=title,
        location=location,
        include_left=include_left,
    )
    page = paginate(results, page=int_param(request.GET.get("page")), size=PAGE_SIZE)
    params = request.GET.copy()
    params.pop("page", None)
    context: dict[str, Any] = {
        "page": page,
        "query": query,
        "team": team,
        "title": title,
        "location": location,
        "include_left": include_left,
        "filtered": bool(query or team or title or location),
        "base_query": params.urlencode(),
    }
    if not getattr(request, "htmx", False):
        context["options"] = selectors.filter_options(viewer)
        context["filter_teams"] = list(
            selectors.teams(viewer).filter(depth__lte=FILTER_TEAM_DEPTH).order_by("path")
        )
    return render_page(request, "people/directory.html", context, fragment="results")


@require_GET
@login_required
def person_picker(request: HttpRequest) -> HttpResponse:
    """Up to 20 people matching ``<name>_q``, as radio options named ``name`` (or as links)."""
    name = _field_name(request.GET.get("name", "person"))
    query = request.GET.get(f"{name}_q", request.GET.get("q", "")).strip()[:200]
    matches = selectors.pick_people(request.user, query)
    template = (
        "people/_org_search_results.html"
        if request.GET.get("mode") == "org"
        else "people/_picker_options.html"
    )
    return render(
        request,
        template,
        {"name": name, "query": query, "matches": matches, "kind": "person"},
    )


@require_GET
@login_required
def team_picker(request: HttpRequest) -> HttpResponse:
    """Up to 20 teams matching ``<name>_q``, as radio options named ``name``."""
    name = _field_name(request.GET.get("name", "team"))
    query = request.GET.get(f"{name}_q", request.GET.get("q", "")).strip()[:200]
    matches = selectors.pick_teams(request.user, query)
    return render(
        request,
        "people/_picker_options.html",
        {"name": name, "query": query, "matches": matches, "kind": "team"},
    )


def _field_name(value: str) -> str:
    """A form field name safe to echo into markup."""
    cleaned = "".join(ch for ch in value if ch.isalnum() or ch == "_")[:40]
    return cleaned or "choice"
