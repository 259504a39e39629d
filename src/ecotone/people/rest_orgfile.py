"""JSON adapters for org import and export, over the same services as the HTML pages."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, UploadedFile

from ecotone.kernel.problems import ERRORS, Problem
from ecotone.people.orgfile import (
    FORMATS,
    MAX_BYTES,
    ImportPreview,
    commit_org_import,
    export_org,
    preview_org_import,
)

router = Router(tags=["people"])


class ChangeOut(Schema):
    old: str
    new: str


class ImportRowOut(Schema):
    row: int
    action: Literal["create", "update", "unchanged", "error"]
    email: str
    employee_id: str
    display_name: str
    changes: dict[str, ChangeOut]
    errors: dict[str, list[str]]


class PersonRefOut(Schema):
    display_name: str
    email: str


class ImportCountsOut(Schema):
    rows: int
    create: int
    update: int
    unchanged: int
    error: int
    deactivate: int
    teams: int
    moved_up: int


class ImportReportOut(Schema):
    filename: str
    format: str
    committed: bool
    valid: bool
    deactivate_missing: bool
    counts: ImportCountsOut
    columns: list[str]
    ignored_columns: list[str]
    teams_to_create: list[str]
    to_deactivate: list[PersonRefOut]
    moved_up: list[PersonRefOut]
    rows: list[ImportRowOut]


def report(preview: ImportPreview, *, committed: bool) -> ImportReportOut:
    return ImportReportOut(
        filename=preview.filename,
        format=preview.format,
        committed=committed,
        valid=preview.is_valid,
        deactivate_missing=preview.deactivate_missing,
        counts=ImportCountsOut(**preview.counts),
        columns=preview.columns,
        ignored_columns=preview.ignored_columns,
        teams_to_create=preview.teams_to_create,
        to_deactivate=[PersonRefOut(**vars(ref)) for ref in preview.to_deactivate],
        moved_up=[PersonRefOut(**vars(ref)) for ref in preview.moved_up],
        rows=[
            ImportRowOut(
                row=row.number,
                action=row.action,  # type: ignore[arg-type]
                email=row.email,
                employee_id=row.employee_id,
                display_name=row.display_name,
                changes={name: ChangeOut(old=c.old, new=c.new) for name, c in row.changes.items()},
                errors=row.errors,
            )
            for row in preview.rows
        ],
    )


@router.post(
    "/people/import",
    response={200: ImportReportOut, 413: Problem, **ERRORS},
    summary="Preview or apply an org file (CSV or XLSX)",
    description=(
        "Upload an org file (format: docs/org-import.md). With `commit` false (the default) "
        "nothing is written and the report says, row by row, what would happen. With `commit` "
        "true the file is applied in one transaction; if any row is invalid nothing is written "
        "and the answer is a 422 problem whose `errors` are keyed `row N: column`. Admins only."
    ),
)
def import_org(
    request: HttpRequest,
    file: File[UploadedFile],
    commit: Form[bool] = False,
    deactivate_missing: Form[bool] = False,
) -> ImportReportOut:
    data = file.read(MAX_BYTES + 1)
    filename = file.name or "upload"
    if commit:
        result = commit_org_import(
            actor=request.user, file=data, filename=filename, deactivate_missing=deactivate_missing
        )
        return report(result.preview, committed=True)
    preview = preview_org_import(
        actor=request.user, file=data, filename=filename, deactivate_missing=deactivate_missing
    )
    return report(preview, committed=False)


@router.get(
    "/people/export",
    response={**ERRORS},
    summary="Download the org as CSV or XLSX",
    description="Every person, in the import format: importing it back changes nothing. "
    "Admins and L&D facilitators.",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The org file.",
                "content": {
                    media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for media_type in FORMATS.values()
                },
            }
        }
    },
)
def export_org_file(
    request: HttpRequest,
    file_format: Literal["csv", "xlsx"] = Query("csv", alias="format"),  # type: ignore[assignment,type-arg]
) -> HttpResponse:
    data = export_org(actor=request.user, file_format=file_format)
    response = HttpResponse(data, content_type=FORMATS[file_format])
    filename = f"ecotone-org-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
