"""Shared checks of the content services."""

from __future__ import annotations

from typing import Any

from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.people.models import Person
from ecotone.people.roles import person_of


def acting_person(actor: Any) -> Person:
    """The person behind ``actor``; bare accounts without a person cannot act on content."""
    person = person_of(actor)
    if person is None:
        raise Forbidden("Only people of the organisation can do this.")
    return person


def clean_text(value: Any, *, field: str, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError("required", "This field is required.", field=field)
    if len(text) > limit:
        raise DomainError("too_long", f"Keep it under {limit} characters.", field=field)
    return text


def clean_int(value: Any, *, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError("invalid_number", "Enter a whole number.", field=field) from None
    if not low <= number <= high:
        raise DomainError("out_of_range", f"Enter a number from {low} to {high}.", field=field)
    return number
