"""Domain errors that escape an HTML view become the site's 404 and 403 pages.

Services and selectors raise ``NotFound`` and ``Forbidden``; with this middleware installed a view
needs no try/except for them. (The API turns them into problem+json in config/api.py.)
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse

from ecotone.kernel.errors import Forbidden, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(exception.message))
        if isinstance(exception, Forbidden):
            return response_for_exception(request, PermissionDenied(exception.message))
        return None


def _nul_at(value: object, path: str = "") -> str | None:
    """The dotted path of the first text holding a NUL character, or None."""
    if isinstance(value, str):
        return path or "__all__" if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return where
            found = _nul_at(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_at(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


class RejectNulInApiMiddleware:
    """Refuse NUL characters in JSON API input with a 422 problem document.

    No text column can store them (PostgreSQL refuses them outright), so they are stopped at the
    door for every app's endpoints, in the query string and in JSON bodies alike.
    """

    prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = self._nul_field(request) if request.path.startswith(self.prefix) else None
        if field is not None:
            from ecotone.kernel.problems import problem_response

            message = "Text cannot contain NUL characters."
            return problem_response(
                request, status=422, code="invalid_input", detail=message, errors={field: [message]}
            )
        return self.get_response(request)

    @staticmethod
    def _nul_field(request: HttpRequest) -> str | None:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return key.replace("\x00", "") or "__all__"
        if request.content_type != "application/json" or not request.body:
            return None
        try:
            return _nul_at(json.loads(request.body))
        except ValueError:
            return None  # not JSON: the endpoint's own parsing answers
