"""The skills loop in a browser.

A learner rates themselves and asks for validation; their manager sees the team matrix and
adjusts the level in the validation queue; the learner sees the validated level; L&D opens the
org heatmap and the bus-factor list; a misspelt expert search finds the expert.

Set ECOTONE_SCREENSHOTS to a directory to keep a screenshot of each page.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ecotone.skills import services
from ecotone.skills.models import RoleAssignment, RoleProfile, RoleRequirement, Skill
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def snap(page, tmp_path: Path, name: str) -> None:
    directory = Path(os.environ.get("ECOTONE_SCREENSHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"skills-{name}.png"), full_page=True)


def switch_user(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, email)


def test_rate_validate_adjust_heatmap_and_expert_search(
    live_server, page, org, csp_violations, tmp_path
):
    base = live_server.url
    learner, peer, manager = org.people["learner"], org.people["peer"], org.people["manager"]
    python = Skill.objects.create(name="Python", slug="python", aliases=["py"])
    kubernetes = Skill.objects.create(name="Kubernetes", slug="kubernetes", aliases=["k8s"])
    engineer = RoleProfile.objects.create(name="Engineer", slug="engineer")
    RoleRequirement.objects.create(role=engineer, skill=python, target_level=3)
    RoleRequirement.objects.create(role=engineer, skill=kubernetes, target_level=3)
    for person in (learner, peer):
        RoleAssignment.objects.create(person=person, role=engineer)
    services.record_evidence(
        actor=services.SYSTEM,
        person=peer,
        skill=kubernetes,
        source="manager",
        level=4,
        author=manager.user,
    )

    # The learner rates themselves 3 in Python and asks their manager to validate it.
    sign_in(page, base, learner.user.email)
    page.goto(f"{base}/skills/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My skills")
    rate = page.get_by_role("region", name="Rate myself")
    rate.get_by_label("Skill", exact=True).select_option(label="Python")
    rate.get_by_label("Level", exact=True).select_option("3")
    rate.get_by_label("Then").select_option("validation")
    rate.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Asked for a review of Python.")).to_be_visible()
    expect(page.get_by_text("Python at 3 — validation by the manager by Mia")).to_be_visible()
    snap(page, tmp_path, "1-my-skills")

    # The manager sees the self-rating in the team matrix, then adjusts it to 2 in the queue.
    switch_user(page, base, manager.user.email)
    page.goto(f"{base}/skills/team/")
    matrix = page.locator("table")
    # Columns: Kubernetes, Python. The manager sees the learner's current level (their own
    # rating, for now) against the target.
    learner_cells = matrix.get_by_role("row", name="Leo Learner").locator("td")
    expect(learner_cells.nth(0)).to_have_text("\u2013/3 \u25b2")
    expect(learner_cells.nth(1)).to_have_text("3/3")
    expect(matrix.get_by_role("row", name="Pia Peer").locator("td").nth(0)).to_have_text("4/3")
    snap(page, tmp_path, "2-team-matrix")
    page.goto(f"{base}/skills/reviews/")
    request = page.get_by_role("region", name="Leo Learner: Python at level 3")
    request.get_by_label("Adjust to another level").check()
    request.get_by_label("Level (when adjusting)").select_option("2")
    request.get_by_label("Comment (required when adjusting)").fill(
        "Solid scripts; let us aim for 3 after the testing course."
    )
    snap(page, tmp_path, "3-review-queue")
    request.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Answered Leo Learner's request for Python.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing waiting")).to_be_visible()

    # The learner sees the validated level beside their own rating.
    switch_user(page, base, learner.user.email)
    page.goto(f"{base}/skills/me/")
    python_row = page.locator("table.skills-levels").get_by_role("row", name="Python")
    expect(python_row.locator("td").nth(0)).to_have_text("3")  # my rating
    expect(python_row.locator("td").nth(1)).to_have_text("2")  # validated
    expect(page.get_by_text("Adjusted")).to_be_visible()
    snap(page, tmp_path, "4-validated")

    # L&D opens the org heatmap and the bus-factor list.
    switch_user(page, base, org.people["ld"].user.email)
    page.goto(f"{base}/skills/org/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills across the organisation")
    heatmap = page.locator("table.heatmap")
    expect(heatmap.get_by_role("row", name="Engineering")).to_contain_text("1/2")
    bus = page.get_by_role("region", name="Bus factor")
    expect(bus.get_by_role("link", name="Kubernetes")).to_be_visible()
    expect(bus).to_contain_text("best: Pia Peer (4)")
    expect(bus.get_by_role("link", name="Python")).to_be_visible()
    snap(page, tmp_path, "5-org-heatmap")

    # A misspelt search finds the expert.
    page.goto(f"{base}/skills/")
    page.get_by_label("Skill name or alias (typos are fine)").fill("kubernets")
    page.get_by_role("button", name="Find experts").click()
    experts = page.locator("#experts")
    expect(experts.get_by_role("link", name="Pia Peer")).to_be_visible()
    expect(experts.get_by_role("row", name="Pia Peer")).to_contain_text("Kubernetes")
    snap(page, tmp_path, "6-expert-search")
    assert csp_violations == []
