"""Filter keys: the identities a statement can be found by, as fixed-size digests.

``filter_key(kind, value)`` is a 128-bit BLAKE2b digest of a kind and a value, stored as a UUID
(16 bytes on PostgreSQL). The kinds are:

- ``agent``    actor or object agent/group, and the members of those groups (the ``agent`` filter)
- ``agent~``   the above plus authority, instructor, team, context agents and groups, and the agents
               of a SubStatement (``related_agents=true``)
- ``activity`` the object activity (the ``activity`` filter)
- ``activity~`` the above plus context activities and the SubStatement's (``related_activities``)
- ``verb``, ``registration``
- ``authority`` who vouched for the statement (``statements/read/mine``); never inherited

A statement whose object is a StatementRef also carries every key but ``authority`` of the
statement it targets (and so on down the chain): that makes the filters StatementRef-aware.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

AGENT = "agent"
AGENT_RELATED = "agent~"
ACTIVITY = "activity"
ACTIVITY_RELATED = "activity~"
VERB = "verb"
REGISTRATION = "registration"
AUTHORITY = "authority"


@lru_cache(maxsize=65536)  # verbs, activities, authorities and agents repeat across statements
def filter_key(kind: str, value: str) -> uuid.UUID:
    digest = hashlib.blake2b(f"{kind}\x00{value}".encode(), digest_size=16).digest()
    return uuid.UUID(bytes=digest)


def agent_identity(agent: dict[str, Any]) -> str | None:
    """The inverse functional identifier of an agent or identified group, as one string."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"sha1:{str(agent['mbox_sha1sum']).lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')}\x1f{account.get('name')}"
    return None


def actor_identity(actor: dict[str, Any]) -> str:
    """A stable identity for any actor; an anonymous group is identified by its members."""
    found = agent_identity(actor)
    if found is not None:
        return found
    members = sorted(filter(None, (agent_identity(member) for member in actor.get("member", []))))
    return "group:" + "\x1e".join(members)


def _agents(actor: Any) -> Iterator[str]:
    """The identities an actor matches: itself (when identified) and its members."""
    if not isinstance(actor, dict):
        return
    found = agent_identity(actor)
    if found is not None:
        yield found
    for member in actor.get("member", []) or []:
        member_identity = agent_identity(member)
        if member_identity is not None:
            yield member_identity


def _context_agents(context: Any) -> Iterator[str]:
    if not isinstance(context, dict):
        return
    yield from _agents(context.get("instructor"))
    yield from _agents(context.get("team"))
    for item in context.get("contextAgents", []) or []:
        yield from _agents(item.get("agent"))
    for item in context.get("contextGroups", []) or []:
        yield from _agents(item.get("group"))


def _context_activities(context: Any) -> Iterator[str]:
    if not isinstance(context, dict):
        return
    groups = context.get("contextActivities") or {}
    for name in ("parent", "grouping", "category", "other"):
        value = groups.get(name) or []
        for activity in [value] if isinstance(value, dict) else value:
            yield str(activity["id"])


def _object_kind(target: dict[str, Any]) -> str:
    return str(target.get("objectType", "Activity"))


def statement_values(statement: dict[str, Any]) -> set[tuple[str, str]]:
    """The (kind, value) pairs a statement is found by, without inherited ones or authority."""
    values: set[tuple[str, str]] = set()
    direct_agents = set(_agents(statement["actor"]))
    related_agents = set(_context_agents(statement.get("context")))
    related_agents.update(_agents(statement.get("authority")))
    direct_activities: set[str] = set()
    related_activities = set(_context_activities(statement.get("context")))
    target = statement["object"]
    kind = _object_kind(target)
    if kind == "Activity":
        direct_activities.add(str(target["id"]))
    elif kind in ("Agent", "Group"):
        direct_agents.update(_agents(target))
    elif kind == "SubStatement":
        related_agents.update(_agents(target.get("actor")))
        related_agents.update(_context_agents(target.get("context")))
        related_activities.update(_context_activities(target.get("context")))
        inner = target.get("object", {})
        if _object_kind(inner) == "Activity":
            related_activities.add(str(inner["id"]))
        elif _object_kind(inner) in ("Agent", "Group"):
            related_agents.update(_agents(inner))
    values.update((AGENT, value) for value in direct_agents)
    values.update((AGENT_RELATED, value) for value in direct_agents | related_agents)
    values.update((ACTIVITY, value) for value in direct_activities)
    values.update((ACTIVITY_RELATED, value) for value in direct_activities | related_activities)
    values.add((VERB, str(statement["verb"]["id"])))
    registration = (statement.get("context") or {}).get("registration")
    if registration:
        values.add((REGISTRATION, str(registration).lower()))
    return values


def statement_keys(statement: dict[str, Any]) -> set[uuid.UUID]:
    """Own filter keys of a statement (not inherited), plus its authority."""
    keys = {filter_key(kind, value) for kind, value in statement_values(statement)}
    authority = statement.get("authority")
    if isinstance(authority, dict):
        keys.add(filter_key(AUTHORITY, actor_identity(authority)))
    return keys


def inheritable_keys(statement: dict[str, Any]) -> set[uuid.UUID]:
    return {filter_key(kind, value) for kind, value in statement_values(statement)}
