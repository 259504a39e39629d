"""The "API tokens" section of one's own profile: list, create (shown once) and revoke.

``api_tokens`` answers htmx with the section fragment (``people/_tokens.html#tokens``) and a
plain browser with the whole page, so the section also works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ecotone.kernel.errors import DomainError
from ecotone.kernel.forms import Form, add_domain_error
from ecotone.people import services
from ecotone.people.models import ApiToken
from ecotone.people.services import IssuedToken

TEMPLATE = "people/_tokens.html"


class TokenForm(Form):
    name = forms.CharField(
        max_length=80, help_text="Where the token is used, such as “laptop” or “CI pipeline”."
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on (optional)",
        help_text="The token stops working at the end of this day. Leave empty for no expiry.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day in the server's time zone."""
        day: dt.date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def own_tokens(viewer: Any) -> QuerySet[ApiToken]:
    """The viewer's own tokens, newest first; nobody sees anyone else's."""
    return ApiToken.objects.filter(user_id=viewer.pk).order_by("-created_at", "-pk")


def _render(
    request: HttpRequest,
    form: TokenForm,
    *,
    issued: IssuedToken | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"tokens": list(own_tokens(request.user)), "form": form, "issued": issued}
    name = f"{TEMPLATE}#tokens" if getattr(request, "htmx", False) else TEMPLATE
    response = render(request, name, context, status=status)
    response["Vary"] = "HX-Request"
    response["Cache-Control"] = "no-store"  # the page may hold a secret shown once
    return response


@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List one's tokens; on POST, create one and show its secret this once."""
    if request.method == "GET":
        return _render(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            issued = services.create_api_token(
                actor=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except DomainError as error:
            if error.field == "expires_at":
                form.add_error("expires_on", error.message)
            else:
                add_domain_error(form, error)
        else:
            return _render(request, TokenForm(), issued=issued)
    # htmx swaps only successful responses into the page: it gets the form with its errors as
    # a 200; a plain browser gets the honest 422.
    return _render(request, form, status=200 if getattr(request, "htmx", False) else 422)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = own_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    services.revoke_api_token(actor=request.user, token=token)
    return _render(request, TokenForm())
