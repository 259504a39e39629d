"""JSON adapters for people, teams, roles and personal API tokens.

Each endpoint parses its input with a schema, calls the same service or selector as the HTML
view, and renders a schema. Permissions, validation and auditing live in the services; refusals
arrive here as ``DomainError`` and leave as problem+json (see ``ecotone.config.api``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.schema import DjangoGetter
from pydantic import AwareDatetime, BeforeValidator, field_validator, model_validator

from ecotone import authz
from ecotone.kernel.errors import DomainError, NotFound
from ecotone.kernel.pagination import MAX_PAGE_SIZE, paginate
from ecotone.kernel.problems import ERRORS
from ecotone.people import selectors, services
from ecotone.people.models import ApiToken, Person, RoleGrant, Team
from ecotone.people.roles import person_of, roles_of

router = Router()

RoleName = Literal["ld", "executive", "admin"]

MAX_ID = 2**63 - 1  # the largest id a database column holds; larger ones cannot exist
# In JSON bodies an id is a JSON integer: not "12", 12.0 or true, which pydantic would coerce.
Id = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]  # query strings are text by nature


def _iso_text(value: Any) -> Any:
    """Dates and times arrive as ISO 8601 text, never as numbers pydantic would read as epochs."""
    if not isinstance(value, str):
        raise ValueError("Use ISO 8601 text, such as 2026-12-01 or 2026-12-01T09:00:00Z.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_text)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="The person's id.")]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="The token's id.")]
TeamRefPath = Annotated[
    str, Path(min_length=1, max_length=140, description="The team's id or its slug.")
]


class Input(Schema):
    """Request input: a JSON object, whose text may not hold NUL characters (no column stores
    them). Plain ninja schemas would read any JSON value, ``[]`` or ``null`` included, as ``{}``.
    """

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        raw = data._obj if isinstance(data, DjangoGetter) else data  # ninja wraps the input
        if not isinstance(raw, dict):
            raise ValueError("Send a JSON object.")
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Text cannot contain NUL characters.")
        return value


# --- Schemas ---------------------------------------------------------------------------------


class TeamRef(Schema):
    id: int
    slug: str
    name: str


class PersonRef(Schema):
    id: int
    display_name: str


class PersonOut(Schema):
    id: int
    display_name: str
    email: str
    title: str
    team: TeamRef | None
    manager: PersonRef | None
    location: str
    time_zone: str
    start_date: dt.date | None
    status: Literal["active", "left"]
    left_on: dt.date | None
    employee_id: str | None = Field(description="Shown to administrators only.")


class PersonDetail(PersonOut):
    bio: str
    roles: list[RoleName] = Field(description="Roles granted by an administrator.")


class PersonPage(Schema):
    items: list[PersonOut]
    count: int = Field(description="How many people match, on all pages.")
    page: int
    pages: int


class PersonFilters(Input):
    q: str = Field("", max_length=200, description="Words to find in name, e-mail or title.")
    team: str = Field(
        "", max_length=140, description="A team id or slug; its sub-teams are included."
    )
    title: str = Field("", max_length=150, description="An exact job title.")
    location: str = Field("", max_length=120, description="An exact location.")
    status: Literal["active", "left", "all"] = "active"
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class PersonCreate(Input):
    email: str = Field(max_length=254)
    display_name: str = Field(max_length=150)
    title: str = Field("", max_length=150)
    team: Id | None = Field(None, description="Team id.")
    manager: Id | None = Field(None, description="Id of the person this person reports to.")
    location: str = Field("", max_length=120)
    time_zone: str = Field("UTC", max_length=64)
    start_date: IsoDate | None = None
    employee_id: str | None = Field(None, max_length=64)


class PersonPatch(Input):
    """Only the fields sent change. People edit their profile; administrators, every field."""

    display_name: str = Field("", max_length=150)
    location: str = Field("", max_length=120)
    time_zone: str = Field("", max_length=64)
    bio: str = Field("", max_length=10_000)
    title: str = Field("", max_length=150, description="Administrators only.")
    email: str = Field("", max_length=254, description="Administrators only.")
    start_date: IsoDate | None = Field(None, description="Administrators only.")
    employee_id: str | None = Field(None, max_length=64, description="Administrators only.")


class Deactivation(Input):
    left_on: IsoDate | None = Field(None, description="The last day; today when left out.")


class ManagerChange(Input):
    manager: Id | None = Field(description="Id of the new manager, or null for the top.")


class TeamChange(Input):
    team: Id | None = Field(description="Id of the new team, or null for none.")


class Me(Schema):
    email: str
    roles: list[str] = Field(description='Granted roles, plus "manager" for people with reports.')
    person: PersonDetail | None = Field(description="Null for a login with no person record.")


class TeamOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    parent_id: int | None
    lead: PersonRef | None
    depth: int
    member_count: int = Field(description="Active members of the team and its sub-teams.")


class TeamDetail(TeamOut):
    children: list[TeamOut]


class TeamPage(Schema):
    items: list[TeamOut]
    count: int
    page: int
    pages: int


class TeamFilters(Input):
    parent: QueryId | None = Field(None, description="Only the direct sub-teams of this team id.")
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class TeamCreate(Input):
    name: str = Field(max_length=120)
    description: str = Field("", max_length=10_000)
    parent: Id | None = Field(None, description="Id of the parent team; null for a top team.")
    lead: Id | None = Field(None, description="Id of the person leading the team.")


class TeamPatch(Input):
    """Only the fields sent change; send null as ``parent`` or ``lead`` to clear it."""

    name: str = Field("", max_length=120)
    description: str = Field("", max_length=10_000)
    parent: Id | None = None
    lead: Id | None = None


class RoleGrantIn(Input):
    role: RoleName


class RoleGrantOut(Schema):
    person_id: int
    role: RoleName
    granted_at: dt.datetime


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreate(Input):
    name: str = Field(max_length=80)
    expires_at: IsoDateTime | None = Field(
        None, description="With a time zone offset; never expires when left out."
    )


class IssuedTokenOut(Schema):
    token: TokenOut
    secret: str = Field(description="The full token. Shown this once; it cannot be read again.")


# --- Rendering -------------------------------------------------------------------------------


def _person_out(person: Person, *, show_employee_id: bool) -> PersonOut:
    return PersonOut(**_person_fields(person, show_employee_id=show_employee_id))


def _person_fields(person: Person, *, show_employee_id: bool) -> dict[str, Any]:
    team, manager = person.team, person.manager
    return {
        "id": person.pk,
        "display_name": person.display_name,
        "email": person.user.email,
        "title": person.title,
        "team": TeamRef(id=team.pk, slug=team.slug, name=team.name) if team else None,
        "manager": PersonRef(id=manager.pk, display_name=manager.display_name) if manager else None,
        "location": person.location,
        "time_zone": person.time_zone,
        "start_date": person.start_date,
        "status": person.status,
        "left_on": person.left_on,
        "employee_id": person.employee_id if show_employee_id else None,
    }


def _person_detail(viewer: Any, person: Person) -> PersonDetail:
    roles = sorted(cast(RoleName, grant.role) for grant in person.role_grants.all())
    return PersonDetail(
        **_person_fields(person, show_employee_id=_sees_employee_ids(viewer)),
        bio=person.bio,
        roles=roles,
    )


def _team_out(team: Team) -> TeamOut:
    lead = team.lead
    return TeamOut(
        id=team.pk,
        slug=team.slug,
        name=team.name,
        description=team.description,
        parent_id=team.parent_id,
        lead=PersonRef(id=lead.pk, display_name=lead.display_name) if lead else None,
        depth=team.depth,
        member_count=getattr(team, "member_count", 0),
    )


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut.model_validate(token, from_attributes=True)


def _sees_employee_ids(viewer: Any) -> bool:
    return authz.can(viewer, "people.manage_people")


# --- Looking up what a request names ---------------------------------------------------------


def _person(viewer: Any, person_id: int) -> Person:
    return selectors.person_for(viewer, person_id)


def _referenced_person(viewer: Any, person_id: int | None, *, field: str) -> Person | None:
    """A person named in a request body; an unknown id is an input error on ``field``."""
    if person_id is None:
        return None
    try:
        return selectors.person_for(viewer, person_id)
    except NotFound:
        raise DomainError("unknown_person", "No such person.", field=field) from None


def _as_id(text: str) -> int | None:
    """The id a path or filter names with digits, or None when it names a slug."""
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def _by_ref(teams: QuerySet[Team], ref: int | str) -> QuerySet[Team]:
    team_id = ref if isinstance(ref, int) else _as_id(ref)
    return teams.filter(pk=team_id) if team_id is not None else teams.filter(slug=ref)


def _referenced_team(viewer: Any, team: int | str | None, *, field: str) -> Team | None:
    """A team named by id (or slug, in filters); an unknown one is an input error on ``field``."""
    if team is None or team == "":
        return None
    found = _by_ref(selectors.teams(viewer), team).first()
    if found is None:
        raise DomainError("unknown_team", "No such team.", field=field)
    return found


def _team(viewer: Any, team_ref: str) -> Team:
    team = _by_ref(selectors.teams(viewer).select_related("lead"), team_ref).first()
    if team is None:
        raise NotFound("No such team.")
    return team


def _own_tokens(viewer: Any) -> QuerySet[ApiToken]:
    """The viewer's own tokens: nobody, administrators included, sees anyone else's."""
    return ApiToken.objects.filter(user_id=viewer.pk).order_by("-created_at")


# --- People ----------------------------------------------------------------------------------


@router.get(
    "/people",
    response={200: PersonPage, **ERRORS},
    summary="Search the directory",
    tags=["people"],
)
def list_people(request: HttpRequest, filters: Query[PersonFilters]) -> PersonPage:
    """People the caller may see, sorted by name, a page at a time. A constant number of queries."""
    viewer = request.user
    team = _referenced_team(viewer, filters.team, field="team")
    queryset = selectors.directory(
        viewer,
        query=filters.q,
        team=team,
        title=filters.title,
        location=filters.location,
        include_left=filters.status != "active",
    ).select_related("manager")
    if filters.status == "left":
        queryset = queryset.filter(status=Person.Status.LEFT)
    page = paginate(queryset, page=filters.page, size=filters.size)
    show_employee_ids = _sees_employee_ids(viewer)
    return PersonPage(
        items=[_person_out(p, show_employee_id=show_employee_ids) for p in page.items],
        count=page.total,
        page=page.number,
        pages=page.pages,
    )


@router.post(
    "/people",
    response={201: PersonDetail, **ERRORS},
    summary="Add someone to the org",
    tags=["people"],
)
def create_person(request: HttpRequest, payload: PersonCreate) -> Status[PersonDetail]:
    viewer = request.user
    authz.require(viewer, "people.manage_people")
    person = services.create_person(
        actor=viewer,
        email=payload.email,
        display_name=payload.display_name,
        title=payload.title,
        team=_referenced_team(viewer, payload.team, field="team"),
        manager=_referenced_person(viewer, payload.manager, field="manager"),
        location=payload.location,
        time_zone=payload.time_zone,
        start_date=payload.start_date,
        employee_id=payload.employee_id,
    )
    return Status(201, _person_detail(viewer, selectors.person_for(viewer, person.pk)))


@router.get(
    "/people/{person_id}",
    response={200: PersonDetail, **ERRORS},
    summary="One person",
    tags=["people"],
)
def get_person(request: HttpRequest, person_id: PersonId) -> PersonDetail:
    return _person_detail(request.user, _person(request.user, person_id))


@router.patch(
    "/people/{person_id}",
    response={200: PersonDetail, **ERRORS},
    summary="Change someone's profile",
    tags=["people"],
)
def update_person(request: HttpRequest, person_id: PersonId, payload: PersonPatch) -> PersonDetail:
    viewer = request.user
    person = services.update_person(
        actor=viewer,
        person=_person(viewer, person_id),
        **payload.model_dump(exclude_unset=True),
    )
    return _person_detail(viewer, selectors.person_for(viewer, person.pk))


@router.post(
    "/people/{person_id}/deactivate",
    response={200: PersonDetail, **ERRORS},
    summary="Mark someone as having left",
    tags=["people"],
)
def deactivate_person(
    request: HttpRequest, person_id: PersonId, payload: Deactivation | None = None
) -> PersonDetail:
    """They can no longer sign in and their tokens are revoked; their reports move up."""
    viewer = request.user
    services.deactivate_person(
        actor=viewer,
        person=_person(viewer, person_id),
        left_on=payload.left_on if payload else None,
    )
    return _person_detail(viewer, selectors.person_for(viewer, person_id))


@router.post(
    "/people/{person_id}/reactivate",
    response={200: PersonDetail, **ERRORS},
    summary="Undo a deactivation",
    tags=["people"],
)
def reactivate_person(request: HttpRequest, person_id: PersonId) -> PersonDetail:
    viewer = request.user
    services.reactivate_person(actor=viewer, person=_person(viewer, person_id))
    return _person_detail(viewer, selectors.person_for(viewer, person_id))


@router.put(
    "/people/{person_id}/manager",
    response={200: PersonDetail, **ERRORS},
    summary="Change who someone reports to",
    tags=["people"],
)
def change_manager(
    request: HttpRequest, person_id: PersonId, payload: ManagerChange
) -> PersonDetail:
    """Refused with ``reporting_cycle`` when the new manager reports to this person."""
    viewer = request.user
    person = _person(viewer, person_id)
    authz.require(viewer, "people.manage_people", person)
    services.change_manager(
        actor=viewer,
        person=person,
        manager=_referenced_person(viewer, payload.manager, field="manager"),
    )
    return _person_detail(viewer, selectors.person_for(viewer, person_id))


@router.put(
    "/people/{person_id}/team",
    response={200: PersonDetail, **ERRORS},
    summary="Move someone to another team",
    tags=["people"],
)
def move_team(request: HttpRequest, person_id: PersonId, payload: TeamChange) -> PersonDetail:
    viewer = request.user
    person = _person(viewer, person_id)
    authz.require(viewer, "people.manage_people", person)
    services.move_team(
        actor=viewer, person=person, team=_referenced_team(viewer, payload.team, field="team")
    )
    return _person_detail(viewer, selectors.person_for(viewer, person_id))


@router.post(
    "/people/{person_id}/roles",
    response={201: RoleGrantOut, **ERRORS},
    summary="Grant a role",
    tags=["roles"],
)
def grant_role(
    request: HttpRequest, person_id: PersonId, payload: RoleGrantIn
) -> Status[RoleGrantOut]:
    """Administrators grant the L&D facilitator, executive and admin roles. Idempotent."""
    viewer = request.user
    grant = services.grant_role(actor=viewer, person=_person(viewer, person_id), role=payload.role)
    return Status(201, _role_grant_out(grant))


@router.delete(
    "/people/{person_id}/roles/{role}",
    response={204: None, **ERRORS},
    summary="Revoke a role",
    tags=["roles"],
)
def revoke_role(request: HttpRequest, person_id: PersonId, role: RoleName) -> Status[None]:
    viewer = request.user
    services.revoke_role(actor=viewer, person=_person(viewer, person_id), role=role)
    return Status(204, None)


def _role_grant_out(grant: RoleGrant) -> RoleGrantOut:
    return RoleGrantOut(
        person_id=grant.person_id, role=cast(RoleName, grant.role), granted_at=grant.granted_at
    )


@router.get("/me", response={200: Me, **ERRORS}, summary="Who is calling", tags=["people"])
def me(request: HttpRequest) -> Me:
    viewer = request.user
    person = person_of(viewer)
    return Me(
        email=getattr(viewer, "email", ""),
        roles=sorted(roles_of(viewer)),
        person=_person_detail(viewer, selectors.person_for(viewer, person.pk)) if person else None,
    )


# --- Teams -----------------------------------------------------------------------------------


@router.get("/teams", response={200: TeamPage, **ERRORS}, summary="List the teams", tags=["teams"])
def list_teams(request: HttpRequest, filters: Query[TeamFilters]) -> TeamPage:
    """Teams in tree order (parents before children), with member counts. Constant queries."""
    queryset = selectors.team_list(request.user)
    if filters.parent is not None:
        queryset = queryset.filter(parent_id=filters.parent)
    page = paginate(queryset, page=filters.page, size=filters.size)
    selectors.with_rolled_up_counts(request.user, page.items)
    return TeamPage(
        items=[_team_out(team) for team in page.items],
        count=page.total,
        page=page.number,
        pages=page.pages,
    )


@router.post(
    "/teams", response={201: TeamDetail, **ERRORS}, summary="Create a team", tags=["teams"]
)
def create_team(request: HttpRequest, payload: TeamCreate) -> Status[TeamDetail]:
    viewer = request.user
    authz.require(viewer, "people.manage_teams")
    team = services.create_team(
        actor=viewer,
        name=payload.name,
        description=payload.description,
        parent=_referenced_team(viewer, payload.parent, field="parent"),
        lead=_referenced_person(viewer, payload.lead, field="lead"),
    )
    return Status(201, _team_detail(viewer, str(team.pk)))


@router.get(
    "/teams/{team_ref}",
    response={200: TeamDetail, **ERRORS},
    summary="One team, with its sub-teams",
    tags=["teams"],
)
def get_team(request: HttpRequest, team_ref: TeamRefPath) -> TeamDetail:
    """``team_ref`` is the team's id or its slug."""
    return _team_detail(request.user, team_ref)


@router.patch(
    "/teams/{team_ref}",
    response={200: TeamDetail, **ERRORS},
    summary="Rename, describe, re-parent or change the lead of a team",
    tags=["teams"],
)
def update_team(request: HttpRequest, team_ref: TeamRefPath, payload: TeamPatch) -> TeamDetail:
    viewer = request.user
    team = _team(viewer, team_ref)
    authz.require(viewer, "people.manage_teams", team)
    sent = payload.model_fields_set
    changes: dict[str, Any] = {}
    if "name" in sent:
        changes["name"] = payload.name
    if "description" in sent:
        changes["description"] = payload.description
    if "parent" in sent:
        changes["parent"] = _referenced_team(viewer, payload.parent, field="parent")
    if "lead" in sent:
        changes["lead"] = _referenced_person(viewer, payload.lead, field="lead")
    services.update_team(actor=viewer, team=team, **changes)
    return _team_detail(viewer, str(team.pk))


def _team_detail(viewer: Any, team_ref: str) -> TeamDetail:
    team = _team(viewer, team_ref)
    children = list(selectors.teams(viewer).filter(parent=team).select_related("lead"))
    selectors.with_rolled_up_counts(viewer, [team, *children], within=team)
    return TeamDetail(
        **_team_out(team).model_dump(), children=[_team_out(child) for child in children]
    )


# --- Personal API tokens ---------------------------------------------------------------------


@router.get(
    "/me/tokens",
    response={200: list[TokenOut], **ERRORS},
    summary="My personal API tokens",
    tags=["tokens"],
)
def list_tokens(request: HttpRequest) -> list[TokenOut]:
    return [_token_out(token) for token in _own_tokens(request.user)]


@router.post(
    "/me/tokens",
    response={201: IssuedTokenOut, **ERRORS},
    summary="Create a personal API token",
    tags=["tokens"],
)
def create_token(request: HttpRequest, payload: TokenCreate) -> Status[IssuedTokenOut]:
    """The response holds the full token once; only its prefix is shown afterwards."""
    issued = services.create_api_token(
        actor=request.user, name=payload.name, expires_at=payload.expires_at
    )
    return Status(201, IssuedTokenOut(token=_token_out(issued.token), secret=issued.secret))


@router.delete(
    "/me/tokens/{token_id}",
    response={200: TokenOut, **ERRORS},
    summary="Revoke a personal API token",
    tags=["tokens"],
)
def revoke_token(request: HttpRequest, token_id: TokenId) -> TokenOut:
    token = _own_tokens(request.user).filter(pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    return _token_out(services.revoke_api_token(actor=request.user, token=token))
