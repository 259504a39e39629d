"""The OpenAPI schema is a reviewed artifact: committed, served as committed, and honest."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ecotone.kernel.management.commands.openapi import SNAPSHOT, current_schema

ERROR_STATUSES = {"400", "401", "403", "404", "422", "429"}


def test_snapshot_matches_the_code():
    stored = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    assert stored == current_schema(), (
        "The API changed and src/ecotone/config/openapi.json is out of date. Review the change, "
        "then run `ecotone openapi --write` and commit the new snapshot."
    )


def test_served_schema_is_the_snapshot(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(current_schema())


def test_check_command_fails_on_drift(monkeypatch, tmp_path):
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    monkeypatch.setattr("ecotone.kernel.management.commands.openapi.SNAPSHOT", stale)
    with pytest.raises(CommandError, match="ecotone openapi --write"):
        call_command("openapi", "--check")
    call_command("openapi", "--write")
    call_command("openapi", "--check")
    assert stale.read_text() == current_schema()


def test_schema_is_openapi_3_1():
    assert json.loads(current_schema())["openapi"] == "3.1.0"


def test_every_operation_declares_its_errors_as_problem_json():
    schema = json.loads(current_schema())
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            if not declared >= ERROR_STATUSES:
                missing.append(f"{method.upper()} {path}: {sorted(ERROR_STATUSES - declared)}")
            for status in declared & ERROR_STATUSES:
                content = operation["responses"][status].get("content", {})
                if list(content) != ["application/problem+json"]:
                    missing.append(f"{method.upper()} {path} {status}: {list(content)}")
    assert not missing, "operations with undeclared or non-problem errors:\n" + "\n".join(missing)


def test_every_operation_requires_authentication():
    schema = json.loads(current_schema())
    open_operations = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("security")
    ]
    assert open_operations == []


def test_docs_page_renders_offline_under_the_strict_csp(db):
    response = Client().get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attributes, body in scripts:
        # Executable scripts come from our own static files; JSON data blocks are not executed.
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
        assert "src=" in attributes or not body.strip().startswith(("function", "var", "const"))
    assert "cdn" not in html.lower()
    assert re.search(r"\son\w+=", html) is None
    assert 'style="' not in html
