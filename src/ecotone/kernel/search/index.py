"""Writing the search index: one document per (source, key), in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from django.db import connection, transaction
from django.utils import timezone

from ecotone.kernel.models import SearchDocument, SearchFacet, SearchGrant
from ecotone.kernel.search.query import clean_text, scope_token
from ecotone.kernel.search.registry import Document, get_source

MAX_BODY = 20_000
BATCH = 1000


def _facet_rows(facets: Mapping[str, str | Sequence[str]]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for name, values in facets.items():
        for value in [values] if isinstance(values, str) else values:
            value = str(value).strip()[:120]
            if value and (name, value) not in rows:
                rows.append((name[:40], value))
    return rows


def _scope(
    source: str,
    facets: Mapping[str, str | Sequence[str]],
    audience: Collection[str] | None,
) -> str:
    tokens = [scope_token("s", source)]
    if audience is None:
        tokens.append(scope_token("p", source))
    else:
        tokens.extend(scope_token("g", source, token[:80]) for token in sorted(set(audience)))
    tokens.extend(scope_token("f", source, name, value) for name, value in _facet_rows(facets))
    return " ".join(tokens)


def _document(source: str, document: Document, now: dt.datetime) -> SearchDocument:
    return SearchDocument(
        source=source,
        key=str(document.key)[:120],
        title=clean_text(document.title).strip()[:300],
        body=clean_text(document.body).strip()[:MAX_BODY],
        tags=" ".join(clean_text(tag).strip() for tag in document.tags if tag),
        facets=dict(document.facets),
        restricted=document.audience is not None,
        scope=_scope(source, document.facets, document.audience),
        updated_at=document.updated_at or now,
    )


@transaction.atomic
def index_document(
    source: str,
    key: str | int,
    *,
    title: str,
    body: str = "",
    tags: Sequence[str] = (),
    facets: Mapping[str, str | Sequence[str]] | None = None,
    audience: Collection[str] | None = None,
    updated_at: dt.datetime | None = None,
) -> None:
    """Add or replace the document ``key`` of ``source`` in the search index.

    Call it from the service that writes the object, inside its transaction, so that the index
    never disagrees with the data (a rollback removes the document too)::

        index_document("skills", skill.pk, title=skill.name, body=skill.description,
                       tags=skill.aliases, facets={"category": skill.category.name})

    - ``title`` weighs most, then ``tags`` (aliases, keywords), then ``body`` (plain text or
      Markdown source; only the first 20,000 characters are indexed).
    - ``facets``: filterable values, one string or several per name (``{"skill": ["sql",
      "python"]}``); the names should be among those the source registered.
    - ``audience``: ``None`` for every viewer the source's ``visible`` admits; otherwise the
      tokens of the viewers who may find it (``["person:12", "person:15"]`` for a draft and
      its co-authors), matched against ``Visibility.tokens``.
    - ``updated_at``: shown beside the result and breaks ranking ties (newest first).
    """
    get_source(source)
    row = _document(
        source,
        Document(
            key=str(key),
            title=title,
            body=body,
            tags=tags,
            facets=facets or {},
            audience=audience,
            updated_at=updated_at,
        ),
        timezone.now(),
    )
    existing = SearchDocument.objects.filter(source=source, key=row.key).first()
    if existing is None:
        row.save()
    else:
        row.pk = existing.pk
        row.save(force_update=True)
        SearchFacet.objects.filter(document=row).delete()
        SearchGrant.objects.filter(document=row).delete()
    _write_side_rows([(row, facets or {}, audience)])


def _write_side_rows(
    rows: Iterable[
        tuple[SearchDocument, Mapping[str, str | Sequence[str]], Collection[str] | None]
    ],
) -> None:
    facets: list[SearchFacet] = []
    grants: list[SearchGrant] = []
    for document, document_facets, audience in rows:
        facets.extend(
            SearchFacet(document=document, name=name, value=value)
            for name, value in _facet_rows(document_facets)
        )
        grants.extend(
            SearchGrant(document=document, token=token[:80])
            for token in sorted(set(audience or ()))
            if token
        )
    SearchFacet.objects.bulk_create(facets, batch_size=BATCH)
    SearchGrant.objects.bulk_create(grants, batch_size=BATCH)


@transaction.atomic
def remove_document(source: str, key: str | int) -> None:
    """Take ``key`` of ``source`` out of the index (deleted, or no longer searchable)."""
    SearchDocument.objects.filter(source=source, key=str(key)).delete()


@transaction.atomic
def remove_source(source: str) -> int:
    """Empty the index of one source; returns the number of documents removed."""
    ids = SearchDocument.objects.filter(source=source).values("pk")
    SearchFacet.objects.filter(document__in=ids).delete()
    SearchGrant.objects.filter(document__in=ids).delete()
    with connection.cursor() as cursor:  # one statement, without loading every id
        cursor.execute("DELETE FROM kernel_searchdocument WHERE source = %s", [source])
        return max(0, int(cursor.rowcount))


@transaction.atomic
def index_documents(source: str, documents: Iterable[Document]) -> int:
    """Add or replace many documents of ``source`` at once (a bulk edit, an import).

    The same as ``index_document`` for each, in a few queries per thousand documents.
    """
    get_source(source)
    now = timezone.now()
    count = 0
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH:
            count += _replace(source, batch, now)
            batch = []
    if batch:
        count += _replace(source, batch, now)
    return count


def _replace(source: str, batch: list[Document], now: dt.datetime) -> int:
    keys = [str(document.key)[:120] for document in batch]
    ids = SearchDocument.objects.filter(source=source, key__in=keys).values("pk")
    SearchFacet.objects.filter(document__in=ids).delete()
    SearchGrant.objects.filter(document__in=ids).delete()
    SearchDocument.objects.filter(source=source, key__in=keys).delete()
    return _insert(source, batch, now)


def reindex(
    source: str,
    *,
    documents: Iterable[Document] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the index of ``source`` from its ``documents()`` (or those given), in batches.

    One transaction: searches see the old index until the new one is complete. Returns the
    number of documents indexed; ``progress(n)`` is called after each batch of ``n``.
    """
    registered = get_source(source)
    if documents is None:
        if registered.documents is None:
            raise LookupError(f"Search source {source!r} has no documents() to reindex from.")
        documents = registered.documents()
    now = timezone.now()
    count = 0
    with transaction.atomic():
        remove_source(source)
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH:
                count += _insert(source, batch, now)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            count += _insert(source, batch, now)
            if progress:
                progress(len(batch))
    return count


def _insert(source: str, batch: list[Document], now: dt.datetime) -> int:
    seen: dict[str, Document] = {}
    for document in batch:
        seen[str(document.key)[:120]] = document  # the last of duplicate keys wins
    rows = [_document(source, document, now) for document in seen.values()]
    SearchDocument.objects.bulk_create(rows, batch_size=BATCH)
    if any(row.pk is None for row in rows):
        ids = dict(
            SearchDocument.objects.filter(source=source, key__in=list(seen)).values_list(
                "key", "pk"
            )
        )
        for row in rows:
            row.pk = ids[row.key]
    _write_side_rows(
        (row, document.facets, document.audience)
        for row, document in zip(rows, seen.values(), strict=True)
    )
    return len(rows)
