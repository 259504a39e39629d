"""Permissions of the people app. See ecotone/authz/README.md for the vocabulary."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ecotone.authz import predicate, register
from ecotone.people.models import Person, User
from ecotone.people.roles import ADMIN, EXECUTIVE, LEARNING, MANAGER, manages, person_of, roles_of

# --- Predicates other apps reuse (import them from here) ----------------------------------------


@predicate
def is_admin(user: Any) -> bool:
    return ADMIN in roles_of(user)


@predicate
def is_learning_facilitator(user: Any) -> bool:
    return LEARNING in roles_of(user)


@predicate
def is_executive(user: Any) -> bool:
    return EXECUTIVE in roles_of(user)


@predicate
def is_manager(user: Any) -> bool:
    return MANAGER in roles_of(user)


@predicate
def is_self(user: Any, person: Person | None) -> bool:
    viewer = person_of(user)
    return person is not None and viewer is not None and viewer.pk == person.pk


@predicate
def is_manager_of(user: Any, person: Person | None) -> bool:
    return person is not None and manages(user, person)


@predicate
def is_member(user: Any) -> bool:
    return person_of(user) is not None or user.is_superuser


# --- Scopes: the same rules as filters ---------------------------------------------------------


def everyone(user: Any) -> Q:
    return Q() if is_member(user) else Q(pk__in=[])


def only_admins(user: Any) -> Q:
    return Q() if is_admin(user) else Q(pk__in=[])


def all_or_nothing(allowed: Any) -> Any:
    """A scope from a predicate about the user alone: every row, or none."""

    def scope(user: Any) -> Q:
        return Q() if allowed(user) else Q(pk__in=[])

    return scope


def private_scope(user: Any) -> Q:
    """Self, the people one manages (directly or not); everyone for L&D and admins."""
    if is_admin(user) or is_learning_facilitator(user):
        return Q()
    viewer = person_of(user)
    if viewer is None:
        return Q(pk__in=[])
    return Q(pk=viewer.pk) | Q(manager_path__startswith=viewer.subtree_prefix)


def self_or_admin_scope(user: Any) -> Q:
    if is_admin(user):
        return Q()
    viewer = person_of(user)
    return Q(pk=viewer.pk) if viewer else Q(pk__in=[])


# --- Who: the users allowed ---------------------------------------------------------------------


def role_users(*roles: str) -> QuerySet[User]:
    """The users holding one of ``roles`` (granted roles), and superusers."""
    return User.objects.filter(
        Q(person__role_grants__role__in=roles) | Q(is_superuser=True)
    ).distinct()


def private_who(person: Person) -> QuerySet[User]:
    return User.objects.filter(
        Q(person__pk=person.pk)
        | Q(person__pk__in=person.chain_ids)
        | Q(person__role_grants__role__in=[ADMIN, LEARNING])
        | Q(is_superuser=True)
    ).distinct()


def admins_who(_: Any = None) -> QuerySet[User]:
    return role_users(ADMIN)


def self_or_admin_who(person: Person) -> QuerySet[User]:
    return User.objects.filter(
        Q(person__pk=person.pk) | Q(pk__in=admins_who().values("pk"))
    ).distinct()


register(
    "people.view_person",
    is_member,
    scope=everyone,
    description="See someone in the directory, their profile, team and place in the org chart.",
)
register(
    "people.view_private",
    is_self | is_manager_of | is_learning_facilitator | is_admin,
    scope=private_scope,
    who=private_who,
    hidden_unless="people.view_person",
    description="See what only the person, their management chain and L&D see "
    "(self-ratings, coaching notes, private goals).",
)
register(
    "people.edit_profile",
    is_self | is_admin,
    scope=self_or_admin_scope,
    who=self_or_admin_who,
    hidden_unless="people.view_person",
    description="Edit one's own profile (display name, location, time zone, bio).",
)
register(
    "people.manage_people",
    is_admin,
    scope=only_admins,
    who=admins_who,
    hidden_unless="people.view_person",
    description="Create, deactivate and reactivate people; move teams; change managers; import.",
)
register(
    "people.export_org",
    is_admin | is_learning_facilitator,
    description="Download the org chart as CSV or XLSX.",
)
register(
    "people.manage_teams",
    is_admin,
    scope=only_admins,
    who=admins_who,
    description="Create, rename and re-parent teams and set their leads.",
)
register(
    "people.view_team",
    is_member,
    scope=everyone,
    description="See a team, its members and sub-teams.",
)
register(
    "people.grant_role",
    is_admin,
    who=admins_who,
    description="Grant and revoke the L&D facilitator, executive and admin roles.",
)
register(
    "people.manage_tokens",
    is_self,
    hidden_unless="people.view_person",
    description="Create and revoke one's own personal API tokens.",
)
register(
    "people.view_audit",
    is_admin,
    description="Read the audit trail of sensitive actions.",
)
