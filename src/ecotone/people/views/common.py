"""What every people view shares: htmx-aware rendering. (Domain errors: kernel middleware.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

type View = Callable[..., HttpResponse]


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only the named partial when htmx asks for a piece of it."""
    name = f"{template}#{fragment}" if fragment and is_htmx(request) else template
    response = render(request, name, context, status=status)
    if fragment:
        patch_vary_headers(response, ["HX-Request"])
    return response


def posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to, or None on GET (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def int_param(value: str | None, default: int = 1) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default
