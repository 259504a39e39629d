"""Who someone is in the org, derived once per request and cached on the user object."""

from __future__ import annotations

from typing import Any

from ecotone.people.models import Person, RoleGrant

LEARNING = RoleGrant.Role.LEARNING.value
EXECUTIVE = RoleGrant.Role.EXECUTIVE.value
ADMIN = RoleGrant.Role.ADMIN.value
MANAGER = "manager"


def person_of(user: Any) -> Person | None:
    """The person behind a login, or None (anonymous users, bare service accounts)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_ecotone_person"):
        cached: Person | None = user._ecotone_person
        return cached
    try:
        person: Person | None = user.person
    except Person.DoesNotExist:
        person = None
    user._ecotone_person = person
    return person


def roles_of(user: Any) -> frozenset[str]:
    """Granted roles plus "manager" when the person has active reports. Two queries at most."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_ecotone_roles", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    person = person_of(user)
    roles: set[str] = set()
    if person is not None:
        roles.update(RoleGrant.objects.filter(person=person).values_list("role", flat=True))
        if Person.objects.filter(manager=person, status=Person.Status.ACTIVE).exists():
            roles.add(MANAGER)
    if user.is_superuser:
        roles.add(ADMIN)
    frozen = frozenset(roles)
    user._ecotone_roles = frozen
    return frozen


def forget(user: Any) -> None:
    """Drop the cached person and roles (after a grant or a change of manager)."""
    for attribute in ("_ecotone_person", "_ecotone_roles"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def manages(user: Any, person: Person) -> bool:
    """Whether the user's person is above ``person`` in the management chain (direct or not)."""
    viewer = person_of(user)
    return viewer is not None and viewer.pk in person.chain_ids
