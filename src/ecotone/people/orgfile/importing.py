"""Import people and teams from an org file: a preview that writes nothing, then a commit.

Both steps run the same planner (``planning``) over the whole file and the whole org held in
memory, so a 20,000-row file is checked in seconds. The commit then writes with bulk operations
(``writing``) inside one transaction, or raises ``ImportInvalid`` and writes nothing.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from ecotone import authz
from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError
from ecotone.people import search as people_search
from ecotone.people.orgfile.columns import read_org_file
from ecotone.people.orgfile.planning import Planner, Progress
from ecotone.people.orgfile.report import ERROR, ImportPreview, ImportResult
from ecotone.people.orgfile.writing import Writer
from ecotone.people.roles import forget


class ImportInvalid(DomainError):
    """The file has row errors: nothing was written. ``preview`` holds the full report."""

    def __init__(self, preview: ImportPreview) -> None:
        errors = preview.counts[ERROR]
        super().__init__(
            "import_invalid",
            f"{errors} row{'s' if errors != 1 else ''} of the file "
            f"{'have' if errors != 1 else 'has'} errors; nothing was imported.",
            field="file",
            errors=preview.error_messages(),
        )
        self.preview = preview


def preview_org_import(
    *,
    actor: Any,
    file: bytes | IO[bytes],
    filename: str,
    deactivate_missing: bool = False,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read the file and report, row by row, what importing it would do. Writes nothing."""
    authz.require(actor, "people.manage_people")
    table = read_org_file(file, filename)
    return Planner(actor, table, filename, deactivate_missing, progress).plan().preview


def commit_org_import(
    *,
    actor: Any,
    file: bytes | IO[bytes],
    filename: str,
    deactivate_missing: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Apply the file in one transaction, or raise ``ImportInvalid`` and write nothing.

    The file is planned again inside the transaction, so the result is exactly what a preview
    taken now would show. Importing the same file twice changes nothing the second time.
    """
    authz.require(actor, "people.manage_people")
    table = read_org_file(file, filename)
    with transaction.atomic():
        plan = Planner(actor, table, filename, deactivate_missing, progress).plan()
        if not plan.preview.is_valid:
            raise ImportInvalid(plan.preview)
        if plan.preview.teams_to_create:
            authz.require(actor, "people.manage_teams")
        if plan.role_changes:
            authz.require(actor, "people.grant_role")
        result = Writer(plan, actor, progress).write()
        people_search.reindex_all()  # bulk writes bypass the services that keep the index
        audit.record(
            actor=actor,
            action="people.org_imported",
            detail={
                "filename": filename[:200],
                "rows": len(plan.preview.rows),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
                "teams_created": result.teams_created,
                "moved_up": result.moved_up,
                "deactivate_missing": deactivate_missing,
            },
        )
    forget(actor)
    return result
