"""Full-text search: one index, one ``search()`` service, sources registered by the apps.

SQLite uses an FTS5 table (bm25 ranking, ``snippet()``), PostgreSQL a weighted ``tsvector``
column with a GIN index (``ts_rank``, ``ts_headline``); the choice follows the database. See
docs/search.md and the kernel README.

For an app:

1. In ``AppConfig.ready``, ``register_source(name, label=, url_for=, visible=, facets=,
   documents=)`` (or ``finder=`` for a live source computed at query time).
2. In its services, inside their transaction: ``index_document(name, key, title=, body=,
   tags=, facets=, audience=, updated_at=)`` after each create or update, and
   ``remove_document(name, key)`` when the object is deleted or stops being searchable.
3. ``ecotone reindex [name]`` (``reindex(name)``) fills the index for existing rows.

Readers call ``search(viewer, query, sources=, facets=, page=, size=) -> SearchPage``.
"""

from ecotone.kernel.search.index import (
    index_document,
    index_documents,
    reindex,
    remove_document,
    remove_source,
)
from ecotone.kernel.search.query import Query, highlight, parse
from ecotone.kernel.search.registry import (
    EVERYTHING,
    NOTHING,
    PUBLIC,
    Document,
    Hit,
    NoResultsAction,
    Source,
    Visibility,
    get_source,
    no_results_actions,
    register_no_results_action,
    register_source,
    sources,
    unregister_no_results_action,
    unregister_source,
)
from ecotone.kernel.search.service import FacetValue, SearchPage, SourceCount, search

__all__ = [
    "EVERYTHING",
    "NOTHING",
    "PUBLIC",
    "Document",
    "FacetValue",
    "Hit",
    "NoResultsAction",
    "Query",
    "SearchPage",
    "Source",
    "SourceCount",
    "Visibility",
    "get_source",
    "highlight",
    "index_document",
    "index_documents",
    "no_results_actions",
    "parse",
    "register_no_results_action",
    "register_source",
    "reindex",
    "remove_document",
    "remove_source",
    "search",
    "sources",
    "unregister_no_results_action",
    "unregister_source",
]
