"""JSON adapters for people and teams, over the same services and selectors as the HTML."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from ecotone.kernel.problems import ERRORS
from ecotone.people import selectors

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    display_name: str
    title: str
    team_id: int | None
    manager_id: int | None
    location: str
    time_zone: str
    status: str


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> PersonOut:
    return PersonOut.model_validate(
        selectors.person_for(request.user, person_id), from_attributes=True
    )
