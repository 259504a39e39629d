"""The xAPI HTTP protocol at /xapi/: version negotiation, authentication, resources.

Each resource is a thin adapter: it reads an ``XapiRequest`` (the same for a plain request and for
the 1.0.3 Alternate Request Syntax), checks the client's scopes, calls the services and selectors,
and answers with the headers the specification asks for.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

from ecotone import authz
from ecotone.kernel.errors import DomainError
from ecotone.lrs import keys as filter_keys
from ecotone.lrs import selectors, services, signatures
from ecotone.lrs.models import Document, LrsClient
from ecotone.lrs.selectors import StatementQuery, key_for
from ecotone.lrs.services import DocumentScope, format_time
from ecotone.lrs.validation import (
    V1,
    V2,
    Agent,
    Group,
    StatementInvalid,
    is_iri,
    is_uuid,
    loads,
    may_hold_empty,
    parse_timestamp,
)

VERSION_HEADER = "X-Experience-API-Version"
CONSISTENT_HEADER = "X-Experience-API-Consistent-Through"
HASH_HEADER = "X-Experience-API-Hash"
_FORM_HEADERS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}


# The largest request body the LRS reads (statements with their attachments, or a document).
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024


class TooLarge(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            code="too_large", message=f"The request body exceeds {limit} bytes.", status=413
        )


class Unauthorized(DomainError):
    def __init__(self) -> None:
        super().__init__(code="unauthenticated", message="Send LRS client credentials.", status=401)


# What ``about`` lists: every version a client may send, all answered as 2.0.0 or 1.0.3.
SUPPORTED_VERSIONS = ("2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0")


def negotiate(header: str | None) -> str:
    """The version to answer in: 1.0.x asks for 1.0.3, 2.0.x for 2.0.0; others are refused."""
    if header is None:
        raise StatementInvalid(f"the {VERSION_HEADER} header is required")
    value = header.strip()
    parts = value.split(".")
    if parts[:2] == ["1", "0"] and len(parts) <= 3 and all(p.isdigit() for p in parts):
        return V1
    if parts[:2] == ["2", "0"] and len(parts) <= 3 and all(p.isdigit() for p in parts):
        return V2
    raise StatementInvalid(f"version {value!r} is not supported (use 2.0.0 or 1.0.3)")


# --- Requests -------------------------------------------------------------------------------------


@dataclass
class XapiRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    version: str = V2
    user: Any = None

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def _read_body(request: HttpRequest) -> bytes:
    """The body, refused with a 413 beyond ``LRS_MAX_BODY_BYTES`` (declared or actually sent).

    Read from the stream rather than ``request.body``, whose limit is the site's form limit.
    """
    limit = int(getattr(settings, "LRS_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(limit)
    body = bytes(request._body) if hasattr(request, "_body") else request.read(limit + 1)
    if len(body) > limit:
        raise TooLarge(limit)
    return body


def _from_django(request: HttpRequest) -> XapiRequest:
    headers = {key.lower(): value for key, value in request.headers.items()}
    params = {key: request.GET[key] for key in request.GET}
    xreq = XapiRequest(
        method=request.method or "GET",
        params=params,
        headers=headers,
        body=_read_body(request),
        user=getattr(request, "user", None),
    )
    if xreq.method == "POST" and "method" in params:
        xreq = _alternate(xreq)
    if any("\x00" in value for value in xreq.params.values()):
        raise StatementInvalid("parameters cannot contain NUL characters")
    return xreq


def _alternate(xreq: XapiRequest) -> XapiRequest:
    """The 1.0.3 Alternate Request Syntax: ``POST ?method=PUT`` with everything in a form.

    The form's ``Content-Type`` (which the specification only recommends) describes ``content``;
    without it, ``content`` is taken as ``application/json``.
    """
    method = xreq.params.pop("method").upper()
    if xreq.params:
        raise StatementInvalid("with ?method=, every other parameter belongs in the form body")
    if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
        raise StatementInvalid(f"method {method!r} is not allowed")
    if xreq.media_type != "application/x-www-form-urlencoded":
        raise StatementInvalid("the alternate request syntax needs a form-encoded body")
    headers = {key: value for key, value in xreq.headers.items() if key not in ("content-type",)}
    params: dict[str, str] = {}
    body = b""
    try:
        form = parse_qsl(xreq.body.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        raise StatementInvalid("the form body is not UTF-8") from None
    for name, value in form:
        if name.lower() in _FORM_HEADERS:
            headers[name.lower()] = value
        elif name == "content":
            body = value.encode()
        else:
            params[name] = value
    if headers.get("x-experience-api-version", "").startswith("2"):
        raise StatementInvalid("xAPI 2.0 has no alternate request syntax")
    if body and "content-type" not in headers:
        headers["content-type"] = "application/json"
    return XapiRequest(method=method, params=params, headers=headers, body=body, user=xreq.user)


# --- Authentication -------------------------------------------------------------------------------

_READ_ALL = {"all", "all/read"}


@dataclass
class Principal:
    client: LrsClient | None
    scopes: frozenset[str]
    authority_key: str | None = field(default=None)

    def allows(self, *scopes: str) -> bool:
        return bool(self.scopes & set(scopes))


def authenticate(xreq: XapiRequest) -> Principal:
    header = xreq.header("authorization")
    if header and header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized() from None
        key, _, secret = decoded.partition(":")
        client = services.authenticate_client(key, secret)
        if client is None:
            raise Unauthorized()
        authority = filter_keys.actor_identity(client.authority)
        return Principal(
            client=client,
            scopes=frozenset(client.scopes),
            authority_key=key_for(filter_keys.AUTHORITY, authority),
        )
    if not header and authz.can(xreq.user, "lrs.browse_statements"):
        return Principal(client=None, scopes=frozenset({"all/read"}))
    raise Unauthorized()


def _require(principal: Principal, *scopes: str) -> None:
    if not principal.allows(*scopes):
        raise DomainError("forbidden", "These credentials lack the scope for this.", status=403)


# --- Responses ------------------------------------------------------------------------------------


def _json(value: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(value, separators=(",", ":"), ensure_ascii=False),
        status=status,
        content_type="application/json",
    )


def _error(status: int, message: str) -> HttpResponse:
    return _json({"error": {"status": status, "message": message}}, status=status)


Handler = Callable[[XapiRequest], HttpResponse]


def _early_version(request: HttpRequest) -> str:
    """The version to answer an error in before the request is read (a 413, say): the client's
    header when it names a supported version, else 2.0.0."""
    try:
        return negotiate(request.headers.get(VERSION_HEADER))
    except StatementInvalid:
        return V2


def endpoint(
    *, methods: set[str], authenticated: bool = True, consistent: bool = False
) -> Callable[[Handler], Any]:
    """Wrap a resource: parse, negotiate, answer errors, set the xAPI and CORS headers.

    ``consistent``: every answer (errors included) carries ``X-Experience-API-Consistent-Through``,
    the moment the request began: every statement stored before it is in any result.
    """

    def wrap(handler: Handler) -> Any:
        @csrf_exempt
        def view(request: HttpRequest) -> HttpResponse:
            version = _early_version(request)
            began = format_time(timezone.now())
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
            else:
                try:
                    xreq = _from_django(request)
                    if xreq.method not in methods:
                        response = _error(405, f"{xreq.method} is not allowed here.")
                        response["Allow"] = ", ".join(sorted(methods))
                    else:
                        if authenticated or VERSION_HEADER.lower() in xreq.headers:
                            version = negotiate(xreq.header(VERSION_HEADER))
                        xreq.version = version
                        response = handler(xreq)
                        if xreq.method == "HEAD":
                            response.content = b""
                except StatementInvalid as error:
                    response = _error(400, str(error))
                except DomainError as error:
                    response = _error(error.status, error.message)
                    if error.status == 401:
                        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
            response[VERSION_HEADER] = version
            if consistent:
                response[CONSISTENT_HEADER] = began
            response["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
            response["Access-Control-Allow-Methods"] = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
            response["Access-Control-Allow-Headers"] = (
                "Authorization, Content-Type, If-Match, If-None-Match, X-Experience-API-Version"
            )
            response["Access-Control-Expose-Headers"] = (
                "ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through"
            )
            return response

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        view.xapi_resource = True  # type: ignore[attr-defined]  # see lrs/middleware.py
        return view

    return wrap


def _check_params(xreq: XapiRequest, allowed: Iterable[str]) -> None:
    unknown = set(xreq.params) - set(allowed)
    if unknown:
        raise StatementInvalid(f"unknown parameter {sorted(unknown)[0]!r}")


def _bool_param(xreq: XapiRequest, name: str) -> bool:
    value = xreq.params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise StatementInvalid("must be true or false", name)
    return value == "true"


def _uuid_param(xreq: XapiRequest, name: str) -> uuid.UUID:
    value = xreq.params[name]
    if not is_uuid(value):
        raise StatementInvalid("must be a UUID", name)
    return uuid.UUID(value)


def _iri_param(xreq: XapiRequest, name: str) -> str:
    value = xreq.params.get(name)
    if value is None:
        raise StatementInvalid("is required", name)
    if not is_iri(value):
        raise StatementInvalid("must be an absolute IRI", name)
    return value


def _agent_param(xreq: XapiRequest, name: str = "agent") -> dict[str, Any]:
    raw = xreq.params.get(name)
    if raw is None:
        raise StatementInvalid("is required", name)
    try:
        value = loads(raw)
    except StatementInvalid:
        raise StatementInvalid("must be a JSON agent", name) from None
    if not isinstance(value, dict):
        raise StatementInvalid("must be a JSON agent", name)
    try:
        (Group if value.get("objectType") == "Group" else Agent).model_validate(value)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise StatementInvalid(str(first["msg"]).removeprefix("Value error, "), name) from None
    if filter_keys.agent_identity(value) is None:
        raise StatementInvalid("must identify an agent or an identified group", name)
    return value


def _time_param(xreq: XapiRequest, name: str) -> datetime | None:
    value = xreq.params.get(name)
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        raise StatementInvalid("must be an ISO 8601 timestamp", name) from None


# --- Statements -----------------------------------------------------------------------------------

_SINGLE = {"statementId", "voidedStatementId"}
_QUERY = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}


@endpoint(methods={"GET", "HEAD", "PUT", "POST"}, consistent=True)
def statements(xreq: XapiRequest) -> HttpResponse:
    """The statements resource."""
    principal = authenticate(xreq)
    if xreq.method in ("PUT", "POST"):
        _require(principal, "statements/write", "all")
        return _write_statements(xreq, principal)
    return _read_statements(xreq, principal)


def _parse_multipart(xreq: XapiRequest) -> list[tuple[dict[str, str], bytes]]:
    content_type = xreq.headers.get("content-type", "")
    boundary = ""
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        raise StatementInvalid("multipart/mixed needs a boundary")
    delimiter = b"--" + boundary.encode()
    chunks = xreq.body.split(delimiter)
    if len(chunks) < 3:
        raise StatementInvalid("the multipart body has no parts")
    parts: list[tuple[dict[str, str], bytes]] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, separator, content = chunk.partition(b"\r\n\r\n")
        if not separator:
            head, content = (
                (b"", chunk.removeprefix(b"\r\n"))
                if chunk.startswith(b"\r\n")
                else (
                    chunk,
                    b"",
                )
            )
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").split("\r\n"):
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        parts.append((headers, content))
    return parts


_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


def _statements_body(xreq: XapiRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    media = xreq.media_type
    attachments: dict[str, tuple[str, bytes]] = {}
    if media == "multipart/mixed":
        parts = _parse_multipart(xreq)
        first_headers, body = parts[0]
        if first_headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise StatementInvalid("the first part must be application/json")
        for headers, content in parts[1:]:
            sha2 = headers.get(HASH_HEADER.lower())
            if not sha2:
                raise StatementInvalid(f"every attachment part needs an {HASH_HEADER} header")
            encoding = headers.get("content-transfer-encoding")
            if encoding is None or encoding.lower() != "binary":
                raise StatementInvalid("attachment parts need Content-Transfer-Encoding: binary")
            algorithm = _HASHES.get(len(sha2))
            if algorithm is None or algorithm(content).hexdigest() != sha2.lower():
                raise StatementInvalid(f"an attachment part does not match its {HASH_HEADER}")
            attachments[sha2] = (headers.get("content-type", "application/octet-stream"), content)
    elif media == "application/json":
        body = xreq.body
    elif not media:
        raise StatementInvalid("a Content-Type header is required (application/json)")
    else:
        raise StatementInvalid(f"content type {media!r} is not accepted here")
    return loads(body or b"null"), attachments


def _write_statements(xreq: XapiRequest, principal: Principal) -> HttpResponse:
    body, attachments = _statements_body(xreq)
    if xreq.method == "PUT":
        _check_params(xreq, {"statementId"})
        if "statementId" not in xreq.params:
            raise StatementInvalid("is required", "statementId")
        statement_id = _uuid_param(xreq, "statementId")
        if not isinstance(body, dict):
            raise StatementInvalid("the body must be one statement")
        if "id" in body and str(body["id"]).lower() != str(statement_id):
            raise StatementInvalid("does not match the statementId parameter", "id")
        batch = [{**body, "id": body.get("id", str(statement_id))}]
    else:
        _check_params(xreq, set())
        batch = body if isinstance(body, list) else [body]
        if not batch or not all(isinstance(item, dict) for item in batch):
            raise StatementInvalid("the body must be a statement or a non-empty list of statements")
        _check_unique_ids(batch)
    signatures.check_statements(batch, attachments)
    ids = services.store_statements(
        statements=batch,
        version=xreq.version,
        client=principal.client,
        attachments=attachments,
        may_hold_empty=may_hold_empty(xreq.body),
    )
    if xreq.method == "PUT":
        return HttpResponse(status=204)
    return _json(ids)


def _check_unique_ids(batch: list[dict[str, Any]]) -> None:
    """One statement id twice in one batch is a 400, whatever the two statements hold."""
    seen: set[str] = set()
    for index, item in enumerate(batch):
        found = item.get("id")
        if isinstance(found, str):
            if found.lower() in seen:
                raise StatementInvalid(
                    "this statement id is already used earlier in the batch", f"[{index}].id"
                )
            seen.add(found.lower())


def _read_statements(xreq: XapiRequest, principal: Principal) -> HttpResponse:
    mine: str | None = None
    if not principal.allows("statements/read", "all", "all/read"):
        _require(principal, "statements/read/mine")
        mine = principal.authority_key
    params = xreq.params
    if _SINGLE & set(params):
        if len(_SINGLE & set(params)) > 1:
            raise StatementInvalid("statementId and voidedStatementId cannot be combined")
        _check_params(xreq, _SINGLE | {"format", "attachments"})
        name = next(iter(_SINGLE & set(params)))
        fmt = _format(xreq)
        row = selectors.statement_for_client(
            _uuid_param(xreq, name), voided=name == "voidedStatementId", authority_key=mine
        )
        statement = _render(row.payload, fmt, xreq)
        body = json.dumps(statement, separators=(",", ":"), ensure_ascii=False).encode()
        response = _with_attachments(body, [statement], _bool_param(xreq, "attachments"))
        response["Last-Modified"] = http_date(row.stored.timestamp())
        return response
    if "more" in params:
        _check_params(xreq, {"more"})
        try:
            query = StatementQuery.from_token(params["more"])
        except Exception:
            raise StatementInvalid("the more token is not valid", "more") from None
    else:
        _check_params(xreq, _QUERY)
        query = _query_from(xreq, mine)
    page = selectors.find_statements(query)
    fmt = query.extra.get("format", "exact")
    more = f"/xapi/statements?more={query_token(page.more)}" if page.more else ""
    with_attachments = query.extra.get("attachments") == "true"
    if (
        fmt == "exact"
        and not with_attachments
        and (xreq.version == V2 or not any(_needs_downgrade(row.payload) for row in page.rows))
    ):
        body = (
            b'{"statements":['
            + b",".join(row.payload.encode() for row in page.rows)
            + b'],"more":'
            + json.dumps(more).encode()
            + b"}"
        )
        response = HttpResponse(body, content_type="application/json")
    else:
        rendered = _render_many([row.payload for row in page.rows], fmt, xreq)
        body = json.dumps(
            {"statements": rendered, "more": more}, separators=(",", ":"), ensure_ascii=False
        ).encode()
        response = _with_attachments(body, rendered, with_attachments)
    if page.rows:
        response["Last-Modified"] = http_date(max(row.stored for row in page.rows).timestamp())
    return response


def query_token(query: StatementQuery | None) -> str:
    return query.token() if query is not None else ""


def _format(xreq: XapiRequest) -> str:
    fmt = xreq.params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise StatementInvalid("must be exact, ids or canonical", "format")
    return fmt


def _query_from(xreq: XapiRequest, mine: str | None) -> StatementQuery:
    params = xreq.params
    keys: list[str] = []
    if "registration" in params:
        keys.append(key_for(filter_keys.REGISTRATION, str(_uuid_param(xreq, "registration"))))
    if "activity" in params:
        kind = (
            filter_keys.ACTIVITY_RELATED
            if _bool_param(xreq, "related_activities")
            else filter_keys.ACTIVITY
        )
        keys.append(key_for(kind, _iri_param(xreq, "activity")))
    if "agent" in params:
        identity = filter_keys.agent_identity(_agent_param(xreq))
        kind = (
            filter_keys.AGENT_RELATED if _bool_param(xreq, "related_agents") else filter_keys.AGENT
        )
        keys.append(key_for(kind, str(identity)))
    if "verb" in params:
        keys.append(key_for(filter_keys.VERB, _iri_param(xreq, "verb")))
    if mine is not None:
        keys.append(mine)
    _bool_param(xreq, "related_activities")
    _bool_param(xreq, "related_agents")
    since, until = _time_param(xreq, "since"), _time_param(xreq, "until")
    limit_text = params.get("limit", "0")
    if not limit_text.isdigit():
        raise StatementInvalid("must be a non-negative integer", "limit")
    return StatementQuery(
        keys=tuple(keys),
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        limit=int(limit_text),
        ascending=_bool_param(xreq, "ascending"),
        extra={
            "format": _format(xreq),
            "attachments": "true" if _bool_param(xreq, "attachments") else "false",
        },
    )


def _needs_downgrade(payload: str) -> bool:
    return '"contextAgents"' in payload or '"contextGroups"' in payload


def _downgrade(statement: dict[str, Any]) -> dict[str, Any]:
    """A 1.0.3 client gets no 2.0-only context properties."""
    for node in (statement, statement.get("object", {})):
        context = node.get("context") if isinstance(node, dict) else None
        if isinstance(context, dict):
            context.pop("contextAgents", None)
            context.pop("contextGroups", None)
    return statement


def _render(payload: str, fmt: str, xreq: XapiRequest) -> dict[str, Any]:
    return _render_many([payload], fmt, xreq)[0]


def _render_many(payloads: list[str], fmt: str, xreq: XapiRequest) -> list[dict[str, Any]]:
    statements = [json.loads(payload) for payload in payloads]
    if xreq.version == V1:
        statements = [_downgrade(statement) for statement in statements]
    if fmt == "ids":
        return [_ids_statement(statement) for statement in statements]
    if fmt == "canonical":
        languages = _accept_languages(xreq.header("accept-language") or "")
        iris: set[str] = set()
        for statement in statements:
            iris.update(_activity_iris(statement))
        definitions = selectors.canonical_activities(iris)
        return [_canonical(statement, definitions, languages) for statement in statements]
    return statements


def _ids_agent(agent: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if "objectType" in agent:
        result["objectType"] = agent["objectType"]
    for name in ("mbox", "mbox_sha1sum", "openid", "account"):
        if name in agent:
            result[name] = agent[name]
            return result
    if "member" in agent:
        result["member"] = [_ids_agent(member) for member in agent["member"]]
    return result


def _ids_object(target: dict[str, Any]) -> dict[str, Any]:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": target["id"]}
    if kind in ("Agent", "Group"):
        return _ids_agent(target)
    if kind == "SubStatement":
        return _ids_statement(target)
    return target


def _ids_statement(statement: dict[str, Any]) -> dict[str, Any]:
    result = dict(statement)
    result["actor"] = _ids_agent(statement["actor"])
    result["verb"] = {"id": statement["verb"]["id"]}
    result["object"] = _ids_object(statement["object"])
    if "authority" in statement:
        result["authority"] = _ids_agent(statement["authority"])
    context = statement.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for name in ("instructor", "team"):
            if name in context:
                context[name] = _ids_agent(context[name])
        groups = context.get("contextActivities")
        if isinstance(groups, dict):
            context["contextActivities"] = {
                name: [{"objectType": "Activity", "id": item["id"]} for item in items]
                for name, items in groups.items()
            }
        result["context"] = context
    return result


def _accept_languages(header: str) -> list[str]:
    weighted: list[tuple[float, str]] = []
    for item in header.split(","):
        tag, _, quality = item.strip().partition(";q=")
        tag = tag.strip()
        if not tag:
            continue
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        weighted.append((weight, tag))
    return [tag for _, tag in sorted(weighted, key=lambda pair: -pair[0])]


def _pick(language_map: dict[str, str], languages: list[str]) -> dict[str, str]:
    for wanted in [*languages, "en-US", "en"]:
        if wanted == "*" and language_map:
            key = next(iter(language_map))
            return {key: language_map[key]}
        for tag, text in language_map.items():
            if tag.lower() == wanted.lower() or tag.lower().startswith(wanted.lower() + "-"):
                return {tag: text}
    if language_map:
        key = next(iter(language_map))
        return {key: language_map[key]}
    return language_map


def _activity_iris(statement: dict[str, Any]) -> Iterable[str]:
    for node in (statement, statement.get("object", {})):
        target = node.get("object") if isinstance(node, dict) else None
        if isinstance(target, dict) and target.get("objectType", "Activity") == "Activity":
            yield target["id"]
        groups = ((node.get("context") or {}) if isinstance(node, dict) else {}).get(
            "contextActivities"
        ) or {}
        for items in groups.values():
            for item in items:
                yield item["id"]


def _canonical_definition(definition: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    result = dict(definition)
    for name in ("name", "description"):
        if isinstance(result.get(name), dict):
            result[name] = _pick(result[name], languages)
    for name in ("choices", "scale", "source", "target", "steps"):
        if isinstance(result.get(name), list):
            result[name] = [
                {**item, "description": _pick(item["description"], languages)}
                if isinstance(item.get("description"), dict)
                else item
                for item in result[name]
            ]
    return result


def _canonical(
    statement: dict[str, Any], definitions: dict[str, dict[str, Any]], languages: list[str]
) -> dict[str, Any]:
    def activity(item: dict[str, Any]) -> dict[str, Any]:
        definition = definitions.get(item["id"], item.get("definition"))
        result = {key: value for key, value in item.items() if key != "definition"}
        if definition:
            result["definition"] = _canonical_definition(definition, languages)
        return result

    def node(value: dict[str, Any]) -> dict[str, Any]:
        value = dict(value)
        if isinstance(value.get("verb", {}).get("display"), dict):
            value["verb"] = {**value["verb"], "display": _pick(value["verb"]["display"], languages)}
        target = value.get("object")
        if isinstance(target, dict):
            kind = target.get("objectType", "Activity")
            if kind == "Activity":
                value["object"] = activity(target)
            elif kind == "SubStatement":
                value["object"] = node(target)
        context = value.get("context")
        if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
            value["context"] = {
                **context,
                "contextActivities": {
                    name: [activity(item) for item in items]
                    for name, items in context["contextActivities"].items()
                },
            }
        return value

    return node(statement)


def _with_attachments(body: bytes, statements: list[dict[str, Any]], wanted: bool) -> HttpResponse:
    if not wanted:
        return HttpResponse(body, content_type="application/json")
    sha2s = {
        str(attachment["sha2"])
        for statement in statements
        for attachment in statement.get("attachments", []) or []
    }
    contents = selectors.attachment_contents(sha2s)
    boundary = secrets.token_hex(16)
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        body,
        b"\r\n",
    ]
    for sha2, content in contents.items():
        chunks.append(
            (
                f"--{boundary}\r\nContent-Type: {content.content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\n{HASH_HEADER}: {sha2}\r\n\r\n"
            ).encode()
        )
        chunks.append(bytes(content.content))
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return HttpResponse(b"".join(chunks), content_type=f'multipart/mixed; boundary="{boundary}"')


# --- Documents ------------------------------------------------------------------------------------


def _document_response(found: Document) -> HttpResponse:
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["ETag"] = f'"{found.etag}"'
    response["Last-Modified"] = http_date(found.updated.timestamp())
    return response


def _documents(
    xreq: XapiRequest,
    *,
    scope: DocumentScope,
    id_param: str,
    allowed: set[str],
    delete_all: bool,
    precondition_required: bool,
) -> HttpResponse:
    document_id = xreq.params.get(id_param)
    if xreq.method in ("GET", "HEAD"):
        _check_params(xreq, allowed | {id_param, "since"})
        since = _time_param(xreq, "since")  # checked always; with an id it selects nothing more
        if document_id is not None:
            return _document_response(selectors.document(scope, document_id))
        return _json(selectors.document_ids(scope, since))
    _check_params(xreq, allowed | {id_param} | ({"since"} if xreq.method == "DELETE" else set()))
    if xreq.method == "DELETE":
        if document_id is None and not delete_all:
            raise StatementInvalid("is required", id_param)
        since = _time_param(xreq, "since")
        services.delete_documents(
            scope=scope,
            document_id=document_id,
            if_match=xreq.header("if-match"),
            since=since if document_id is None else None,
        )
        return HttpResponse(status=204)
    if document_id is None:
        raise StatementInvalid("is required", id_param)
    content_type = xreq.headers.get("content-type", "").strip()
    if not content_type:
        raise StatementInvalid("a Content-Type header is required")
    if xreq.media_type == "application/json":
        loads(xreq.body or b"null", "the JSON document")
    services.save_document(
        scope=scope,
        document_id=document_id,
        content=xreq.body,
        content_type=content_type,
        merge=xreq.method == "POST",
        if_match=xreq.header("if-match"),
        if_none_match=xreq.header("if-none-match"),
        precondition_required=precondition_required,
    )
    return HttpResponse(status=204)


def _agent_key(agent: dict[str, Any]) -> uuid.UUID:
    return filter_keys.filter_key(filter_keys.AGENT, str(filter_keys.agent_identity(agent)))


@endpoint(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def state(xreq: XapiRequest) -> HttpResponse:
    """The state resource: documents per activity, agent and registration."""
    principal = authenticate(xreq)
    if xreq.method in ("GET", "HEAD"):
        _require(principal, "state", "all", "all/read")
    else:
        _require(principal, "state", "all")
    activity_iri = _iri_param(xreq, "activityId")
    agent = _agent_param(xreq)
    registration = _uuid_param(xreq, "registration") if "registration" in xreq.params else None
    scope = DocumentScope(
        kind=Document.Kind.STATE,
        activity_key=filter_keys.filter_key(filter_keys.ACTIVITY, activity_iri),
        agent_key=_agent_key(agent),
        registration=registration,
    )
    return _documents(
        xreq,
        scope=scope,
        id_param="stateId",
        allowed={"activityId", "agent", "registration"},
        delete_all=True,
        precondition_required=xreq.version == V2,
    )


@endpoint(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def activity_profile(xreq: XapiRequest) -> HttpResponse:
    """The activity profile resource."""
    principal = authenticate(xreq)
    if xreq.method in ("GET", "HEAD"):
        _require(principal, "profile", "all", "all/read")
    else:
        _require(principal, "profile", "all")
    activity_iri = _iri_param(xreq, "activityId")
    scope = DocumentScope(
        kind=Document.Kind.ACTIVITY_PROFILE,
        activity_key=filter_keys.filter_key(filter_keys.ACTIVITY, activity_iri),
    )
    return _documents(
        xreq,
        scope=scope,
        id_param="profileId",
        allowed={"activityId"},
        delete_all=False,
        precondition_required=True,
    )


@endpoint(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def agent_profile(xreq: XapiRequest) -> HttpResponse:
    """The agent profile resource."""
    principal = authenticate(xreq)
    if xreq.method in ("GET", "HEAD"):
        _require(principal, "profile", "all", "all/read")
    else:
        _require(principal, "profile", "all")
    scope = DocumentScope(
        kind=Document.Kind.AGENT_PROFILE, agent_key=_agent_key(_agent_param(xreq))
    )
    return _documents(
        xreq,
        scope=scope,
        id_param="profileId",
        allowed={"agent"},
        delete_all=False,
        precondition_required=True,
    )


# --- Agents, activities, about --------------------------------------------------------------------


@endpoint(methods={"GET", "HEAD"})
def agents(xreq: XapiRequest) -> HttpResponse:
    """The Person object of an agent: every identifier and name known for it."""
    principal = authenticate(xreq)
    _require(principal, "profile", "all", "all/read", "statements/read")
    _check_params(xreq, {"agent"})
    agent = _agent_param(xreq)
    person: dict[str, Any] = {"objectType": "Person"}
    for name in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if name in agent:
            person[name] = [agent[name]]
    return _json(person)


@endpoint(methods={"GET", "HEAD"})
def activities(xreq: XapiRequest) -> HttpResponse:
    """The canonical definition of an activity."""
    principal = authenticate(xreq)
    _require(principal, "profile", "all", "all/read", "statements/read")
    _check_params(xreq, {"activityId"})
    return _json(selectors.activity(_iri_param(xreq, "activityId")))


@endpoint(methods={"GET", "HEAD"}, authenticated=False)
def about(xreq: XapiRequest) -> HttpResponse:
    """Versions and extensions of this LRS; no authentication.

    Answered in the client's version like everything else: a 1.0.x client is told the 1.0.x
    versions (a 1.0.3 ``about`` may list only 0.9, 0.95 and 1.0.x, XAPI-00316); a 2.0 client, or
    one that sends no version, every version.
    """
    versions = [v for v in SUPPORTED_VERSIONS if xreq.version == V2 or v.startswith("1.0.")]
    return _json(
        {
            "version": versions,
            "extensions": {"https://w3id.org/xapi/ecotone/extensions/lrs": {"name": "Ecotone"}},
        }
    )
