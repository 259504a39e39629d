"""HTML adapters for org import (upload → preview → confirm → result) and export.

Between the preview and the confirmation the uploaded file waits in the data directory's
``uploads`` folder under a random token, which only the uploader's session knows; it is deleted
once committed, and leftovers older than a day are swept at the next upload.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ecotone import authz
from ecotone.kernel.errors import DomainError, Forbidden
from ecotone.people.orgfile import (
    FORMATS,
    MAX_BYTES,
    ImportInvalid,
    ImportPreview,
    commit_org_import,
    export_org,
    preview_org_import,
)

SESSION_KEY = "org_imports"
UPLOAD_PREFIX = "org-import-"
UPLOAD_MAX_AGE = 24 * 3600
PREVIEW_ROWS = 500  # rows shown on the preview page; errors come first
ACCEPT = ",".join([".csv", ".tsv", ".txt", ".xlsx", *FORMATS.values()])


class OrgImportForm(forms.Form):
    file = forms.FileField(
        label="Org file (CSV or XLSX)",
        help_text="One row per person. See the format guide for the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    deactivate_missing = forms.BooleanField(
        required=False,
        label="Mark people who are not in the file as having left",
        help_text="Off by default: people missing from the file are left alone.",
    )


def _require_import(request: HttpRequest) -> None:
    if not authz.can(request.user, "people.manage_people"):
        raise PermissionDenied


def _upload_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _upload_path(token: str) -> Path:
    return _upload_dir() / f"{UPLOAD_PREFIX}{token}"


def _sweep_old_uploads() -> None:
    cutoff = time.time() - UPLOAD_MAX_AGE
    for path in _upload_dir().glob(f"{UPLOAD_PREFIX}*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _keep(request: HttpRequest, data: bytes, filename: str, deactivate_missing: bool) -> str:
    """Store the upload until the confirmation; return the token naming it."""
    _sweep_old_uploads()
    token = secrets.token_urlsafe(24)
    _upload_path(token).write_bytes(data)
    pending: dict[str, Any] = request.session.get(SESSION_KEY, {})
    pending[token] = {"filename": filename, "deactivate_missing": deactivate_missing}
    request.session[SESSION_KEY] = pending
    return token


def _forget(request: HttpRequest, token: str) -> None:
    pending: dict[str, Any] = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    _upload_path(token).unlink(missing_ok=True)


def _preview_context(preview: ImportPreview, token: str) -> dict[str, Any]:
    rows = preview.rows_by_importance()
    return {
        "preview": preview,
        "counts": preview.counts,
        "rows": rows[:PREVIEW_ROWS],
        "hidden_rows": max(0, len(rows) - PREVIEW_ROWS),
        "token": token,
        "section": "org_import",
    }


@login_required
@require_GET
def org_import(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    return render(request, "people/import.html", {"form": OrgImportForm(), "section": "org_import"})


@login_required
@require_POST
def org_import_preview(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    form = OrgImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "people/import.html", {"form": form, "section": "org_import"}, status=422
        )
    upload = form.cleaned_data["file"]
    deactivate_missing = bool(form.cleaned_data["deactivate_missing"])
    data = upload.read(MAX_BYTES + 1)
    try:
        preview = preview_org_import(
            actor=request.user,
            file=data,
            filename=upload.name,
            deactivate_missing=deactivate_missing,
        )
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as error:
        form.add_error("file", error.message)
        return render(
            request, "people/import.html", {"form": form, "section": "org_import"}, status=422
        )
    token = _keep(request, data, upload.name, deactivate_missing)
    return render(request, "people/import_preview.html", _preview_context(preview, token))


@login_required
@require_POST
def org_import_commit(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_path(token) if token.replace("-", "").replace("_", "").isalnum() else None
    if pending is None or path is None or not path.exists():
        context = {"form": OrgImportForm(), "expired": True, "section": "org_import"}
        return render(request, "people/import.html", context, status=410)
    try:
        result = commit_org_import(
            actor=request.user,
            file=path.read_bytes(),
            filename=pending["filename"],
            deactivate_missing=pending["deactivate_missing"],
        )
    except Forbidden:
        raise PermissionDenied from None
    except ImportInvalid as invalid:
        # The org changed since the preview: show the new report, keep the file for a retry.
        context = _preview_context(invalid.preview, token)
        return render(request, "people/import_preview.html", context, status=422)
    _forget(request, token)
    return render(request, "people/import_result.html", {"result": result, "section": "org_import"})


@login_required
@require_GET
def org_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise Http404
    try:
        data = export_org(actor=request.user, file_format=file_format)
    except Forbidden:
        raise PermissionDenied from None
    response = HttpResponse(data, content_type=FORMATS[file_format])
    filename = f"ecotone-org-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
