"""RFC 7807 problem documents, the one error format of the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"

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
    """An RFC 7807 problem document, with a stable ``code`` and messages per input field."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="A short, human-readable summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, for a human.")
    code: str = Field(description="A stable, machine-readable code such as `duplicate_email`.")
    errors: dict[str, list[str]] | None = Field(
        default=None,
        description='Messages per input field ("__all__" for the request as a whole).',
    )


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
    return JsonResponse(body, status=status, content_type=PROBLEM_MEDIA_TYPE)


# The responses every endpoint documents besides its success.
# 400 is a body that is not JSON at all; 422 is JSON that breaks the schema or a business rule.
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
