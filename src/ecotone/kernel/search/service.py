"""``search()``: one service over the index, FTS5 on SQLite and tsvector on PostgreSQL.

Every query is built here from the parsed words (``query.parse``) and bound parameters; the
visibility of each source is part of the SQL, so pages and counts only ever include what the
viewer may find. An indexed search runs three queries whatever the size of the index: the
counts per source, the page (with highlighted titles and snippets), and, when one source with
facets is chosen, the facet counts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from ecotone.kernel.models import SearchDocument
from ecotone.kernel.pagination import MAX_PAGE_SIZE, Page
from ecotone.kernel.search.query import START, STOP, Query, marked_to_html, parse, scope_token
from ecotone.kernel.search.registry import (
    Hit,
    NoResultsAction,
    Source,
    Visibility,
    no_results_actions,
    sources,
)

LIVE_LIMIT = 50  # hits asked of a live source


@dataclass
class SourceCount:
    name: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetValue:
    name: str
    value: str
    count: int
    selected: bool


@dataclass
class SearchPage(Page[Hit]):
    """One page of results, the counts per source and what to offer when nothing is found.

    ``items`` are the ranked hits of the chosen indexed sources (or of the one chosen live
    source); ``live`` holds the hits of live sources shown beside them on the first page.
    ``counts`` list every source the viewer may search, whatever the source filter.
    """

    query: Query = field(default_factory=lambda: parse(""))
    counts: list[SourceCount] = field(default_factory=list)
    live: dict[str, list[Hit]] = field(default_factory=dict)
    facets: list[FacetValue] = field(default_factory=list)
    no_results: list[NoResultsAction] = field(default_factory=list)

    @property
    def hits(self) -> list[Hit]:
        return self.items

    @property
    def found(self) -> int:
        """Everything found, in every source the viewer may search."""
        return sum(source.count for source in self.counts)


def search(
    viewer: Any,
    query: str | Query | None,
    *,
    sources: Collection[str] | None = None,
    facets: Mapping[str, str | Sequence[str]] | None = None,
    page: int = 1,
    size: int = 20,
) -> SearchPage:
    """Search what ``viewer`` may see.

    - ``query``: what the user typed; any text is accepted (quotes, operators and punctuation
      are separators). The last word matches as a prefix (type-ahead) unless followed by a
      space. Every word must match (in the title, the tags or the body).
    - ``sources``: names of sources to search (unknown names are ignored); ``None``: all.
    - ``facets``: ``{name: value or values}``; values of one name are alternatives, names
      combine (``{"category": ["data", "design"], "status": "active"}``).
    - ``page`` / ``size``: a page past the end shows the last page; size is capped at 200.

    Ranked by bm25 (SQLite) or ts_rank (PostgreSQL), title matches first, then newest.
    """
    parsed = query if isinstance(query, Query) else parse(query)
    size = max(1, min(int(size), MAX_PAGE_SIZE))
    page = max(1, int(page))
    result = SearchPage(items=[], number=1, size=size, total=0, query=parsed)
    if not parsed:
        return result
    allowed: list[tuple[Source, Visibility]] = []
    for source in _all_sources():
        visibility = source.visible(viewer)
        if not visibility.nothing:
            allowed.append((source, visibility))
    chosen = {name for name in sources or () if isinstance(name, str)}
    selected = [
        (source, visibility)
        for source, visibility in allowed
        if not chosen or source.name in chosen
    ]
    indexed = [(s, v) for s, v in allowed if not s.live]
    facet_filter = _clean_facets(facets)
    counts = _count(indexed, parsed, facet_filter) if indexed else {}
    live_hits: dict[str, list[Hit]] = {}
    for source, _ in allowed:
        if source.finder is not None:
            hits = source.finder(viewer, parsed, LIVE_LIMIT)
            for hit in hits:
                hit.source, hit.source_label = source.name, source.label
            live_hits[source.name] = hits
            counts[source.name] = len(hits)
    result.counts = [
        SourceCount(
            name=source.name,
            label=source.label,
            count=counts.get(source.name, 0),
            selected=bool(chosen) and source.name in chosen,
        )
        for source, _ in allowed
    ]
    selected_indexed = [(s, v) for s, v in selected if not s.live]
    selected_live = [s for s, _ in selected if s.live]
    if selected_indexed:
        total = sum(counts.get(s.name, 0) for s, _ in selected_indexed)
        last = max(1, -(-total // size))
        result.number = min(page, last)
        result.total = total
        if total:
            result.items = _page(selected_indexed, parsed, facet_filter, result.number, size)
        if result.number == 1:
            result.live = {s.name: live_hits[s.name] for s in selected_live if live_hits[s.name]}
        if chosen and total and len(selected_indexed) == 1 and selected_indexed[0][0].facets:
            result.facets = _facet_counts(selected_indexed[0], parsed, facet_filter)
    elif selected_live:
        hits = [hit for source in selected_live for hit in live_hits[source.name]]
        total = len(hits)
        last = max(1, -(-total // size))
        result.number = min(page, last)
        result.total = total
        offset = (result.number - 1) * size
        result.items = hits[offset : offset + size]
    if result.found == 0:
        result.no_results = no_results_actions(viewer)
    return result


def _all_sources() -> list[Source]:
    return sources()


def _clean_facets(facets: Mapping[str, str | Sequence[str]] | None) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for name, values in (facets or {}).items():
        items = [values] if isinstance(values, str) else list(values or ())
        kept = [str(value)[:120] for value in items if str(value).strip()][:20]
        if kept:
            cleaned[str(name)[:40]] = kept
    return cleaned


# --- SQL -----------------------------------------------------------------------------------------


def _placeholders(values: Collection[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _visibility_sql(allowed: Sequence[tuple[Source, Visibility]]) -> tuple[str, list[Any]]:
    """``d`` rows of the allowed sources that the viewer may find, as one boolean expression."""
    parts: list[str] = []
    params: list[Any] = []
    for source, visibility in allowed:
        if visibility.everything:
            parts.append("d.source = %s")
            params.append(source.name)
            continue
        options: list[str] = []
        option_params: list[Any] = []
        if visibility.public:
            options.append("d.restricted = %s")
            option_params.append(False)
        if visibility.tokens:
            tokens = sorted(visibility.tokens)
            options.append(
                "EXISTS (SELECT 1 FROM kernel_searchgrant g WHERE g.document_id = d.id "  # noqa: S608  (constant SQL; values are bound)
                f"AND g.token IN ({_placeholders(tokens)}))"
            )
            option_params.extend(tokens)
        parts.append(f"(d.source = %s AND ({' OR '.join(options)}))")
        params.extend([source.name, *option_params])
    return "(" + " OR ".join(parts) + ")", params


def _facets_sql(facets: Mapping[str, list[str]]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for name, values in sorted(facets.items()):
        parts.append(
            "EXISTS (SELECT 1 FROM kernel_searchfacet f WHERE f.document_id = d.id "  # noqa: S608  (constant SQL; values are bound)
            f"AND f.name = %s AND f.value IN ({_placeholders(values)}))"
        )
        params.extend([name, *values])
    return (" AND ".join(parts) or "1 = 1"), params


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _match_sql(query: Query) -> tuple[str, str, list[Any]]:
    """The FROM clause joining the full-text index to ``d``, its condition, and their params."""
    if _sqlite():
        return (
            # CROSS JOIN keeps the full-text index as the outer loop: the other way round,
            # SQLite would run the MATCH once per document of the source.
            "kernel_searchdocument_fts CROSS JOIN kernel_searchdocument d"
            " ON d.id = kernel_searchdocument_fts.rowid",
            "kernel_searchdocument_fts MATCH %s",
            [query.fts5()],
        )
    return (
        "kernel_searchdocument d",
        "d.vector @@ to_tsquery('english', %s)",
        [query.tsquery()],
    )


def _where(
    allowed: Sequence[tuple[Source, Visibility]], query: Query, facets: Mapping[str, list[str]]
) -> tuple[str, str, list[Any]]:
    from_sql, match_sql, params = _match_sql(query)
    visible_sql, visible_params = _visibility_sql(allowed)
    facet_sql, facet_params = _facets_sql(facets)
    where = f"{match_sql} AND {visible_sql} AND {facet_sql}"
    return from_sql, where, [*params, *visible_params, *facet_params]


def _scope_groups(
    allowed: Sequence[tuple[Source, Visibility]], facets: Mapping[str, list[str]]
) -> list[list[str]]:
    """SQLite: the scope tokens a match needs, one of each group (visibility, then facets)."""
    visible: list[str] = []
    for source, visibility in allowed:
        if visibility.everything:
            visible.append(scope_token("s", source.name))
            continue
        if visibility.public:
            visible.append(scope_token("p", source.name))
        visible.extend(scope_token("g", source.name, token[:80]) for token in visibility.tokens)
    groups = [visible]
    for name, values in sorted(facets.items()):
        groups.append(
            [
                scope_token("f", source.name, name, value)
                for source, _ in allowed
                for value in values
            ]
        )
    return groups


def _count(
    allowed: Sequence[tuple[Source, Visibility]], query: Query, facets: Mapping[str, list[str]]
) -> dict[str, int]:
    if _sqlite():
        # One full-text count per source, each answered from the index alone.
        parts: list[str] = []
        params: list[Any] = []
        for chosen in allowed:
            parts.append(
                "SELECT %s, COUNT(*) FROM kernel_searchdocument_fts"
                " WHERE kernel_searchdocument_fts MATCH %s"
            )
            params.extend([chosen[0].name, query.fts5_within(*_scope_groups([chosen], facets))])
        sql = " UNION ALL ".join(parts)
    else:
        from_sql, where, params = _where(allowed, query, facets)
        sql = f"SELECT d.source, COUNT(*) FROM {from_sql} WHERE {where} GROUP BY d.source"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {source: int(count) for source, count in cursor.fetchall() if count}


def _facet_counts(
    chosen: tuple[Source, Visibility], query: Query, facets: Mapping[str, list[str]]
) -> list[FacetValue]:
    """Values of the source's facets among the matches (ignoring the facet filter itself)."""
    source, _ = chosen
    names = list(source.facets)
    if _sqlite():
        from_sql = (
            "kernel_searchdocument_fts CROSS JOIN kernel_searchfacet sf"
            " ON sf.document_id = kernel_searchdocument_fts.rowid"
        )
        where = "kernel_searchdocument_fts MATCH %s"
        params: list[Any] = [query.fts5_within(*_scope_groups([chosen], {}))]
    else:
        from_sql, where, params = _where([chosen], query, {})
        from_sql += " JOIN kernel_searchfacet sf ON sf.document_id = d.id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sf.name, sf.value, COUNT(*) FROM {from_sql} "  # noqa: S608  (constant SQL; values are bound)
            f"WHERE {where} AND sf.name IN ({_placeholders(names)}) "
            "GROUP BY sf.name, sf.value ORDER BY sf.name, COUNT(*) DESC, sf.value",
            [*params, *names],
        )
        rows = cursor.fetchall()
    per_name: dict[str, int] = {}
    values: list[FacetValue] = []
    for name, value, count in rows:
        per_name[name] = per_name.get(name, 0) + 1
        if per_name[name] <= 30:
            values.append(
                FacetValue(name, value, int(count), selected=value in facets.get(name, []))
            )
    return values


_HEADLINE_TITLE = f'HighlightAll=true, StartSel="{START}", StopSel="{STOP}"'
_HEADLINE_BODY = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=30, MinWords=12, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _page(
    allowed: Sequence[tuple[Source, Visibility]],
    query: Query,
    facets: Mapping[str, list[str]],
    number: int,
    size: int,
) -> list[Hit]:
    """The ranked documents of one page, with their highlighted title and snippet (one query).

    The page is chosen first (rank only), and snippets are made for its rows alone.
    """
    offset = (number - 1) * size
    if _sqlite():
        match = query.fts5_within(*_scope_groups(allowed, facets))
        sql = (
            "WITH page AS ("
            "  SELECT rowid AS id,"
            "         bm25(kernel_searchdocument_fts, 10.0, 4.0, 1.0, 0.0) AS rank"
            "  FROM kernel_searchdocument_fts WHERE kernel_searchdocument_fts MATCH %s"
            "  ORDER BY rank, rowid DESC LIMIT %s OFFSET %s"
            ") "
            "SELECT d.id, d.source, d.key, d.title, d.facets, d.updated_at, d.restricted,"
            " -page.rank AS rank,"
            " highlight(kernel_searchdocument_fts, 0, %s, %s) AS marked_title,"
            " snippet(kernel_searchdocument_fts, 2, %s, %s, '…', 24) AS marked_body "
            "FROM page CROSS JOIN kernel_searchdocument_fts"
            " ON kernel_searchdocument_fts.rowid = page.id "
            "CROSS JOIN kernel_searchdocument d ON d.id = page.id "
            "WHERE kernel_searchdocument_fts MATCH %s "
            "ORDER BY page.rank, page.id DESC"
        )
        all_params: list[Any] = [match, size, offset, START, STOP, START, STOP, match]
    else:
        from_sql, where, params = _where(allowed, query, facets)
        sql = (
            "SELECT d.id, d.source, d.key, d.title, d.facets, d.updated_at, d.restricted,"  # noqa: S608  (constant SQL; values are bound)
            " page.rank AS rank,"
            " ts_headline('english', d.title, q.q, %s) AS marked_title,"
            " ts_headline('english', d.body, q.q, %s) AS marked_body "
            "FROM ("
            "  SELECT d.id AS id, ts_rank(d.vector, to_tsquery('english', %s)) AS rank,"
            "         d.updated_at AS updated_at"
            f"  FROM {from_sql} WHERE {where}"
            "  ORDER BY rank DESC, d.updated_at DESC, d.id LIMIT %s OFFSET %s"
            ") page JOIN kernel_searchdocument d ON d.id = page.id,"
            " (SELECT to_tsquery('english', %s) AS q) q "
            "ORDER BY page.rank DESC, page.updated_at DESC, page.id"
        )
        all_params = [
            _HEADLINE_TITLE,
            _HEADLINE_BODY,
            query.tsquery(),
            *params,
            size,
            offset,
            query.tsquery(),
        ]
    by_name = {source.name: source for source, _ in allowed}
    hits: list[Hit] = []
    for document in SearchDocument.objects.raw(sql, all_params):
        source = by_name[document.source]
        hits.append(
            Hit(
                source=document.source,
                source_label=source.label,
                key=document.key,
                title=document.title,
                title_html=marked_to_html(
                    getattr(document, "marked_title", None) or document.title
                ),
                snippet_html=marked_to_html(getattr(document, "marked_body", None)),
                url=source.url_for(document.key),
                rank=float(getattr(document, "rank", 0.0) or 0.0),
                updated_at=document.updated_at if source.dated else None,
                facets=dict(document.facets or {}),
            )
        )
    return hits
