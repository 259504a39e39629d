"""A table-driven harness for permission matrices, reused by every app's tests.

    def test_people_matrix(org):
        check_matrix(
            '''
            actor     permission            target   allowed
            admin     people.manage_people  peer     yes
            learner   people.manage_people  peer     no
            ''',
            actors=org.users, targets=org.objects,
        )

For each row it checks ``can``; where the permission has a scope and the target is a model
instance, it also checks that ``scope`` agrees; where it has ``who``, that ``who_can`` agrees.
All failing rows are reported together as a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from ecotone.authz import registry

_YES = {"yes", "y", "true", "allow", "allowed", "1"}
_NO = {"no", "n", "false", "deny", "denied", "0"}


@dataclass(frozen=True)
class Case:
    actor: str
    permission: str
    target: str | None
    allowed: bool


def parse(table: str) -> list[Case]:
    """Parse a whitespace-separated table; the first line is the header, ``-`` means no target."""
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    if [h.lower() for h in header] != ["actor", "permission", "target", "allowed"]:
        raise ValueError("header must be: actor permission target allowed")
    cases = []
    for row in rows:
        if len(row) != 4:
            raise ValueError(f"row needs 4 columns: {' '.join(row)}")
        actor, permission, target, allowed = row
        if allowed.lower() not in _YES | _NO:
            raise ValueError(f"allowed must be yes or no: {' '.join(row)}")
        cases.append(
            Case(actor, permission, None if target == "-" else target, allowed.lower() in _YES)
        )
    return cases


def check_matrix(
    table: str | list[Case], *, actors: Mapping[str, Any], targets: Mapping[str, Any]
) -> None:
    cases = parse(table) if isinstance(table, str) else table
    failures: list[str] = []
    for case in cases:
        user = actors[case.actor]
        obj = targets[case.target] if case.target is not None else None
        permission = registry.get(case.permission)
        got = registry.can(user, case.permission, obj)
        if got != case.allowed:
            failures.append(f"can: {case}  got {got}")
        if isinstance(obj, Model) and permission.scope is not None:
            in_scope = registry.scope(user, case.permission, type(obj)._default_manager.all())
            if in_scope.filter(pk=obj.pk).exists() != case.allowed:
                failures.append(f"scope disagrees: {case}")
        if permission.who is not None and user is not None and getattr(user, "pk", None):
            listed = registry.who_can(case.permission, obj).filter(pk=user.pk).exists()
            if listed != case.allowed:
                failures.append(f"who_can disagrees: {case}")
    assert not failures, "permission matrix failures:\n  " + "\n  ".join(failures)
