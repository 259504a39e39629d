"""A manager signs in, opens their team page and one report's profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_opens_team_page_and_a_report_profile(live_server, page, org, csp_violations):
    base = live_server.url
    manager = org.people["manager"]
    learner = org.people["learner"]

    sign_in(page, base, manager.user.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mia")

    page.goto(f"{base}/teams/platform/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform")
    page.get_by_role("link", name="Leo Learner").first.click()

    page.wait_for_url(f"{base}/people/{learner.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leo Learner")
    expect(page.locator("main").get_by_text("Mia Manager").first).to_be_visible()
    assert csp_violations == []
