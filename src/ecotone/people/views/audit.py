"""The audit trail of sensitive actions, for admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ecotone.kernel.pagination import paginate
from ecotone.people import selectors
from ecotone.people.views.common import int_param, render_page


@require_GET
@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip()[:64]
    events = selectors.recent_audit_events(request.user)
    if action:
        events = events.filter(action__startswith=action)
    page = paginate(events, page=int_param(request.GET.get("page")), size=50)
    return render_page(
        request,
        "people/audit.html",
        {"page": page, "action": action, "base_query": f"action={action}" if action else ""},
        fragment="events",
    )
