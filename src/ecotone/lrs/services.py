"""Every write of the LRS: statements, documents, clients, activity mappings, the ledger."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

try:
    import fcntl
except ImportError:  # not on POSIX: SQLite's own busy handler does the queueing
    fcntl = None  # type: ignore[assignment]

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ecotone import authz
from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError
from ecotone.lrs import evidence, profile
from ecotone.lrs import keys as filter_keys
from ecotone.lrs.models import (
    Activity,
    ActivityMapping,
    AttachmentContent,
    Document,
    LrsClient,
    Statement,
    StatementKey,
)
from ecotone.lrs.validation import (
    V1,
    V2,
    VOIDED,
    StatementInvalid,
    is_iri,
    loads,
    parse_timestamp,
    validate_statement,
)

MAX_REF_DEPTH = 16


class StatementConflict(DomainError):
    """A statement id already holds a different statement (HTTP 409)."""

    def __init__(self, statement_id: str) -> None:
        super().__init__(
            code="statement_conflict",
            message=f"Statement {statement_id} already exists with different content.",
            field="id",
            status=409,
        )


# --- Time -----------------------------------------------------------------------------------------

_clock_lock = threading.Lock()
_last_stored = datetime.min.replace(tzinfo=UTC)


def next_stored() -> datetime:
    """Now, to the microsecond, strictly after the previous value handed out by this process."""
    global _last_stored
    with _clock_lock:
        now = timezone.now()
        if now <= _last_stored:
            now = _last_stored + timedelta(microseconds=1)
        _last_stored = now
        return now


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


# --- Statements -----------------------------------------------------------------------------------


def system_authority() -> dict[str, Any]:
    """The authority of statements Ecotone writes itself."""
    return {
        "objectType": "Agent",
        "name": "Ecotone",
        "account": {"homePage": settings.SITE_URL, "name": "ecotone"},
    }


def _normalise_context(node: dict[str, Any]) -> None:
    context = node.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        groups = context["contextActivities"]
        for name, value in list(groups.items()):
            if isinstance(value, dict):
                groups[name] = [value]


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    """The parts of a statement that make two statements 'the same' (spec: Statement Comparison)."""
    result = {
        key: value
        for key, value in statement.items()
        if key not in ("authority", "stored", "version", "timestamp")
    }
    if "timestamp" in statement:
        result["timestamp"] = parse_timestamp(statement["timestamp"]).astimezone(UTC)
    _normalise_context(result)
    if isinstance(result.get("object"), dict) and result["object"].get("objectType") == (
        "SubStatement"
    ):
        inner = dict(result["object"])
        _normalise_context(inner)
        if "timestamp" in inner:
            inner["timestamp"] = parse_timestamp(inner["timestamp"]).astimezone(UTC)
        result["object"] = inner
    return result


def same_statement(
    first: dict[str, Any], second: dict[str, Any], *, timestamps: bool = True
) -> bool:
    """Whether two statements are the same, ignoring what the LRS sets (and ``timestamp`` when
    the newer one had none: the LRS filled it in)."""
    left, right = _comparable(first), _comparable(second)
    if not timestamps:
        left.pop("timestamp", None)
        right.pop("timestamp", None)
    return left == right


@dataclass
class _Prepared:
    data: dict[str, Any]
    statement_id: uuid.UUID
    payload: str
    target: uuid.UUID | None
    is_voiding: bool
    timed: bool
    stored: datetime
    keys: set[uuid.UUID]  # its own filter keys (not the inherited ones)
    voided: bool = False


def _prepare(
    statement: dict[str, Any], *, version: str, stored: datetime, authority: dict[str, Any]
) -> dict[str, Any]:
    data = dict(statement)
    data["id"] = str(data["id"]).lower() if "id" in data else str(uuid.uuid4())
    data["stored"] = format_time(stored)
    if "timestamp" not in data:
        data["timestamp"] = data["stored"]
    elif version == V2:
        data["timestamp"] = format_time(parse_timestamp(data["timestamp"]))
    data["authority"] = authority
    data.setdefault("version", "1.0.0" if version == V1 else "2.0.0")
    _normalise_context(data)
    if isinstance(data["object"], dict) and data["object"].get("objectType") == "SubStatement":
        data["object"] = dict(data["object"])
        _normalise_context(data["object"])
    return data


def store_statements(
    *,
    statements: Sequence[dict[str, Any]],
    version: str = V2,
    client: LrsClient | None = None,
    attachments: Mapping[str, tuple[str, bytes]] | None = None,
    validated: bool = False,
    may_hold_empty: bool = True,
) -> list[str]:
    """Validate and store statements atomically: all of them, or none. Returns their ids.

    An id already stored with an equivalent statement is a no-op; with a different one the whole
    batch fails with ``StatementConflict``. Voiding statements void their targets. Safe against
    concurrent writers of the same ids (the unique index decides; the loser re-checks).
    """
    for index, statement in enumerate(statements):
        if not validated:
            prefix = f"[{index}]." if len(statements) > 1 else ""
            validate_statement(
                statement, version=version, prefix=prefix, may_hold_empty=may_hold_empty
            )
    authority = client.authority if client is not None else system_authority()
    # Computed before the write transaction, which is all the shorter (on SQLite, writers queue).
    keys = [filter_keys.statement_keys({**data, "authority": authority}) for data in statements]
    with _writers_queue():
        try:
            with transaction.atomic():
                ids = _store(statements, keys, version, client, attachments or {})
        except IntegrityError:
            # Another writer stored one of these ids between our check and our insert: the
            # check now sees it, and answers no-op or conflict.
            with transaction.atomic():
                ids = _store(statements, keys, version, client, attachments or {})
    if client is not None:
        evidence.statements_stored(statements)
    return ids


def _native() -> bool:
    """Whether the database stores UUIDs and aware datetimes natively (PostgreSQL), or as the
    text Django writes for them (SQLite: 32 hex digits, naive UTC). Asked once per batch: the
    connection proxy is slow to ask per value."""
    return bool(connection.features.has_native_uuid_field)


_queue_files: dict[str, int] = {}


@contextmanager
def _writers_queue() -> Iterator[None]:
    """On an SQLite file, writers of statements queue on an advisory file lock before BEGIN.

    SQLite lets one writer in at a time, and its busy handler makes the others sleep in growing
    steps (up to 100 ms) and poll; the kernel hands a file lock to the next waiter as soon as
    it is released. Only outside a transaction: inside one, this connection may already hold
    SQLite's lock, and waiting on the file lock then could deadlock with its holder.
    """
    if (
        fcntl is None
        or connection.vendor != "sqlite"
        or connection.in_atomic_block
        or connection.is_in_memory_db()  # type: ignore[attr-defined]
    ):
        yield
        return
    path = f"{connection.settings_dict['NAME']}.writers"
    descriptor = _queue_files.get(path)
    if descriptor is None:
        descriptor = _queue_files[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def _db_uuid(value: uuid.UUID | None, native: bool) -> Any:
    if value is None or native:
        return value
    return value.hex


def _db_time(value: datetime, native: bool) -> Any:
    """A timezone-aware datetime as the database driver takes it (what Django would send)."""
    if native:
        return value
    return str(value.astimezone(UTC).replace(tzinfo=None))


_STATEMENT_COLUMNS = (
    "statement_id, stored, timestamp, verb_id, actor_key, ref_target, is_voiding, voided, "
    "version, client_id, payload, has_attachments"
)


def _copy_text(value: Any) -> str:
    """One value in COPY's text format (one buffer for all rows beats a call per row)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _copy(table: str, columns: str, text: str) -> None:
    """COPY rows given in COPY's text format (PostgreSQL)."""
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        copy.write(text)


def _insert_rows(table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL (its fastest path), multi-row INSERTs elsewhere.

    Both are far cheaper than ``bulk_create`` or ``executemany`` here. A unique violation still
    surfaces as Django's ``IntegrityError``.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(table, columns, "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows))
        return
    width = len(rows[0])
    group = "(" + ", ".join(["%s"] * width) + ")"
    chunk = max(1, 30000 // width)  # below SQLite's parameter limit
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608  (no user input)
                + ", ".join([group] * len(part)),
                [value for row in part for value in row],
            )


def _insert_statements(items: Iterable[_Prepared], client: LrsClient | None) -> None:
    client_id = client.pk if client is not None else None
    native = _native()
    rows = [
        (
            _db_uuid(item.statement_id, native),
            _db_time(item.stored, native),
            _db_time(parse_timestamp(item.data["timestamp"]), native),
            item.data["verb"]["id"][:2048],
            _db_uuid(
                filter_keys.filter_key("actor", filter_keys.actor_identity(item.data["actor"])),
                native,
            ),
            _db_uuid(item.target, native),
            item.is_voiding,
            False,
            str(item.data["version"])[:16],
            client_id,
            item.payload,
            bool(item.data.get("attachments")),
        )
        for item in items
    ]
    _insert_rows(Statement._meta.db_table, _STATEMENT_COLUMNS, rows)


@lru_cache(maxsize=65536)  # filter keys repeat across statements
def _key_text(key: uuid.UUID, native: bool) -> str:
    return str(key) if native else key.hex


def _insert_keys(rows: Sequence[tuple[str, str, Iterable[uuid.UUID]]], native: bool) -> None:
    """Insert the filter keys of statements: ``(statement id, stored, keys)`` each, the id and
    ``stored`` already as the database's text. Sorted by key: neighbours in the index."""
    table, columns = StatementKey._meta.db_table, "key, stored, statement_id"
    flat = sorted(
        (_key_text(key, native), stored, statement_id)
        for statement_id, stored, keys in rows
        for key in keys
    )
    if native:
        _copy(table, columns, "".join(f"{key}\t{stored}\t{sid}\n" for key, stored, sid in flat))
    else:
        _insert_rows(table, columns, flat)


def _store(
    statements: Sequence[dict[str, Any]],
    own_keys: Sequence[set[uuid.UUID]],
    version: str,
    client: LrsClient | None,
    attachments: Mapping[str, tuple[str, bytes]],
) -> list[str]:
    authority = client.authority if client is not None else system_authority()
    prepared: dict[uuid.UUID, _Prepared] = {}
    ids: list[str] = []
    for statement, keys in zip(statements, own_keys, strict=True):
        stored = next_stored()
        data = _prepare(statement, version=version, stored=stored, authority=authority)
        statement_id = uuid.UUID(data["id"])
        ids.append(data["id"])
        if statement_id in prepared:
            if not same_statement(
                prepared[statement_id].data, data, timestamps="timestamp" in statement
            ):
                raise StatementInvalid(f"statement id {data['id']} appears twice, differently")
            continue
        target = data["object"] if data["object"].get("objectType") == "StatementRef" else None
        prepared[statement_id] = _Prepared(
            data=data,
            statement_id=statement_id,
            payload="",
            target=uuid.UUID(target["id"]) if target else None,
            is_voiding=data["verb"]["id"] == VOIDED,
            timed="timestamp" in statement,
            stored=stored,
            keys=keys,
        )
    for statement_id, payload in _stored_payloads(list(prepared)).items():
        item = prepared[statement_id]
        if not same_statement(json.loads(payload), item.data, timestamps=item.timed):
            raise StatementConflict(str(statement_id))
        del prepared[statement_id]
    if not prepared:
        return ids
    _check_attachments(prepared.values(), attachments)
    targets = _load_targets(prepared)
    for item in prepared.values():
        if item.is_voiding and item.target is not None:
            target = targets.get(item.target)
            if target is not None and target.is_voiding:
                raise StatementInvalid("a voiding statement cannot be voided", "object.id")
        item.payload = json.dumps(item.data, separators=(",", ":"), ensure_ascii=False)
    _insert_statements(prepared.values(), client)
    _void_targets(prepared, targets)
    referrers = _referrers(prepared)
    _voided_by_referrers(prepared, referrers)
    native = _native()
    key_rows: list[tuple[str, str, set[uuid.UUID]]] = []
    for item in prepared.values():
        if item.voided:
            continue
        own = item.keys | _inherited(item.target, prepared, targets)
        db_id = str(item.statement_id) if native else item.statement_id.hex
        key_rows.append((db_id, str(_db_time(item.stored, native)), own))
    _insert_keys(key_rows, native)
    _adopt_referrers(prepared, referrers)
    _update_activities(item.data for item in prepared.values())
    if attachments:
        AttachmentContent.objects.bulk_create(
            [
                AttachmentContent(sha2=sha2, content_type=content_type, content=content)
                for sha2, (content_type, content) in attachments.items()
            ],
            ignore_conflicts=True,
        )
    return ids


def _check_attachments(
    prepared: Iterable[_Prepared], attachments: Mapping[str, tuple[str, bytes]]
) -> None:
    """Every attachment without a fileUrl has its part; every part belongs to an attachment."""
    declared: set[str] = set()
    for item in prepared:
        for index, attachment in enumerate(item.data.get("attachments", []) or []):
            declared.add(attachment["sha2"])
            if "fileUrl" not in attachment and attachment["sha2"] not in attachments:
                raise StatementInvalid(
                    "has no fileUrl and no matching part in the request",
                    f"attachments[{index}].sha2",
                )
    stray = set(attachments) - declared
    if stray:
        raise StatementInvalid("an attachment part matches no attachment of the statements")


@dataclass
class _Target:
    statement_id: uuid.UUID
    is_voiding: bool
    data: dict[str, Any]
    ref_target: uuid.UUID | None
    stored: datetime


def _load_targets(prepared: Mapping[uuid.UUID, _Prepared]) -> dict[uuid.UUID, _Target]:
    """The statements referenced by the batch, down their StatementRef chains."""
    found: dict[uuid.UUID, _Target] = {
        item.statement_id: _Target(
            item.statement_id, item.is_voiding, item.data, item.target, item.stored
        )
        for item in prepared.values()
    }
    wanted = {item.target for item in prepared.values() if item.target is not None}
    for _ in range(MAX_REF_DEPTH):
        wanted -= set(found)
        if not wanted:
            break
        rows = Statement.objects.filter(statement_id__in=wanted).only(
            "statement_id", "is_voiding", "payload", "ref_target", "stored"
        )
        loaded = [
            _Target(
                row.statement_id,
                row.is_voiding,
                json.loads(row.payload),
                row.ref_target,
                row.stored,
            )
            for row in rows
        ]
        if not loaded:
            break
        for target in loaded:
            found[target.statement_id] = target
        wanted = {target.ref_target for target in loaded if target.ref_target is not None}
    return found


def _inherited(
    target_id: uuid.UUID | None,
    prepared: Mapping[uuid.UUID, _Prepared],
    targets: Mapping[uuid.UUID, _Target],
) -> set[uuid.UUID]:
    inherited: set[uuid.UUID] = set()
    seen: set[uuid.UUID] = set()
    while target_id is not None and target_id not in seen and len(seen) < MAX_REF_DEPTH:
        seen.add(target_id)
        target = targets.get(target_id)
        if target is None:
            break
        inherited |= filter_keys.inheritable_keys(target.data)
        target_id = target.ref_target
    return inherited


def _delete_keys(target: _Target, targets: Mapping[uuid.UUID, _Target]) -> None:
    """Delete the filter keys of a statement being voided, each by its full primary key.

    Its keys are recomputed from the statement (its own and those it inherits down its
    StatementRef chain). Keys it adopted from a target stored after it are not recomputed here:
    queries skip voided statements anyway, so such a row can only cost a skipped index entry.
    """
    keys = filter_keys.statement_keys(target.data) | _inherited(target.ref_target, {}, targets)
    StatementKey.objects.filter(
        key__in=list(keys), stored=target.stored, statement__statement_id=target.statement_id
    ).delete()


def _void_targets(
    prepared: Mapping[uuid.UUID, _Prepared], targets: Mapping[uuid.UUID, _Target]
) -> None:
    """Void the statements targeted by the batch's voiding statements."""
    for item in prepared.values():
        if not item.is_voiding or item.target is None:
            continue
        target = prepared.get(item.target)
        if target is not None:
            # Stored in this very batch: its keys are not written yet, and never will be.
            if not target.is_voiding:
                target.voided = True
                Statement.objects.filter(statement_id=item.target).update(
                    voided=True, voided_by=item.statement_id
                )
            continue
        voided = Statement.objects.filter(
            statement_id=item.target, is_voiding=False, voided=False
        ).update(voided=True, voided_by=item.statement_id)
        if voided and item.target in targets:
            _delete_keys(targets[item.target], targets)


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _as_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)  # SQLite: naive UTC text


def _select(sql: str, ids: Sequence[uuid.UUID]) -> list[tuple[Any, ...]]:
    """Run ``sql`` with ``%s`` replaced by the placeholders of ``ids`` (a plain cursor: this
    runs on every batch, where building an ORM query costs more than the query)."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        native = _native()
        cursor.execute(
            sql % ", ".join(["%s"] * len(ids)), [_db_uuid(value, native) for value in ids]
        )
        return list(cursor.fetchall())


def _stored_payloads(ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The payloads of the statements among ``ids`` that are already stored."""
    rows = _select(
        "SELECT statement_id, payload FROM lrs_statement WHERE statement_id IN (%s)", ids
    )
    return {_as_uuid(statement_id): payload for statement_id, payload in rows}


@dataclass
class _Referrer:
    statement_id: uuid.UUID
    ref_target: uuid.UUID
    is_voiding: bool
    voided: bool
    stored: datetime


def _targeting(ids: Sequence[uuid.UUID]) -> list[_Referrer]:
    """The stored statements whose StatementRef targets one of ``ids``."""
    rows = _select(
        "SELECT statement_id, ref_target, is_voiding, voided, stored FROM lrs_statement "
        "WHERE ref_target IN (%s)",
        ids,
    )
    return [
        _Referrer(_as_uuid(row[0]), _as_uuid(row[1]), bool(row[2]), bool(row[3]), _as_time(row[4]))
        for row in rows
    ]


def _referrers(prepared: Mapping[uuid.UUID, _Prepared]) -> list[_Referrer]:
    """Statements stored before this batch that target statements of this batch."""
    return [row for row in _targeting(list(prepared)) if row.statement_id not in prepared]


def _voided_by_referrers(
    prepared: Mapping[uuid.UUID, _Prepared], referrers: Sequence[_Referrer]
) -> None:
    """A voiding statement that arrived before its target voids it now (before its keys exist)."""
    for referrer in referrers:
        target = prepared[referrer.ref_target]
        if referrer.is_voiding and not target.is_voiding and not target.voided:
            Statement.objects.filter(statement_id=target.statement_id).update(
                voided=True, voided_by=referrer.statement_id
            )
            target.voided = True


def _adopt_referrers(
    prepared: Mapping[uuid.UUID, _Prepared], referrers: Sequence[_Referrer]
) -> None:
    """Statements stored earlier that target the new ones inherit their keys (down the chain)."""
    frontier = [
        (referrer, filter_keys.inheritable_keys(prepared[referrer.ref_target].data))
        for referrer in referrers
    ]
    for _ in range(MAX_REF_DEPTH):
        if not frontier:
            break
        rows = [
            StatementKey(statement_id=referrer.statement_id, key=key, stored=referrer.stored)
            for referrer, inherited in frontier
            if not referrer.voided
            for key in inherited
        ]
        StatementKey.objects.bulk_create(rows, ignore_conflicts=True)
        parents = {referrer.statement_id: inherited for referrer, inherited in frontier}
        frontier = [(row, parents[row.ref_target]) for row in _targeting(list(parents))]


def _activity_definitions(data: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    nodes = [data]
    if data["object"].get("objectType") == "SubStatement":
        nodes.append(data["object"])
    for node in nodes:
        target = node["object"]
        if target.get("objectType", "Activity") == "Activity" and "definition" in target:
            yield target["id"], target["definition"]
        groups = (node.get("context") or {}).get("contextActivities") or {}
        for activities in groups.values():
            for activity in activities:
                if "definition" in activity:
                    yield activity["id"], activity["definition"]


def merge_definition(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The canonical definition: later values win; language maps merge per language."""
    merged = dict(old)
    for key, value in new.items():
        if key in ("name", "description", "extensions") and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


# Definitions this process knows to be stored (filled after commit): a batch whose definitions
# they already contain writes nothing. Another process may have stored a newer value since; the
# canonical definition then keeps it until a statement brings something this process lacks.
_known_definitions: dict[uuid.UUID, dict[str, Any]] = {}
_KNOWN_DEFINITIONS_MAX = 50_000


def _remember_definitions(definitions: Mapping[uuid.UUID, dict[str, Any]]) -> None:
    if len(_known_definitions) + len(definitions) > _KNOWN_DEFINITIONS_MAX:
        _known_definitions.clear()
    _known_definitions.update(definitions)


def _update_activities(statements: Iterable[dict[str, Any]]) -> None:
    definitions: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
    for data in statements:
        for iri, definition in _activity_definitions(data):
            key = filter_keys.filter_key(filter_keys.ACTIVITY, iri)
            if key not in definitions and _known_definitions.get(key) == definition:
                continue  # the usual case: a tool repeats the definition it sent before
            previous = definitions.get(key, (iri, {}))[1]
            definitions[key] = (iri, merge_definition(previous, definition))
    for key, (_, definition) in list(definitions.items()):
        known = _known_definitions.get(key)
        if known is not None and merge_definition(known, definition) == known:
            del definitions[key]
    if not definitions:
        return
    now = timezone.now()
    existing = {row.key: row for row in Activity.objects.filter(key__in=list(definitions))}
    changed: list[Activity] = []
    stored: dict[uuid.UUID, dict[str, Any]] = {}
    for key, (_, definition) in definitions.items():
        row = existing.get(key)
        if row is None:
            stored[key] = definition
            continue
        merged = merge_definition(row.definition, definition)
        stored[key] = merged
        if merged != row.definition:
            row.definition, row.updated = merged, now
            changed.append(row)
    Activity.objects.bulk_create(
        [
            Activity(key=key, iri=iri, definition=definition, updated=now)
            for key, (iri, definition) in definitions.items()
            if key not in existing
        ],
        ignore_conflicts=True,
    )
    if changed:
        Activity.objects.bulk_update(changed, ["definition", "updated"])
    transaction.on_commit(lambda: _remember_definitions(stored))


# --- Documents ------------------------------------------------------------------------------------


class PreconditionFailed(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(code="precondition_failed", message=message, status=412)


class PreconditionRequired(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(code="precondition_required", message=message, status=409)


@dataclass(frozen=True)
class DocumentScope:
    """Where a document lives: its kind, activity, agent and registration (as keys)."""

    kind: str
    activity_key: uuid.UUID | None = None
    agent_key: uuid.UUID | None = None
    registration: uuid.UUID | None = None

    def filter(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "activity_key": self.activity_key,
            "agent_key": self.agent_key,
            "registration": self.registration,
        }


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _tags(header: str) -> set[str]:
    """The entity tags of an If-Match / If-None-Match header. ETags are hex digests, so they
    compare without regard to case (a client may upper-case one)."""
    return {tag.strip().strip('"').lower() for tag in header.split(",")}


def _check_preconditions(
    current: Document | None,
    *,
    if_match: str | None,
    if_none_match: str | None,
    required: bool,
) -> None:
    """412 when If-Match / If-None-Match fail; 409 (``required``) for neither over a document."""
    if if_match is not None:
        tags = _tags(if_match)
        if current is None or ("*" not in tags and current.etag not in tags):
            raise PreconditionFailed("If-Match does not match the current document.")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        if current is not None and ("*" in tags or current.etag in tags):
            raise PreconditionFailed("If-None-Match: the document exists.")
    if required and current is not None and if_match is None and if_none_match is None:
        raise PreconditionRequired(
            "The document exists: send If-Match with its ETag (or If-None-Match: *)."
        )


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    try:
        value = loads(content, what)
    except StatementInvalid:
        value = None
    if not isinstance(value, dict):
        raise StatementInvalid(f"{what} must be a JSON object to be merged")
    return value


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def _merged(current: Document, content: bytes, content_type: str) -> bytes:
    """A POST onto a stored document: both must be JSON objects (and the POST application/json);
    the posted top-level keys replace the stored ones."""
    if not _is_json(content_type):
        raise StatementInvalid("a POST onto a stored JSON document must be application/json")
    incoming = _json_object(content, "the posted document")
    if not _is_json(current.content_type):
        raise StatementInvalid("the stored document is not JSON and cannot be merged")
    merged = {**_json_object(bytes(current.content), "the stored document"), **incoming}
    return json.dumps(merged, separators=(",", ":"), ensure_ascii=False).encode()


def save_document(
    *,
    scope: DocumentScope,
    document_id: str,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
    precondition_required: bool = False,
) -> Document:
    """PUT (replace) or POST (merge JSON objects) a document, honouring ETag preconditions.

    A POST to a document that does not exist stores it as a PUT would, whatever its type; a POST
    onto a stored one merges (``_merged``). ``precondition_required``: a PUT over an existing
    document without If-Match / If-None-Match is a 409. The whole write is one transaction.
    """
    with transaction.atomic():
        current = (
            Document.objects.select_for_update()
            .filter(**scope.filter(), document_id=document_id)
            .first()
        )
        _check_preconditions(
            current,
            if_match=if_match,
            if_none_match=if_none_match,
            required=precondition_required and not merge,
        )
        if merge and current is not None:
            content = _merged(current, content, content_type)
            content_type = "application/json"
        now = timezone.now()
        if current is None:
            return Document.objects.create(
                **scope.filter(),
                document_id=document_id,
                content=content,
                content_type=content_type or "application/octet-stream",
                etag=etag_of(content),
                updated=now,
            )
        current.content = content
        current.content_type = content_type or "application/octet-stream"
        current.etag = etag_of(content)
        current.updated = now
        current.save(update_fields=["content", "content_type", "etag", "updated"])
        return current


def delete_documents(
    *,
    scope: DocumentScope,
    document_id: str | None,
    if_match: str | None = None,
    since: datetime | None = None,
) -> int:
    """Delete one document, or (state only) every document of the scope when no id is given
    (with ``since``: those updated after it)."""
    with transaction.atomic():
        documents = Document.objects.filter(**scope.filter())
        if since is not None:
            documents = documents.filter(updated__gt=since)
        if document_id is not None:
            current = documents.select_for_update().filter(document_id=document_id).first()
            if if_match is not None:
                _check_preconditions(current, if_match=if_match, if_none_match=None, required=False)
            documents = documents.filter(document_id=document_id)
        deleted, _ = documents.delete()
        return deleted


# --- Clients --------------------------------------------------------------------------------------


def secret_digest(secret: str) -> str:
    """HMAC-SHA256 of a client secret, keyed with the server's secret key."""
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedClient:
    client: LrsClient
    secret: str


ALL_SCOPES = [choice.value for choice in LrsClient.Scope]


def create_client(
    *,
    actor: Any,
    name: str,
    scopes: Sequence[str],
    authority_email: str | None = None,
) -> IssuedClient:
    """Issue LRS credentials. The secret is returned once and never stored."""
    authz.require(actor, "lrs.manage_clients")
    name = name.strip()
    if not name:
        raise DomainError("required", "Give the client a name.", field="name")
    unknown = [scope for scope in scopes if scope not in ALL_SCOPES]
    if unknown or not scopes:
        raise DomainError(
            "invalid_scopes", f"Choose scopes among: {', '.join(ALL_SCOPES)}.", field="scopes"
        )
    key = "lrs_" + secrets.token_hex(12)
    secret = secrets.token_urlsafe(32)
    if authority_email:
        authority: dict[str, Any] = {
            "objectType": "Agent",
            "name": name,
            "mbox": f"mailto:{authority_email.strip()}",
        }
        if not is_iri(authority["mbox"]) or "@" not in authority_email:
            raise DomainError("invalid_email", "Enter an e-mail address.", field="authority_email")
    else:
        authority = {
            "objectType": "Agent",
            "name": name,
            "account": {"homePage": settings.SITE_URL, "name": key},
        }
    with transaction.atomic():
        client = LrsClient.objects.create(
            name=name,
            key=key,
            secret_digest=secret_digest(secret),
            scopes=sorted(set(scopes)),
            authority=authority,
            created_by=actor,
        )
        audit.record(
            actor=actor, action="lrs.client_created", target=client, detail={"scopes": scopes}
        )
    return IssuedClient(client=client, secret=secret)


def revoke_client(*, actor: Any, client: LrsClient) -> LrsClient:
    authz.require(actor, "lrs.manage_clients")
    if client.revoked_at is not None:
        return client
    with transaction.atomic():
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="lrs.client_revoked", target=client)
    return client


def authenticate_client(key: str, secret: str) -> LrsClient | None:
    """The active client with these credentials, or None. One indexed query, one HMAC.

    Every xAPI request asks this, so the query is written out rather than built by the ORM each
    time (building it cost more than the rest of a one-statement POST's checks). No caching: a
    revoked client is refused from its next request.
    """
    quote = connection.ops.quote_name
    found = list(
        LrsClient.objects.raw(
            f"SELECT * FROM {quote(LrsClient._meta.db_table)} "  # noqa: S608  (no user input)
            f"WHERE {quote('key')} = %s AND {quote('revoked_at')} IS NULL",
            [key],
        )
    )
    client = found[0] if found else None
    if client is None or not hmac.compare_digest(client.secret_digest, secret_digest(secret)):
        return None
    return client


# --- Activity mappings (inbound evidence) ---------------------------------------------------------


def map_activity(
    *, actor: Any, activity_iri: str, skill_refs: Sequence[str], label: str = ""
) -> ActivityMapping:
    """Declare an external activity as evidence of skills (replaces an existing mapping)."""
    authz.require(actor, "lrs.manage_mappings")
    activity_iri = activity_iri.strip()
    if not is_iri(activity_iri):
        raise DomainError("invalid_iri", "Enter an absolute IRI.", field="activity_iri")
    refs = [ref.strip() for ref in skill_refs if ref.strip()]
    if not refs:
        raise DomainError("required", "Name at least one skill.", field="skill_refs")
    with transaction.atomic():
        mapping, _ = ActivityMapping.objects.update_or_create(
            activity_key=filter_keys.filter_key(filter_keys.ACTIVITY, activity_iri),
            defaults={
                "activity_iri": activity_iri,
                "skill_refs": refs,
                "label": label.strip()[:200],
                "created_by": actor,
            },
        )
        audit.record(actor=actor, action="lrs.activity_mapped", target=mapping)
    return mapping


def unmap_activity(*, actor: Any, mapping: ActivityMapping) -> None:
    authz.require(actor, "lrs.manage_mappings")
    with transaction.atomic():
        audit.record(actor=actor, action="lrs.activity_unmapped", target=mapping)
        mapping.delete()


# --- The activity ledger --------------------------------------------------------------------------


def record_learning_event(
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
) -> str:
    """Write one learning event of the product to the ledger, in the caller's transaction.

    ``actor`` is the learner (a ``User``); ``verb`` a key of ``profile.VERBS`` or a verb IRI;
    ``activity`` a path under ``ECOTONE_XAPI_BASE`` (``"courses/12"``) or an absolute IRI;
    ``activity_type`` a key of ``profile.ACTIVITY_TYPES`` or an IRI; ``instructor`` the user who
    assessed or endorsed the learner, if any. See docs/xapi-profile.md.
    Returns the statement id. Re-recording the same ``statement_id`` is a no-op.
    """
    statement = profile.build_statement(
        actor=actor,
        verb=verb,
        activity=activity,
        activity_type=activity_type,
        name=name,
        result=result,
        parent=parent,
        registration=registration,
        extensions=extensions,
        timestamp=timestamp,
        statement_id=statement_id,
        instructor=instructor,
    )
    with transaction.atomic():
        return store_statements(statements=[statement], version=V2)[0]
