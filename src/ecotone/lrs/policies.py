"""Permissions of the LRS. See ecotone/authz/README.md for the vocabulary."""

from __future__ import annotations

from ecotone.authz import register
from ecotone.people.policies import admins_who, is_admin, is_learning_facilitator

register(
    "lrs.browse_statements",
    is_admin | is_learning_facilitator,
    description="Browse every statement of the LRS with its raw JSON (admins and L&D).",
)
register(
    "lrs.manage_clients",
    is_admin,
    who=admins_who,
    description="Create, list and revoke the credentials of LRS clients.",
)
register(
    "lrs.manage_mappings",
    is_admin,
    who=admins_who,
    description="Map external xAPI activities to skills, so their statements count as evidence.",
)
