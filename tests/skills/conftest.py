from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from ecotone.skills.models import RoleAssignment, RoleProfile, RoleRequirement, Skill, SkillCategory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The org fixture sets passwords; argon2 is deliberately slow, and tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Framework:
    categories: dict[str, SkillCategory] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    roles: dict[str, RoleProfile] = field(default_factory=dict)


@pytest.fixture
def framework(db) -> Framework:
    engineering = SkillCategory.objects.create(name="Engineering", slug="engineering")
    data = SkillCategory.objects.create(name="Data", slug="data")
    python = Skill.objects.create(
        name="Python", slug="python", category=engineering, aliases=["py", "CPython"]
    )
    kubernetes = Skill.objects.create(
        name="Kubernetes", slug="kubernetes", category=engineering, aliases=["k8s"]
    )
    sql = Skill.objects.create(name="SQL", slug="sql", category=data, aliases=["Postgres"])
    statistics = Skill.objects.create(name="Statistics", slug="statistics", category=data)
    engineer = RoleProfile.objects.create(name="Engineer", slug="engineer")
    RoleRequirement.objects.create(role=engineer, skill=python, target_level=3)
    RoleRequirement.objects.create(role=engineer, skill=kubernetes, target_level=3)
    RoleRequirement.objects.create(role=engineer, skill=sql, target_level=2, required=False)
    return Framework(
        categories={"engineering": engineering, "data": data},
        skills={"python": python, "kubernetes": kubernetes, "sql": sql, "statistics": statistics},
        roles={"engineer": engineer},
    )


@pytest.fixture
def engineers(org, framework) -> Any:
    """The learner and the peer are measured against the engineer profile."""
    for name in ("learner", "peer"):
        RoleAssignment.objects.create(person=org.people[name], role=framework.roles["engineer"])
    return org
