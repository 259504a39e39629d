"""JSON adapters: LRS clients (admins: list, create, the secret shown once, revoke), activity
mappings (admins: list, map, remove), and a person's learning activity (who may see their private
side)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import field_validator

from ecotone.kernel.problems import ERRORS
from ecotone.lrs import evidence, selectors, services
from ecotone.lrs.models import ActivityMapping, LrsClient
from ecotone.people.models import Person

router = Router(tags=["lrs"])

ClientId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The client's id.")]
MappingId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The mapping's id.")]
PersonId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The person's id.")]


def _refuse_nul(value: Any) -> Any:
    """Text fields (and lists of them) cannot hold NUL: PostgreSQL refuses it in text."""
    text = " ".join(value) if isinstance(value, list) else value
    if isinstance(text, str) and "\x00" in text:
        raise ValueError("Text cannot contain NUL characters.")
    return value


class ClientOut(Schema):
    id: int
    name: str
    key: str = Field(description="The user name of HTTP Basic authentication.")
    scopes: list[str]
    authority: dict[str, Any] = Field(description="The agent recorded as authority.")
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class IssuedClientOut(ClientOut):
    secret: str = Field(description="The password of HTTP Basic authentication; shown once.")


class ClientIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    scopes: list[str] = Field(min_length=1, description=f"Among: {', '.join(services.ALL_SCOPES)}.")
    authority_email: str | None = Field(
        default=None,
        max_length=254,
        description="E-mail of the authority agent; by default the client itself.",
    )

    @field_validator("name", "authority_email", "scopes", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _refuse_nul(value)


def _out(client: LrsClient) -> ClientOut:
    return ClientOut.model_validate(client, from_attributes=True)


@router.get("/lrs/clients", response={200: list[ClientOut], **ERRORS}, summary="LRS clients")
def list_clients(request: HttpRequest) -> list[ClientOut]:
    return [_out(client) for client in selectors.clients(request.user)]


@router.post(
    "/lrs/clients", response={201: IssuedClientOut, **ERRORS}, summary="Create an LRS client"
)
def create_client(request: HttpRequest, payload: ClientIn) -> Status[IssuedClientOut]:
    """Issue xAPI credentials (HTTP Basic key and secret). Copy the secret: it is shown once."""
    issued = services.create_client(
        actor=request.user,
        name=payload.name,
        scopes=payload.scopes,
        authority_email=payload.authority_email,
    )
    body = IssuedClientOut(**_out(issued.client).model_dump(), secret=issued.secret)
    return Status(201, body)


@router.post(
    "/lrs/clients/{client_id}/revoke",
    response={200: ClientOut, **ERRORS},
    summary="Revoke an LRS client",
)
def revoke_client(request: HttpRequest, client_id: ClientId) -> ClientOut:
    client = selectors.client_for(request.user, client_id)
    return _out(services.revoke_client(actor=request.user, client=client))


# --- Activity mappings ----------------------------------------------------------------------------


class MappingOut(Schema):
    id: int
    activity_iri: str
    label: str
    skill_refs: list[str] = Field(description="Skills by slug, external id or exact name.")
    unknown_skill_refs: list[str] = Field(
        description="The references that name no skill yet: they count once the skill exists."
    )
    created_at: dt.datetime


class MappingIn(Schema):
    activity_iri: str = Field(
        min_length=1, max_length=2048, description="The activity id the tool sends."
    )
    skill_refs: list[str] = Field(min_length=1, max_length=50)
    label: str = Field(default="", max_length=200)

    @field_validator("activity_iri", "label", "skill_refs", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _refuse_nul(value)


def _mapping_out(mapping: ActivityMapping, unknown: set[str]) -> MappingOut:
    return MappingOut(
        id=mapping.pk,
        activity_iri=mapping.activity_iri,
        label=mapping.label,
        skill_refs=list(mapping.skill_refs),
        unknown_skill_refs=[ref for ref in mapping.skill_refs if ref in unknown],
        created_at=mapping.created_at,
    )


@router.get(
    "/lrs/mappings", response={200: list[MappingOut], **ERRORS}, summary="Activity mappings"
)
def list_mappings(request: HttpRequest) -> list[MappingOut]:
    """External activities whose completions count as evidence of skills."""
    listed = list(selectors.mappings(request.user))
    unknown = set(evidence.unknown_skill_refs([ref for m in listed for ref in m.skill_refs]))
    return [_mapping_out(mapping, unknown) for mapping in listed]


@router.put(
    "/lrs/mappings", response={200: MappingOut, **ERRORS}, summary="Map an activity to skills"
)
def map_activity(request: HttpRequest, payload: MappingIn) -> MappingOut:
    """Create the mapping of an activity IRI, or replace it: one mapping per activity."""
    mapping = services.map_activity(
        actor=request.user,
        activity_iri=payload.activity_iri,
        skill_refs=payload.skill_refs,
        label=payload.label,
    )
    return _mapping_out(mapping, set(evidence.unknown_skill_refs(mapping.skill_refs)))


@router.delete(
    "/lrs/mappings/{mapping_id}",
    response={204: None, **ERRORS},
    summary="Remove an activity mapping",
)
def unmap_activity(request: HttpRequest, mapping_id: MappingId) -> Status[None]:
    """Statements already turned into evidence keep it; new ones about the activity do not count."""
    services.unmap_activity(
        actor=request.user, mapping=selectors.mapping_for(request.user, mapping_id)
    )
    return Status(204, None)


# --- A person's learning activity -----------------------------------------------------------------


class ActivityEntryOut(Schema):
    statement_id: str
    when: dt.datetime = Field(description="When it happened (the statement's timestamp).")
    verb: str
    target: str = Field(description="What it was about: the activity's name, or its id.")
    details: list[str] = Field(description="Level, score, who assessed, which tool sent it.")


class ActivityPageOut(Schema):
    entries: list[ActivityEntryOut]
    more: str = Field(description="Pass as `more` for older entries; empty on the last page.")


@router.get(
    "/people/{person_id}/activity",
    response={200: ActivityPageOut, **ERRORS},
    summary="A person's learning activity",
)
def person_activity(
    request: HttpRequest,
    person_id: PersonId,
    more: Annotated[str, Query(max_length=500)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ActivityPageOut:
    """The statements about the person, newest stored first: for them, their management chain,
    L&D and admins (the rules of their profile's private side)."""
    person = get_object_or_404(Person.objects.select_related("user"), pk=person_id)
    timeline = selectors.person_timeline(request.user, person, limit=limit, more=more)
    return ActivityPageOut(
        entries=[
            ActivityEntryOut(
                statement_id=entry.statement_id,
                when=entry.when,
                verb=entry.verb,
                target=entry.target,
                details=list(entry.details),
            )
            for entry in timeline.entries
        ],
        more=timeline.more,
    )
