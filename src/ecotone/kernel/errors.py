"""Errors raised by services and selectors, understood by every adapter.

A service raises ``DomainError`` when a business rule refuses the request. The HTML adapter shows
the message next to ``field`` (or above the form); the API answers with RFC 7807 problem+json.
``NotFound`` is for objects the viewer may not know exist (HTTP 404), ``Forbidden`` for actions on
objects the viewer can see but not change (HTTP 403).
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A business rule refused the request; nothing was written."""

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        status: int = 422,
        errors: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status
        self.errors = dict(errors or {})

    def __str__(self) -> str:
        return self.message

    def field_errors(self) -> dict[str, list[str]]:
        """Messages per form field ("__all__" for the form as a whole)."""
        result = {key: list(value) for key, value in self.errors.items()}
        result.setdefault(self.field or "__all__", []).append(self.message)
        return result


class NotFound(DomainError):
    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(code="not_found", message=message, status=404)


class Forbidden(DomainError):
    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(code="forbidden", message=message, status=403)
