"""A manager reads a report's learning activity on their profile and loads older entries."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from ecotone.lrs import services
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_pages_through_a_reports_activity(live_server, page, org, csp_violations):
    base = live_server.url
    learner = org.people["learner"]
    for number in range(14):
        services.record_learning_event(
            actor=learner.user,
            verb="passed" if number % 3 == 0 else "completed",
            activity=f"courses/{number}",
            activity_type="course",
            name=f"Course {number}",
            result={"score": {"scaled": 0.8}} if number % 3 == 0 else None,
        )

    sign_in(page, base, org.people["manager"].user.email)
    page.goto(f"{base}/people/{learner.pk}/")
    panel = page.get_by_role("region", name="Learning activity")
    expect(panel.get_by_role("listitem")).to_have_count(11)  # ten entries and "Older activity"
    expect(panel.get_by_role("listitem").first).to_contain_text("Course 13")
    if os.environ.get("ECOTONE_SCREENSHOTS"):
        panel.screenshot(path=os.path.join(os.environ["ECOTONE_SCREENSHOTS"], "activity.png"))
    panel.get_by_role("link", name="Older activity").click()
    expect(panel.get_by_role("listitem")).to_have_count(14)
    expect(panel.get_by_role("listitem").last).to_contain_text("Course 0")
    expect(panel.get_by_role("link", name="Older activity")).to_have_count(0)
    assert csp_violations == []
