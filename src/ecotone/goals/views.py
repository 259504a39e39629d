"""HTML adapters of the goals app: thin views over ``goals.selectors`` and ``goals.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecotone import authz
from ecotone.goals import selectors, services
from ecotone.goals.forms import (
    AlignForm,
    CheckInForm,
    CommentForm,
    CycleForm,
    DemandForm,
    GoalForm,
    KeyResultForm,
    ObjectiveEditForm,
    ObjectiveForm,
    attach,
)
from ecotone.goals.models import Cycle, LearningGoal, Objective
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.people import selectors as people_selectors
from ecotone.people.models import Team
from ecotone.skills import selectors as skill_selectors


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _refuse(request: HttpRequest, error: DomainError) -> None:
    if error.status in (403, 404):
        raise error
    messages.error(request, error.message)


# --- My goals, my team's goals -------------------------------------------------------------------


@require_GET
@login_required
def my_goals(request: HttpRequest) -> HttpResponse:
    person = skill_selectors.viewer_person(request.user)
    rows = selectors.goals_of(request.user, person)
    open_rows = [row for row in rows if row.goal.is_open]
    return render(
        request,
        "goals/my_goals.html",
        {
            "person": person,
            "open_rows": open_rows,
            "closed_rows": [row for row in rows if not row.goal.is_open],
            "due": selectors.check_ins_due(request.user),
            "check_in_form": CheckInForm(),
        },
    )


@require_GET
@login_required
def team_goals(request: HttpRequest) -> HttpResponse:
    only = request.GET.get("only", "")
    team = selectors.team_goals(request.user, only=only if only in ("stalled", "overdue") else "")
    return render(
        request,
        "goals/team_goals.html",
        {
            "team": team,
            "only": only,
            "stalled_days": services.STALLED_DAYS,
            "by_person": [(person, team.of(person)) for person in team.people],
        },
    )


def _goal_form_context(request: HttpRequest, person: Any) -> tuple[list[Any], list[Any]]:
    return selectors.goal_links(request.user, person)


@require_http_methods(["GET", "POST"])
@login_required
def create_goal(request: HttpRequest) -> HttpResponse:
    """Set a goal for oneself, or propose one to a report (``?for=<person id>``)."""
    me = skill_selectors.viewer_person(request.user)
    person_id = _int(request.GET.get("for") or request.POST.get("for"))
    person = people_selectors.person_for(request.user, person_id) if person_id else me
    authz.require(request.user, "goals.create_goal", person)
    objectives, key_results = _goal_form_context(request, person)
    initial: dict[str, Any] = {"kind": "skill", "visibility": "private"}
    skill_id = _int(request.GET.get("skill"))
    if skill_id:
        initial["skill"] = skill_id
        initial["target_level"] = _int(request.GET.get("level"))
    objective_id = _int(request.GET.get("objective"))
    if objective_id:
        initial["objectives"] = [objective_id]
    course_id = _int(request.GET.get("course"))
    if course_id:
        initial.update(kind="course", target_ref=f"course:{course_id}")
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        objectives=objectives,
        key_results=key_results,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = services.create_goal(
                actor=request.user,
                person=person,
                kind=data["kind"],
                title=data["title"],
                skill=data["skill"],
                target_level=data["target_level"],
                target_ref=data["target_ref"],
                target_value=data["target_value"],
                unit=data["unit"],
                due_on=data["due_on"],
                motivation=data["motivation"],
                visibility=data["visibility"],
                draft=request.POST.get("draft") == "1",
                objectives=data["objectives"],
                key_results=data["key_results"],
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            attach(form, error)
        else:
            if person.pk == me.pk:
                messages.success(request, f"Goal set: {goal.title}.")
            else:
                messages.success(request, f"Proposed to {person.display_name}: {goal.title}.")
            return redirect("goals:detail", pk=goal.pk)
    return render(
        request,
        "goals/goal_form.html",
        {
            "form": form,
            "person": person,
            "proposing": person.pk != me.pk,
            "suggestions": selectors.suggestions(request.user, person),
        },
        status=422 if form.errors else 200,
    )


# --- One goal ------------------------------------------------------------------------------------


def _goal_page(request: HttpRequest, goal: LearningGoal, **extra: Any) -> dict[str, Any]:
    check_ins, comments = selectors.goal_activity(request.user, goal)
    return {
        "goal": goal,
        "row": selectors.goal_rows([goal])[0],
        "check_ins": check_ins,
        "comments": comments,
        "level": selectors.current_level(goal.person, goal.skill),
        "objectives": list(goal.objectives.select_related("cycle")),
        "key_results": list(goal.key_results.select_related("objective")),
        "can_change": authz.can(request.user, "goals.change_goal", goal),
        "can_coach": authz.can(request.user, "goals.coach_goal", goal),
        "derived": goal.kind in services.DERIVED_KINDS,
        "check_in_form": CheckInForm(),
        "comment_form": CommentForm(),
        **extra,
    }


@require_GET
@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_for(request.user, pk)
    return render(request, "goals/goal_detail.html", _goal_page(request, goal))


@require_http_methods(["GET", "POST"])
@login_required
def edit_goal(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a goal; for a proposed goal, "accept" saves the edits and activates it."""
    goal = selectors.goal_for(request.user, pk)
    authz.require(request.user, "goals.change_goal", goal)
    objectives, key_results = _goal_form_context(request, goal.person)
    initial = {
        "kind": goal.kind,
        "title": goal.title,
        "skill": goal.skill_id,
        "target_level": goal.target_level,
        "target_ref": goal.target_ref,
        "target_value": goal.target_value,
        "unit": goal.unit,
        "due_on": goal.due_on,
        "motivation": goal.motivation,
        "visibility": goal.visibility,
        "objectives": list(goal.objectives.values_list("pk", flat=True)),
        "key_results": list(goal.key_results.values_list("pk", flat=True)),
    }
    form = GoalForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        objectives=objectives,
        key_results=key_results,
    )
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            "title": data["title"] or goal.title,
            "skill": data["skill"] if goal.kind == LearningGoal.Kind.SKILL else goal.skill,
            "target_level": data["target_level"] if goal.kind == LearningGoal.Kind.SKILL else None,
            "target_ref": data["target_ref"],
            "target_value": data["target_value"],
            "unit": data["unit"],
            "due_on": data["due_on"],
            "motivation": data["motivation"],
            "visibility": data["visibility"],
        }
        try:
            if request.POST.get("accept") == "1":
                services.accept_goal(
                    actor=request.user,
                    goal=goal,
                    objectives=data["objectives"],
                    key_results=data["key_results"],
                    **changes,
                )
                messages.success(request, "Goal accepted.")
            else:
                services.update_goal(
                    actor=request.user,
                    goal=goal,
                    objectives=data["objectives"],
                    key_results=data["key_results"],
                    **changes,
                )
                messages.success(request, "Goal saved.")
        except DomainError as error:
            if error.status in (403, 404):
                raise
            attach(form, error)
        else:
            return redirect("goals:detail", pk=goal.pk)
    return render(
        request,
        "goals/goal_edit.html",
        {"form": form, "goal": goal},
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def goal_action(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_for(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "accept":
            services.accept_goal(actor=request.user, goal=goal)
            messages.success(request, "Goal accepted: it is now active.")
        elif action == "abandon":
            services.abandon_goal(
                actor=request.user, goal=goal, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Goal closed.")
        elif action == "achieve":
            services.achieve_goal(actor=request.user, goal=goal)
            messages.success(request, "Well done: goal achieved.")
        elif action == "cosign":
            services.cosign_goal(actor=request.user, goal=goal)
            messages.success(request, "You co-signed this goal.")
        else:
            messages.error(request, "Unknown action.")
    except DomainError as error:
        _refuse(request, error)
    return redirect("goals:detail", pk=goal.pk)


@require_POST
@login_required
def goal_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_for(request.user, pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_goal(
                actor=request.user,
                goal=goal,
                confidence=form.cleaned_data["confidence"],
                value=form.cleaned_data.get("value"),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "Checked in.")
        except DomainError as error:
            _refuse(request, error)
    else:
        messages.error(request, "Choose a confidence.")
    return redirect(request.POST.get("next") or f"/goals/{goal.pk}/")


@require_POST
@login_required
def goal_comment(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_goal(actor=request.user, goal=goal, body=form.cleaned_data["body"])
        except DomainError as error:
            _refuse(request, error)
    else:
        messages.error(request, "Write a comment first.")
    return redirect("goals:detail", pk=goal.pk)


# --- OKRs ----------------------------------------------------------------------------------------


def _cycle(request: HttpRequest) -> Cycle | None:
    pk = _int(request.GET.get("cycle"))
    if pk:
        return selectors.cycle_for(request.user, pk)
    return selectors.current_cycle(request.user)


@require_GET
@login_required
def okr_tree(request: HttpRequest) -> HttpResponse:
    cycle = _cycle(request)
    level = request.GET.get("level", "")
    level = level if level in Objective.Level.values else ""
    query = request.GET.get("q", "").strip()[:100]
    team = Team.objects.filter(slug=request.GET.get("team", "")).first()
    tree = (
        selectors.okr_tree(request.user, cycle, level=level, team=team, query=query)
        if cycle
        else None
    )
    return render(
        request,
        "goals/okr_tree.html",
        {
            "cycle": cycle,
            "cycles": selectors.cycles(request.user),
            "tree": tree,
            "level": level,
            "query": query,
            "team": team,
            "teams": Team.objects.filter(depth__lte=2).order_by("path"),
            "levels": Objective.Level.choices,
            "can_manage_cycles": authz.can(request.user, "goals.manage_cycles"),
            "can_see_readiness": authz.can(request.user, "goals.view_readiness"),
        },
    )


def _objective_context(request: HttpRequest, objective: Objective, **extra: Any) -> dict[str, Any]:
    page = selectors.objective_page(request.user, objective)
    can_change = authz.can(request.user, "goals.change_objective", objective)
    parents = (
        selectors.objectives(request.user)
        .filter(cycle=objective.cycle)
        .exclude(pk=objective.pk)
        .exclude(level=Objective.Level.PERSONAL)
        .order_by("level", "title")
    )
    return {
        "objective": objective,
        "page": page,
        "can_change": can_change,
        "edit_form": ObjectiveEditForm(
            initial={
                "title": objective.title,
                "description": objective.description,
                "status": objective.status,
                "priority": objective.priority,
            }
        ),
        "key_result_form": KeyResultForm(),
        "demand_form": DemandForm(),
        "align_form": AlignForm(parents=parents),
        "checkable": {
            kr.pk for kr in page.node.key_results if authz.can(request.user, "goals.check_in", kr)
        },
        **extra,
    }


@require_GET
@login_required
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_for(request.user, pk)
    return render(request, "goals/objective.html", _objective_context(request, objective))


@require_http_methods(["GET", "POST"])
@login_required
def create_objective(request: HttpRequest) -> HttpResponse:
    me = skill_selectors.viewer_person(request.user)
    cycle = _cycle(request)
    parents = (
        selectors.objectives(request.user)
        .filter(status=Objective.Status.ACTIVE)
        .exclude(level=Objective.Level.PERSONAL)
        .order_by("level", "title")
    )
    if cycle is not None:
        parents = parents.filter(cycle=cycle)
    form = ObjectiveForm(
        request.POST if request.method == "POST" else None,
        initial={
            "cycle": cycle.pk if cycle else None,
            "owner": me.pk,
            "level": "personal",
            "team": me.team_id,
            "parent": _int(request.GET.get("parent")),
        },
        parents=parents,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = services.create_objective(
                actor=request.user,
                cycle=data["cycle"],
                level=data["level"],
                title=data["title"],
                description=data["description"],
                owner=data["owner"],
                team=data["team"],
                priority=data["priority"],
                parents=[data["parent"]] if data["parent"] else [],
            )
        except DomainError as error:
            if error.status == 404:
                raise
            if error.status == 403:
                form.add_error(None, "You may not create this objective (check its level).")
            else:
                attach(form, error)
        else:
            messages.success(request, f"Objective created: {objective.title}.")
            return redirect("goals:objective", pk=objective.pk)
    return render(
        request,
        "goals/objective_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def change_objective(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit, add a key result, declare skill demand or align (one form each)."""
    objective = selectors.objective_for(request.user, pk)
    part = request.POST.get("part", "")
    forms: dict[str, Any] = {}
    try:
        if part == "edit":
            form: Any = ObjectiveEditForm(request.POST)
            forms["edit_form"] = form
            if form.is_valid():
                services.update_objective(
                    actor=request.user, objective=objective, **form.cleaned_data
                )
                messages.success(request, "Objective saved.")
                return redirect("goals:objective", pk=pk)
        elif part == "key_result":
            form = KeyResultForm(request.POST)
            forms["key_result_form"] = form
            if form.is_valid():
                data = form.cleaned_data
                services.add_key_result(
                    actor=request.user,
                    objective=objective,
                    title=data["title"],
                    metric=data["metric"],
                    start_value=data["start_value"] or 0,
                    target_value=data["target_value"] if data["target_value"] is not None else 1,
                    direction=data["direction"],
                    unit=data["unit"],
                    milestones=[line for line in data["milestones"].splitlines() if line.strip()],
                    due_on=data["due_on"],
                    owner=data["owner"],
                )
                messages.success(request, "Key result added.")
                return redirect("goals:objective", pk=pk)
        elif part == "demand":
            form = DemandForm(request.POST)
            forms["demand_form"] = form
            if form.is_valid():
                services.set_skill_demand(
                    actor=request.user, objective=objective, **form.cleaned_data
                )
                messages.success(request, "Skill demand saved.")
                return redirect("goals:objective", pk=pk)
        elif part == "remove_demand":
            demand = selectors.demand_for(request.user, _int(request.POST.get("demand")) or 0)
            if demand.objective_id != objective.pk:
                raise NotFound()
            services.remove_skill_demand(actor=request.user, demand=demand)
            messages.success(request, "Skill demand removed.")
            return redirect("goals:objective", pk=pk)
        elif part == "align":
            parents = selectors.objectives(request.user).filter(cycle=objective.cycle)
            form = AlignForm(request.POST, parents=parents)
            forms["align_form"] = form
            if form.is_valid():
                services.align_objective(
                    actor=request.user, child=objective, parent=form.cleaned_data["parent"]
                )
                messages.success(request, "Aligned.")
                return redirect("goals:objective", pk=pk)
        else:
            messages.error(request, "Unknown change.")
            return redirect("goals:objective", pk=pk)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        attach(form, error)
    context = _objective_context(request, objective, **forms)
    return render(request, "goals/objective.html", context, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def key_result_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in form of a key result: a fragment for htmx (from the tree), or a page."""
    key_result = selectors.key_result_for(request.user, pk)
    authz.require(request.user, "goals.check_in", key_result)
    form = CheckInForm(request.POST if request.method == "POST" else None, key_result=key_result)
    htmx = bool(getattr(request, "htmx", False))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_in_key_result(
                actor=request.user,
                key_result=key_result,
                value=data.get("value"),
                confidence=data["confidence"],
                comment=data["comment"],
                done_milestones=data.get("done"),
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            attach(form, error)
        else:
            if htmx:
                return render(
                    request, "goals/_key_result.html", {"kr": key_result, "can_check_in": True}
                )
            messages.success(request, "Checked in.")
            return redirect("goals:objective", pk=key_result.objective_id)
    template = "goals/_check_in_form.html" if htmx else "goals/check_in.html"
    return render(
        request,
        template,
        {"form": form, "kr": key_result},
        status=422 if form.errors else 200,
    )


@require_GET
@login_required
def key_result_row(request: HttpRequest, pk: int) -> HttpResponse:
    """The row of a key result (htmx: cancel a check-in)."""
    key_result = selectors.key_result_for(request.user, pk)
    return render(
        request,
        "goals/_key_result.html",
        {"kr": key_result, "can_check_in": authz.can(request.user, "goals.check_in", key_result)},
    )


SORT_LABELS = [
    ("risk", "Risk"),
    ("readiness", "Readiness"),
    ("shortfall", "People short"),
    ("priority", "Priority"),
    ("title", "Title"),
]


@require_GET
@login_required
def org_readiness(request: HttpRequest) -> HttpResponse:
    authz.require(request.user, "goals.view_readiness")
    cycle = _cycle(request)
    sort = request.GET.get("sort", "risk")
    rows = selectors.org_readiness(request.user, cycle, sort=sort) if cycle else []
    return render(
        request,
        "goals/readiness.html",
        {
            "cycle": cycle,
            "cycles": selectors.cycles(request.user),
            "rows": rows,
            "sort": sort,
            "sorts": SORT_LABELS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def cycles(request: HttpRequest) -> HttpResponse:
    can_manage = authz.can(request.user, "goals.manage_cycles")
    form = CycleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        authz.require(request.user, "goals.manage_cycles")
        if form.is_valid():
            try:
                cycle = services.create_cycle(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                attach(form, error)
            else:
                messages.success(request, f"Cycle {cycle.name} created.")
                return redirect("goals:cycles")
    return render(
        request,
        "goals/cycles.html",
        {"cycles": selectors.cycles(request.user), "form": form, "can_manage": can_manage},
        status=422 if form.errors else 200,
    )
