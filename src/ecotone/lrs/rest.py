"""JSON adapters for LRS clients (admins): list, create (the secret is shown once), revoke."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from pydantic import field_validator

from ecotone.kernel.problems import ERRORS
from ecotone.lrs import selectors, services
from ecotone.lrs.models import LrsClient

router = Router(tags=["lrs"])

ClientId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The client's id.")]


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
        text = " ".join(value) if isinstance(value, list) else value
        if isinstance(text, str) and "\x00" in text:
            raise ValueError("Text cannot contain NUL characters.")
        return value


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
