"""Conformance: the statement data model (xAPI 1.0.3 Data 2.x; xAPI 2.0 Data, "Statements").

Written from the specification, requirement by requirement, each with its negative cases. Every
case runs against both versions (fixture ``xv``) unless the requirement belongs to one of them,
and every invalid statement is tried alone (POST), inside a batch with a valid one (POST) and by
PUT: each must be a 400 that stores nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from typing import Any

import pytest

from ecotone.lrs.models import Statement
from tests.lrs.conftest import new_id, statement

MBOX = "mailto:ada@example.com"
SHA1 = hashlib.sha1(MBOX.encode()).hexdigest()
OPENID = "http://openid.example.com/ada"
ACCOUNT = {"homePage": "http://accounts.example.com", "name": "ada"}
ACT = "http://example.com/activities/a"
VERB = "http://example.com/verbs/did"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
DROP = object()  # remove the property


def mutate(path: str, value: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The valid statement with the property at ``path`` (dotted) replaced (or dropped)."""
    data = copy.deepcopy(base if base is not None else statement())
    *parents, last = path.split(".")
    node = data
    for name in parents:
        node = node.setdefault(name, {})
    if value is DROP:
        node.pop(last, None)
    else:
        node[last] = copy.deepcopy(value)
    return data


def sub(**overrides: Any) -> dict[str, Any]:
    """A valid SubStatement; keyword arguments replace its properties."""
    base: dict[str, Any] = {
        "objectType": "SubStatement",
        "actor": {"mbox": MBOX},
        "verb": {"id": VERB},
        "object": {"id": ACT},
    }
    base.update(overrides)
    return base


def member(**identity: Any) -> dict[str, Any]:
    return {"objectType": "Agent", **(identity or {"mbox": MBOX})}


def interaction(kind: str, **components: Any) -> dict[str, Any]:
    return {
        "id": ACT,
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": kind,
            "correctResponsesPattern": ["a"],
            **components,
        },
    }


def comps(*ids: str) -> list[dict[str, Any]]:
    return [{"id": item, "description": {"en-US": item.upper()}} for item in ids]


# --- Invalid statements: (case id, path, value) ---------------------------------------------

INVALID: list[tuple[str, str, Any]] = [
    # Statement id
    ("id-not-uuid", "id", "not-a-uuid"),
    ("id-number", "id", 12345),
    ("id-empty", "id", ""),
    ("id-short", "id", "6fbd600f-d17c-4c74-801a-2ec2e53231c"),
    ("id-braces", "id", "{6fbd600f-d17c-4c74-801a-2ec2e53231c7}"),
    ("id-no-dashes", "id", "6fbd600fd17c4c74801a2ec2e53231c7"),
    ("id-null", "id", None),
    # Actor
    ("actor-missing", "actor", DROP),
    ("actor-string", "actor", "ada"),
    ("actor-list", "actor", [{"mbox": MBOX}]),
    ("actor-empty", "actor", {}),
    ("actor-no-ifi", "actor", {"name": "Ada"}),
    ("actor-objecttype-lowercase", "actor", {"objectType": "agent", "mbox": MBOX}),
    ("actor-objecttype-person", "actor", {"objectType": "Person", "mbox": MBOX}),
    ("actor-objecttype-activity", "actor", {"objectType": "Activity", "id": ACT}),
    ("actor-name-number", "actor", {"name": 42, "mbox": MBOX}),
    ("actor-extra", "actor", {"mbox": MBOX, "email": "ada@example.com"}),
    ("actor-null-name", "actor", {"mbox": MBOX, "name": None}),
    # Exactly one inverse functional identifier
    ("ifi-mbox-sha1", "actor", {"mbox": MBOX, "mbox_sha1sum": SHA1}),
    ("ifi-mbox-openid", "actor", {"mbox": MBOX, "openid": OPENID}),
    ("ifi-mbox-account", "actor", {"mbox": MBOX, "account": ACCOUNT}),
    ("ifi-sha1-openid", "actor", {"mbox_sha1sum": SHA1, "openid": OPENID}),
    ("ifi-openid-account", "actor", {"openid": OPENID, "account": ACCOUNT}),
    (
        "ifi-all-four",
        "actor",
        {"mbox": MBOX, "mbox_sha1sum": SHA1, "openid": OPENID, "account": ACCOUNT},
    ),
    # mbox: a mailto IRI
    ("mbox-no-scheme", "actor.mbox", "ada@example.com"),
    ("mbox-http", "actor.mbox", "http://ada@example.com"),
    ("mbox-empty-address", "actor.mbox", "mailto:"),
    ("mbox-no-at", "actor.mbox", "mailto:ada"),
    ("mbox-number", "actor.mbox", 5),
    ("mbox-two-at", "actor.mbox", "mailto:ada@@example.com"),
    ("mbox-space", "actor.mbox", "mailto:ada lovelace@example.com"),
    # mbox_sha1sum: hex SHA-1
    ("sha1-short", "actor", {"mbox_sha1sum": SHA1[:39]}),
    ("sha1-long", "actor", {"mbox_sha1sum": SHA1 + "a"}),
    ("sha1-not-hex", "actor", {"mbox_sha1sum": "z" * 40}),
    ("sha1-number", "actor", {"mbox_sha1sum": 1234}),
    ("sha1-of-mailto-sent-as-mbox", "actor", {"mbox_sha1sum": "mailto:" + SHA1}),
    # openid: an IRI
    ("openid-not-iri", "actor", {"openid": "not an iri"}),
    ("openid-number", "actor", {"openid": 3}),
    ("openid-empty", "actor", {"openid": ""}),
    # account: homePage (IRL) and name
    ("account-no-name", "actor", {"account": {"homePage": "http://x.example.com"}}),
    ("account-no-homepage", "actor", {"account": {"name": "ada"}}),
    ("account-homepage-not-iri", "actor", {"account": {"homePage": "x.example", "name": "a"}}),
    ("account-name-number", "actor", {"account": {"homePage": "http://x.example.com", "name": 7}}),
    ("account-extra", "actor", {"account": {**ACCOUNT, "id": "7"}}),
    ("account-string", "actor", {"account": "ada"}),
    ("account-empty", "actor", {"account": {}}),
    # Groups
    ("group-anonymous-no-member", "actor", {"objectType": "Group"}),
    ("group-anonymous-empty-member", "actor", {"objectType": "Group", "member": []}),
    ("group-member-not-list", "actor", {"objectType": "Group", "member": member()}),
    (
        "group-member-group",
        "actor",
        {"objectType": "Group", "member": [{"objectType": "Group", "mbox": MBOX}]},
    ),
    ("group-member-no-ifi", "actor", {"objectType": "Group", "member": [{"name": "Ada"}]}),
    (
        "group-member-two-ifis",
        "actor",
        {"objectType": "Group", "member": [{"mbox": MBOX, "openid": OPENID}]},
    ),
    ("group-two-ifis", "actor", {"objectType": "Group", "mbox": MBOX, "openid": OPENID}),
    ("group-members-without-objecttype", "actor", {"mbox": MBOX, "member": [member()]}),
    ("group-objecttype-lowercase", "actor", {"objectType": "group", "member": [member()]}),
    ("group-extra", "actor", {"objectType": "Group", "member": [member()], "size": 1}),
    # Verb
    ("verb-missing", "verb", DROP),
    ("verb-string", "verb", VERB),
    ("verb-empty", "verb", {}),
    ("verb-id-missing", "verb", {"display": {"en-US": "did"}}),
    ("verb-id-not-iri", "verb.id", "completed"),
    ("verb-id-empty", "verb.id", ""),
    ("verb-id-number", "verb.id", 5),
    ("verb-display-string", "verb.display", "completed"),
    ("verb-display-list", "verb.display", ["completed"]),
    ("verb-display-bad-tag", "verb.display", {"en_US": "completed"}),
    ("verb-display-number-value", "verb.display", {"en-US": 5}),
    ("verb-display-empty-tag", "verb.display", {"": "completed"}),
    ("verb-extra", "verb.objectType", "Verb"),
    ("voiding-activity-object", "verb", {"id": VOIDED}),
    # Object
    ("object-missing", "object", DROP),
    ("object-string", "object", ACT),
    ("object-list", "object", [{"id": ACT}]),
    ("object-empty", "object", {}),
    ("activity-id-missing", "object", {"objectType": "Activity"}),
    ("activity-id-not-iri", "object.id", "not an iri"),
    ("activity-id-relative", "object.id", "/activities/a"),
    ("activity-id-number", "object.id", 5),
    ("activity-objecttype-lowercase", "object.objectType", "activity"),
    ("object-objecttype-unknown", "object.objectType", "Thing"),
    ("activity-extra", "object.name", "xAPI 101"),
    ("definition-string", "object.definition", "xAPI 101"),
    ("definition-empty", "object.definition", {}),
    ("definition-name-string", "object.definition", {"name": "xAPI 101"}),
    ("definition-name-bad-tag", "object.definition", {"name": {"english": "xAPI"}}),
    ("definition-description-number", "object.definition", {"description": {"en": 5}}),
    ("definition-type-not-iri", "object.definition", {"type": "course"}),
    ("definition-moreinfo-not-iri", "object.definition", {"moreInfo": "example.com"}),
    ("definition-extension-key", "object.definition", {"extensions": {"color": "red"}}),
    ("definition-extensions-list", "object.definition", {"extensions": ["x"]}),
    ("definition-extra", "object.definition", {"name": {"en": "x"}, "title": "x"}),
    ("interaction-unknown-type", "object", interaction("essay")),
    ("interaction-components-without-type", "object.definition", {"choices": comps("a")}),
    ("interaction-pattern-without-type", "object.definition", {"correctResponsesPattern": ["a"]}),
    ("interaction-pattern-string", "object", interaction("choice", correctResponsesPattern="a")),
    ("interaction-likert-choices", "object", interaction("likert", choices=comps("a"))),
    ("interaction-choice-scale", "object", interaction("choice", scale=comps("a"))),
    ("interaction-truefalse-choices", "object", interaction("true-false", choices=comps("a"))),
    ("interaction-numeric-steps", "object", interaction("numeric", steps=comps("a"))),
    ("interaction-matching-steps", "object", interaction("matching", steps=comps("a"))),
    ("interaction-performance-source", "object", interaction("performance", source=comps("a"))),
    ("interaction-duplicate-ids", "object", interaction("choice", choices=comps("a", "a"))),
    (
        "interaction-component-no-id",
        "object",
        interaction("choice", choices=[{"description": {"en": "A"}}]),
    ),
    ("interaction-component-empty-id", "object", interaction("choice", choices=[{"id": ""}])),
    (
        "interaction-component-extra",
        "object",
        interaction("choice", choices=[{"id": "a", "score": 1}]),
    ),
    (
        "interaction-component-bad-tag",
        "object",
        interaction("choice", choices=[{"id": "a", "description": {"en_US": "A"}}]),
    ),
    ("interaction-components-not-list", "object", interaction("choice", choices={"id": "a"})),
    ("interaction-type-lowercase-variant", "object", interaction("True-False")),
    # Agent and Group as object
    ("object-agent-no-ifi", "object", {"objectType": "Agent", "name": "Ada"}),
    ("object-agent-bad-mbox", "object", {"objectType": "Agent", "mbox": "ada@example.com"}),
    ("object-agent-with-id", "object", {"objectType": "Agent", "mbox": MBOX, "id": ACT}),
    ("object-group-no-member", "object", {"objectType": "Group"}),
    ("object-agent-two-ifis", "object", {"objectType": "Agent", "mbox": MBOX, "openid": OPENID}),
    ("object-agent-without-objecttype", "object", {"mbox": MBOX}),
    ("object-group-without-objecttype", "object", {"member": [member()]}),
    (
        "object-agent-with-member",
        "object",
        {"objectType": "Agent", "mbox": MBOX, "member": [member()]},
    ),
    ("object-statementref-without-objecttype", "object", {"id": str(uuid.uuid4())}),
    (
        "object-substatement-without-objecttype",
        "object",
        {k: v for k, v in sub().items() if k != "objectType"},
    ),
    # StatementRef
    ("statementref-no-id", "object", {"objectType": "StatementRef"}),
    ("statementref-id-not-uuid", "object", {"objectType": "StatementRef", "id": "abc"}),
    ("statementref-id-iri", "object", {"objectType": "StatementRef", "id": ACT}),
    (
        "statementref-extra",
        "object",
        {"objectType": "StatementRef", "id": str(uuid.uuid4()), "definition": {}},
    ),
    ("statementref-lowercase", "object", {"objectType": "statementref", "id": str(uuid.uuid4())}),
    # SubStatement rules
    ("sub-nested", "object", sub(object=sub())),
    ("sub-with-id", "object", sub(id=str(uuid.uuid4()))),
    ("sub-with-stored", "object", sub(stored="2026-01-01T00:00:00Z")),
    ("sub-with-version", "object", sub(version="1.0.0")),
    ("sub-with-authority", "object", sub(authority={"mbox": MBOX})),
    ("sub-no-actor", "object", {k: v for k, v in sub().items() if k != "actor"}),
    ("sub-no-verb", "object", {k: v for k, v in sub().items() if k != "verb"}),
    ("sub-no-object", "object", {k: v for k, v in sub().items() if k != "object"}),
    ("sub-bad-actor", "object", sub(actor={"name": "Ada"})),
    ("sub-bad-verb", "object", sub(verb={"id": "did"})),
    ("sub-bad-object", "object", sub(object={"id": "not an iri"})),
    ("sub-bad-result", "object", sub(result={"score": {"scaled": 2}})),
    ("sub-bad-context", "object", sub(context={"registration": "x"})),
    ("sub-bad-timestamp", "object", sub(timestamp="yesterday")),
    ("sub-extra", "object", sub(foo=1)),
    ("sub-revision-agent-object", "object", sub(object=member(), context={"revision": "1"})),
    ("sub-objecttype-lowercase", "object", sub(objectType="substatement")),
    # Result
    ("result-string", "result", "passed"),
    ("result-empty", "result", {}),
    ("result-extra", "result.grade", "A"),
    ("score-scaled-above-1", "result.score", {"scaled": 1.0001}),
    ("score-scaled-below-minus-1", "result.score", {"scaled": -1.5}),
    ("score-scaled-string", "result.score", {"scaled": "0.5"}),
    ("score-raw-above-max", "result.score", {"raw": 11, "min": 0, "max": 10}),
    ("score-raw-below-min", "result.score", {"raw": -1, "min": 0, "max": 10}),
    ("score-raw-below-min-alone", "result.score", {"raw": -1, "min": 0}),
    ("score-raw-above-max-alone", "result.score", {"raw": 5, "max": 4}),
    ("score-min-above-max", "result.score", {"min": 5, "max": 1}),
    ("score-min-equals-max", "result.score", {"min": 5, "max": 5}),
    ("score-raw-string", "result.score", {"raw": "5"}),
    ("score-raw-boolean", "result.score", {"raw": True}),
    ("score-extra", "result.score", {"raw": 5, "percent": 50}),
    ("score-empty", "result.score", {}),
    ("success-string", "result.success", "true"),
    ("success-number", "result.success", 1),
    ("completion-string", "result.completion", "yes"),
    ("completion-number", "result.completion", 0),
    ("response-number", "result.response", 5),
    ("response-object", "result.response", {"a": 1}),
    ("result-extension-key", "result.extensions", {"score": 1}),
    ("result-extensions-string", "result.extensions", "x"),
    # Durations: ISO 8601
    ("duration-words", "result.duration", "1 hour"),
    ("duration-number", "result.duration", 3600),
    ("duration-p-alone", "result.duration", "P"),
    ("duration-pt-alone", "result.duration", "PT"),
    ("duration-hours-without-t", "result.duration", "P1H"),
    ("duration-t-without-time", "result.duration", "P1DT"),
    ("duration-negative", "result.duration", "-P1D"),
    ("duration-lowercase", "result.duration", "pt1h"),
    ("duration-weeks-mixed", "result.duration", "P2W1D"),
    ("duration-fraction-not-last", "result.duration", "PT1.5H30M"),
    ("duration-clock", "result.duration", "01:30:00"),
    ("duration-order", "result.duration", "PT30M1H"),
    ("duration-no-number", "result.duration", "PTH"),
    # Context
    ("context-string", "context", "x"),
    ("context-empty", "context", {}),
    ("context-extra", "context.location", "Paris"),
    ("registration-not-uuid", "context.registration", "123"),
    ("registration-number", "context.registration", 5),
    ("registration-no-dashes", "context.registration", uuid.uuid4().hex),
    ("instructor-no-ifi", "context.instructor", {"name": "Ada"}),
    ("instructor-string", "context.instructor", "Ada"),
    ("team-agent", "context.team", {"mbox": MBOX}),
    ("team-anonymous-no-member", "context.team", {"objectType": "Group"}),
    ("revision-number", "context.revision", 5),
    ("platform-number", "context.platform", 5),
    ("language-words", "context.language", "english"),
    ("language-underscore", "context.language", "en_US"),
    ("language-punctuation", "context.language", "!!"),
    ("language-number", "context.language", 5),
    ("language-empty", "context.language", ""),
    ("language-trailing-dash", "context.language", "en-"),
    ("language-long-subtag", "context.language", "en-abcdefghi"),
    ("context-statement-no-objecttype", "context.statement", {"id": str(uuid.uuid4())}),
    ("context-statement-bad-id", "context.statement", {"objectType": "StatementRef", "id": "x"}),
    ("context-statement-activity", "context.statement", {"objectType": "Activity", "id": ACT}),
    ("context-activities-list", "context.contextActivities", [{"id": ACT}]),
    ("context-activities-unknown-key", "context.contextActivities", {"sibling": [{"id": ACT}]}),
    ("context-activities-string", "context.contextActivities", {"parent": ACT}),
    ("context-activities-bad-iri", "context.contextActivities", {"parent": [{"id": "x"}]}),
    (
        "context-activities-agent",
        "context.contextActivities",
        {"grouping": [{"objectType": "Agent", "mbox": MBOX}]},
    ),
    ("context-activities-empty-object", "context.contextActivities", {"other": {}}),
    ("context-extension-key", "context.extensions", {"not-iri": 1}),
    # Timestamps: ISO 8601 with offset
    ("timestamp-words", "timestamp", "yesterday"),
    ("timestamp-month-13", "timestamp", "2026-13-01T00:00:00Z"),
    ("timestamp-day-32", "timestamp", "2026-01-32T00:00:00Z"),
    ("timestamp-hour-25", "timestamp", "2026-01-01T25:00:00Z"),
    ("timestamp-negative-zero-offset", "timestamp", "2026-01-01T00:00:00-00:00"),
    ("timestamp-number", "timestamp", 1767225600),
    ("timestamp-date-only", "timestamp", "2026-01-01"),
    ("timestamp-bad-offset", "timestamp", "2026-01-01T00:00:00+25:00"),
    ("timestamp-empty", "timestamp", ""),
    ("timestamp-negative-zero-hours", "timestamp", "2026-01-01T12:00:00-00"),
    ("timestamp-basic-date-only", "timestamp", "20260101"),
    ("timestamp-basic-no-seconds", "timestamp", "20260101T1200Z"),
    ("timestamp-mixed-formats", "timestamp", "2026-01-01T120000Z"),
    ("stored-words", "stored", "now"),
    # Attachments
    ("attachments-object", "attachments", {"usageType": ACT}),
    ("attachments-string", "attachments", "x"),
    ("attachment-empty", "attachments", [{}]),
    # Version
    ("version-3", "version", "3.0.0"),
    ("version-1-1", "version", "1.1.0"),
    ("version-0-95", "version", "0.95"),
    ("version-number", "version", 1.0),
    ("version-words", "version", "latest"),
    # Authority
    ("authority-no-ifi", "authority", {"name": "Tool"}),
    ("authority-group-one-member", "authority", {"objectType": "Group", "member": [member()]}),
    (
        "authority-group-three-members",
        "authority",
        {
            "objectType": "Group",
            "member": [member(), member(openid=OPENID), member(account=ACCOUNT)],
        },
    ),
    # Nulls are not values (outside extensions)
    ("null-actor", "actor", None),
    ("null-verb-display", "verb.display", None),
    ("null-display-value", "verb.display", {"en-US": None}),
    ("null-object-definition", "object.definition", None),
    ("null-result", "result", None),
    ("null-score-raw", "result.score", {"raw": None}),
    ("null-context", "context", None),
    ("null-registration", "context.registration", None),
    ("null-timestamp", "timestamp", None),
    ("null-attachments", "attachments", None),
    ("null-version", "version", None),
    ("null-in-member-list", "actor", {"objectType": "Group", "member": [None]}),
    # Unknown properties outside extensions
    ("extra-top-level", "grade", "A"),
    ("extra-capitalised", "Actor", {"mbox": MBOX}),
    ("extra-context-agents-misspelt", "context.contextAgent", []),
]

ATTACHMENT = {
    "usageType": "http://example.com/attachments/certificate",
    "display": {"en-US": "Certificate"},
    "contentType": "text/plain",
    "length": 9,
    "sha2": hashlib.sha256(b"certified").hexdigest(),
    "fileUrl": "http://example.com/certificate.txt",
}
for _name in ("usageType", "display", "contentType", "length", "sha2"):
    INVALID.append(
        (
            f"attachment-no-{_name}",
            "attachments",
            [{k: v for k, v in ATTACHMENT.items() if k != _name}],
        )
    )
for _case, _name, _value in [
    ("length-negative", "length", -1),
    ("length-string", "length", "9"),
    ("length-fraction", "length", 9.5),
    ("sha2-not-hex", "sha2", "xyz"),
    ("sha2-wrong-length", "sha2", "ab" * 10),
    ("usagetype-not-iri", "usageType", "certificate"),
    ("fileurl-not-iri", "fileUrl", "certificate.txt"),
    ("contenttype-no-subtype", "contentType", "text"),
    ("contenttype-words", "contentType", "plain text"),
    ("contenttype-number", "contentType", 5),
    ("contenttype-empty", "contentType", ""),
    ("display-string", "display", "Certificate"),
    ("display-bad-tag", "display", {"english": "Certificate"}),
    ("description-bad-tag", "description", {"en_US": "x"}),
    ("extra", "encoding", "base64"),
]:
    INVALID.append((f"attachment-{_case}", "attachments", [{**ATTACHMENT, _name: _value}]))

# Only 2.0 has contextAgents and contextGroups; these break their rules.
CONTEXT_AGENT = {"objectType": "contextAgent", "agent": {"mbox": MBOX}}
CONTEXT_GROUP = {"objectType": "contextGroup", "group": {"objectType": "Group", "mbox": MBOX}}
INVALID_2_0: list[tuple[str, str, Any]] = [
    ("context-agents-object", "context.contextAgents", CONTEXT_AGENT),
    ("context-agent-no-objecttype", "context.contextAgents", [{"agent": {"mbox": MBOX}}]),
    (
        "context-agent-wrong-objecttype",
        "context.contextAgents",
        [{**CONTEXT_AGENT, "objectType": "Agent"}],
    ),
    ("context-agent-no-agent", "context.contextAgents", [{"objectType": "contextAgent"}]),
    (
        "context-agent-bad-agent",
        "context.contextAgents",
        [{**CONTEXT_AGENT, "agent": {"name": "x"}}],
    ),
    (
        "context-agent-group",
        "context.contextAgents",
        [{**CONTEXT_AGENT, "agent": {"objectType": "Group", "member": [member()]}}],
    ),
    (
        "context-agent-empty-types",
        "context.contextAgents",
        [{**CONTEXT_AGENT, "relevantTypes": []}],
    ),
    (
        "context-agent-type-not-iri",
        "context.contextAgents",
        [{**CONTEXT_AGENT, "relevantTypes": ["teacher"]}],
    ),
    ("context-agent-extra", "context.contextAgents", [{**CONTEXT_AGENT, "role": "x"}]),
    ("context-groups-object", "context.contextGroups", CONTEXT_GROUP),
    (
        "context-group-agent",
        "context.contextGroups",
        [{"objectType": "contextGroup", "group": {"mbox": MBOX}}],
    ),
    (
        "context-group-anonymous-empty",
        "context.contextGroups",
        [{"objectType": "contextGroup", "group": {"objectType": "Group"}}],
    ),
    (
        "context-group-wrong-objecttype",
        "context.contextGroups",
        [{**CONTEXT_GROUP, "objectType": "contextAgent"}],
    ),
    (
        "context-group-type-not-iri",
        "context.contextGroups",
        [{**CONTEXT_GROUP, "relevantTypes": ["team"]}],
    ),
    (
        "sub-context-agent-bad",
        "object",
        sub(context={"contextAgents": [{"agent": {"mbox": MBOX}}]}),
    ),
    # 2.0 timestamps are RFC 3339: the extended format, a decimal point, an hours:minutes offset.
    ("timestamp-basic-format", "timestamp", "20260101T120000Z"),
    ("timestamp-decimal-comma", "timestamp", "2026-01-01T12:00:00,5Z"),
    ("timestamp-hours-offset", "timestamp", "2026-01-01T12:00:00+05"),
    ("sub-timestamp-basic-format", "object", sub(timestamp="20260101T120000Z")),
]

# 1.0.3 knows neither contextAgents/contextGroups nor version 2.0.0.
INVALID_1_0_3: list[tuple[str, str, Any]] = [
    ("context-agents", "context.contextAgents", [CONTEXT_AGENT]),
    ("context-groups", "context.contextGroups", [CONTEXT_GROUP]),
    ("sub-context-agents", "object", sub(context={"contextAgents": [CONTEXT_AGENT]})),
    ("version-2", "version", "2.0.0"),
]


# 1.0.3 takes any ISO 8601 date-time (XAPI-00123: the extended or the basic format).
VALID_1_0_3_TIMESTAMPS = [
    "20260101T120000Z",
    "20260101T120000.123+0530",
    "2026-01-01T12:00:00,5Z",
    "2026-01-01T12:00:00+05",
    "20260101T120000-08",
]


@pytest.mark.parametrize("stamp", VALID_1_0_3_TIMESTAMPS)
def test_1_0_3_accepts_iso_8601_basic_and_extended_timestamps(xapi1, stamp):
    statement_id = xapi1.post("statements", statement(timestamp=stamp)).json()[0]
    assert _stored(xapi1, statement_id)["timestamp"] == stamp
    assert xapi1.post("statements", statement(id=statement_id, timestamp=stamp)).status_code == 200
    assert Statement.objects.count() == 1


def _send(xv, data: dict[str, Any], mode: str):
    if mode == "put":
        return xv.put("statements", data, params=f"statementId={data.get('id', new_id())}")
    if mode == "batch":
        return xv.post("statements", [statement(id=new_id()), data])
    return xv.post("statements", data)


MODES = ("post", "batch", "put")


def _assert_rejected(xv, data: dict[str, Any], mode: str) -> None:
    response = _send(xv, data, mode)
    assert response.status_code == 400, (response.status_code, response.content)
    assert response.json()["error"]["message"]
    assert Statement.objects.count() == 0


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("path", "value"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_statement_is_400_and_stores_nothing(xv, mode, path, value):
    _assert_rejected(xv, mutate(path, value), mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("path", "value"), [c[1:] for c in INVALID_2_0], ids=[c[0] for c in INVALID_2_0]
)
def test_invalid_2_0_context_agents_and_groups(xapi, mode, path, value):
    _assert_rejected(xapi, mutate(path, value), mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("path", "value"), [c[1:] for c in INVALID_1_0_3], ids=[c[0] for c in INVALID_1_0_3]
)
def test_2_0_only_properties_are_400_in_1_0_3(xapi1, mode, path, value):
    _assert_rejected(xapi1, mutate(path, value), mode)


# --- Valid statements ------------------------------------------------------------------------

VALID: list[tuple[str, str, Any]] = [
    ("actor-mbox", "actor", {"mbox": MBOX}),
    ("actor-mbox-objecttype", "actor", {"objectType": "Agent", "mbox": MBOX, "name": "Ada"}),
    ("actor-mbox-sha1sum", "actor", {"mbox_sha1sum": SHA1}),
    ("actor-mbox-sha1sum-uppercase", "actor", {"mbox_sha1sum": SHA1.upper()}),
    ("actor-openid", "actor", {"openid": OPENID}),
    ("actor-account", "actor", {"account": ACCOUNT}),
    (
        "actor-account-unicode",
        "actor",
        {"account": {"homePage": "http://例え.jp", "name": "エイダ"}},
    ),
    (
        "group-anonymous",
        "actor",
        {"objectType": "Group", "member": [member(), member(openid=OPENID)]},
    ),
    ("group-identified", "actor", {"objectType": "Group", "mbox": "mailto:team@example.com"}),
    (
        "group-identified-with-members",
        "actor",
        {"objectType": "Group", "account": ACCOUNT, "member": [member(mbox_sha1sum=SHA1)]},
    ),
    (
        "group-identified-empty-members",
        "actor",
        {"objectType": "Group", "openid": OPENID, "member": []},
    ),
    ("verb-no-display", "verb", {"id": VERB}),
    ("verb-display-many", "verb.display", {"en-US": "did", "fr-FR": "a fait", "zh-Hant-TW": "做"}),
    ("verb-urn", "verb.id", "urn:example:verbs:did"),
    ("activity-no-objecttype", "object", {"id": ACT}),
    ("activity-no-definition", "object", {"objectType": "Activity", "id": ACT}),
    (
        "activity-full-definition",
        "object.definition",
        {
            "name": {"en-US": "A"},
            "description": {"en-US": "About A"},
            "type": "http://adlnet.gov/expapi/activities/course",
            "moreInfo": "http://example.com/a/more",
            "extensions": {"http://example.com/ext": {"nested": [1, None, {"deep": True}]}},
        },
    ),
    (
        "interaction-true-false",
        "object",
        interaction("true-false", correctResponsesPattern=["true"]),
    ),
    ("interaction-choice", "object", interaction("choice", choices=comps("a", "b", "c"))),
    ("interaction-fill-in", "object", interaction("fill-in")),
    ("interaction-long-fill-in", "object", interaction("long-fill-in")),
    (
        "interaction-matching",
        "object",
        interaction("matching", source=comps("a"), target=comps("b")),
    ),
    ("interaction-performance", "object", interaction("performance", steps=comps("1", "2"))),
    ("interaction-sequencing", "object", interaction("sequencing", choices=comps("a", "b"))),
    ("interaction-likert", "object", interaction("likert", scale=comps("low", "high"))),
    ("interaction-numeric", "object", interaction("numeric", correctResponsesPattern=["1[:]5"])),
    ("interaction-other", "object", interaction("other")),
    ("interaction-empty-pattern", "object", interaction("fill-in", correctResponsesPattern=[])),
    ("object-agent", "object", {"objectType": "Agent", "mbox": MBOX}),
    ("object-group", "object", {"objectType": "Group", "member": [member()]}),
    ("object-statementref", "object", {"objectType": "StatementRef", "id": str(uuid.uuid4())}),
    ("object-substatement", "object", sub()),
    (
        "object-substatement-full",
        "object",
        sub(
            result={"success": True, "duration": "PT5M"},
            context={"registration": str(uuid.uuid4()), "revision": "2", "platform": "Web"},
            timestamp="2026-01-01T08:00:00+02:00",
            attachments=[ATTACHMENT],
        ),
    ),
    ("substatement-agent-object", "object", sub(object=member())),
    (
        "substatement-statementref-object",
        "object",
        sub(object={"objectType": "StatementRef", "id": str(uuid.uuid4())}),
    ),
    (
        "result-full",
        "result",
        {
            "score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10},
            "success": True,
            "completion": False,
            "response": "a[,]b",
            "duration": "PT1H30M",
            "extensions": {"http://example.com/ext": 1},
        },
    ),
    # XAPI-00002: numbers keep at least 32-bit float precision.
    ("score-precise", "result.score", {"scaled": 0.123456789, "raw": 1234.56789012, "max": 1e6}),
    ("score-scaled-minus-1", "result.score", {"scaled": -1}),
    ("score-scaled-1", "result.score", {"scaled": 1}),
    ("score-raw-equals-min", "result.score", {"raw": 0, "min": 0, "max": 10}),
    ("score-raw-equals-max", "result.score", {"raw": 10, "min": 0, "max": 10}),
    ("score-raw-alone", "result.score", {"raw": 1234.5}),
    ("score-negative-range", "result.score", {"raw": -5, "min": -10, "max": -1}),
    ("response-empty", "result.response", ""),
    ("duration-hours-minutes", "result.duration", "PT1H30M"),
    ("duration-days", "result.duration", "P1D"),
    ("duration-weeks", "result.duration", "P2W"),
    ("duration-fraction", "result.duration", "PT0.5S"),
    ("duration-comma-fraction", "result.duration", "PT1,5S"),
    ("duration-everything", "result.duration", "P1Y2M3DT4H5M6.75S"),
    ("duration-zero", "result.duration", "PT0S"),
    ("duration-minutes", "result.duration", "PT90M"),
    ("context-registration", "context.registration", str(uuid.uuid4())),
    ("context-registration-uppercase", "context.registration", str(uuid.uuid4()).upper()),
    ("context-instructor-agent", "context.instructor", {"mbox": MBOX}),
    (
        "context-instructor-group",
        "context.instructor",
        {"objectType": "Group", "member": [member()]},
    ),
    ("context-team", "context.team", {"objectType": "Group", "openid": OPENID}),
    ("context-revision-platform", "context", {"revision": "3", "platform": "Web"}),
    (
        "context-statement",
        "context.statement",
        {"objectType": "StatementRef", "id": str(uuid.uuid4())},
    ),
    (
        "context-activities-all",
        "context.contextActivities",
        {name: [{"id": f"{ACT}/{name}"}] for name in ("parent", "grouping", "category", "other")},
    ),
    ("context-activities-single", "context.contextActivities", {"parent": {"id": ACT}}),
    ("context-extensions", "context.extensions", {"http://example.com/ext": None}),
    ("timestamp-z", "timestamp", "2026-01-01T12:00:00Z"),
    ("timestamp-offset", "timestamp", "2026-01-01T12:00:00+05:30"),
    ("timestamp-negative-offset", "timestamp", "2026-01-01T12:00:00-08:00"),
    ("timestamp-fraction", "timestamp", "2026-01-01T12:00:00.123Z"),
    ("timestamp-nanoseconds", "timestamp", "2026-01-01T12:00:00.123456789Z"),
    ("timestamp-plus-zero", "timestamp", "2026-01-01T12:00:00+00:00"),
    ("attachment-file-url-only", "attachments", [ATTACHMENT]),
    ("attachment-description", "attachments", [{**ATTACHMENT, "description": {"en": "Signed"}}]),
    (
        "attachment-content-type-params",
        "attachments",
        [{**ATTACHMENT, "contentType": "text/plain; charset=utf-8"}],
    ),
    (
        "attachment-sha512",
        "attachments",
        [{**ATTACHMENT, "sha2": hashlib.sha512(b"x").hexdigest()}],
    ),
    ("version-1-0-0", "version", "1.0.0"),
    ("version-1-0-3", "version", "1.0.3"),
    ("version-1-0", "version", "1.0"),
    # XAPI-00119: an extension's value may be anything, an extensions object may be empty.
    ("extensions-empty-result", "result.extensions", {}),
    ("extensions-empty-context", "context.extensions", {}),
    ("extensions-empty-definition", "object.definition", {"extensions": {}}),
    ("extension-null", "context.extensions", {"http://example.com/e": None}),
    ("extension-empty-string", "context.extensions", {"http://example.com/e": ""}),
    ("extension-empty-object", "context.extensions", {"http://example.com/e": {}}),
    ("extensions-anything", "result.extensions", {"http://example.com/e": [None, {}, "", 0]}),
]

# Language tags (RFC 5646) accepted in context.language and in language maps.
LANGUAGE_TAGS = [
    "en",
    "en-US",
    "fr-CA",
    "zh-Hant-TW",
    "es-419",
    "de-CH-1901",
    "sr-Latn-RS",
    "x-private",
    "en-US-x-custom",
    "i-klingon",
    "sgn-BE-FR",
    "tlh",
    "und",
    "EN-us",
    "zh-yue-HK",
]
for _tag in LANGUAGE_TAGS:
    VALID.append((f"language-{_tag}", "context.language", _tag))
    VALID.append((f"display-{_tag}", "verb.display", {_tag: "did"}))


def _stored(xv, statement_id: str) -> dict[str, Any]:
    response = xv.get("statements", {"statementId": statement_id})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(("path", "value"), [c[1:] for c in VALID], ids=[c[0] for c in VALID])
def test_valid_statement_is_stored_as_sent(xv, path, value):
    data = mutate(path, value)
    response = xv.post("statements", data)
    assert response.status_code == 200, response.content
    (statement_id,) = response.json()
    got = _stored(xv, statement_id)
    for name in ("actor", "verb", "result", "attachments"):
        if name in data:
            assert got[name] == data[name]
    if path.startswith("object") and data["object"].get("objectType") != "SubStatement":
        assert got["object"] == data["object"]


@pytest.mark.parametrize(("path", "value"), [c[1:] for c in VALID], ids=[c[0] for c in VALID])
def test_valid_statement_by_put(xv, path, value):
    statement_id = new_id()
    response = xv.put("statements", mutate(path, value), params=f"statementId={statement_id}")
    assert response.status_code == 204, response.content
    assert _stored(xv, statement_id)["id"] == statement_id


VALID_2_0: list[tuple[str, str, Any]] = [
    ("context-agents", "context.contextAgents", [CONTEXT_AGENT]),
    (
        "context-agents-types",
        "context.contextAgents",
        [{**CONTEXT_AGENT, "relevantTypes": ["http://example.com/types/teacher"]}],
    ),
    ("context-groups", "context.contextGroups", [CONTEXT_GROUP]),
    (
        "context-groups-anonymous",
        "context.contextGroups",
        [{"objectType": "contextGroup", "group": {"objectType": "Group", "member": [member()]}}],
    ),
    ("context-agents-empty-list", "context.contextAgents", []),
    ("sub-context-agents", "object", sub(context={"contextAgents": [CONTEXT_AGENT]})),
    ("version-2-0-0", "version", "2.0.0"),
    ("version-2-0", "version", "2.0"),
]


@pytest.mark.parametrize(
    ("path", "value"), [c[1:] for c in VALID_2_0], ids=[c[0] for c in VALID_2_0]
)
def test_valid_2_0_statement(xapi, path, value):
    response = xapi.post("statements", mutate(path, value))
    assert response.status_code == 200, response.content
    got = _stored(xapi, response.json()[0])
    if path.startswith("context"):
        name = path.split(".")[1]
        assert got["context"][name] == value


# --- What the LRS sets ---------------------------------------------------------------------------


def test_lrs_sets_id_stored_timestamp_authority_and_version(xv):
    before = xv.post("statements", statement()).json()[0]
    assert uuid.UUID(before).version == 4
    got = _stored(xv, before)
    assert got["id"] == before
    assert got["stored"].endswith("Z")
    assert got["timestamp"] == got["stored"]
    assert got["authority"] == xv.client.authority
    assert got["version"] == ("1.0.0" if xv.version == "1.0.3" else "2.0.0")


def test_lrs_overrides_stored_and_authority_sent_by_the_client(xv):
    forged = {"objectType": "Agent", "mbox": "mailto:forger@example.com"}
    body = statement(stored="2000-01-01T00:00:00Z", authority=forged)
    got = _stored(xv, xv.post("statements", body).json()[0])
    assert got["stored"] != "2000-01-01T00:00:00Z"
    assert got["authority"] == xv.client.authority


def test_a_version_sent_by_the_client_is_kept(xv):
    got = _stored(xv, xv.post("statements", statement(version="1.0.0")).json()[0])
    assert got["version"] == "1.0.0"


def test_statement_id_sent_by_the_client_is_kept_lowercase(xv):
    statement_id = new_id()
    assert xv.post("statements", statement(id=statement_id.upper())).json() == [statement_id]
    assert _stored(xv, statement_id)["id"] == statement_id


def test_timestamp_offsets(xv):
    sent = "2026-03-01T12:00:00+05:30"
    got = _stored(xv, xv.post("statements", statement(timestamp=sent)).json()[0])
    if xv.version == "2.0.0":
        assert got["timestamp"] == "2026-03-01T06:30:00.000000Z"
    else:
        assert got["timestamp"] == sent


def test_context_activities_single_object_becomes_an_array(xv):
    body = statement(context={"contextActivities": {"parent": {"id": ACT}, "other": [{"id": ACT}]}})
    got = _stored(xv, xv.post("statements", body).json()[0])
    assert got["context"]["contextActivities"]["parent"] == [{"id": ACT}]
    assert got["context"]["contextActivities"]["other"] == [{"id": ACT}]


def test_substatement_context_activities_are_normalised_too(xv):
    body = statement(object=sub(context={"contextActivities": {"category": {"id": ACT}}}))
    got = _stored(xv, xv.post("statements", body).json()[0])
    assert got["object"]["context"]["contextActivities"]["category"] == [{"id": ACT}]


@pytest.mark.parametrize(
    "target",
    [
        {"objectType": "Agent", "mbox": MBOX},
        {"objectType": "Group", "member": [member()]},
        {"objectType": "StatementRef", "id": str(uuid.uuid4())},
        sub(),
    ],
    ids=["agent", "group", "statementref", "substatement"],
)
@pytest.mark.parametrize("name", ["revision", "platform"])
def test_revision_and_platform_only_with_an_activity_object(xv, target, name):
    response = xv.post("statements", statement(object=target, context={name: "x"}))
    assert response.status_code == 400
    ok = xv.post("statements", statement(context={name: "x"}))
    assert ok.status_code == 200


def test_a_1_0_3_client_never_sees_2_0_context_properties(xapi, xapi1):
    body = statement(context={"contextAgents": [CONTEXT_AGENT], "contextGroups": [CONTEXT_GROUP]})
    statement_id = xapi.post("statements", body).json()[0]
    assert "contextAgents" in _stored(xapi, statement_id)["context"]
    old = _stored(xapi1, statement_id)
    assert "contextAgents" not in old.get("context", {})
    assert "contextGroups" not in old.get("context", {})
    listed = xapi1.statements()
    assert all("contextAgents" not in item.get("context", {}) for item in listed)


def test_statement_json_with_duplicate_keys_is_400(xv):
    raw = json.dumps(statement())[:-1] + ', "verb": {"id": "http://example.com/v"}}'
    response = xv.post("statements", raw)
    assert response.status_code == 400
    assert "twice" in response.json()["error"]["message"]
    nested = '{"actor": {"mbox": "%s", "mbox": "%s"}, "verb": {"id": "%s"}, "object": {"id": "%s"}}'
    response = xv.post("statements", nested % (MBOX, MBOX, VERB, ACT))
    assert response.status_code == 400
    assert Statement.objects.count() == 0


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity"])
def test_non_json_numbers_are_400(xv, raw):
    body = json.dumps(statement(result={"score": {"raw": 1}})).replace('"raw": 1', f'"raw": {raw}')
    assert xv.post("statements", body).status_code == 400


@pytest.mark.parametrize(
    "body",
    ["", "not json", "[]", "5", '"a statement"', "null", "[1]", "[[]]", '{"actor": '],
    ids=[
        "empty",
        "text",
        "empty-list",
        "number",
        "string",
        "null",
        "list-of-number",
        "nested",
        "truncated",
    ],
)
def test_post_body_that_is_not_statements_is_400(xv, body):
    assert xv.post("statements", body).status_code == 400
    assert Statement.objects.count() == 0


# --- Robustness: any value in any place is a clear answer, never a server error ------------------

RICH = statement(
    id=str(uuid.uuid4()),
    actor={"objectType": "Group", "name": "Pair", "member": [{"mbox": MBOX}]},
    object=sub(context={"contextActivities": {"parent": [{"id": ACT}]}}),
    result={"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "duration": "PT1M"},
    context={
        "registration": str(uuid.uuid4()),
        "instructor": {"account": ACCOUNT},
        "team": {"objectType": "Group", "openid": OPENID},
        "contextActivities": {"grouping": [{"id": ACT, "definition": {"name": {"en": "A"}}}]},
        "language": "en",
        "statement": {"objectType": "StatementRef", "id": str(uuid.uuid4())},
        "extensions": {"http://example.com/ext": 1},
    },
    timestamp="2026-01-01T00:00:00Z",
    attachments=[ATTACHMENT],
)


def _paths(value: Any, prefix: str = "") -> list[str]:
    """Every dotted path to a property of ``value`` (lists are walked through their first item)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found.append(path)
            if key != "extensions":
                found += _paths(item, path)
    return found


def _replace(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for name in parents:
        node = node[name]
    node[last] = value
    return data


PATHS = _paths(RICH)
ODD_VALUES = [None, 0, -1.5, "", "x", True, [], [None], [5], {}, {"x": 1}, "\u0000"]


@pytest.mark.parametrize("path", PATHS)
def test_any_value_anywhere_is_answered_never_a_500(xv, path):
    for value in ODD_VALUES:
        data = _replace({**RICH, "id": new_id()}, path, value)
        response = xv.post("statements", data)
        assert response.status_code in (200, 400), (path, value, response.status_code)
        if response.status_code == 400:
            assert response.json()["error"]["message"]
