"""An admin connects an outside tool: maps its activity to a skill, issues credentials, and sees
the tool's "completed" statement become the learner's skill evidence and appear in the browser."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from ecotone.skills import inbound
from ecotone.skills.models import Evidence, EvidenceSource, Skill, SkillCategory
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVITY = "https://lms.example/courses/sql-basics"


def _post_statement(base: str, key: str, secret: str, email: str) -> int:
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
        "object": {"id": ACTIVITY, "definition": {"name": {"en": "SQL basics"}}},
    }
    request = urllib.request.Request(
        f"{base}/xapi/statements",
        data=json.dumps(statement).encode(),
        method="POST",
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
            "X-Experience-API-Version": "2.0.0",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_an_outside_tools_completion_becomes_skill_evidence(live_server, page, org, csp_violations):
    base = live_server.url
    category = SkillCategory.objects.create(name="Data", slug="data")
    sql = Skill.objects.create(name="SQL", slug="sql", category=category)
    learner = org.people["learner"]

    sign_in(page, base, org.people["admin"].user.email)
    page.goto(f"{base}/xapi/mappings/")
    page.get_by_label("Activity IRI").fill(ACTIVITY)
    page.get_by_label("Label").fill("SQL basics (LMS)")
    page.get_by_label("Skills", exact=False).and_(page.locator("textarea")).fill("sql")
    page.get_by_role("button", name="Save mapping").click()
    expect(page.get_by_role("cell", name="SQL basics (LMS)")).to_be_visible()

    page.goto(f"{base}/xapi/clients/")
    page.get_by_label("Name").fill("LMS")
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_text("It is shown only this once")).to_be_visible()
    key = page.locator("#client-key").input_value()
    secret = page.locator("#client-secret").input_value()

    assert _post_statement(base, key, secret, learner.user.email) == 200
    assert inbound.consume_all() == 1
    evidence = Evidence.objects.get(person=learner, skill=sql)
    assert evidence.source == EvidenceSource.XAPI

    page.goto(f"{base}/xapi/browse/")
    page.get_by_label("Verb").fill("http://adlnet.gov/expapi/verbs/completed")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row").filter(has_text="SQL basics")
    expect(row).to_contain_text(learner.user.email)
    row.get_by_role("link", name="JSON").click()
    expect(page.get_by_text(ACTIVITY).first).to_be_visible()

    page.goto(f"{base}/xapi/clients/")
    page.once("dialog", lambda dialog: dialog.accept())  # revoking asks first
    page.get_by_role("button", name="Revoke the client LMS").click()
    expect(page.get_by_role("row").filter(has_text="LMS")).to_contain_text("Revoked")
    assert _post_statement(base, key, secret, learner.user.email) == 401
    assert csp_violations == []
