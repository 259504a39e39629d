from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ecotone.people.roles import person_of, roles_of


def viewer(request: HttpRequest) -> dict[str, Any]:
    """``me`` (the signed-in person) and ``my_roles`` for navigation that adapts to roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"me": None, "my_roles": frozenset()}
    return {"me": person_of(user), "my_roles": roles_of(user)}
