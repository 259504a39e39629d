"""A short path for LRS clients: their requests skip the site's middleware.

A request to an xAPI resource with HTTP Basic credentials comes from a tool, not a browser: it has
no session, no CSRF token, no messages, no sign-in form to throttle, and its answer is JSON. This
middleware, placed right after ``SecurityMiddleware``, sends such requests straight to the
resource (after the ``ALLOWED_HOSTS`` check) and everything else down the usual chain. Browser
requests to ``/xapi/`` (the statement browser, admins reading statements with their session) take
the usual chain.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

PREFIX = "/xapi/"


class XapiClientMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info.startswith(PREFIX)
            and request.META.get("HTTP_AUTHORIZATION", "")[:6].lower() == "basic "
        ):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if getattr(match.func, "xapi_resource", False):
                request.get_host()  # refuses a host outside ALLOWED_HOSTS, as CommonMiddleware
                response: HttpResponse = match.func(request, *match.args, **match.kwargs)
                return response
        return self.get_response(request)
