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


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class RejectNulInApiMiddleware:
    """Refuse NUL characters in JSON API input with a 422 problem document.

    No text column can store them (PostgreSQL refuses them outright), so they are stopped at the
    door for every app's endpoints, in the query string and in JSON bodies alike.
    """

    prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.prefix) and self._holds_nul(request):
            from ecotone.kernel.problems import problem_response

            return problem_response(
                request,
                status=422,
                code="invalid_input",
                detail="Text cannot contain NUL characters.",
                errors={"__all__": ["Text cannot contain NUL characters."]},
            )
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request: HttpRequest) -> bool:
        if any(_holds_nul(key) or _holds_nul(value) for key, value in request.GET.lists()):
            return True
        if request.content_type != "application/json" or not request.body:
            return False
        try:
            return _holds_nul(json.loads(request.body))
        except ValueError:
            return False  # not JSON: the endpoint's own parsing answers
