"""A learner jumps to the search box with "/", types, narrows to one source, and opens a result."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecotone.kernel.search import reindex
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_searches_from_the_header(live_server, page, org, csp_violations):
    base = live_server.url
    reindex("people")
    sign_in(page, base, org.people["learner"].user.email)

    page.keyboard.press("/")
    expect(page.locator("#site-search")).to_be_focused()
    page.keyboard.type("engin")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{base}/search/?q=engin")
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="People 3")).to_be_visible()
    expect(results.locator("mark").first).to_be_visible()

    page.locator("#search-q").fill("engineering manager")
    expect(results.get_by_role("link", name="Mia Manager")).to_be_visible()
    results.get_by_role("link", name="Mia Manager").click()
    page.wait_for_url(f"{base}/people/{org.people['manager'].pk}/")

    page.goto(f"{base}/search/?q=quantum+knitting")
    expect(page.get_by_role("heading", name="Nothing found for “quantum knitting”")).to_be_visible()
    assert csp_violations == []
