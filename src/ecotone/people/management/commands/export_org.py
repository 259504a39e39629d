"""``ecotone export-org FILE.csv|FILE.xlsx [--as EMAIL]``: the org in the import format."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ecotone.kernel.errors import DomainError
from ecotone.people.management.commands.import_org import _actor
from ecotone.people.orgfile import FORMATS, export_org


class Command(BaseCommand):
    help = "Write every person and team to a CSV or XLSX file that `import-org` reads back."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="Where to write: a name ending in .csv or .xlsx.")
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help="The administrator or L&D facilitator acting (default: the first admin).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        file_format = path.suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError("Name the file .csv or .xlsx.")
        try:
            data = export_org(actor=_actor(options["as_email"]), file_format=file_format)
        except DomainError as error:
            raise CommandError(error.message) from None
        path.write_bytes(data)
        self.stdout.write(f"Wrote {path} ({len(data):,} bytes).")
