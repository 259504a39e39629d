"""An author publishes a course; a learner completes it; the skill shows on their profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecotone.skills.models import Skill, SkillCategory
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_author_publishes_and_learner_completes(live_server, page, org, csp_violations):
    base = live_server.url
    data = SkillCategory.objects.create(name="Data", slug="data")
    Skill.objects.create(name="SQL", slug="sql", category=data)
    author, learner = org.people["peer"], org.people["learner"]

    sign_in(page, base, author.user.email)
    page.goto(f"{base}/learn/courses/new/")
    page.get_by_label("Title").fill("Joins without tears")
    page.get_by_label("Summary").fill("Inner, left and anti joins.")
    page.get_by_label("Skill 1").select_option(label="SQL")
    page.locator("select[name=level_0]").select_option("3")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joins without tears")

    page.get_by_role("link", name="Add a lesson").click()
    page.get_by_label("Title").fill("Inner joins")
    page.get_by_label("Text").fill(
        "Rows that match on **both** sides.\n\n| a | b |\n|---|---|\n| 1 | 1 |"
    )
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("link", name="Inner joins")).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, base, learner.user.email)
    page.goto(f"{base}/learn/?q=joins")
    page.get_by_role("link", name="Joins without tears").click()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", name="Inner joins")).to_be_visible()
    expect(page.locator(".prose strong")).to_have_text("both")
    page.get_by_role("button", name="Done, finish the course").click()
    expect(page.get_by_text("Course completed. Well done!")).to_be_visible()
    page.get_by_role("link", name="Certificate").click()
    expect(page.locator(".certificate .learner")).to_have_text("Leo Learner")

    page.goto(f"{base}/people/{learner.pk}/")
    skills = page.locator("section[aria-labelledby=profile-skills-title]")
    expect(skills.get_by_role("link", name="SQL")).to_be_visible()
    expect(page.locator("section[aria-labelledby=profile-courses-title]")).to_contain_text(
        "Joins without tears"
    )
    assert csp_violations == []
