"""Every read of the LRS: statement queries (keyset-paged), documents, clients, mappings."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet

from ecotone import authz
from ecotone.kernel.errors import NotFound
from ecotone.lrs import keys as filter_keys
from ecotone.lrs import profile
from ecotone.lrs.models import (
    Activity,
    ActivityMapping,
    AttachmentContent,
    Document,
    LrsClient,
    Statement,
    StatementKey,
)
from ecotone.lrs.services import DocumentScope
from ecotone.lrs.validation import parse_timestamp

MAX_LIMIT = 500
_CURSOR_SALT = "ecotone.lrs.more"


@dataclass(frozen=True)
class StatementQuery:
    """A statements query. ``keys`` are filter keys every result must carry (all of them)."""

    keys: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    limit: int = 0
    ascending: bool = False
    after: tuple[str, str] | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def page_size(self) -> int:
        return MAX_LIMIT if self.limit <= 0 else min(self.limit, MAX_LIMIT)

    def token(self) -> str:
        """An opaque, signed ``more`` token: the query plus where the page ended."""
        return signing.dumps(asdict(self), salt=_CURSOR_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str) -> StatementQuery:
        data = signing.loads(token, salt=_CURSOR_SALT)
        after = data.get("after")
        return cls(
            keys=tuple(data["keys"]),
            since=data["since"],
            until=data["until"],
            limit=int(data["limit"]),
            ascending=bool(data["ascending"]),
            after=(str(after[0]), str(after[1])) if after else None,
            extra=dict(data.get("extra", {})),
        )


@dataclass(frozen=True)
class StatementRow:
    tiebreak: str
    stored: datetime
    payload: str


@dataclass(frozen=True)
class StatementPage:
    rows: list[StatementRow]
    more: StatementQuery | None


def key_for(kind: str, value: str) -> str:
    return str(filter_keys.filter_key(kind, value))


def _window(queryset: QuerySet[Any], query: StatementQuery, tiebreak: str) -> QuerySet[Any]:
    """Since/until and the keyset cursor on ``(stored, tiebreak)``, in the query's order."""
    if query.since:
        queryset = queryset.filter(stored__gt=datetime.fromisoformat(query.since))
    if query.until:
        queryset = queryset.filter(stored__lte=datetime.fromisoformat(query.until))
    if query.after is not None:
        moment = datetime.fromisoformat(query.after[0])
        last: Any = int(query.after[1]) if tiebreak == "seq" else uuid.UUID(query.after[1])
        direction = "gt" if query.ascending else "lt"
        queryset = queryset.filter(
            Q(**{f"stored__{direction}": moment})
            | Q(**{"stored": moment, f"{tiebreak}__{direction}": last})
        )
    order = ["stored", tiebreak] if query.ascending else ["-stored", f"-{tiebreak}"]
    return queryset.order_by(*order)


SELECTIVITY_PROBE = 500


def _by_selectivity(keys: tuple[str, ...]) -> list[str]:
    """Rarest key first, so a combination of filters walks the fewest rows.

    Each probe is an index-only count capped at ``SELECTIVITY_PROBE`` rows (well under a
    millisecond); a single key needs none.
    """
    if len(keys) == 1:
        return list(keys)
    sizes = {
        key: StatementKey.objects.filter(key=uuid.UUID(key))[:SELECTIVITY_PROBE].count()
        for key in keys
    }
    return sorted(keys, key=lambda key: sizes[key])


def find_statements(query: StatementQuery) -> StatementPage:
    """One page of statements, in ``stored`` order, served by one index range scan.

    With filters, the scan runs over ``StatementKey`` rows of the most selective key (the others
    are checked with indexed EXISTS probes); without, over the statements' ``stored`` index.
    """
    size = query.page_size
    if query.keys:
        driving, *others = _by_selectivity(query.keys)
        queryset: QuerySet[Any] = StatementKey.objects.filter(
            key=uuid.UUID(driving), statement__voided=False
        )
        for other in others:
            # A probe by the full primary key: the driving row gives ``stored`` and the id.
            queryset = queryset.filter(
                Exists(
                    StatementKey.objects.filter(
                        key=uuid.UUID(other),
                        stored=OuterRef("stored"),
                        statement_id=OuterRef("statement_id"),
                    )
                )
            )
        queryset = _window(queryset, query, tiebreak="statement_id")
        found = list(
            queryset.values_list("statement_id", "stored", "statement__payload")[: size + 1]
        )
    else:
        queryset = _window(Statement.objects.filter(voided=False), query, tiebreak="seq")
        found = list(queryset.values_list("seq", "stored", "payload")[: size + 1])
    rows = [StatementRow(str(tiebreak), stored, payload) for tiebreak, stored, payload in found]
    more = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        more = replace(query, after=(last.stored.isoformat(), last.tiebreak))
    return StatementPage(rows=rows, more=more)


def statement_by_id(statement_id: uuid.UUID, *, voided: bool) -> Statement:
    """One statement by id: ``voided=True`` finds only voided ones, ``False`` only others."""
    row = (
        Statement.objects.filter(statement_id=statement_id, voided=voided)
        .only("seq", "stored", "payload", "voided")
        .first()
    )
    if row is None:
        raise NotFound("No such statement.")
    return row


def statement_for_client(
    statement_id: uuid.UUID, *, voided: bool, authority_key: str | None
) -> Statement:
    row = statement_by_id(statement_id, voided=voided)
    if authority_key is not None:
        authority = json.loads(row.payload).get("authority", {})
        if key_for(filter_keys.AUTHORITY, filter_keys.actor_identity(authority)) != authority_key:
            raise NotFound("No such statement.")
    return row


def attachment_contents(sha2s: set[str]) -> dict[str, AttachmentContent]:
    if not sha2s:
        return {}
    return {row.sha2: row for row in AttachmentContent.objects.filter(sha2__in=sha2s)}


def canonical_activities(iris: set[str]) -> dict[str, dict[str, Any]]:
    if not iris:
        return {}
    wanted = {filter_keys.filter_key(filter_keys.ACTIVITY, iri): iri for iri in iris}
    return {
        row.iri: row.definition
        for row in Activity.objects.filter(key__in=list(wanted)).only("iri", "definition")
    }


def activity(iri: str) -> dict[str, Any]:
    """The canonical activity object (just its id when no definition was ever sent)."""
    row = Activity.objects.filter(key=filter_keys.filter_key(filter_keys.ACTIVITY, iri)).first()
    result: dict[str, Any] = {"objectType": "Activity", "id": iri}
    if row is not None and row.definition:
        result["definition"] = row.definition
    return result


# --- Documents ------------------------------------------------------------------------------------


def document(scope: DocumentScope, document_id: str) -> Document:
    found = Document.objects.filter(**scope.filter(), document_id=document_id).first()
    if found is None:
        raise NotFound("No such document.")
    return found


def document_ids(scope: DocumentScope, since: datetime | None = None) -> list[str]:
    documents = Document.objects.filter(**scope.filter())
    if since is not None:
        documents = documents.filter(updated__gt=since)
    return list(documents.order_by("document_id").values_list("document_id", flat=True))


# --- Administration -------------------------------------------------------------------------------


def clients(viewer: Any) -> QuerySet[LrsClient]:
    authz.require(viewer, "lrs.manage_clients")
    return LrsClient.objects.select_related("created_by").order_by("revoked_at", "name", "id")


def client_for(viewer: Any, client_id: int) -> LrsClient:
    found = clients(viewer).filter(pk=client_id).first()
    if found is None:
        raise NotFound("No such client.")
    return found


def mappings(viewer: Any) -> QuerySet[ActivityMapping]:
    authz.require(viewer, "lrs.manage_mappings")
    return ActivityMapping.objects.order_by("activity_iri")


def mapping_for(viewer: Any, mapping_id: int) -> ActivityMapping:
    found = mappings(viewer).filter(pk=mapping_id).first()
    if found is None:
        raise NotFound("No such mapping.")
    return found


# --- The statement browser ------------------------------------------------------------------------


@dataclass(frozen=True)
class BrowsedStatement:
    statement_id: str
    stored: datetime
    timestamp: datetime  # when it happened, by the statement's own account
    actor: str
    verb: str
    target: str
    voided: bool
    raw: dict[str, Any]


def browse_query(
    *,
    agent_email: str = "",
    verb: str = "",
    activity: str = "",
    registration: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
) -> StatementQuery:
    """The browser's filters as a statements query (the same index as the xAPI filters)."""
    keys: list[str] = []
    if registration is not None:
        keys.append(key_for(filter_keys.REGISTRATION, str(registration)))
    if activity:
        keys.append(key_for(filter_keys.ACTIVITY_RELATED, activity))
    if agent_email:
        keys.append(key_for(filter_keys.AGENT, f"mbox:mailto:{agent_email.strip()}"))
    if verb:
        keys.append(key_for(filter_keys.VERB, verb))
    return StatementQuery(
        keys=tuple(keys),
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        limit=limit,
    )


def _label(value: dict[str, Any]) -> str:
    for name in ("name",):
        if isinstance(value.get(name), str):
            return str(value[name])
    definition = value.get("definition") or {}
    names = definition.get("name") if isinstance(definition, dict) else None
    if isinstance(names, dict) and names:
        return str(next(iter(names.values())))
    identity = filter_keys.agent_identity(value)
    if identity:
        return identity.split(":", 1)[1].replace("\x1f", " ")
    return str(value.get("id", value.get("objectType", "")))


def _browsed(payload: str, voided: bool = False) -> BrowsedStatement:
    raw = json.loads(payload)
    display = raw["verb"].get("display") or {}
    return BrowsedStatement(
        statement_id=raw["id"],
        stored=datetime.fromisoformat(raw["stored"]),
        timestamp=parse_timestamp(raw.get("timestamp") or raw["stored"]),
        actor=_label(raw["actor"]),
        verb=str(next(iter(display.values()))) if display else raw["verb"]["id"],
        target=_label(raw["object"]),
        voided=voided,
        raw=raw,
    )


def browse_statements(
    viewer: Any, query: StatementQuery
) -> tuple[list[BrowsedStatement], StatementQuery | None]:
    """A page of the statement browser (admins and L&D), newest first, two queries at most."""
    authz.require(viewer, "lrs.browse_statements")
    page = find_statements(query)
    return [_browsed(row.payload) for row in page.rows], page.more


def browsed_statement(viewer: Any, statement_id: uuid.UUID) -> BrowsedStatement:
    """One statement, voided or not, for the browser."""
    authz.require(viewer, "lrs.browse_statements")
    row = Statement.objects.filter(statement_id=statement_id).only("payload", "voided").first()
    if row is None:
        raise NotFound("No such statement.")
    return _browsed(row.payload, voided=row.voided)


@dataclass(frozen=True)
class TimelineEntry:
    statement_id: str
    when: datetime  # the statement's timestamp: when it happened (not when it was stored)
    verb: str
    target: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    more: str  # a signed token for the next page, or ""


_TIMELINE_SALT = "ecotone.lrs.timeline"


def _details(raw: dict[str, Any]) -> tuple[str, ...]:
    details: list[str] = []
    context = raw.get("context") or {}
    result = raw.get("result") or {}
    for node in (result, context):
        level = (node.get("extensions") or {}).get(profile.EXTENSIONS["level"])
        if isinstance(level, int) and not isinstance(level, bool):
            details.append(f"level {level}")
            break
    scaled = (result.get("score") or {}).get("scaled")
    if isinstance(scaled, int | float) and not isinstance(scaled, bool):
        details.append(f"score {round(scaled * 100)}%")
    instructor = context.get("instructor")
    if isinstance(instructor, dict) and instructor.get("name"):
        details.append(f"by {instructor['name']}")
    authority = (raw.get("authority") or {}).get("account") or {}
    if authority.get("name") != "ecotone" and (raw.get("authority") or {}).get("name"):
        details.append(f"from {raw['authority']['name']}")
    return tuple(details)


def _timeline_entry(payload: str) -> TimelineEntry:
    browsed = _browsed(payload)
    raw = browsed.raw
    try:
        when = datetime.fromisoformat(str(raw.get("timestamp") or raw["stored"]))
    except ValueError:
        when = browsed.stored
    return TimelineEntry(
        statement_id=browsed.statement_id,
        when=when,
        verb=browsed.verb,
        target=browsed.target,
        details=_details(raw),
    )


def person_timeline(viewer: Any, person: Any, *, limit: int = 20, more: str = "") -> Timeline:
    """A person's statements, newest stored first, as an activity timeline on their profile.

    Visible to whoever may see the person's private side (``people.view_private``: themselves,
    their management chain, L&D, admins). The person's statements are those whose actor (or
    object agent) is their Ecotone account or their e-mail address: two index range scans,
    merged, keyset-paged on ``(stored, statement id)`` with the signed ``more`` token.
    """
    authz.require(viewer, "people.view_private", person)
    after: tuple[str, str] | None = None
    if more:
        try:
            stored, statement_id = signing.loads(more, salt=_TIMELINE_SALT)
            after = (str(stored), str(uuid.UUID(str(statement_id))))
        except (signing.BadSignature, ValueError, TypeError):
            after = None
    identities = [
        f"account:{settings.SITE_URL}\x1f{person.user_id}",
        f"mbox:mailto:{person.user.email}",
    ]
    rows: dict[str, StatementRow] = {}
    for identity in identities:
        query = StatementQuery(
            keys=(key_for(filter_keys.AGENT, identity),), limit=limit + 1, after=after
        )
        for row in find_statements(query).rows:
            rows[row.tiebreak] = row
    ordered = sorted(rows.values(), key=lambda row: (row.stored, row.tiebreak), reverse=True)
    page = ordered[:limit]
    token = ""
    if len(ordered) > limit:
        last = page[-1]
        token = signing.dumps([last.stored.isoformat(), last.tiebreak], salt=_TIMELINE_SALT)
    return Timeline(entries=[_timeline_entry(row.payload) for row in page], more=token)
