"""Content requests, the L&D training-needs backlog and the library-health page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecotone import authz
from ecotone.content import selectors
from ecotone.content.forms import RequestForm, attach
from ecotone.content.models import ContentRequest, Freshness
from ecotone.content.services import requests as request_services
from ecotone.content.views._common import int_param, refuse
from ecotone.kernel.errors import DomainError
from ecotone.kernel.pagination import paginate
from ecotone.people import selectors as people_selectors


@require_GET
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(
        selectors.requests(request.user, status=status, mine=mine, query=query).order_by(
            "-supporters", "-created_at"
        ),
        page=int_param(request, "page") or 1,
        size=25,
    )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "content/request_list.html",
        {
            "page": page,
            "status": status,
            "mine": mine,
            "query": query,
            "statuses": ContentRequest.Status.choices,
            "base_query": urlencode(params),
            "can_manage": authz.can(request.user, "content.manage_requests"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    initial = {
        "topic": request.GET.get("topic", "")[:200],
        "origin": request.GET.get("origin", "direct"),
        "blocks_label": request.GET.get("goal", "")[:200],
        "blocks_url": request.GET.get("goal_url", "")[:300],
    }
    if "origin" not in request.GET and "/search/" in request.headers.get("referer", ""):
        initial["origin"] = "search"  # the search page's "Request this content"
    if initial["origin"] not in ContentRequest.Origin.values:
        initial["origin"] = "direct"
    form = RequestForm(request.POST if request.method == "POST" else None, initial=initial)
    origin_course = None
    course_id = int_param(request, "course") if request.method == "GET" else None
    if request.method == "POST" and request.POST.get("course", "").isdigit():
        course_id = int(request.POST["course"])
    if course_id:
        try:
            origin_course = selectors.course_for(request.user, course_id)
        except DomainError:
            origin_course = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = request_services.create_request(
                actor=request.user,
                topic=data["topic"],
                description=data["description"],
                skills=list(data["skills"]),
                origin=data["origin"] or "direct",
                origin_course=origin_course,
                blocks_label=data["blocks_label"],
                blocks_url=data["blocks_url"],
                blocks_priority=data["blocks_priority"],
            )
            messages.success(
                request,
                "Request sent. Your manager and L&D can see it; colleagues can add “me too”.",
            )
            return redirect("content:request", pk=created.pk)
        except DomainError as error:
            attach(form, error)
    similar = selectors.similar_requests(request.user, initial["topic"]) if initial["topic"] else []
    return render(
        request,
        "content/request_form.html",
        {"form": form, "similar": similar, "origin_course": origin_course},
    )


@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_for(request.user, pk)
    can_manage = authz.can(request.user, "content.manage_requests", item)
    can_respond = authz.can(request.user, "content.respond_request", item)
    return render(
        request,
        "content/request_detail.html",
        {
            "item": item,
            "skills": list(item.skills.all()),
            "supports": selectors.supports(request.user, item),
            "see_requester": authz.can(request.user, "content.view_requester", item),
            "can_manage": can_manage,
            "can_respond": can_respond,
            "suggested": selectors.suggested_experts(request.user, item) if can_manage else [],
            "statuses": ContentRequest.Status.choices,
            "my_courses": list(selectors.authored(request.user)[:50]) if can_respond else [],
            "picker_url": "/people/pick/",
        },
    )


@require_POST
@login_required
def request_action(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_for(request.user, pk)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "me_too":
            request_services.add_me_too(actor=user, request=item)
            messages.success(request, "Added your “me too”.")
        elif action == "not_me":
            request_services.remove_me_too(actor=user, request=item)
        elif action == "assign":
            chosen = request.POST.get("expert", "")
            if not chosen.isdigit():
                messages.error(request, "Choose someone first.")
                return redirect("content:request", pk=pk)
            expert = people_selectors.person_for(user, int(chosen))
            request_services.assign_request(actor=user, request=item, expert=expert)
            messages.success(request, f"Asked {expert.display_name} to write it.")
        elif action in ("accept", "decline"):
            request_services.respond_to_assignment(
                actor=user,
                request=item,
                accept=action == "accept",
                reason=request.POST.get("reason", ""),
            )
        elif action == "status":
            request_services.set_request_status(
                actor=user,
                request=item,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "Status updated.")
        elif action == "start":
            course = request_services.start_course_for_request(actor=user, request=item)
            messages.success(request, "Draft started from the request.")
            return redirect("content:edit", pk=course.pk)
        elif action == "link":
            course = selectors.course_for(user, int(request.POST.get("course") or 0))
            request_services.link_course(actor=user, request=item, course=course)
            messages.success(request, f"Linked “{course.title}”.")
    except ValueError:
        messages.error(request, "Choose someone first.")
    except DomainError as error:
        return refuse(request, error, "content:request", pk)
    return redirect("content:request", pk=pk)


@require_GET
@login_required
def backlog(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    return render(
        request,
        "content/backlog.html",
        {
            "items": selectors.backlog(request.user, status=status),
            "counts": selectors.backlog_counts(request.user),
            "status": status,
            "statuses": ContentRequest.Status.choices,
        },
    )


@require_GET
@login_required
def library_health(request: HttpRequest) -> HttpResponse:
    freshness = request.GET.get("freshness", "")
    return render(
        request,
        "content/health.html",
        {
            "health": selectors.library_health(request.user, freshness=freshness),
            "freshness": freshness,
            "states": Freshness.choices,
        },
    )
