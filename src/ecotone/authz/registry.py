"""The permission registry behind ``can / require / scope / who_can``.

A permission couples three views of the same rule, which must agree (the matrix harness in
``ecotone.authz.testing`` checks that they do):

* ``check``  - a ``rules`` predicate ``(user, obj) -> bool`` for one object;
* ``scope``  - ``(user) -> Q`` filtering a queryset down to the objects the user may act on, so
               lists never test objects one by one;
* ``who``    - ``(obj) -> QuerySet[User]`` listing the users allowed, for notifications and audits.

``hidden_unless`` names the permission that decides whether the user may know the object exists:
when it fails, ``require`` raises ``NotFound`` (HTTP 404) instead of ``Forbidden`` (HTTP 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from rules import permissions as rule_permissions
from rules import predicates as rule_predicates

from ecotone.kernel.errors import Forbidden, NotFound

M = TypeVar("M", bound=Model)

Predicate = Any  # a ``rules`` predicate: callable, combinable with & | ~


def predicate(function: Callable[..., bool]) -> Predicate:
    """Make a ``rules`` predicate (combinable with ``&``, ``|`` and ``~``) from a function."""
    return rule_predicates.predicate(function)  # type: ignore[no-untyped-call]


ScopeFunction = Callable[[Any], Q]
WhoFunction = Callable[[Any], "QuerySet[Any]"]


@dataclass(frozen=True)
class Permission:
    name: str
    check: Predicate
    scope: ScopeFunction | None = None
    who: WhoFunction | None = None
    hidden_unless: str | None = None
    description: str = ""


_registry: dict[str, Permission] = {}


def register(
    name: str,
    check: Predicate | Callable[..., bool],
    *,
    scope: ScopeFunction | None = None,
    who: WhoFunction | None = None,
    hidden_unless: str | None = None,
    description: str = "",
) -> Permission:
    """Declare a permission. Called at import time from an app's ``policies.py``."""
    rule = check if isinstance(check, rule_predicates.Predicate) else predicate(check)
    permission = Permission(name, rule, scope, who, hidden_unless, description)
    _registry[name] = permission
    rule_permissions.set_perm(name, rule)  # type: ignore[no-untyped-call]
    return permission


def get(name: str) -> Permission:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"Unknown permission {name!r}: register it in a policies.py") from None


def registered() -> dict[str, Permission]:
    return dict(_registry)


def can(user: Any, name: str, obj: Any = None) -> bool:
    """Whether ``user`` holds permission ``name`` (on ``obj``). Anonymous users hold none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(get(name).check.test(user, obj))


def require(user: Any, name: str, obj: Any = None) -> None:
    """Pass if allowed; else raise ``NotFound`` if ``obj`` must stay unknown, or ``Forbidden``."""
    if can(user, name, obj):
        return
    hidden_unless = get(name).hidden_unless
    if obj is not None and hidden_unless and not can(user, hidden_unless, obj):
        raise NotFound()
    raise Forbidden()


def scope[M: Model](user: Any, name: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """The rows of ``queryset`` on which ``user`` holds ``name``, in one query."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    permission = get(name)
    if permission.scope is None:
        raise LookupError(f"Permission {name!r} has no scope: register one to filter lists")
    return queryset.filter(permission.scope(user))


def who_can(name: str, obj: Any = None) -> QuerySet[Any]:
    """The active users holding ``name`` on ``obj``."""
    permission = get(name)
    users = get_user_model().objects.filter(is_active=True)
    if permission.who is not None:
        return permission.who(obj).filter(is_active=True)
    # Fallback for permissions without a ``who``: test each user. Fine for small role sets only.
    allowed = [user.pk for user in users.iterator() if permission.check.test(user, obj)]
    return users.filter(pk__in=allowed)
