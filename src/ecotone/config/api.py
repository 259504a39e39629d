"""The JSON API at /api/v1/: one NinjaAPI, a router per app, errors as RFC 7807 problem+json."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AuthRateThrottle

from ecotone.kernel.errors import DomainError
from ecotone.kernel.problems import problem_response
from ecotone.people.services import authenticate_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer eco_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Ecotone API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "The Ecotone JSON API. Authenticate with the browser session (and the CSRF token on "
        "writes) or with a personal API token: `Authorization: Bearer eco_…`. Errors are RFC 7807 "
        "problem+json documents."
    ),
    auth=[TokenAuth(), SessionAuth()],
    throttle=[AuthRateThrottle(settings.ECOTONE_API_RATE)],
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        detail=exc.message,
        errors=exc.field_errors() if exc.status == 422 else None,
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload")
        ]
        errors.setdefault(".".join(location) or "__all__", []).append(
            str(error.get("msg", "Invalid."))
        )
    return problem_response(
        request, status=422, code="invalid_input", detail="Some fields are invalid.", errors=errors
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        status=401,
        code="unauthenticated",
        detail="Sign in, or send a personal API token as 'Authorization: Bearer …'.",
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, status=exc.status_code, code="http_error", detail=str(exc))


def register_routers() -> None:
    from ecotone.people.rest import router as people_router

    api.add_router("/", people_router)


register_routers()
