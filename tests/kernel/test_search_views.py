"""The /search/ page, the header box and GET /api/v1/search: thin adapters over search()."""

from __future__ import annotations

import pytest
from django.test import Client

from ecotone.kernel.search import index_document, register_no_results_action
from tests.kernel.conftest import MEMOS, NOTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_sources")]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get("/search/?q=x")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_empty_page_invites_a_query(org):
    response = client_for(org.people["learner"].user).get("/search/")

    assert response.status_code == 200
    assert "What are you looking for?" in response.text
    assert 'id="site-search"' not in response.text  # the page has its own box


def test_every_page_has_the_search_box_in_its_header(org):
    response = client_for(org.people["learner"].user).get("/")

    assert 'role="search"' in response.text
    assert '<label for="site-search" class="visually-hidden">' in response.text
    assert 'action="/search/"' in response.text


def test_results_are_highlighted_escaped_and_grouped_by_source(org):
    index_document(NOTES, "1", title="<script>x</script> Kubernetes guide", body="Use kubectl.")
    index_document(MEMOS, "2", title="Kubernetes memo")

    response = client_for(org.people["learner"].user).get("/search/?q=kubernetes")

    assert response.status_code == 200
    text = response.text
    assert "&lt;script&gt;x&lt;/script&gt; <mark>Kubernetes</mark> guide" in text
    assert "<script>x</script>" not in text
    assert 'href="/notes/1/"' in text
    assert 'href="/memos/2/"' in text
    assert "2 results for “kubernetes”" in text
    assert 'aria-current="page">All <span class="badge">2</span>' in text
    assert '?q=kubernetes&amp;source=test.notes">Notes <span class="badge">1</span>' in text


def test_a_source_tab_shows_only_that_source_and_its_facets(org):
    index_document(NOTES, "1", title="Kubernetes guide", facets={"colour": "red"})
    index_document(MEMOS, "2", title="Kubernetes memo")

    response = client_for(org.people["learner"].user).get("/search/?q=kubernetes&source=test.notes")

    assert 'href="/notes/1/"' in response.text
    assert 'href="/memos/2/"' not in response.text
    assert "Colour" in response.text
    assert "facet=colour%3Ared" in response.text


def test_htmx_gets_only_the_results(org):
    index_document(NOTES, "1", title="Kubernetes guide")

    response = client_for(org.people["learner"].user).get(
        "/search/?q=kube", headers={"HX-Request": "true"}
    )

    assert "<mark>Kubernetes</mark> guide" in response.text
    assert "<html" not in response.text


def test_pages_link_to_each_other(org):
    for number in range(25):
        index_document(NOTES, number, title=f"Report {number}")

    response = client_for(org.people["learner"].user).get("/search/?q=report&page=2")

    assert "Page 2 of 2" in response.text
    assert 'href="?q=report&amp;page=1"' in response.text
    assert "21\u201325 of 25 results" in response.text


def test_nothing_found_offers_to_request_the_content(org):
    register_no_results_action("Request this content", "directory", query_param="topic")

    response = client_for(org.people["learner"].user).get("/search/?q=quantum+knitting")

    assert "Nothing found for “quantum knitting”" in response.text
    assert 'href="/people/?topic=quantum+knitting">Request this content</a>' in response.text


def test_the_page_runs_a_constant_number_of_queries(org, django_assert_max_num_queries):
    client = client_for(org.people["learner"].user)
    for number in range(30):
        index_document(NOTES, number, title=f"Report {number}", facets={"colour": "red"})
    client.get("/search/?q=report")  # warm the session and the viewer

    with django_assert_max_num_queries(12) as few:
        client.get("/search/?q=report&source=test.notes")
    index_document(NOTES, 99, title="Report extra")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/search/?q=report&source=test.notes")


def test_the_api_searches_with_the_same_rules(org):
    index_document(NOTES, "1", title="<b>Kubernetes</b> guide", body="pods")
    index_document(NOTES, "2", title="Kubernetes secrets", audience=["user:0"])
    register_no_results_action("Request this content", "directory", query_param="topic")
    client = client_for(org.people["learner"].user)

    found = client.get("/api/v1/search", {"q": "kubernetes"}).json()
    empty = client.get("/api/v1/search", {"q": "zzz"}).json()
    hostile = client.get("/api/v1/search", {"q": "\"'); DROP TABLE x; -- NEAR( *"})

    assert found["count"] == 1
    assert found["items"][0]["title_html"] == "&lt;b&gt;<mark>Kubernetes</mark>&lt;/b&gt; guide"
    assert found["items"][0]["url"] == "/notes/1/"
    assert found["sources"] == [
        {"source": NOTES, "label": "Notes", "count": 1},
        {"source": MEMOS, "label": "Memos", "count": 0},
    ]
    assert empty["no_results"] == [{"label": "Request this content", "url": "/people/?topic=zzz"}]
    assert hostile.status_code == 200


def test_the_api_needs_authentication(db):
    assert Client().get("/api/v1/search", {"q": "x"}).status_code == 401
