"""Teams: the list, a team's page, and creating or changing a team (admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ecotone import authz
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.kernel.forms import add_domain_error
from ecotone.kernel.pagination import paginate
from ecotone.people import selectors, services
from ecotone.people.forms import TeamForm
from ecotone.people.models import Team
from ecotone.people.views.common import int_param, posted


@require_GET
@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    authz.require(viewer, "people.view_team")
    page = paginate(selectors.team_list(viewer), page=int_param(request.GET.get("page")), size=100)
    selectors.with_rolled_up_counts(viewer, page.items)
    return render(
        request,
        "people/team_list.html",
        {"page": page, "can_manage": authz.can(viewer, "people.manage_teams")},
    )


@require_GET
@login_required
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = request.user
    team = selectors.team_for(viewer, slug)
    return render(
        request,
        "people/team_detail.html",
        {
            "page": selectors.team_page(viewer, team),
            "team": team,
            "can_manage": authz.can(viewer, "people.manage_teams", team),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    authz.require(viewer, "people.manage_teams")
    initial_parent = None
    if parent_slug := request.GET.get("parent"):
        try:
            initial_parent = selectors.team_for(viewer, parent_slug)
        except NotFound:
            initial_parent = None
    form = TeamForm(
        posted(request),
        initial={"parent": initial_parent.pk if initial_parent else None},
    )
    if request.method == "POST" and "_search" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.create_team(
                actor=viewer,
                name=data["name"],
                description=data["description"],
                parent=_team_or_error(viewer, data["parent"]),
                lead=_lead_or_error(viewer, data["lead"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Team {team} created.")
            return redirect("team", slug=team.slug)
    return _team_form(request, form, team=None, parent=initial_parent, lead=None)


@require_http_methods(["GET", "POST"])
@login_required
def team_edit(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = request.user
    team = selectors.team_for(viewer, slug)
    authz.require(viewer, "people.manage_teams", team)
    form = TeamForm(
        posted(request),
        initial={
            "name": team.name,
            "description": team.description,
            "parent": team.parent_id,
            "lead": team.lead_id,
        },
    )
    if request.method == "POST" and "_search" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.update_team(
                actor=viewer,
                team=team,
                name=data["name"],
                description=data["description"],
                parent=_team_or_error(viewer, data["parent"]),
                lead=_lead_or_error(viewer, data["lead"]),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Team {team} saved.")
            return redirect("team", slug=team.slug)
    return _team_form(request, form, team=team, parent=team.parent, lead=team.lead)


def _team_or_error(viewer: Any, pk: int | None) -> Team | None:
    if pk is None:
        return None
    try:
        return selectors.team_by_id(viewer, pk)
    except NotFound:
        raise DomainError("unknown_team", "Pick a team from the list.", field="parent") from None


def _lead_or_error(viewer: Any, pk: int | None) -> Any:
    if pk is None:
        return None
    try:
        return selectors.person_for(viewer, pk)
    except NotFound:
        raise DomainError("unknown_person", "Pick someone from the list.", field="lead") from None


def _team_form(
    request: HttpRequest, form: TeamForm, *, team: Team | None, parent: Any, lead: Any
) -> HttpResponse:
    searching = request.POST.get("_search", "")
    parent_query = request.POST.get("parent_q", "").strip()
    lead_query = request.POST.get("lead_q", "").strip()
    return render(
        request,
        "people/team_form.html",
        {
            "form": form,
            "team": team,
            "parent": parent,
            "lead": lead,
            "parent_query": parent_query,
            "lead_query": lead_query,
            "parent_matches": (
                selectors.pick_teams(request.user, parent_query) if searching == "parent" else []
            ),
            "lead_matches": (
                selectors.pick_people(request.user, lead_query) if searching == "lead" else []
            ),
        },
        status=422 if form.errors else 200,
    )
