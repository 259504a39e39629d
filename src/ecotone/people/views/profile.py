"""A person's profile, and the admin actions on a person. Every write goes through services."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ecotone import authz
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.kernel.forms import add_domain_error
from ecotone.people import selectors, services
from ecotone.people.forms import (
    AdminPersonForm,
    ChangeManagerForm,
    DeactivateForm,
    GrantRoleForm,
    MoveTeamForm,
    ProfileForm,
)
from ecotone.people.models import Person, RoleGrant, Team
from ecotone.people.roles import person_of
from ecotone.people.views.common import posted


def _local_time(person: Person) -> dt.datetime | None:
    try:
        return timezone.now().astimezone(zoneinfo.ZoneInfo(person.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _profile_initial(person: Person) -> dict[str, Any]:
    return {
        "display_name": person.display_name,
        "location": person.location,
        "time_zone": person.time_zone,
        "bio": person.bio,
        "email": person.user.email,
        "title": person.title,
        "employee_id": person.employee_id or "",
        "start_date": person.start_date,
    }


@require_http_methods(["GET"])
@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    is_me = person_of(viewer) == person
    about = selectors.profile(viewer, person)
    context: dict[str, Any] = {
        "profile": about,
        "indirect_only": about.indirect_report_count - len(about.direct_reports),
        "person": person,
        "is_me": is_me,
        "local_time": _local_time(person),
        "can_manage": authz.can(viewer, "people.manage_people", person),
        "can_grant": authz.can(viewer, "people.grant_role"),
    }
    if is_me:
        context["form"] = ProfileForm(initial=_profile_initial(person))
    if context["can_grant"]:
        held = {value for value, label in RoleGrant.Role.choices if label in about.roles}
        context["grantable"] = [
            (value, label) for value, label in RoleGrant.Role.choices if value not in held
        ]
        context["held_roles"] = [
            (value, label) for value, label in RoleGrant.Role.choices if value in held
        ]
    return render(request, "people/profile.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a profile: one's own (profile fields) or anyone's for admins (admin fields too)."""
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    authz.require(viewer, "people.edit_profile", person)
    as_admin = authz.can(viewer, "people.manage_people", person)
    form_class: type[forms.Form] = AdminPersonForm if as_admin else ProfileForm
    form = form_class(posted(request), initial=_profile_initial(person))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_person(actor=viewer, person=person, **changes)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Profile saved.")
            return redirect("profile", pk=person.pk)
    return render(
        request,
        "people/person_edit.html",
        {"person": person, "form": form, "as_admin": as_admin},
        status=422 if form.errors else 200,
    )


def _picked_person(viewer: Any, pk: int | None) -> Person | None:
    return None if pk is None else selectors.person_for(viewer, pk)


def _picked_team(viewer: Any, pk: int | None) -> Team | None:
    return None if pk is None else selectors.team_by_id(viewer, pk)


@require_http_methods(["GET", "POST"])
@login_required
def change_manager(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    authz.require(viewer, "people.manage_people", person)
    form = ChangeManagerForm(posted(request), initial={"manager": person.manager_id})
    query = request.POST.get("manager_q", "").strip()
    searching = "_search" in request.POST
    if request.method == "POST" and not searching and form.is_valid():
        try:
            manager = _picked_person(viewer, form.cleaned_data["manager"])
            services.change_manager(actor=viewer, person=person, manager=manager)
        except NotFound:
            form.add_error("manager", "Pick someone from the list.")
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{person} now reports to {manager}."
                if manager
                else f"{person} reports to nobody.",
            )
            return redirect("profile", pk=person.pk)
    return render(
        request,
        "people/change_manager.html",
        {
            "person": person,
            "form": form,
            "query": query,
            "matches": selectors.pick_people(viewer, query) if searching else [],
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def move_team(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    authz.require(viewer, "people.manage_people", person)
    form = MoveTeamForm(posted(request), initial={"team": person.team_id})
    query = request.POST.get("team_q", "").strip()
    searching = "_search" in request.POST
    if request.method == "POST" and not searching and form.is_valid():
        try:
            team = _picked_team(viewer, form.cleaned_data["team"])
            services.move_team(actor=viewer, person=person, team=team)
        except NotFound:
            form.add_error("team", "Pick a team from the list.")
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"{person} moved to {team}." if team else f"{person} has no team now."
            )
            return redirect("profile", pk=person.pk)
    return render(
        request,
        "people/move_team.html",
        {
            "person": person,
            "form": form,
            "query": query,
            "matches": selectors.pick_teams(viewer, query) if searching else [],
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page stating the consequences, then the deactivation itself."""
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    authz.require(viewer, "people.manage_people", person)
    form = DeactivateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_person(
                actor=viewer, person=person, left_on=form.cleaned_data["left_on"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{person} is marked as having left.")
            return redirect("profile", pk=person.pk)
    return render(
        request,
        "people/deactivate.html",
        {
            "person": person,
            "form": form,
            "profile": selectors.profile(viewer, person),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    try:
        services.reactivate_person(actor=viewer, person=person)
    except DomainError as error:
        if error.status != 422:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, f"{person} is active again.")
    return redirect("profile", pk=person.pk)


@require_POST
@login_required
def grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    authz.require(viewer, "people.grant_role")
    form = GrantRoleForm(request.POST)
    if form.is_valid():
        grant = services.grant_role(actor=viewer, person=person, role=form.cleaned_data["role"])
        messages.success(request, f"{person} is now {grant.get_role_display()}.")
    else:
        messages.error(request, "Pick a role to grant.")
    return redirect(reverse("profile", kwargs={"pk": person.pk}) + "#roles")


@require_POST
@login_required
def revoke_role(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    viewer = request.user
    person = selectors.person_for(viewer, pk)
    authz.require(viewer, "people.grant_role")
    labels = dict(RoleGrant.Role.choices)
    if role not in labels:
        raise NotFound("No such role.")
    try:
        services.revoke_role(actor=viewer, person=person, role=role)
    except DomainError as error:
        if error.status != 422:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, f"{person} is no longer {labels[role]}.")
    return redirect(reverse("profile", kwargs={"pk": person.pk}) + "#roles")
