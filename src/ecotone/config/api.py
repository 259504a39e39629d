"""The JSON API at /api/v1/: one NinjaAPI, a router per app, errors as RFC 7807 problem+json.

Two ways in, tried in order: a personal API token (``Authorization: Bearer eco_…``) and the
browser session, which must send the CSRF token on unsafe methods. Every authenticated user is
rate limited (``ECOTONE_API_RATE``, read at request time so a deployment or a test can change it).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from ecotone.kernel.errors import DomainError
from ecotone.kernel.problems import PROBLEM_MEDIA_TYPE, problem_response
from ecotone.people.services import authenticate_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer eco_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """The browser session. Unsafe methods need the CSRF token, as in every Django form.

    Without a session cookie there is nothing to protect, so the request simply is not
    authenticated by this method (401), rather than refused for a missing CSRF token (403).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        return super().authenticate(request, key)


class ApiRateThrottle(SimpleRateThrottle):
    """Requests per authenticated user, at the rate ``ECOTONE_API_RATE`` ("600/m") says now.

    Ninja's throttles keep the request being checked on the (shared) throttle object; this one
    keeps it per thread, so concurrent requests in a threaded server cannot mix their counts.
    """

    scope = "api"

    def __init__(self) -> None:
        super().__init__(rate=settings.ECOTONE_API_RATE)
        self._current = threading.local()

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        if user_id is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user_id}

    def allow_request(self, request: HttpRequest) -> bool:
        key = self.get_cache_key(request)
        if key is None:
            return True
        allowed, period = self.parse_rate(settings.ECOTONE_API_RATE)
        if allowed is None or period is None:
            return True
        now = time.time()
        history = [moment for moment in self.cache.get(key, []) if moment > now - period]
        self._current.state = (history, now, allowed, period)
        if len(history) >= allowed:
            return False
        self.cache.set(key, [now, *history], period)
        return True

    def wait(self) -> float | None:
        """Seconds until the oldest request in the window leaves it."""
        history, now, _allowed, period = self._current.state
        return max(1.0, period - (now - history[-1])) if history else float(period)


class BodyNotAnObject(ValueError):
    pass


class ObjectBodyParser(Parser):
    """Every request body of the API is a JSON object: anything else is a 422 (``invalid_input``).

    Without this, a bare string reaches an input schema as an object whose attributes are read:
    ``"abc"`` given to a schema with a ``title`` field became a course titled "Abc".
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject("The request body must be a JSON object.")
        return data


class EcotoneApi(NinjaAPI):
    """NinjaAPI whose schema says that error bodies are ``application/problem+json``."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
        return schema


api = EcotoneApi(
    title="Ecotone API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "The Ecotone JSON API. Authenticate with the browser session (and the CSRF token on "
        "writes) or with a personal API token: `Authorization: Bearer eco_…`. Errors are RFC 7807 "
        "problem+json documents. See docs/api.md."
    ),
    auth=[TokenAuth(), CsrfSessionAuth()],
    parser=ObjectBodyParser(),
    throttle=[ApiRateThrottle()],
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


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return problem_response(
        request,
        status=429,
        code="rate_limited",
        detail="Too many requests; wait a little and try again.",
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, status=404, code="not_found", detail="Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, BodyNotAnObject):  # the parser's refusal, wrapped by ninja
        return problem_response(
            request,
            status=422,
            code="invalid_input",
            detail="Some fields are invalid.",
            errors={"__all__": [str(exc.__cause__)]},
        )
    if exc.status_code == 403:
        # The one HttpError of our own auth classes: a session write without the CSRF token.
        return problem_response(
            request,
            status=403,
            code="csrf_failed",
            detail="Send the CSRF token (the X-CSRFToken header) with session-authenticated "
            "writes, or use a personal API token.",
        )
    return problem_response(request, status=exc.status_code, code="http_error", detail=str(exc))


def register_routers() -> None:
    from ecotone.content.rest import router as content_router
    from ecotone.goals.rest import router as goals_router
    from ecotone.kernel.search.rest import router as search_router
    from ecotone.lrs.rest import router as lrs_router
    from ecotone.notifications.rest import router as notifications_router
    from ecotone.people.rest import router as people_router
    from ecotone.people.rest_orgfile import router as orgfile_router
    from ecotone.skills.rest import router as skills_router

    api.add_router("/", orgfile_router)  # first: /people/{person_id} would catch /people/import
    api.add_router("/", people_router)
    api.add_router("/", skills_router)
    api.add_router("/", goals_router)
    api.add_router("/", content_router)
    api.add_router("/", lrs_router)
    api.add_router("/", notifications_router)
    api.add_router("/", search_router)


register_routers()
