"""Keyset-free, count-cheap pagination shared by HTML lists and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet

T = TypeVar("T")

MAX_PAGE_SIZE = 200


@dataclass
class Page[T]:
    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.size + 1

    @property
    def end_index(self) -> int:
        return min(self.total, self.number * self.size)


def paginate(queryset: QuerySet[Any], *, page: int = 1, size: int = 25) -> Page[Any]:
    """Two queries: one count, one slice. A page past the end shows the last page."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    total = queryset.count()
    last = max(1, -(-total // size))
    number = max(1, min(page, last))
    offset = (number - 1) * size
    items = list(queryset[offset : offset + size]) if total else []
    return Page(items=items, number=number, size=size, total=total)
