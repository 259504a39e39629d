"""``ecotone import-org FILE [--commit] [--deactivate-missing] [--as EMAIL]``.

Prints what importing FILE (CSV or XLSX) would do, row errors first; writes only with
``--commit``, in one transaction, as an administrator (the first one, or ``--as``).
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from ecotone.kernel.errors import DomainError
from ecotone.people.management.terminal import console_for
from ecotone.people.models import RoleGrant, User
from ecotone.people.orgfile import (
    MAX_BYTES,
    ImportInvalid,
    ImportPreview,
    commit_org_import,
    preview_org_import,
)

SHOWN_ROWS = 200


class Command(BaseCommand):
    help = "Preview (and with --commit, apply) an org file of people and teams (CSV or XLSX)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file (see docs/org-import.md).")
        parser.add_argument("--commit", action="store_true", help="Apply the import.")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Mark active people who are not in the file as having left.",
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help="The administrator acting (default: the first administrator).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self.stdout)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB; split it.")
        actor = _actor(options["as_email"])
        data = path.read_bytes()
        arguments = {
            "actor": actor,
            "file": data,
            "filename": path.name,
            "deactivate_missing": options["deactivate_missing"],
        }
        with _ProgressBar(console) as bar:
            try:
                if options["commit"]:
                    result = commit_org_import(**arguments, progress=bar.update)
                else:
                    preview = preview_org_import(**arguments, progress=bar.update)
            except ImportInvalid as invalid:
                bar.stop()
                print_preview(console, invalid.preview)
                raise CommandError(invalid.message) from None
            except DomainError as error:
                raise CommandError(error.message) from None
        if options["commit"]:
            print_preview(console, result.preview)
            console.print(
                f"[green]Imported {path.name}:[/green] {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged, "
                f"{result.deactivated} marked as left, {result.teams_created} teams created."
            )
            return
        print_preview(console, preview)
        if not preview.is_valid:
            raise CommandError("Fix the rows with errors; nothing was imported.")
        if preview.has_changes:
            console.print("Nothing was written. Run again with --commit to import.")
        else:
            console.print("The file matches the org: there is nothing to import.")


def _actor(email: str | None) -> User:
    if email:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {email}.")
        return user
    admin = (
        User.objects.filter(is_active=True, person__role_grants__role=RoleGrant.Role.ADMIN)
        .order_by("person__pk")
        .first()
    ) or User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
    if admin is None:
        raise CommandError("There is no administrator yet: run `ecotone createadmin` first.")
    return admin


class _ProgressBar:
    """A rich progress bar fed by the import's ``progress(stage, done, total)`` callback."""

    def __init__(self, console: Console) -> None:
        self.bars = Progress(
            TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
            console=console, transient=True,
        )  # fmt: skip
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _ProgressBar:
        self.bars.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.bars.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=total)
        self.bars.update(self.tasks[stage], completed=done, total=total)


def print_preview(console: Console, preview: ImportPreview) -> None:
    counts = preview.counts
    console.print(
        f"[bold]{preview.filename}[/bold]: {counts['rows']} rows — "
        f"{counts['create']} new, {counts['update']} changed, {counts['unchanged']} unchanged, "
        f"[red]{counts['error']} with errors[/red], {counts['teams']} teams to create, "
        f"{counts['deactivate']} to mark as left, {counts['moved_up']} moving up."
    )
    if preview.ignored_columns:
        console.print(f"Columns ignored: {', '.join(preview.ignored_columns)}")
    rows = [row for row in preview.rows_by_importance() if row.action != "unchanged"]
    if rows:
        table = Table(box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("Row", justify="right", no_wrap=True)
        table.add_column("Result", no_wrap=True)
        table.add_column("Person")
        table.add_column("Details")
        for row in rows[:SHOWN_ROWS]:
            if row.errors:
                details = "\n".join(
                    f"[red]{column}: {message}[/red]"
                    for column, messages in row.errors.items()
                    for message in messages
                )
            elif row.action == "create":
                details = ", ".join(
                    f"{column}: {row.values[column]}"
                    for column in ("title", "team", "manager_email", "manager_employee_id")
                    if row.values.get(column)
                )
            else:
                details = "\n".join(
                    f"{name}: {change.old or '—'} → {change.new or '—'}"
                    for name, change in row.changes.items()
                )
            style = {"error": "red", "create": "green", "update": "yellow"}.get(row.action, "")
            table.add_row(
                str(row.number),
                f"[{style}]{row.action}[/{style}]" if style else row.action,
                f"{row.display_name} <{row.email}>",
                details,
            )
        console.print(table)
        if len(rows) > SHOWN_ROWS:
            console.print(f"… and {len(rows) - SHOWN_ROWS} more rows.")
    if preview.teams_to_create:
        console.print("Teams to create: " + ", ".join(preview.teams_to_create[:50]))
    if preview.to_deactivate:
        console.print(
            "To mark as left: " + ", ".join(ref.email for ref in preview.to_deactivate[:50])
        )
