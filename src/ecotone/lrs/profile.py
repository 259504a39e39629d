"""The Ecotone xAPI profile: the verbs, activity types and extensions of the activity ledger.

docs/xapi-profile.md documents the same vocabulary for the people who read the statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings

from ecotone.lrs.validation import is_iri
from ecotone.people.roles import person_of

ADL = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
TINCAN = "http://activitystrea.ms/schema/1.0/"

VERBS: dict[str, tuple[str, str]] = {
    # key: (IRI, English display)
    "completed": (f"{ADL}completed", "completed"),
    "passed": (f"{ADL}passed", "passed"),
    "failed": (f"{ADL}failed", "failed"),
    "mastered": (f"{ADL}mastered", "mastered"),
    "attempted": (f"{ADL}attempted", "attempted"),
    "attended": (f"{ADL}attended", "attended"),
    "registered": (f"{ADL}registered", "registered"),
    "launched": (f"{ADL}launched", "launched"),
    "experienced": (f"{ADL}experienced", "experienced"),
    "answered": (f"{ADL}answered", "answered"),
    "commented": (f"{ADL}commented", "commented"),
    "shared": (f"{ADL}shared", "shared"),
    "asked": (f"{ADL}asked", "asked"),
    "presented": ("http://activitystrea.ms/schema/1.0/present", "presented"),
    "liked": (f"{TINCAN}like", "liked"),
    "requested": ("https://w3id.org/xapi/ecotone/verbs/requested", "requested"),
    "achieved": ("https://w3id.org/xapi/ecotone/verbs/achieved", "achieved"),
    "rated": ("https://w3id.org/xapi/ecotone/verbs/rated", "rated"),
    "endorsed": ("https://w3id.org/xapi/ecotone/verbs/endorsed", "endorsed"),
}

ACTIVITY_TYPES: dict[str, str] = {
    "course": f"{ADL_ACTIVITIES}course",
    "lesson": f"{ADL_ACTIVITIES}lesson",
    "assessment": f"{ADL_ACTIVITIES}assessment",
    "question": f"{ADL_ACTIVITIES}cmi.interaction",
    "meeting": f"{ADL_ACTIVITIES}meeting",
    "path": "https://w3id.org/xapi/ecotone/activity-types/learning-path",
    "event": "https://w3id.org/xapi/ecotone/activity-types/event",
    "talk": "https://w3id.org/xapi/ecotone/activity-types/talk",
    "content": "https://w3id.org/xapi/ecotone/activity-types/content",
    "goal": "https://w3id.org/xapi/ecotone/activity-types/goal",
    "skill": "https://w3id.org/xapi/ecotone/activity-types/skill",
    "request": "https://w3id.org/xapi/ecotone/activity-types/content-request",
}

EXTENSIONS: dict[str, str] = {
    "skill": "https://w3id.org/xapi/ecotone/extensions/skill",
    "level": "https://w3id.org/xapi/ecotone/extensions/level",
    "goal": "https://w3id.org/xapi/ecotone/extensions/goal",
    "course-version": "https://w3id.org/xapi/ecotone/extensions/course-version",
}

# Verbs that count as progress and skill evidence when their object is a recognised activity.
EVIDENCE_VERBS = frozenset(VERBS[key][0] for key in ("completed", "passed", "mastered"))


def activity_base() -> str:
    """Where Ecotone's own activity IRIs live (setting ECOTONE_XAPI_BASE)."""
    base = getattr(settings, "ECOTONE_XAPI_BASE", "") or f"{settings.SITE_URL}/xapi/activities/"
    return base if base.endswith("/") else base + "/"


def activity_iri(path_or_iri: str) -> str:
    """An absolute IRI for an activity: ``courses/12`` becomes ``<base>courses/12``."""
    if is_iri(path_or_iri) and "://" in path_or_iri:
        return path_or_iri
    return activity_base() + path_or_iri.lstrip("/")


EVENT_NAMESPACE = uuid.UUID("6a1f3c2e-9b1d-5e8a-a0c4-3f7d2b8e1c55")


def event_id(kind: str, key: Any) -> uuid.UUID:
    """A stable statement id for one event of the product (``event_id("skills.evidence", 42)``):
    the live write and a later backfill of the same event give the same statement."""
    return uuid.uuid5(EVENT_NAMESPACE, f"{kind}:{key}")


def agent_for(user: Any) -> dict[str, Any]:
    """The xAPI agent of an Ecotone user: an account on this site, named by the user's id."""
    person = person_of(user)
    agent: dict[str, Any] = {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL, "name": str(user.pk)},
    }
    if person is not None:
        agent["name"] = person.display_name
    return agent


def build_statement(
    *,
    actor: Any,
    verb: str,
    activity: str,
    activity_type: str | None = None,
    name: str | None = None,
    result: Mapping[str, Any] | None = None,
    parent: str | None = None,
    registration: uuid.UUID | None = None,
    extensions: Mapping[str, Any] | None = None,
    timestamp: datetime | None = None,
    statement_id: uuid.UUID | None = None,
    instructor: Any = None,
) -> dict[str, Any]:
    verb_iri, display = VERBS.get(verb, (verb, ""))
    definition: dict[str, Any] = {}
    if activity_type:
        definition["type"] = ACTIVITY_TYPES.get(activity_type, activity_type)
    if name:
        definition["name"] = {"en": name}
    target: dict[str, Any] = {"objectType": "Activity", "id": activity_iri(activity)}
    if definition:
        target["definition"] = definition
    statement: dict[str, Any] = {
        "actor": agent_for(actor),
        "verb": {"id": verb_iri, **({"display": {"en": display}} if display else {})},
        "object": target,
        "context": {"platform": "Ecotone", "language": "en"},
    }
    if statement_id is not None:
        statement["id"] = str(statement_id)
    if result:
        statement["result"] = dict(result)
    if parent:
        statement["context"]["contextActivities"] = {"parent": [{"id": activity_iri(parent)}]}
    if instructor is not None:
        statement["context"]["instructor"] = agent_for(instructor)
    if registration is not None:
        statement["context"]["registration"] = str(registration)
    if extensions:
        statement["context"]["extensions"] = {
            EXTENSIONS.get(key, key): value for key, value in extensions.items()
        }
    if timestamp is not None:
        statement["timestamp"] = timestamp.isoformat()
    return statement
