from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ecotone.lrs import services
from ecotone.lrs.models import LrsClient
from ecotone.people.models import Person, RoleGrant, User


@pytest.fixture(autouse=True)
def _forget_known_definitions():
    """The process-wide cache of stored activity definitions outlives a flushed database."""
    services._known_definitions.clear()
    yield
    services._known_definitions.clear()


@pytest.fixture
def lrs_admin(db):
    user = User.objects.create_user("lrs-admin@example.com")
    person = Person.objects.create(user=user, display_name="Ada Admin")
    RoleGrant.objects.create(person=person, role=RoleGrant.Role.ADMIN)
    return user


@dataclass
class Xapi:
    """A test client speaking xAPI with a given client's credentials and version."""

    http: Client
    key: str
    secret: str
    client: LrsClient
    version: str = "2.0.0"

    def headers(self, **extra: Any) -> dict[str, Any]:
        token = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": self.version}
        headers.update(extra)
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: Any):
        return self.http.get(f"/xapi/{path}", params or {}, headers=self.headers(**headers))

    def head(self, path: str, params: dict[str, Any] | None = None, **headers: Any):
        return self.http.head(f"/xapi/{path}", params or {}, headers=self.headers(**headers))

    def post(
        self,
        path: str,
        body: Any,
        params: str = "",
        content_type="application/json",
        **headers: Any,
    ):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        url = f"/xapi/{path}" + (f"?{params}" if params else "")
        return self.http.post(url, data, content_type=content_type, headers=self.headers(**headers))

    def put(
        self,
        path: str,
        body: Any,
        params: str = "",
        content_type="application/json",
        **headers: Any,
    ):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        url = f"/xapi/{path}" + (f"?{params}" if params else "")
        return self.http.put(url, data, content_type=content_type, headers=self.headers(**headers))

    def delete(self, path: str, params: str = "", **headers: Any):
        url = f"/xapi/{path}" + (f"?{params}" if params else "")
        return self.http.delete(url, headers=self.headers(**headers))

    def statements(self, **params: Any) -> list[dict[str, Any]]:
        response = self.get("statements", params)
        assert response.status_code == 200, response.content
        return response.json()["statements"]


def make_xapi(actor, scopes=("all",), version="2.0.0", name="Tool") -> Xapi:
    issued = services.create_client(actor=actor, name=name, scopes=list(scopes))
    return Xapi(Client(), issued.client.key, issued.secret, issued.client, version)


@pytest.fixture
def xapi(lrs_admin) -> Xapi:
    return make_xapi(lrs_admin)


@pytest.fixture
def xapi1(lrs_admin) -> Xapi:
    return make_xapi(lrs_admin, version="1.0.3", name="Old tool")


def statement(**overrides: Any) -> dict[str, Any]:
    """A valid statement; keyword arguments replace top-level properties."""
    base: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Leo", "mbox": "mailto:leo@example.com"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": "http://example.com/courses/xapi-101",
            "definition": {"name": {"en-US": "xAPI 101"}},
        },
    }
    base.update(overrides)
    return base


def attachment(content: bytes, **extra: Any) -> dict[str, Any]:
    """An attachment declaration for ``content`` (its length and SHA-256 right), overridable."""
    return {
        "usageType": "http://example.com/attachments/certificate",
        "display": {"en-US": "Certificate"},
        "contentType": "text/plain",
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
        **extra,
    }


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def staff(db) -> dict[str, Any]:
    """Users by role, without password hashing (the LRS tests only need their roles)."""
    from django.contrib.auth.models import AnonymousUser

    def person(email: str, role: str | None = None, manager: Person | None = None) -> Person:
        user = User.objects.create_user(email)
        found = Person.objects.create(
            user=user,
            display_name=email.split("@")[0].title(),
            manager=manager,
            manager_path=f"{manager.manager_path}{manager.pk}/" if manager else "/",
        )
        if role:
            RoleGrant.objects.create(person=found, role=role)
        return found

    manager = person("mia@example.com")
    people = {
        "admin": person("ada@example.com", RoleGrant.Role.ADMIN),
        "ld": person("lena@example.com", RoleGrant.Role.LEARNING),
        "executive": person("eve@example.com", RoleGrant.Role.EXECUTIVE),
        "manager": manager,
        "learner": person("leo@example.com", manager=manager),
    }
    return {name: found.user for name, found in people.items()} | {"anonymous": AnonymousUser()}


VERSIONS = ("1.0.3", "2.0.0")


@pytest.fixture(params=VERSIONS)
def xv(request, lrs_admin) -> Xapi:
    """A client of each version: a test using it runs once per version the LRS speaks."""
    return make_xapi(lrs_admin, version=request.param, name=f"Tool {request.param}")
