"""RFC 7807 problem documents, the one error format of the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from pydantic import BaseModel

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    413: "Payload too large",
    422: "Invalid request",
    429: "Too many requests",
}


class Problem(BaseModel):
    """An RFC 7807 problem document."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    errors: dict[str, list[str]] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": f"https://ecotone.dev/problems/{code.replace('_', '-')}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type="application/problem+json")


# The responses every endpoint documents besides its success.
ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
