"""HTML adapters of the skills app: thin views over ``skills.selectors`` and ``skills.services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecotone import authz
from ecotone.kernel.errors import DomainError
from ecotone.kernel.forms import add_domain_error
from ecotone.people import selectors as people_selectors
from ecotone.skills import importers, selectors, services
from ecotone.skills.forms import (
    ImportForm,
    InterestForm,
    RateForm,
    RequirementForm,
    ResolveForm,
    RoleProfileForm,
    SkillForm,
)
from ecotone.skills.models import SkillCategory

type View = Callable[..., HttpResponse]


def _category(request: HttpRequest) -> SkillCategory | None:
    slug = request.GET.get("category", "")
    return next((c for c in selectors.categories(request.user) if c.slug == slug), None)


def _fragment(request: HttpRequest, template: str, fragment: str) -> str:
    return f"{template}#{fragment}" if getattr(request, "htmx", False) else template


# --- Browse and search ---------------------------------------------------------------------------


@require_GET
@login_required
def skill_list(request: HttpRequest) -> HttpResponse:
    category = _category(request)
    query = request.GET.get("q", "").strip()[:100]
    experts = selectors.find_experts(request.user, query) if query else []
    matches = selectors.match_skills(request.user, query) if query else []
    context = {
        "skills": selectors.skills(request.user, category=category).order_by(
            "category__name", "name"
        ),
        "categories": selectors.categories(request.user),
        "category": category,
        "query": query,
        "experts": experts,
        "matches": matches,
        "can_manage": authz.can(request.user, "skills.manage_framework"),
        "can_see_org": authz.can(request.user, "skills.view_org_gaps"),
    }
    return render(request, _fragment(request, "skills/skill_list.html", "experts"), context)


@require_GET
@login_required
def skill_detail(request: HttpRequest, slug: str) -> HttpResponse:
    skill = selectors.skill_for(request.user, slug)
    meaning = selectors.descriptors(skill)
    experts = selectors.top_experts([skill.pk], per_skill=10).get(skill.pk, [])
    return render(
        request,
        "skills/skill_detail.html",
        {
            "skill": skill,
            "scale": [(step, meaning.get(step.level, "")) for step in selectors.scale()],
            "experts": experts,
            "interested": selectors.people_interested(request.user, skill),
            "can_manage": authz.can(request.user, "skills.manage_framework"),
            "others": selectors.skills(request.user)
            .exclude(pk=skill.pk)
            .only("name", "slug", "category")
            if authz.can(request.user, "skills.manage_framework")
            else [],
        },
    )


@require_POST
@login_required
def change_skill(request: HttpRequest, slug: str) -> HttpResponse:
    """Deprecate, restore or merge a skill (framework managers)."""
    skill = selectors.skill_for(request.user, slug)
    action = request.POST.get("action", "")
    try:
        if action == "merge":
            into = selectors.skill_for(request.user, request.POST.get("into", ""))
            services.merge_skill(actor=request.user, skill=skill, into=into)
            messages.success(request, f"Merged {skill.name} into {into.name}.")
            return redirect("skills:detail", slug=into.slug)
        if action in ("deprecated", "active"):
            services.update_skill(actor=request.user, skill=skill, status=action)
            messages.success(request, f"{skill.name} is now {action}.")
        else:
            messages.error(request, "Unknown action.")
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("skills:detail", slug=skill.slug)


# --- My skills -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def my_skills(request: HttpRequest) -> HttpResponse:
    person = selectors.viewer_person(request.user)
    colleagues = people_selectors.teammates(request.user, person, limit=50)
    form = RateForm(request.POST if request.method == "POST" else None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["ask"]:
                reviewer = (
                    people_selectors.person_for(request.user, data["reviewer"])
                    if data["reviewer"]
                    else None
                )
                services.request_validation(
                    actor=request.user,
                    person=person,
                    skill=data["skill"],
                    level=data["level"],
                    kind=data["ask"],
                    reviewer=reviewer,
                    message=data["note"],
                )
                messages.success(request, f"Asked for a review of {data['skill'].name}.")
            else:
                services.record_evidence(
                    actor=request.user,
                    person=person,
                    skill=data["skill"],
                    source="self",
                    level=data["level"],
                    note=data["note"],
                )
                messages.success(
                    request, f"Rated yourself {data['level']} in {data['skill'].name}."
                )
            return redirect("skills:mine")
        except DomainError as error:
            add_domain_error(form, error)
    rows = selectors.person_levels(request.user, person)
    chart_rows = [row for row in rows if row.target_level is not None] or rows[:12]
    chart = {
        "labels": [row.skill.name for row in chart_rows],
        "current": [row.level or 0 for row in chart_rows],
        "validated": [row.validated_level or 0 for row in chart_rows],
        "target": [row.target_level or 0 for row in chart_rows],
    }
    return render(
        request,
        "skills/my_skills.html",
        {
            "person": person,
            "rows": rows,
            "chart": chart,
            "form": form,
            "interest_form": InterestForm(auto_id="interest-%s"),
            "interests": selectors.interests_of(request.user, person),
            "requests": selectors.my_requests(request.user)[:20],
            "scale": selectors.scale(),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def set_interest(request: HttpRequest) -> HttpResponse:
    person = selectors.viewer_person(request.user)
    if "hidden" in request.POST:
        services.hide_interests(
            actor=request.user, person=person, hidden=request.POST["hidden"] == "1"
        )
        return redirect("skills:mine")
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            services.set_interest(
                actor=request.user,
                person=person,
                skill=form.cleaned_data["skill"],
                kind=form.cleaned_data["kind"],
                wanted=form.cleaned_data["wanted"],
            )
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Choose a skill and what you want to do with it.")
    return redirect("skills:mine")


# --- Managers ------------------------------------------------------------------------------------


@require_GET
@login_required
def team_matrix(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("team", "")
    team = people_selectors.team_for(request.user, slug) if slug else None
    category = _category(request)
    matrix = selectors.team_matrix(
        request.user, team=team, category=category, sort=request.GET.get("sort", "")
    )
    return render(
        request,
        _fragment(request, "skills/team_matrix.html", "matrix"),
        {
            "team": team,
            "matrix": matrix,
            "rows": [(person, matrix.row(person)) for person in matrix.people],
            "categories": selectors.categories(request.user),
            "category": category,
            "sort": request.GET.get("sort", ""),
            "queue_size": selectors.review_queue(request.user).count(),
        },
    )


@require_GET
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = list(selectors.review_queue(request.user)[:100])
    return render(
        request,
        "skills/review_queue.html",
        {"queue": [(item, ResolveForm(initial={"level": item.level})) for item in queue]},
    )


@require_POST
@login_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_for(request.user, pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_request(
                actor=request.user,
                request=item,
                decision=form.cleaned_data["decision"],
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, f"Answered {item.person}'s request for {item.skill.name}.")
            return redirect("skills:reviews")
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "skills/review_queue.html", {"queue": [(item, form)]}, status=422)


# --- L&D and executives --------------------------------------------------------------------------


@require_GET
@login_required
def org_heatmap(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("team", "")
    team = people_selectors.team_for(request.user, slug) if slug else None
    heatmap = selectors.org_heatmap(request.user, team=team, category=_category(request))
    return render(
        request,
        "skills/org_heatmap.html",
        {
            "heatmap": heatmap,
            "categories": selectors.categories(request.user),
            "category": _category(request),
            "chain": _chain(heatmap.parent),
        },
    )


def _chain(team: Any) -> list[Any]:
    chain: list[Any] = []
    while team is not None:
        chain.insert(0, team)
        team = team.parent
    return chain


@require_http_methods(["GET", "POST"])
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    authz.require(request.user, "skills.manage_framework")
    form = SkillForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            skill = services.create_skill(
                actor=request.user,
                name=form.cleaned_data["name"],
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                aliases=form.alias_list(),
                external_id=form.cleaned_data["external_id"],
            )
            messages.success(request, f"Added {skill.name}.")
            return redirect("skills:manage")
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "skills/manage.html",
        {
            "form": form,
            "import_form": ImportForm(),
            "skills": selectors.all_skills(request.user).order_by("status", "name")[:500],
            "roles": selectors.role_profiles(request.user),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def import_framework(request: HttpRequest) -> HttpResponse:
    authz.require(request.user, "skills.manage_framework")
    if "content" in request.POST:
        content, filename = request.POST["content"], request.POST.get("filename", "")
    else:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "Choose a file to import.")
            return redirect("skills:manage")
        upload = form.cleaned_data["file"]
        try:
            content = importers.read_text(upload.read())
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("skills:manage")
        filename = upload.name or ""
    try:
        format, rows = importers.read_framework(content, filename)
        if request.POST.get("apply") == "1":
            report = importers.import_framework(actor=request.user, rows=rows, format=format)
            counts = report.counts
            messages.success(
                request,
                f"Imported: {counts['create']} new, {counts['update']} updated, "
                f"{counts['unchanged']} unchanged.",
            )
            return redirect("skills:manage")
        report = importers.preview_framework(actor=request.user, rows=rows, format=format)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("skills:manage")
    return render(
        request,
        "skills/import_preview.html",
        {"report": report, "content": content, "filename": filename},
    )


@require_GET
@login_required
def export_framework(request: HttpRequest, format: str) -> HttpResponse:
    if format == "csv":
        response = HttpResponse(importers.export_csv(request.user), content_type="text/csv")
    else:
        response = HttpResponse(
            importers.export_json(request.user), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="skills-framework.{format}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def role_profiles(request: HttpRequest) -> HttpResponse:
    """Role profiles and their requirements; framework managers create and edit them."""
    can_manage = authz.can(request.user, "skills.manage_framework")
    form = RoleProfileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.create_role_profile(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, f"Created the {role.name} profile.")
            return redirect("skills:roles")
        except DomainError as error:
            add_domain_error(form, error)
    roles = selectors.role_profiles(request.user).prefetch_related("requirements__skill")
    return render(
        request,
        "skills/role_profiles.html",
        {
            "roles": roles,
            "form": form if can_manage else None,
            "requirement_form": RequirementForm() if can_manage else None,
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def set_requirement(request: HttpRequest, slug: str) -> HttpResponse:
    role = selectors.role_profile_for(request.user, slug)
    form = RequirementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a skill and a level.")
        return redirect("skills:roles")
    try:
        services.set_requirement(
            actor=request.user,
            role=role,
            skill=form.cleaned_data["skill"],
            target_level=form.cleaned_data["target_level"],
            required=form.cleaned_data["required"],
        )
        messages.success(request, f"Updated the {role.name} profile.")
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("skills:roles")
