"""The sources of the search index and what each viewer may find in them.

Apps register their sources in ``AppConfig.ready`` (the kernel imports no app)::

    register_source(
        "skills",
        label="Skills",
        url_for=lambda key: reverse("skills:detail", args=[key]),
        visible=lambda viewer: PUBLIC if is_member(viewer) else NOTHING,
        facets={"category": "Category"},
        documents=all_skill_documents,      # for ``reindex("skills")``
    )

A source is either *indexed* (its services call ``index_document`` / ``remove_document``) or
*live*: ``finder(viewer, query, limit)`` computes its hits at search time from the app's own
selectors (people by skill reads the expert finder rather than copying ratings into the index).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from ecotone.kernel.search.query import Query


@dataclass(frozen=True)
class Visibility:
    """What one viewer may find in one source.

    - ``everything``: every document, restricted ones included (L&D reading all drafts).
    - ``public``: the documents indexed without an ``audience``.
    - ``tokens``: restricted documents whose ``audience`` shares a token with these
      ("person:12" sees the drafts indexed with ``audience=["person:12", ...]``).

    Use the ready-made ``NOTHING``, ``PUBLIC`` and ``EVERYTHING``, or ``PUBLIC.with_tokens(...)``.
    """

    everything: bool = False
    public: bool = True
    tokens: frozenset[str] = frozenset()

    def with_tokens(self, tokens: Iterable[str]) -> Visibility:
        return Visibility(
            everything=self.everything, public=self.public, tokens=self.tokens | frozenset(tokens)
        )

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.public or self.tokens)


NOTHING = Visibility(public=False)
PUBLIC = Visibility()
EVERYTHING = Visibility(everything=True)


@dataclass(frozen=True)
class Document:
    """One document of a source, as ``reindex`` receives it from ``documents()``.

    ``audience`` ``None`` means every viewer the source's ``visible`` admits; a collection of
    tokens restricts the document to viewers whose ``Visibility`` holds one of them.
    """

    key: str
    title: str
    body: str = ""
    tags: Sequence[str] = ()
    facets: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    audience: Collection[str] | None = None
    updated_at: dt.datetime | None = None


@dataclass
class Hit:
    """One search result. ``title_html`` and ``snippet_html`` are escaped, with ``<mark>``."""

    source: str
    key: str
    title: str
    title_html: str
    snippet_html: str
    url: str
    rank: float = 0.0
    updated_at: dt.datetime | None = None  # set when the source is ``dated``
    facets: dict[str, Any] = field(default_factory=dict)
    detail: str = ""  # a short plain line under the title (a level, a team, ...)
    source_label: str = ""  # filled in by search()


Finder = Callable[[Any, "Query", int], list[Hit]]


def _members(viewer: Any) -> Visibility:
    return PUBLIC if getattr(viewer, "is_authenticated", False) else NOTHING


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    url_for: Callable[[str], str]
    visible: Callable[[Any], Visibility] = _members
    facets: Mapping[str, str] = field(default_factory=dict)
    documents: Callable[[], Iterable[Document]] | None = None
    finder: Finder | None = None
    order: int = 100
    dated: bool = False

    @property
    def live(self) -> bool:
        return self.finder is not None


_sources: dict[str, Source] = {}


def register_source(
    name: str,
    *,
    label: str,
    url_for: Callable[[str], str] | None = None,
    visible: Callable[[Any], Visibility] = _members,
    facets: Mapping[str, str] | None = None,
    documents: Callable[[], Iterable[Document]] | None = None,
    finder: Finder | None = None,
    order: int = 100,
    dated: bool = False,
) -> Source:
    """Declare a source of search results (call it from ``AppConfig.ready``).

    - ``name``: a short stable id ("skills", "content.course"), stored in the index and used
      in ``?source=`` filters. ``label``: what the search page calls it ("Courses").
    - ``url_for(key)``: the page of one document (indexed sources).
    - ``visible(viewer) -> Visibility``: what this viewer may find. It runs once per search, so
      it must not depend on the document; per-document rules go into the ``audience`` given to
      ``index_document``. Search never returns, nor counts, a document outside it.
    - ``facets``: the facet names the source indexes, with their labels, offered as filters.
    - ``documents()``: every current document, for ``reindex(name)`` (``ecotone reindex``).
    - ``finder(viewer, query, limit) -> list[Hit]``: makes it a live source, searched at query
      time instead of through the index (it must apply its own visibility rules).
    - ``order``: where the source comes in tabs and groups.
    - ``dated``: show each hit's ``updated_at`` ("Updated 3 May"), for content that ages.

    Registering a name again replaces the source.
    """
    if finder is None and url_for is None:
        raise ValueError(f"Search source {name!r} needs url_for (or a finder).")
    if not name or len(name) > 40:
        raise ValueError("A search source name is 1 to 40 characters.")
    source = Source(
        name=name,
        label=label,
        url_for=url_for or (lambda key: ""),
        visible=visible,
        facets=dict(facets or {}),
        documents=documents,
        finder=finder,
        order=order,
        dated=dated,
    )
    _sources[name] = source
    return source


def unregister_source(name: str) -> None:
    """Forget a source (tests)."""
    _sources.pop(name, None)


def get_source(name: str) -> Source:
    try:
        return _sources[name]
    except KeyError:
        raise LookupError(f"No search source is registered as {name!r}.") from None


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.name))


@dataclass(frozen=True)
class NoResultsAction:
    """A link the search page offers when nothing is found ("Request this content")."""

    label: str
    url_name: str
    query_param: str = "q"
    visible: Callable[[Any], bool] | None = None


_no_results: dict[str, NoResultsAction] = {}


def register_no_results_action(
    label: str,
    url_name: str,
    *,
    query_param: str = "q",
    visible: Callable[[Any], bool] | None = None,
) -> NoResultsAction:
    """Offer a link when a search finds nothing: ``reverse(url_name)?<query_param>=<query>``.

    ``visible(viewer)`` may hide it from viewers who could not use it. Registering the same
    ``url_name`` again replaces the action.
    """
    action = NoResultsAction(
        label=label, url_name=url_name, query_param=query_param, visible=visible
    )
    _no_results[url_name] = action
    return action


def unregister_no_results_action(url_name: str) -> None:
    _no_results.pop(url_name, None)


def no_results_actions(viewer: Any) -> list[NoResultsAction]:
    return [
        action
        for action in _no_results.values()
        if action.visible is None or action.visible(viewer)
    ]
