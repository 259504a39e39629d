"""The search service over the index: ranking, snippets, hostile input, visibility, paging."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ecotone.kernel import search as searching
from ecotone.kernel.models import SearchDocument, SearchFacet, SearchGrant
from ecotone.kernel.search import (
    NOTHING,
    Document,
    Hit,
    index_document,
    parse,
    register_no_results_action,
    register_source,
    reindex,
    remove_document,
    search,
)
from tests.kernel.conftest import MEMOS, NOTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_sources")]


@pytest.fixture
def viewer(org) -> Any:
    return org.people["learner"].user


def keys(page: searching.SearchPage) -> list[str]:
    return [hit.key for hit in page.items]


def test_a_title_match_ranks_above_a_tag_match_above_a_body_match(viewer):
    index_document(NOTES, "body", title="Weekly notes", body="We talked about kubernetes.")
    index_document(NOTES, "title", title="Kubernetes basics", body="Pods and services.")
    index_document(NOTES, "tags", title="Cluster care", tags=["kubernetes"], body="Nodes.")
    index_document(NOTES, "none", title="Gardening", body="Tomatoes.")

    page = search(viewer, "kubernetes")

    assert keys(page) == ["title", "tags", "body"]
    assert page.total == 3
    assert [(c.name, c.count) for c in page.counts] == [(NOTES, 3), (MEMOS, 0)]
    assert page.items[0].url == "/notes/title/"
    assert page.items[0].title_html == "<mark>Kubernetes</mark> basics"


def test_every_word_must_match_and_words_are_stemmed(viewer):
    index_document(NOTES, "1", title="Running reliable services")
    index_document(NOTES, "2", title="Reliable bread")

    assert keys(search(viewer, "reliable services ")) == ["1"]
    assert keys(search(viewer, "run ")) == ["1"]


def test_the_last_word_is_a_prefix_unless_followed_by_a_space(viewer):
    index_document(NOTES, "1", title="Python for analysts")

    assert keys(search(viewer, "pyth")) == ["1"]
    assert keys(search(viewer, "analysts pyt")) == ["1"]
    assert keys(search(viewer, "pyth ")) == []
    assert parse("p").prefix is False  # one letter is too short to expand


def test_accents_are_folded_on_sqlite_and_matched_as_typed_everywhere(viewer):
    index_document(NOTES, "1", title="Zoë Durand")

    assert keys(search(viewer, "Zoë")) == ["1"]
    assert keys(search(viewer, "ZOË durand")) == ["1"]


def test_snippets_mark_the_matches_in_the_body(viewer):
    body = "Intro. " + "filler " * 60 + "the rollout of canary releases went well. " + "x " * 60
    index_document(NOTES, "1", title="Release notes", body=body)

    hit = search(viewer, "canary").items[0]

    assert "<mark>canary</mark>" in hit.snippet_html
    assert "Intro." not in hit.snippet_html  # cut around the match
    assert hit.title_html == "Release notes"


def test_titles_and_bodies_are_escaped_in_highlights(viewer):
    index_document(
        NOTES,
        "1",
        title='<script>alert("x")</script> Evil title',
        body='<img src=x onerror="alert(1)"> evil <b>body</b> & more',
    )

    hit = search(viewer, "evil").items[0]

    assert "<script" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "<mark>Evil</mark>" in hit.title_html
    assert "<img" not in hit.snippet_html
    assert "<b>" not in hit.snippet_html
    # PostgreSQL's ts_headline leaves markup-looking words out; SQLite keeps them, escaped.
    assert "onerror" not in hit.snippet_html or "&lt;img src=x onerror=&quot;" in hit.snippet_html
    assert "<mark>evil</mark>" in hit.snippet_html
    assert "&amp; more" in hit.snippet_html


def test_documents_cannot_forge_highlight_marks(viewer):
    index_document(NOTES, "1", title="Marked \x02fake\x03 thing", body="\x02<b>\x03 body")

    hit = search(viewer, "thing").items[0]

    assert hit.title_html == "Marked  fake  <mark>thing</mark>"
    assert "<b>" not in hit.snippet_html
    assert SearchDocument.objects.get().title == "Marked  fake  thing"


HOSTILE = [
    '"',
    '""',
    '"unterminated',
    "'",
    "' OR 1=1 --",
    "'; DROP TABLE kernel_searchdocument; --",
    "*",
    "**",
    "a*b*",
    "-",
    "-python",
    "NOT",
    "python NOT",
    "AND OR NOT",
    "NEAR(python kubernetes, 2)",
    "python NEAR/3 kubernetes",
    "title:python",
    "{title body}: python",
    "^python",
    "python^2",
    "(python",
    "python)",
    "()",
    "[]",
    "\\",
    "%",
    "%%",
    "_",
    "python:*",
    "python & | !",
    "!python",
    "<->",
    "python <-> kubernetes",
    "python <2> kubernetes",
    ":*",
    "&",
    "|",
    "\x00",
    "py\x00thon",
    "\x02\x03",
    "😀",
    "python 😀",
    "ω",
    "日本語",
    "a" * 5000,
    " ".join(["word"] * 500),
    " ".join(f"w{n}" for n in range(100)),
    "\u200b",
    "\ufeffpython",
    "c++",
    "c#",
    ".net",
    "node.js",
    "e-mail",
    "o'reilly",
    "   ",
    "",
    None,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_raise(viewer, text):
    index_document(NOTES, "1", title="Python and Kubernetes", body="C++ and .NET, node.js.")

    page = search(viewer, text)

    assert page.total >= 0
    assert SearchDocument.objects.count() == 1


def test_operators_typed_by_users_are_plain_words(viewer):
    index_document(NOTES, "1", title="Python and Kubernetes")
    index_document(NOTES, "2", title="Kubernetes only")

    assert keys(search(viewer, "-python kubernetes ")) == ["1"]
    assert keys(search(viewer, '"python" OR "nothing"')) == []
    assert keys(search(viewer, "title:kubernetes ")) == []  # "title" is a word, not a column


def test_restricted_documents_reach_only_their_audience(org):
    learner, peer = org.people["learner"].user, org.people["peer"].user
    index_document(NOTES, "public", title="Shared draft plan")
    index_document(NOTES, "mine", title="Private draft plan", audience=[f"user:{learner.pk}"])
    admin = org.people["admin"].user
    admin.is_superuser = True

    assert keys(search(learner, "draft")) == ["mine", "public"]
    assert keys(search(peer, "draft")) == ["public"]
    assert search(peer, "draft").counts[0].count == 1
    assert search(peer, "private").found == 0
    assert set(keys(search(admin, "draft"))) == {"mine", "public"}


def test_a_source_the_viewer_may_not_search_is_neither_listed_nor_counted(org):
    register_source(
        NOTES, label="Notes", url_for=lambda key: key, visible=lambda viewer: NOTHING, order=1
    )
    index_document(NOTES, "1", title="Secret plan")
    index_document(MEMOS, "1", title="Plan memo")

    page = search(org.people["learner"].user, "plan")

    assert [c.name for c in page.counts] == [MEMOS]
    assert keys(page) == ["1"]
    assert page.items[0].source == MEMOS
    assert keys(search(org.people["learner"].user, "secret", sources=[NOTES])) == []


def test_anonymous_viewers_find_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    index_document(MEMOS, "1", title="Plan memo")

    page = search(AnonymousUser(), "plan")

    assert page.total == 0
    assert page.counts == []


def test_the_index_follows_create_update_and_delete(viewer):
    index_document(NOTES, "7", title="Quarterly review", facets={"colour": "red"})
    assert keys(search(viewer, "quarterly")) == ["7"]

    index_document(NOTES, "7", title="Annual review", facets={"colour": "blue"})
    assert keys(search(viewer, "quarterly")) == []
    assert keys(search(viewer, "annual")) == ["7"]
    assert list(SearchFacet.objects.values_list("value", flat=True)) == ["blue"]
    assert SearchDocument.objects.count() == 1

    remove_document(NOTES, "7")
    assert keys(search(viewer, "annual")) == []
    assert SearchDocument.objects.count() == 0
    assert SearchFacet.objects.count() == 0


def test_a_rolled_back_write_leaves_the_index_as_it_was(viewer):
    index_document(NOTES, "1", title="Kept title")

    @transaction.atomic
    def failing_service() -> None:
        index_document(NOTES, "1", title="Changed title")
        index_document(NOTES, "2", title="New title")
        raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_service()

    assert keys(search(viewer, "title")) == ["1"]
    assert search(viewer, "kept").items[0].title == "Kept title"


def test_an_unknown_source_cannot_be_indexed(viewer):
    with pytest.raises(LookupError):
        index_document("nope", "1", title="x")


def test_filters_by_source_and_by_facet_values(viewer):
    index_document(NOTES, "red", title="Apple note", facets={"colour": "red"})
    index_document(NOTES, "both", title="Apple mix", facets={"colour": ["red", "green"]})
    index_document(NOTES, "green", title="Apple green", facets={"colour": "green"})
    index_document(MEMOS, "memo", title="Apple memo")

    assert sorted(keys(search(viewer, "apple", sources=[MEMOS]))) == ["memo"]
    assert sorted(keys(search(viewer, "apple", sources=[NOTES], facets={"colour": "red"}))) == [
        "both",
        "red",
    ]
    assert sorted(
        keys(search(viewer, "apple", facets={"colour": ["red", "green"]}, sources=[NOTES]))
    ) == ["both", "green", "red"]
    page = search(viewer, "apple", sources=[NOTES], facets={"colour": "green"})
    assert [(f.value, f.count, f.selected) for f in page.facets] == [
        ("green", 2, True),
        ("red", 2, False),
    ]
    assert [(c.name, c.count, c.selected) for c in page.counts] == [
        (NOTES, 2, True),
        (MEMOS, 0, False),
    ]


def test_pages_of_results(viewer):
    start = timezone.now()
    for number in range(25):
        index_document(
            NOTES, number, title=f"Report {number}", updated_at=start + dt.timedelta(minutes=number)
        )

    first = search(viewer, "report", size=10)
    third = search(viewer, "report", size=10, page=3)
    beyond = search(viewer, "report", size=10, page=99)

    assert (first.total, first.pages, len(first.items)) == (25, 3, 10)
    assert keys(first)[:3] == ["24", "23", "22"]  # equal rank: newest first
    assert (third.number, keys(third)) == (3, ["4", "3", "2", "1", "0"])
    assert beyond.number == 3
    all_keys = [key for n in (1, 2, 3) for key in keys(search(viewer, "report", size=10, page=n))]
    assert sorted(all_keys, key=int) == [str(n) for n in range(25)]


def test_an_empty_query_searches_nothing(viewer, django_assert_num_queries):
    index_document(NOTES, "1", title="Anything")

    with django_assert_num_queries(0):
        page = search(viewer, "  ?! ")

    assert (page.total, page.items, page.counts) == (0, [], [])


@pytest.mark.parametrize("documents", [3, 40])
def test_a_search_runs_a_constant_number_of_queries(viewer, documents, django_assert_num_queries):
    for number in range(documents):
        index_document(
            NOTES,
            number,
            title=f"Topic {number}",
            facets={"colour": ["red", "blue"]},
            audience=[f"user:{viewer.pk}"] if number % 2 else None,
        )
        index_document(MEMOS, number, title=f"Topic memo {number}")

    with django_assert_num_queries(2):  # counts per source, the page with its snippets
        page = search(viewer, "topic")
    assert page.found == documents * 2
    with django_assert_num_queries(3):  # ... and the facet counts of the one source chosen
        search(viewer, "topic", sources=[NOTES], facets={"colour": "red"})


def test_no_results_offers_the_registered_actions(viewer):
    register_no_results_action("Request this content", "home", query_param="topic")
    register_no_results_action("Hidden", "directory", visible=lambda viewer: False)
    index_document(NOTES, "1", title="Something")

    empty = search(viewer, "nothing here")
    found = search(viewer, "something")

    assert [(a.label, a.url_name, a.query_param) for a in empty.no_results] == [
        ("Request this content", "home", "topic")
    ]
    assert found.no_results == []


def test_live_sources_are_searched_at_query_time(viewer):
    def finder(viewer: Any, query: searching.Query, limit: int) -> list[Hit]:
        return [
            Hit(source="", key=str(n), title=f"Expert {n}", title_html="", snippet_html="", url="")
            for n in range(3)
            if "expert" in query.terms
        ]

    register_source("test.live", label="Experts", finder=finder, order=3)
    index_document(NOTES, "1", title="Expert note")

    everywhere = search(viewer, "expert ")
    only_live = search(viewer, "expert ", sources=["test.live"], size=2, page=2)

    assert keys(everywhere) == ["1"]
    assert [hit.key for hit in everywhere.live["test.live"]] == ["0", "1", "2"]
    assert [(c.name, c.count) for c in everywhere.counts][-1] == ("test.live", 3)
    assert (only_live.total, keys(only_live), only_live.live) == (3, ["2"], {})
    assert only_live.items[0].source == "test.live"


def test_reindex_rebuilds_a_source_from_its_documents(viewer):
    index_document(NOTES, "stale", title="Stale entry")
    index_document(MEMOS, "kept", title="Memo entry")
    documents = [
        Document(key=str(n), title=f"Entry {n}", facets={"colour": "red"}) for n in range(2500)
    ]
    documents.append(Document(key="secret", title="Entry secret", audience=["user:0"]))
    seen: list[int] = []

    count = reindex(NOTES, documents=documents, progress=seen.append)

    assert count == 2501
    assert sum(seen) == 2501
    assert search(viewer, "stale").total == 0
    assert search(viewer, "entry", sources=[NOTES]).total == 2500
    assert search(viewer, "memo").total == 1
    assert SearchFacet.objects.count() == 2500
    assert SearchGrant.objects.count() == 1


def test_reindex_needs_documents(viewer):
    with pytest.raises(LookupError):
        reindex(MEMOS)


def test_the_reindex_command_rebuilds_the_sources_named(viewer):
    from io import StringIO

    from django.core.management import CommandError, call_command

    register_source(
        MEMOS,
        label="Memos",
        url_for=lambda key: key,
        documents=lambda: [Document(key="1", title="Budget memo")],
    )
    out = StringIO()

    call_command("reindex", MEMOS, stdout=out)

    assert "Reindexed 1 source(s)." in out.getvalue()
    assert keys(search(viewer, "budget")) == ["1"]
    with pytest.raises(CommandError, match=r"Cannot reindex test\.notes"):
        call_command("reindex", NOTES, stdout=StringIO())
