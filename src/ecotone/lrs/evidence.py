"""Inbound evidence: statements from outside tools that count as progress and skill evidence.

The hook for the apps above the LRS (skills, content) is ``recognised_evidence``: they call it
with the last ``seq`` they consumed and turn each record into their own evidence (``skills``:
``record_evidence``). The LRS never calls upward (the domain map puts ``lrs`` below them).

A statement is recognised when it

- was sent by an LRS client (Ecotone's own ledger statements are not: the apps that wrote them
  recorded their evidence directly, and counting them again would count twice),
- is not voided,
- has a verb of ``profile.EVIDENCE_VERBS`` (completed, passed, mastered),
- targets an activity under ``ECOTONE_XAPI_BASE`` (a course, lesson or event of this Ecotone) or an
  activity an admin mapped to skills (``ActivityMapping``).

Consumers keep their place with a ``ConsumerCursor`` (``lock_cursor`` / ``advance_cursor``, in
the consumer's transaction: the row lock makes concurrent runs take turns) and may register a
callback with ``on_inbound`` to hear, after commit, that a client stored statements with an
evidence verb (so they can run soon instead of at their next scheduled tick).

Its learner is resolved to an Ecotone user by account (``homePage`` = SITE_URL, ``name`` = user
id) or by ``mbox`` (the user's e-mail); statements about unknown people are still returned, with
``user_id`` None, so the consumer can decide.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from ecotone.lrs import keys as filter_keys
from ecotone.lrs import profile
from ecotone.lrs.models import ActivityMapping, ConsumerCursor, Statement

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvidenceRecord:
    seq: int
    statement_id: str
    stored: datetime
    user_id: int | None
    verb: str
    activity_iri: str
    ecotone_path: str | None
    skill_refs: tuple[str, ...]
    success: bool | None
    completion: bool | None
    score_scaled: float | None
    level: int | None  # the Ecotone ``level`` extension (result, then context), when an integer


def _level(data: dict[str, Any]) -> int | None:
    iri = profile.EXTENSIONS["level"]
    for node in (data.get("result"), data.get("context")):
        value = ((node or {}).get("extensions") or {}).get(iri)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _learner_user_ids(actors: list[dict[str, Any]]) -> dict[str, int]:
    """Map actor identities to Ecotone user ids, in one query."""
    emails: dict[str, str] = {}
    ids: dict[str, int] = {}
    for actor in actors:
        identity = filter_keys.agent_identity(actor)
        if identity is None:
            continue
        if "mbox" in actor:
            emails[str(actor["mbox"]).removeprefix("mailto:").lower()] = identity
        account = actor.get("account") or {}
        if account.get("homePage") == settings.SITE_URL and str(account.get("name")).isdigit():
            ids[identity] = int(account["name"])
    if emails:
        users = get_user_model().objects.filter(email__in=list(emails)).values_list("pk", "email")
        for pk, email in users:
            ids[emails[email.lower()]] = pk
    return ids


@dataclass(frozen=True)
class EvidenceBatch:
    records: list[EvidenceRecord]
    cursor: int  # pass as ``after_seq`` next time: every statement up to it was examined


def recognised_evidence(*, after_seq: int = 0, limit: int = 500) -> EvidenceBatch:
    """Evidence in statements stored after ``after_seq``, oldest first.

    Examines at most ``limit`` candidate statements; three queries whatever the batch size.
    """
    rows = list(
        Statement.objects.filter(
            seq__gt=after_seq,
            voided=False,
            client__isnull=False,
            verb_id__in=sorted(profile.EVIDENCE_VERBS),
        )
        .order_by("seq")
        .only("seq", "statement_id", "stored", "payload")[:limit]
    )
    parsed = [(row, json.loads(row.payload)) for row in rows]
    base = profile.activity_base()
    activity_iris = {
        str(data["object"]["id"])
        for _, data in parsed
        if data["object"].get("objectType", "Activity") == "Activity"
    }
    mapped = {
        mapping.activity_iri: tuple(mapping.skill_refs)
        for mapping in ActivityMapping.objects.filter(
            activity_key__in=[
                filter_keys.filter_key(filter_keys.ACTIVITY, iri) for iri in activity_iris
            ]
        )
    }
    users = _learner_user_ids([data["actor"] for _, data in parsed])
    records: list[EvidenceRecord] = []
    for row, data in parsed:
        target = data["object"]
        if target.get("objectType", "Activity") != "Activity":
            continue
        iri = str(target["id"])
        own = iri.startswith(base)
        if not own and iri not in mapped:
            continue
        result = data.get("result") or {}
        identity = filter_keys.agent_identity(data["actor"])
        records.append(
            EvidenceRecord(
                seq=row.seq,
                statement_id=data["id"],
                stored=row.stored,
                user_id=users.get(identity) if identity else None,
                verb=data["verb"]["id"],
                activity_iri=iri,
                ecotone_path=iri.removeprefix(base) if own else None,
                skill_refs=mapped.get(iri, ()),
                success=result.get("success"),
                completion=result.get("completion"),
                score_scaled=(result.get("score") or {}).get("scaled"),
                level=_level(data),
            )
        )
    return EvidenceBatch(records=records, cursor=rows[-1].seq if rows else after_seq)


def latest_seq() -> int:
    """The newest statement's ``seq``: where a consumer starting today begins."""
    last = Statement.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


# --- Cursors and the inbound hook -----------------------------------------------------------------


def lock_cursor(name: str) -> ConsumerCursor:
    """The consumer's cursor, locked until the caller's transaction ends (created at 0)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_cursor must run inside a transaction")
    ConsumerCursor.objects.get_or_create(name=name)
    return ConsumerCursor.objects.select_for_update().get(name=name)


def advance_cursor(cursor: ConsumerCursor, seq: int) -> None:
    """Move a locked cursor forward (never back)."""
    if seq > cursor.seq:
        cursor.seq = seq
        cursor.save(update_fields=["seq", "updated"])


_skill_resolvers: list[Callable[[Sequence[str]], set[str]]] = []


def resolve_skill_refs_with(resolver: Callable[[Sequence[str]], set[str]]) -> None:
    """Register how skill references of mappings resolve: ``resolver(refs)`` returns those that
    name a skill (the skills app registers one; the LRS cannot look skills up itself)."""
    if resolver not in _skill_resolvers:
        _skill_resolvers.append(resolver)


def unknown_skill_refs(refs: Sequence[str]) -> list[str]:
    """The references that name no skill today, in their order (none when nobody resolves them).

    A mapping may name a skill before it exists (an import to come): its statements count from
    the day the skill does. The pages warn about such references instead of refusing them.
    """
    if not _skill_resolvers or not refs:
        return []
    known: set[str] = set()
    for resolver in _skill_resolvers:
        known |= resolver(refs)
    return [ref for ref in dict.fromkeys(refs) if ref not in known]


def drain(step: Callable[[], tuple[int, bool]]) -> int:
    """Run a consumer's ``step`` (one batch, one transaction: returns how much it recorded and
    whether more may be waiting) until the cursor reaches the newest statement; the total."""
    total = 0
    more = True
    while more:
        recorded, more = step()
        total += recorded
    return total


_listeners: list[Callable[[], None]] = []
_last_signal = 0.0
_signal_lock = threading.Lock()
SIGNAL_INTERVAL = 5.0  # seconds: a steady stream of batches calls the listeners at most this often


def on_inbound(listener: Callable[[], None]) -> None:
    """Call ``listener()`` after a client's statements with an evidence verb are committed."""
    if listener not in _listeners:
        _listeners.append(listener)


def _signal() -> None:
    global _last_signal
    with _signal_lock:
        now = time.monotonic()
        if now - _last_signal < SIGNAL_INTERVAL:
            return
        _last_signal = now
    for listener in _listeners:
        try:
            listener()
        except Exception:  # the statements are stored; the consumer's next tick catches up
            logger.exception("an inbound evidence listener failed")


def statements_stored(statements: Sequence[dict[str, Any]]) -> None:
    """Called by ``services.store_statements`` for a client's batch, inside its transaction."""
    if _listeners and any(
        isinstance(data.get("verb"), dict) and data["verb"].get("id") in profile.EVIDENCE_VERBS
        for data in statements
    ):
        transaction.on_commit(_signal)
