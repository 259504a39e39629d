from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ecotone.kernel.errors import DomainError


def refuse(request: HttpRequest, error: DomainError, to: str, *args: object) -> HttpResponse:
    """Show a business-rule refusal as a message and go back; 403/404 propagate."""
    if error.status in (403, 404):
        raise error
    messages.error(request, error.message)
    return redirect(to, *args)


def int_param(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None
