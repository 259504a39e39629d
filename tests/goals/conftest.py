from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from ecotone.goals import services
from ecotone.goals.models import Cycle, Objective
from ecotone.skills.models import Skill


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Okrs:
    org: Any
    cycle: Cycle
    skills: dict[str, Skill] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)

    @property
    def users(self) -> dict[str, Any]:
        return self.org.users

    @property
    def people(self) -> dict[str, Any]:
        return self.org.people


@pytest.fixture
def skills(db) -> dict[str, Skill]:
    return {
        slug: Skill.objects.create(name=name, slug=slug)
        for slug, name in (("python", "Python"), ("kubernetes", "Kubernetes"), ("sql", "SQL"))
    }


@pytest.fixture
def okrs(org, skills) -> Okrs:
    """A running quarter: a company objective, the platform team's objective aligned to it."""
    today = timezone.localdate()
    executive = org.users["executive"]
    cycle = services.create_cycle(
        actor=executive,
        name="This quarter",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
    )
    company = services.create_objective(
        actor=executive,
        cycle=cycle,
        level="company",
        title="Launch in Europe",
        owner=org.people["executive"],
        priority=1,
    )
    team = services.create_objective(
        actor=org.users["manager"],
        cycle=cycle,
        level="team",
        title="Run the EU cluster",
        owner=org.people["manager"],
        team=org.teams["platform"],
        parents=[company],
    )
    return Okrs(org=org, cycle=cycle, skills=skills, objectives={"company": company, "team": team})
