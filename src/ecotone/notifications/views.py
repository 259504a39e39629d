"""HTML adapters of the notifications app: the inbox, the bell badge and the preferences page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ecotone.kernel.errors import DomainError, NotFound
from ecotone.kernel.forms import add_domain_error
from ecotone.notifications import selectors, services
from ecotone.notifications.forms import MODE_HELP, PreferencesForm
from ecotone.notifications.models import EmailMode, Notification

BADGE_REFRESH_EVENT = "notifications-changed"


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _own(request: HttpRequest, notification_id: int) -> Notification:
    try:
        return selectors.notification_for(viewer=request.user, notification_id=notification_id)
    except NotFound:
        raise Http404("No such notification.") from None


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("filter") == "unread"
    page = selectors.inbox_page(
        viewer=request.user, unread_only=unread_only, page=_page_number(request)
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only},
    )


@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The bell's badge, polled by htmx. One query; nothing for anonymous visitors."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    unread = selectors.unread_count(viewer=request.user, limit=selectors.BADGE_LIMIT)
    # Rendered without the request context: the site-wide context processors would cost queries.
    return HttpResponse(render_to_string("notifications/_bell.html#badge", {"unread": unread}))


@login_required
@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.mark_read(
        actor=request.user, notification=_own(request, notification_id)
    )
    if getattr(request, "htmx", False):
        response = render(request, "notifications/inbox.html#item", {"notification": notification})
        response["HX-Trigger"] = BADGE_REFRESH_EVENT  # the bell refreshes its count
        return response
    return redirect(_back_to_inbox(request))


@login_required
@require_GET
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = services.mark_read(
        actor=request.user, notification=_own(request, notification_id)
    )
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    changed = services.mark_all_read(actor=request.user)
    messages.success(
        request, f"Marked {changed} notification{'s' if changed != 1 else ''} as read."
    )
    return redirect(_back_to_inbox(request))


def _back_to_inbox(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notifications:inbox"


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preferences_for(viewer=request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"email_mode": current.email_mode},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preferences(
                actor=request.user, email_mode=form.cleaned_data["email_mode"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your e-mail preferences are saved.")
            return redirect("notifications:preferences")
    modes: list[dict[str, Any]] = [
        {"value": value, "label": label, "help": MODE_HELP[EmailMode(value)]}
        for value, label in EmailMode.choices
    ]
    selected = form["email_mode"].value() or current.email_mode
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "modes": modes, "selected": selected},
        status=422 if form.errors else 200,
    )
