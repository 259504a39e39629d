"""Strict validation of xAPI statements (1.0.3 and 2.0.0) with pydantic models.

``validate_statement(data, version=...)`` raises ``StatementInvalid`` whose message names the
property at fault (``actor.mbox``, ``context.contextActivities.parent[0].id``). The models only
check: the statement is stored as received (then normalised by ``statements.prepare``).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal

import langcodes
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from rfc3987_syntax import is_valid_syntax_iri  # type: ignore[import-untyped]

V1 = "1.0.3"
V2 = "2.0.0"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"


class StatementInvalid(ValueError):
    """A statement or parameter broke a rule of the specification (HTTP 400)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


# --- Scalar checks ------------------------------------------------------------------------------

_UCS = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
_PCHAR = rf"(?:[A-Za-z0-9._~!$&'()*+,;=:@{_UCS}-]|%[0-9A-Fa-f]{{2}})"
# A conservative absolute IRI: what it accepts is valid; what it rejects goes to the full grammar.
_FAST_IRI = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.-]*:(?://{_PCHAR}*)?(?:/|{_PCHAR})*"
    rf"(?:\?(?:[/?]|{_PCHAR})*)?(?:#(?:[/?]|{_PCHAR})*)?"
)
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
)
_MBOX = re.compile(r"mailto:[^@\s]+@[^@\s]+")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
# The date-times 2.0 accepts (RFC 3339, as the statements of both versions have always used)...
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:?\d{2})?"
)
# ...and what else ISO 8601 allows, which 1.0.3 accepts: the basic format, a decimal comma, an
# offset in hours only.
_ISO_EXTENDED = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?"
)
_ISO_BASIC = re.compile(r"\d{8}[Tt]\d{6}(?:[.,]\d+)?(?:Z|z|[+-]\d{2}(?:\d{2})?)?")
# ISO 8601 durations: PnYnMnDTnHnMnS (at least one component, a T only before a time part, a
# fraction only on the last component) or PnW alone.
_NUMBER = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"P(?=\d|T\d)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?|P{_NUMBER}W"
)
# RFC 5646 (BCP 47) well-formed tags: langtag, private use, or a grandfathered tag.
_ALNUM = "[A-Za-z0-9]"
_LANGTAG = re.compile(
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language, extended language
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|\d{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-[Xx](?:-{_ALNUM}{{1,8}})+)?"  # private use
    rf"|[Xx](?:-{_ALNUM}{{1,8}})+"
)
_GRANDFATHERED = frozenset(
    [
        "en-gb-oed",
        "i-ami",
        "i-bnn",
        "i-default",
        "i-enochian",
        "i-hak",
        "i-klingon",
        "i-lux",
        "i-mingo",
        "i-navajo",
        "i-pwn",
        "i-tao",
        "i-tay",
        "i-tsu",
        "sgn-be-fr",
        "sgn-be-nl",
        "sgn-ch-de",
        "art-lojban",
        "cel-gaulish",
        "no-bok",
        "no-nyn",
        "zh-guoyu",
        "zh-hakka",
        "zh-min",
        "zh-min-nan",
        "zh-xiang",
    ]
)
# RFC 6838 media types: type/subtype with optional parameters.
_TOKEN = r"[A-Za-z0-9!#$&^_.+-]+"
_MEDIA_TYPE = re.compile(
    rf"{_TOKEN}/{_TOKEN}(?:\s*;\s*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\\\]|\\\\.)*\"))*"
)
_VERSION = {V1: re.compile(r"1\.0(\.\d+)?"), V2: re.compile(r"(1|2)\.0(\.\d+)?")}


@lru_cache(maxsize=65536)
def is_iri(value: str) -> bool:
    """An absolute IRI (RFC 3987). The full grammar is slow, so a strict regex answers first."""
    if _FAST_IRI.fullmatch(value):
        return True
    return ":" in value and is_valid_syntax_iri(value)


@lru_cache(maxsize=4096)
def is_language_tag(value: str) -> bool:
    """An RFC 5646 tag: well-formed by its grammar (or grandfathered) and of known subtags."""
    if value.lower() in _GRANDFATHERED:
        return True
    return bool(_LANGTAG.fullmatch(value)) and langcodes.tag_is_valid(value)


def is_duration(value: str) -> bool:
    """An ISO 8601 duration as xAPI uses them (``PT1H30M``, ``P1D``, ``P2W``, ``PT0.5S``)."""
    return bool(_DURATION.fullmatch(value)) and not re.search(r"[.,]\d+[A-Z].", value)


def is_media_type(value: str) -> bool:
    """An RFC 6838 Internet Media Type (``type/subtype`` and optional parameters)."""
    return bool(_MEDIA_TYPE.fullmatch(value.strip()))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise StatementInvalid(f"the JSON object has the key {twice!r} twice")
    return found


def _no_constant(name: str) -> Any:
    raise StatementInvalid(f"{name} is not a JSON number")


def loads(raw: bytes | str, what: str = "the body") -> Any:
    """Parse JSON strictly: a duplicate key in any object or ``NaN``/``Infinity`` is a 400."""
    try:
        return json.loads(raw, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, StatementInvalid):
            raise
        raise StatementInvalid(f"{what} is not valid JSON") from None


def is_uuid(value: str) -> bool:
    return bool(_UUID.fullmatch(value))


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 date-time (extended or basic format); no offset means UTC; ``-00:00`` (RFC
    3339's "offset unknown") is refused. ``is_rfc3339`` tells the narrower form 2.0 requires."""
    match = _ISO_EXTENDED.fullmatch(value) or _ISO_BASIC.fullmatch(value)
    if not match or value.endswith(("-00:00", "-0000", "-00")):
        raise ValueError("must be an ISO 8601 date and time, such as 2026-01-31T12:00:00Z")
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        raise ValueError("is not a valid date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def is_rfc3339(value: str) -> bool:
    """The extended ISO 8601 form of RFC 3339 (xAPI 2.0 timestamps)."""
    return bool(_TIMESTAMP.fullmatch(value))


def _iri(value: str) -> str:
    if not is_iri(value):
        raise ValueError("must be an absolute IRI")
    return value


def _language_map(value: dict[str, str]) -> dict[str, str]:
    for tag in value:
        if not is_language_tag(tag):
            raise ValueError(f"{tag!r} is not an RFC 5646 language tag")
    return value


def _extensions(value: dict[str, Any]) -> dict[str, Any]:
    for key in value:
        if not is_iri(key):
            raise ValueError(f"extension key {key!r} must be an absolute IRI")
    return value


Iri = Annotated[str, Field(min_length=1)]
LanguageMap = dict[str, str]
Extensions = dict[str, Any]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# --- Actors -------------------------------------------------------------------------------------


class Account(_Strict):
    homePage: Iri
    name: str

    _home = field_validator("homePage")(_iri)


class _Identified(_Strict):
    name: str | None = None
    mbox: str | None = None
    mbox_sha1sum: str | None = None
    openid: Iri | None = None
    account: Account | None = None

    @field_validator("mbox")
    @classmethod
    def _mbox(cls, value: str) -> str:
        if not _MBOX.fullmatch(value):
            raise ValueError("must be a mailto IRI such as mailto:someone@example.com")
        return value

    @field_validator("mbox_sha1sum")
    @classmethod
    def _sha1(cls, value: str) -> str:
        if not _SHA1.fullmatch(value):
            raise ValueError("must be a hex-encoded SHA1 (40 characters)")
        return value

    _openid = field_validator("openid")(_iri)

    def identifiers(self) -> int:
        return sum(
            value is not None for value in (self.mbox, self.mbox_sha1sum, self.openid, self.account)
        )


class Agent(_Identified):
    objectType: Literal["Agent"] | None = None

    @model_validator(mode="after")
    def _one_ifi(self) -> Agent:
        if self.identifiers() != 1:
            raise ValueError("an Agent needs exactly one of mbox, mbox_sha1sum, openid, account")
        return self


class Group(_Identified):
    objectType: Literal["Group"]
    member: list[Agent] | None = None

    @model_validator(mode="after")
    def _identified_or_members(self) -> Group:
        count = self.identifiers()
        if count > 1:
            raise ValueError("a Group has at most one of mbox, mbox_sha1sum, openid, account")
        if count == 0 and not self.member:
            raise ValueError("an anonymous Group needs a non-empty member list")
        return self


def _agent_or_group(value: Any) -> str:
    if isinstance(value, dict):
        return "Group" if value.get("objectType") == "Group" else "Agent"
    return "Agent"


Actor = Annotated[
    Annotated[Agent, Tag("Agent")] | Annotated[Group, Tag("Group")],
    Discriminator(_agent_or_group),
]


# --- Verb, activity -------------------------------------------------------------------------------


class Verb(_Strict):
    id: Iri
    display: LanguageMap | None = None

    _id = field_validator("id")(_iri)
    _display = field_validator("display")(_language_map)


class InteractionComponent(_Strict):
    id: str = Field(min_length=1)
    description: LanguageMap | None = None

    _description = field_validator("description")(_language_map)


_COMPONENTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
    "true-false": set(),
    "fill-in": set(),
    "long-fill-in": set(),
    "numeric": set(),
    "other": set(),
}


class ActivityDefinition(_Strict):
    name: LanguageMap | None = None
    description: LanguageMap | None = None
    type: Iri | None = None
    moreInfo: Iri | None = None
    extensions: Extensions | None = None
    interactionType: (
        Literal[
            "true-false",
            "choice",
            "fill-in",
            "long-fill-in",
            "matching",
            "performance",
            "sequencing",
            "likert",
            "numeric",
            "other",
        ]
        | None
    ) = None
    correctResponsesPattern: list[str] | None = None
    choices: list[InteractionComponent] | None = None
    scale: list[InteractionComponent] | None = None
    source: list[InteractionComponent] | None = None
    target: list[InteractionComponent] | None = None
    steps: list[InteractionComponent] | None = None

    _maps = field_validator("name", "description")(_language_map)
    _iris = field_validator("type", "moreInfo")(_iri)
    _ext = field_validator("extensions")(_extensions)

    @model_validator(mode="after")
    def _interaction(self) -> ActivityDefinition:
        present = {
            name
            for name in ("choices", "scale", "source", "target", "steps")
            if getattr(self, name) is not None
        }
        if self.interactionType is None:
            if present or self.correctResponsesPattern is not None:
                raise ValueError("interaction components need an interactionType")
            return self
        allowed = _COMPONENTS[self.interactionType]
        if present - allowed:
            raise ValueError(
                f"{', '.join(sorted(present - allowed))} not allowed "
                f"for interactionType {self.interactionType}"
            )
        for name in present:
            ids = [component.id for component in getattr(self, name)]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{name} ids must be unique")
        return self


class Activity(_Strict):
    objectType: Literal["Activity"] | None = None
    id: Iri
    definition: ActivityDefinition | None = None

    _id = field_validator("id")(_iri)


class StatementRef(_Strict):
    objectType: Literal["StatementRef"]
    id: str

    @field_validator("id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        if not is_uuid(value):
            raise ValueError("must be a UUID")
        return value


# --- Result, context, attachments -----------------------------------------------------------------


class Score(_Strict):
    scaled: float | None = Field(default=None, ge=-1, le=1)
    raw: float | None = None
    min: float | None = None
    max: float | None = None

    @field_validator("scaled", "raw", "min", "max", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        return value

    @model_validator(mode="after")
    def _bounds(self) -> Score:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("min must be less than max")
        if self.raw is not None:
            if self.min is not None and self.raw < self.min:
                raise ValueError("raw must not be less than min")
            if self.max is not None and self.raw > self.max:
                raise ValueError("raw must not be more than max")
        return self


class Result(_Strict):
    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str | None = None
    duration: str | None = None
    extensions: Extensions | None = None

    _ext = field_validator("extensions")(_extensions)

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: str) -> str:
        if not is_duration(value):
            raise ValueError("must be an ISO 8601 duration such as PT1H30M")
        return value


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class ContextActivities(_Strict):
    parent: list[Activity] | None = None
    grouping: list[Activity] | None = None
    category: list[Activity] | None = None
    other: list[Activity] | None = None

    _lists = field_validator("parent", "grouping", "category", "other", mode="before")(_one_or_many)


class ContextAgent(_Strict):
    objectType: Literal["contextAgent"]
    agent: Agent
    relevantTypes: list[Iri] | None = Field(default=None, min_length=1)

    @field_validator("relevantTypes")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        return [_iri(item) for item in value]


class ContextGroup(_Strict):
    objectType: Literal["contextGroup"]
    group: Group
    relevantTypes: list[Iri] | None = Field(default=None, min_length=1)

    @field_validator("relevantTypes")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        return [_iri(item) for item in value]


class _Context(_Strict):
    registration: str | None = None
    instructor: Actor | None = None
    team: Group | None = None
    contextActivities: ContextActivities | None = None
    revision: str | None = None
    platform: str | None = None
    language: str | None = None
    statement: StatementRef | None = None
    extensions: Extensions | None = None

    _ext = field_validator("extensions")(_extensions)

    @field_validator("registration")
    @classmethod
    def _registration(cls, value: str) -> str:
        if not is_uuid(value):
            raise ValueError("must be a UUID")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not is_language_tag(value):
            raise ValueError("must be an RFC 5646 language tag")
        return value


class Context(_Context):
    """1.0.3 context."""


class Context2(_Context):
    """2.0.0 context, with context agents and groups."""

    contextAgents: list[ContextAgent] | None = None
    contextGroups: list[ContextGroup] | None = None


class Attachment(_Strict):
    usageType: Iri
    display: LanguageMap
    description: LanguageMap | None = None
    contentType: str = Field(min_length=1)
    length: int = Field(ge=0)
    sha2: str = Field(min_length=1)
    fileUrl: Iri | None = None

    _usage = field_validator("usageType", "fileUrl")(_iri)
    _maps = field_validator("display", "description")(_language_map)

    @field_validator("contentType")
    @classmethod
    def _content_type(cls, value: str) -> str:
        if not is_media_type(value):
            raise ValueError("must be an Internet Media Type such as text/plain")
        return value

    @field_validator("sha2")
    @classmethod
    def _sha2(cls, value: str) -> str:
        if not re.fullmatch(
            r"[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128}", value
        ):
            raise ValueError("must be a hex-encoded SHA-2 hash")
        return value


def _timestamp(value: str) -> str:
    parse_timestamp(value)
    return value


def _object_kind(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("objectType", "Activity")
        if kind in ("Activity", "Agent", "Group", "StatementRef", "SubStatement"):
            return str(kind)
        return "?objectType"
    return "Activity"


class _Unknown(_Strict):
    objectType: Literal["Activity", "Agent", "Group", "StatementRef", "SubStatement"]


class _SubStatementBase(_Strict):
    objectType: Literal["SubStatement"]
    actor: Actor
    verb: Verb
    object: Annotated[
        Annotated[Activity, Tag("Activity")]
        | Annotated[Agent, Tag("Agent")]
        | Annotated[Group, Tag("Group")]
        | Annotated[StatementRef, Tag("StatementRef")]
        | Annotated[_Unknown, Tag("?objectType")],
        Discriminator(_object_kind),
    ]
    result: Result | None = None
    timestamp: str | None = None
    attachments: list[Attachment] | None = None

    _timestamp = field_validator("timestamp")(_timestamp)


class SubStatement(_SubStatementBase):
    context: Context | None = None


class SubStatement2(_SubStatementBase):
    context: Context2 | None = None


class _StatementBase(_Strict):
    id: str | None = None
    actor: Actor
    verb: Verb
    result: Result | None = None
    timestamp: str | None = None
    stored: str | None = None
    authority: Actor | None = None
    version: str | None = None
    attachments: list[Attachment] | None = None

    _timestamp = field_validator("timestamp", "stored")(_timestamp)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not is_uuid(value):
            raise ValueError("must be a UUID")
        return value

    @field_validator("authority")
    @classmethod
    def _authority(cls, value: Agent | Group) -> Agent | Group:
        if isinstance(value, Group) and len(value.member or []) != 2:
            raise ValueError("a Group authority must have exactly two members (OAuth)")
        return value


def _object_union(substatement: type[BaseModel]) -> Any:
    return Annotated[
        Annotated[Activity, Tag("Activity")]
        | Annotated[Agent, Tag("Agent")]
        | Annotated[Group, Tag("Group")]
        | Annotated[StatementRef, Tag("StatementRef")]
        | Annotated[substatement, Tag("SubStatement")]
        | Annotated[_Unknown, Tag("?objectType")],
        Discriminator(_object_kind),
    ]


class Statement1(_StatementBase):
    object: _object_union(SubStatement)  # type: ignore[valid-type]
    context: Context | None = None


class Statement2(_StatementBase):
    object: _object_union(SubStatement2)  # type: ignore[valid-type]
    context: Context2 | None = None


# --- Entry points ---------------------------------------------------------------------------------

_TAGS = {"Activity", "Agent", "Group", "StatementRef", "SubStatement", "?objectType"}


def _where(location: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in _TAGS or part.startswith("function-"):
            continue
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts)


def _explain(error: ValidationError, prefix: str = "") -> StatementInvalid:
    first = error.errors(include_url=False)[0]
    where = _where(tuple(first["loc"]))
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a property allowed here"
    elif first["type"] == "missing":
        message = "is required"
    elif first["type"] == "union_tag_invalid":
        message = "has an unknown objectType"
    full = f"{prefix}{where}" if where else prefix.rstrip(".")
    return StatementInvalid(message, full)


_MAYBE_EMPTY = re.compile(rb"null|\{\s*\}")


def may_hold_empty(raw: bytes) -> bool:
    """False when a JSON text has no ``null`` and no ``{}`` anywhere: then no statement parsed
    from it can hold a null or an empty object, and ``validate_statement`` may skip that walk."""
    return _MAYBE_EMPTY.search(raw) is not None


def _has_empty(value: Any) -> bool:
    """Whether a null, an empty object or a non-string key hides anywhere (outside extensions).

    The fast pass over every statement; only a statement that fails it is walked again by
    ``_reject_empty`` to name the property at fault.
    """
    if isinstance(value, dict):
        if not value:
            return True
        for key, item in value.items():
            if item is None or not isinstance(key, str):
                return True
            if (isinstance(item, (dict, list)) and key != "extensions") and _has_empty(item):
                return True
        return False
    if isinstance(value, list):
        for item in value:
            if item is None or (isinstance(item, (dict, list)) and _has_empty(item)):
                return True
    return False


def _reject_empty(value: Any, where: str) -> None:
    """No property may be null or an empty object, except inside ``extensions``."""
    if isinstance(value, dict):
        if not value and where:
            raise StatementInvalid("must not be an empty object", where)
        for key, item in value.items():
            if not isinstance(key, str):
                raise StatementInvalid("keys must be strings", where)
            path = f"{where}.{key}" if where else key
            if item is None:
                raise StatementInvalid("must not be null", path)
            if key == "extensions":
                continue
            _reject_empty(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if item is None:
                raise StatementInvalid("must not be null", f"{where}[{index}]")
            _reject_empty(item, f"{where}[{index}]")


def validate_statement(
    data: Any, *, version: str, prefix: str = "", may_hold_empty: bool = True
) -> None:
    """Raise ``StatementInvalid`` unless ``data`` is a valid statement for ``version``.

    ``may_hold_empty=False`` (the raw JSON had no ``null`` and no ``{}``) skips the walk for
    nulls and empty objects.
    """
    if not isinstance(data, dict):
        raise StatementInvalid("a statement must be a JSON object", prefix.rstrip("."))
    if may_hold_empty and _has_empty(data):
        _reject_empty(data, "")
    model = Statement2 if version == V2 else Statement1
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        raise _explain(error, prefix) from None
    if parsed.version is not None and not _VERSION[version].fullmatch(parsed.version):
        raise StatementInvalid(f"{parsed.version!r} is not a supported version", f"{prefix}version")
    if version == V2:
        _check_rfc3339(parsed, prefix)
    _check_context(parsed, prefix)


def _check_rfc3339(statement: Statement1 | Statement2, prefix: str) -> None:
    """2.0 timestamps follow RFC 3339 (1.0.3 takes any ISO 8601 date-time)."""
    for where, node in (("", statement), ("object.", statement.object)):
        stamp = getattr(node, "timestamp", None)
        if stamp is not None and not is_rfc3339(stamp):
            raise StatementInvalid(
                "must be an RFC 3339 date and time, such as 2026-01-31T12:00:00Z",
                f"{prefix}{where}timestamp",
            )


def _check_context(statement: Statement1 | Statement2, prefix: str) -> None:
    for where, node in (("", statement), ("object.", statement.object)):
        context = getattr(node, "context", None)
        target = getattr(node, "object", None)
        if context is None or target is None:
            continue
        if not isinstance(target, Activity) and (
            context.revision is not None or context.platform is not None
        ):
            raise StatementInvalid(
                "revision and platform are only allowed when the object is an Activity",
                f"{prefix}{where}context",
            )
    if statement.verb.id == VOIDED and not isinstance(statement.object, StatementRef):
        raise StatementInvalid("a voiding statement's object must be a StatementRef", "object")
