"""``GET /api/v1/search``: the search page as JSON, through the same ``search()`` service."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ecotone.kernel.pagination import MAX_PAGE_SIZE
from ecotone.kernel.problems import ERRORS
from ecotone.kernel.search.registry import Hit
from ecotone.kernel.search.service import search
from ecotone.kernel.search.views import facet_filters, no_results_links

router = Router(tags=["search"])


class SearchFilters(Schema):
    q: str = Field("", max_length=200, description="What to look for; any text is accepted.")
    source: list[str] = Field(
        default_factory=list,
        description="Only these sources (repeat the parameter); all when absent.",
    )
    facet: list[str] = Field(
        default_factory=list,
        description='Facet filters as "name:value" (repeat; values of one name are alternatives).',
    )
    page: int = Field(1, ge=1, le=10_000)
    size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class HitOut(Schema):
    source: str = Field(description='The source\'s name, such as "skills".')
    key: str = Field(description="The object's key within its source.")
    title: str = Field(description="The plain title.")
    title_html: str = Field(description="The title, HTML-escaped, with matches in <mark>.")
    snippet_html: str = Field(description="An excerpt, HTML-escaped, with matches in <mark>.")
    detail: str = Field(description="A short plain line about the hit (a level, a team).")
    url: str = Field(description="The object's page on this site.")
    updated_at: dt.datetime | None


class SourceCountOut(Schema):
    source: str
    label: str
    count: int = Field(description="What the caller may find in this source.")


class NoResultsOut(Schema):
    label: str
    url: str


class SearchOut(Schema):
    query: str = Field(description="The query as understood (control characters removed).")
    items: list[HitOut] = Field(description="Ranked hits of the chosen indexed sources.")
    count: int = Field(description="How many hits match in the chosen sources, on all pages.")
    page: int
    pages: int
    sources: list[SourceCountOut] = Field(
        description="Every source the caller may search, with its count (whatever the filter)."
    )
    live: dict[str, list[HitOut]] = Field(
        description="Hits of sources computed at query time (people by skill), first page only."
    )
    no_results: list[NoResultsOut] = Field(
        description='What to offer when nothing is found ("Request this content").'
    )


def _hit(hit: Hit) -> HitOut:
    return HitOut(
        source=hit.source,
        key=hit.key,
        title=hit.title,
        title_html=hit.title_html,
        snippet_html=hit.snippet_html,
        detail=hit.detail,
        url=hit.url,
        updated_at=hit.updated_at,
    )


@router.get("/search", response={200: SearchOut, **ERRORS}, summary="Search everything")
def search_everything(request: HttpRequest, filters: Query[SearchFilters]) -> SearchOut:
    """Full-text search over every source the caller may see, best first.

    The last word matches as a prefix (type-ahead) unless the query ends with a space. Counts
    and hits only ever include what the caller may see. Two or three queries per indexed search.
    """
    page = search(
        request.user,
        filters.q,
        sources=filters.source or None,
        facets=facet_filters(filters.facet),
        page=filters.page,
        size=filters.size,
    )
    no_results = [NoResultsOut(**link) for link in no_results_links(page)]
    return SearchOut(
        query=page.query.text,
        items=[_hit(hit) for hit in page.items],
        count=page.total,
        page=page.number,
        pages=page.pages,
        sources=[
            SourceCountOut(source=count.name, label=count.label, count=count.count)
            for count in page.counts
        ],
        live={name: [_hit(hit) for hit in hits] for name, hits in page.live.items()},
        no_results=no_results,
    )
