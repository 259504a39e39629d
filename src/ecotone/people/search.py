"""People in the search index: name, title, team and location (registered in ``ready``).

Only active people are indexed; someone who leaves is taken out and comes back if reactivated.
The people services call ``index_person`` / ``remove_person`` in their transaction; bulk
operations (imports, team renames) call ``index_people``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from ecotone import authz
from ecotone.kernel import search
from ecotone.people.models import Person
from ecotone.people.seeding import SeedContext, register_step

SOURCE = "people"


def _document(person: Person) -> search.Document:
    team = person.team.name if person.team else ""
    return search.Document(
        key=str(person.pk),
        title=person.display_name,
        tags=[value for value in (person.title, team) if value],
        body=" · ".join(value for value in (person.title, team, person.location) if value),
        facets={"team": team, "location": person.location},
        updated_at=person.updated_at,
    )


def index_person(person: Person) -> None:
    """Put ``person`` in the index as they are now (or take them out if they left)."""
    if person.status != Person.Status.ACTIVE:
        remove_person(person)
        return
    document = _document(person)
    search.index_document(
        SOURCE,
        document.key,
        title=document.title,
        body=document.body,
        tags=document.tags,
        facets=document.facets,
        updated_at=document.updated_at,
    )


def remove_person(person: Person) -> None:
    search.remove_document(SOURCE, person.pk)


def index_people(people: QuerySet[Person]) -> int:
    """Re-index many people at once (those who left are taken out)."""
    active = people.filter(status=Person.Status.ACTIVE).select_related("team")
    for person in people.exclude(status=Person.Status.ACTIVE).only("pk"):
        remove_person(person)
    return search.index_documents(SOURCE, (_document(person) for person in active))


def all_documents() -> Iterator[search.Document]:
    active = Person.objects.filter(status=Person.Status.ACTIVE).select_related("team")
    for person in active.order_by("pk").iterator(chunk_size=2000):
        yield _document(person)


def _visible(viewer: Any) -> search.Visibility:
    return search.PUBLIC if authz.can(viewer, "people.view_person") else search.NOTHING


def _profile_url(key: str) -> str:
    return reverse("profile", args=[int(key)])


def register() -> None:
    search.register_source(
        SOURCE,
        label="People",
        url_for=_profile_url,
        visible=_visible,
        facets={"team": "Team", "location": "Location"},
        documents=all_documents,
        order=30,
    )


@register_step("search_index", label="Indexing for search", order=900)
def index_everything(context: SeedContext) -> None:
    """Last seed step: the seeds write in bulk, so every rebuildable source is reindexed."""
    for source in search.sources():
        if source.documents is not None:
            search.reindex(source.name)


def reindex_all() -> int:
    """Rebuild the people index (after an org import or a demo seed)."""
    return search.reindex(SOURCE)
