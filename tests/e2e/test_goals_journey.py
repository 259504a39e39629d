"""A manager proposes a goal to a report, the report accepts it, and a validated rating moves
its progress without anyone typing it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ecotone.goals.models import LearningGoal
from ecotone.skills import services as skill_services
from ecotone.skills.models import Skill
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_proposes_report_accepts_and_a_rating_moves_progress(
    live_server, browser, org, csp_violations
):
    base = live_server.url
    manager, learner = org.people["manager"], org.people["learner"]
    kubernetes = Skill.objects.create(name="Kubernetes", slug="kubernetes")

    as_manager = browser.new_page()
    sign_in(as_manager, base, manager.user.email)
    as_manager.goto(f"{base}/goals/team/")
    expect(as_manager.get_by_role("heading", level=1)).to_have_text("My team's goals")
    as_manager.locator("tr", has_text="Leo Learner").get_by_role(
        "link", name="Propose a goal"
    ).click()
    expect(as_manager.get_by_role("heading", level=1)).to_have_text("Propose a goal to Leo Learner")
    as_manager.locator("#id_kind").select_option("skill")
    as_manager.locator("#id_skill").select_option(label="Kubernetes")
    as_manager.locator("#id_target_level").select_option("2")
    as_manager.locator("#id_motivation").fill("We run the new cluster next quarter.")
    as_manager.get_by_role("button", name="Propose").click()
    expect(as_manager.get_by_role("heading", level=1)).to_have_text("Reach level 2 in Kubernetes")
    goal = LearningGoal.objects.get(person=learner)
    assert goal.status == "proposed"

    as_learner = browser.new_page()
    sign_in(as_learner, base, learner.user.email)
    expect(as_learner.get_by_text("Reach level 2 in Kubernetes")).to_be_visible()
    as_learner.goto(f"{base}/goals/{goal.pk}/")
    as_learner.get_by_role("button", name="Accept").click()
    expect(as_learner.get_by_text("Goal accepted: it is now active.")).to_be_visible()
    expect(as_learner.locator(".stat-value").first).to_have_text("0%")

    skill_services.record_evidence(
        actor=manager.user, person=learner, skill=kubernetes, source="manager", level=1
    )
    as_learner.reload()
    expect(as_learner.locator(".stat-value").first).to_have_text("50%")
    skill_services.record_evidence(
        actor=manager.user, person=learner, skill=kubernetes, source="manager", level=2
    )
    as_learner.reload()
    expect(as_learner.locator(".stat-value").first).to_have_text("100%")
    expect(as_learner.locator(".stat-value").nth(1)).to_have_text("Achieved")
    assert csp_violations == []
