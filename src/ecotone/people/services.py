"""Every write to people, teams, roles and tokens. Each function is one transaction.

Services take the acting user first (``actor``), check permission through ``authz``, validate,
write, and record sensitive actions in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from ecotone import authz
from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.notifications.services import notify
from ecotone.people import search as people_search
from ecotone.people.models import ApiToken, Person, RoleGrant, Team, User, normalize_email
from ecotone.people.roles import forget

PROFILE_FIELDS = frozenset({"display_name", "location", "time_zone", "bio"})
ADMIN_FIELDS = PROFILE_FIELDS | {"title", "start_date", "employee_id", "email"}
TIME_ZONES = frozenset(zoneinfo.available_timezones())


# --- People ----------------------------------------------------------------------------------


def _clean_email(email: str, *, field: str = "email") -> str:
    email = normalize_email(email or "")
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError("invalid_email", "Enter a valid e-mail address.", field=field) from None
    return email


def _clean_time_zone(value: str) -> str:
    value = (value or "UTC").strip()
    if value not in TIME_ZONES:
        raise DomainError(
            "invalid_time_zone",
            f"Unknown time zone {value!r}; use a name such as Europe/Paris.",
            field="time_zone",
        )
    return value


def _clean_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", "A display name is required.", field="display_name")
    if len(value) > 150:
        raise DomainError("too_long", "Keep the name under 150 characters.", field="display_name")
    return value


@transaction.atomic
def create_person(
    *,
    actor: Any,
    email: str,
    display_name: str,
    title: str = "",
    team: Team | None = None,
    manager: Person | None = None,
    location: str = "",
    time_zone: str = "UTC",
    start_date: dt.date | None = None,
    employee_id: str | None = None,
    password: str | None = None,
) -> Person:
    """Add someone to the org, with a login (no usable password unless one is given)."""
    authz.require(actor, "people.manage_people")
    email = _clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            "duplicate_email", "Someone already uses this e-mail address.", field="email"
        )
    employee_id = (employee_id or "").strip() or None
    if employee_id and Person.objects.filter(employee_id=employee_id).exists():
        raise DomainError(
            "duplicate_employee_id", "Someone already has this employee id.", field="employee_id"
        )
    user = User.objects.create_user(email=email, password=password)
    person = Person.objects.create(
        user=user,
        display_name=_clean_name(display_name),
        title=title.strip(),
        team=team,
        location=location.strip(),
        time_zone=_clean_time_zone(time_zone),
        start_date=start_date,
        employee_id=employee_id,
    )
    if manager is not None:
        _set_manager(person, manager)
    people_search.index_person(person)
    audit.record(actor=actor, action="people.person_created", target=person)
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, **changes: Any) -> Person:
    """Change profile fields. People edit their own profile; admins edit any field."""
    authz.require(actor, "people.edit_profile", person)
    allowed = ADMIN_FIELDS if authz.can(actor, "people.manage_people", person) else PROFILE_FIELDS
    unknown = set(changes) - allowed
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(
            "not_editable", f"You cannot change {field.replace('_', ' ')}.", field=field
        )
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    if "display_name" in changes:
        person.display_name = _clean_name(changes["display_name"])
    if "time_zone" in changes:
        person.time_zone = _clean_time_zone(changes["time_zone"])
    for name in ("location", "bio", "title"):
        if name in changes:
            setattr(person, name, (changes[name] or "").strip())
    if "start_date" in changes:
        person.start_date = changes["start_date"]
    if "employee_id" in changes:
        employee_id = (changes["employee_id"] or "").strip() or None
        if (
            employee_id
            and Person.objects.exclude(pk=person.pk).filter(employee_id=employee_id).exists()
        ):
            raise DomainError(
                "duplicate_employee_id",
                "Someone already has this employee id.",
                field="employee_id",
            )
        person.employee_id = employee_id
    if "email" in changes:
        email = _clean_email(changes["email"])
        if User.objects.exclude(pk=person.user_id).filter(email__iexact=email).exists():
            raise DomainError(
                "duplicate_email", "Someone already uses this e-mail address.", field="email"
            )
        if email != person.user.email:
            person.user.email = email
            person.user.save(update_fields=["email"])
            audit.record(actor=actor, action="people.email_changed", target=person)
    person.save()
    people_search.index_person(person)
    return person


@transaction.atomic
def deactivate_person(*, actor: Any, person: Person, left_on: dt.date | None = None) -> Person:
    """Mark someone as having left: they can no longer sign in, their history stays.

    Their direct reports move up to their manager, and they stop leading their teams.
    """
    authz.require(actor, "people.manage_people", person)
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    if person.status == Person.Status.LEFT:
        raise DomainError("already_left", f"{person} has already left.")
    if person.user_id == getattr(actor, "pk", None):
        raise DomainError("self_deactivation", "You cannot deactivate yourself.")
    for report in Person.objects.filter(manager=person).order_by("pk"):
        _set_manager(report, person.manager)
    Team.objects.filter(lead=person).update(lead=None)
    person.status = Person.Status.LEFT
    person.left_on = left_on or timezone.localdate()
    person.save(update_fields=["status", "left_on", "updated_at"])
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=person.user, revoked_at=None).update(revoked_at=timezone.now())
    people_search.remove_person(person)
    audit.record(actor=actor, action="people.person_deactivated", target=person)
    return person


@transaction.atomic
def reactivate_person(*, actor: Any, person: Person) -> Person:
    """Undo a deactivation (a returning employee, or a mistake)."""
    authz.require(actor, "people.manage_people", person)
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    if person.status == Person.Status.ACTIVE:
        raise DomainError("already_active", f"{person} is already active.")
    person.status = Person.Status.ACTIVE
    person.left_on = None
    person.save(update_fields=["status", "left_on", "updated_at"])
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    people_search.index_person(person)
    audit.record(actor=actor, action="people.person_reactivated", target=person)
    return person


@transaction.atomic
def move_team(*, actor: Any, person: Person, team: Team | None) -> Person:
    authz.require(actor, "people.manage_people", person)
    person.team = team
    person.save(update_fields=["team", "updated_at"])
    people_search.index_person(person)
    audit.record(
        actor=actor,
        action="people.team_changed",
        target=person,
        detail={"team": team.pk if team else None},
    )
    return person


@transaction.atomic
def change_manager(*, actor: Any, person: Person, manager: Person | None) -> Person:
    """Change who someone reports to; refuses any change that would make a reporting cycle."""
    authz.require(actor, "people.manage_people", person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    previous_manager_id = person.manager_id
    _set_manager(person, manager)
    audit.record(
        actor=actor,
        action="people.manager_changed",
        target=person,
        detail={"manager": manager.pk if manager else None},
    )
    if person.manager_id != previous_manager_id:
        _notify_manager_change(actor=actor, person=person, manager=manager)
    return person


def _notify_manager_change(*, actor: Any, person: Person, manager: Person | None) -> None:
    profile = reverse("profile", args=[person.pk])
    notify(
        recipient=person.user,
        kind="people.manager_changed",
        title=f"You now report to {manager.display_name}" if manager else "You have no manager",
        body="Your place in the org chart changed."
        if manager
        else "You no longer report to anyone in the org chart.",
        url=profile,
        actor=actor,
    )
    if manager is not None:
        notify(
            recipient=manager.user,
            kind="people.report_added",
            title=f"{person.display_name} now reports to you",
            body=f"{person.display_name} joined your reports in the org chart.",
            url=profile,
            actor=actor,
        )


def _set_manager(person: Person, manager: Person | None) -> None:
    """Point ``person`` at ``manager``; rewrite the chain of everyone below them in one UPDATE."""
    if manager is not None:
        manager = Person.objects.get(pk=manager.pk)
        if manager.pk == person.pk or person.pk in manager.chain_ids:
            raise DomainError(
                "reporting_cycle",
                f"{manager} reports to {person}, so {person} cannot report to {manager}.",
                field="manager",
            )
        if manager.status == Person.Status.LEFT:
            raise DomainError("manager_left", f"{manager} has left the company.", field="manager")
    old_prefix = person.subtree_prefix
    person.manager = manager
    person.manager_path = manager.subtree_prefix if manager is not None else "/"
    person.save(update_fields=["manager", "manager_path", "updated_at"])
    new_prefix = person.subtree_prefix
    if new_prefix != old_prefix:
        Person.objects.filter(manager_path__startswith=old_prefix).update(
            manager_path=Concat(
                Value(new_prefix),
                Substr(F("manager_path"), len(old_prefix) + 1, Length("manager_path")),
            )
        )


# --- Teams -----------------------------------------------------------------------------------


def _unique_slug(name: str, *, exclude: int | None = None) -> str:
    base = slugify(name)[:120] or "team"
    slug, n = base, 1
    while Team.objects.exclude(pk=exclude or 0).filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_lead(lead: Person | None) -> None:
    if lead is not None and Person.objects.filter(pk=lead.pk, status=Person.Status.LEFT).exists():
        raise DomainError("lead_left", f"{lead} has left the company.", field="lead")


@transaction.atomic
def create_team(
    *,
    actor: Any,
    name: str,
    parent: Team | None = None,
    lead: Person | None = None,
    description: str = "",
) -> Team:
    authz.require(actor, "people.manage_teams")
    name = (name or "").strip()
    if not name:
        raise DomainError("required", "A team needs a name.", field="name")
    _check_lead(lead)
    if parent is not None:
        parent = Team.objects.get(pk=parent.pk)  # the stored path, not a stale copy
    team = Team(name=name, parent=parent, lead=lead, description=description.strip())
    team.slug = _unique_slug(name)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise DomainError(
            "duplicate_team", f"There is already a team called {name} here.", field="name"
        ) from None
    team.path = f"{parent.path if parent else '/'}{team.pk}/"
    team.depth = team.path.count("/") - 2
    team.save(update_fields=["path", "depth"])
    audit.record(actor=actor, action="people.team_created", target=team)
    return team


@transaction.atomic
def update_team(
    *,
    actor: Any,
    team: Team,
    name: str | None = None,
    description: str | None = None,
    lead: Person | object | None = ...,
    parent: Team | object | None = ...,
) -> Team:
    """Rename, re-describe, change the lead or move a team (refusing cycles in the tree)."""
    authz.require(actor, "people.manage_teams", team)
    team = Team.objects.select_for_update().get(pk=team.pk)
    if name is not None:
        name = name.strip()
        if not name:
            raise DomainError("required", "A team needs a name.", field="name")
        team.name = name
    if description is not None:
        team.description = description.strip()
    if lead is not ...:
        _check_lead(lead)  # type: ignore[arg-type]
        team.lead = lead  # type: ignore[assignment]
    if parent is not ...:
        new_parent: Team | None = parent  # type: ignore[assignment]
        if new_parent is not None:
            new_parent = Team.objects.get(pk=new_parent.pk)  # its path may have moved since
        if new_parent is not None and (
            new_parent.pk == team.pk or f"/{team.pk}/" in new_parent.path
        ):
            raise DomainError("team_cycle", f"{new_parent} is inside {team}.", field="parent")
        old_path = team.path
        team.parent = new_parent
        team.path = f"{new_parent.path if new_parent else '/'}{team.pk}/"
        team.depth = team.path.count("/") - 2
        if team.path != old_path:
            for descendant in Team.objects.filter(path__startswith=old_path).exclude(pk=team.pk):
                descendant.path = team.path + descendant.path[len(old_path) :]
                descendant.depth = descendant.path.count("/") - 2
                descendant.save(update_fields=["path", "depth"])
    renamed = name is not None and Team.objects.filter(pk=team.pk).exclude(name=name).exists()
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise DomainError(
            "duplicate_team", "There is already a team with this name here.", field="name"
        ) from None
    if renamed:
        people_search.index_people(Person.objects.filter(team=team))
    audit.record(actor=actor, action="people.team_updated", target=team)
    return team


# --- Granted roles ---------------------------------------------------------------------------


@transaction.atomic
def grant_role(*, actor: Any, person: Person, role: str) -> RoleGrant:
    authz.require(actor, "people.grant_role")
    if role not in RoleGrant.Role.values:
        raise DomainError("unknown_role", f"Unknown role {role!r}.", field="role")
    grant, created = RoleGrant.objects.get_or_create(
        person=person, role=role, defaults={"granted_by": actor}
    )
    if created:
        audit.record(
            actor=actor, action="people.role_granted", target=person, detail={"role": role}
        )
        forget(person.user)
        label = RoleGrant.Role(role).label
        notify(
            recipient=person.user,
            kind="people.role_granted",
            title=f"You were given the {label} role",
            body=f"An administrator made you {label}. New pages and actions are open to you.",
            url=reverse("profile", args=[person.pk]),
            actor=actor,
        )
    return grant


@transaction.atomic
def revoke_role(*, actor: Any, person: Person, role: str) -> None:
    authz.require(actor, "people.grant_role")
    if role == RoleGrant.Role.ADMIN and person.user_id == getattr(actor, "pk", None):
        raise DomainError("self_revoke", "You cannot remove your own admin role.", field="role")
    deleted, _ = RoleGrant.objects.filter(person=person, role=role).delete()
    if deleted:
        audit.record(
            actor=actor, action="people.role_revoked", target=person, detail={"role": role}
        )
        forget(person.user)


# --- Personal API tokens ---------------------------------------------------------------------

TOKEN_PREFIX = "eco"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the full token string; shown once, never stored


def token_digest(raw: str) -> str:
    """A keyed hash: fast to check on every request, useless without the server's secret key."""
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def create_api_token(
    *, actor: Any, name: str, expires_at: dt.datetime | None = None
) -> IssuedToken:
    person = getattr(actor, "person", None)
    authz.require(actor, "people.manage_tokens", person)
    name = (name or "").strip()
    if not name:
        raise DomainError("required", "Name the token so you can recognise it later.", field="name")
    if len(name) > 80:
        raise DomainError("too_long", "Keep the name under 80 characters.", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError("expired", "The expiry date must be in the future.", field="expires_at")
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, digest=token_digest(raw), expires_at=expires_at
    )
    audit.record(actor=actor, action="people.token_created", target=token)
    return IssuedToken(token=token, secret=raw)


@transaction.atomic
def revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.user_id != getattr(actor, "pk", None):
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="people.token_revoked", target=token)
    return token


def authenticate_token(raw: str) -> User | None:
    """The active user behind a token string, or None. One indexed query."""
    parts = (raw or "").split("_", 2)  # the secret part may itself contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    if not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
