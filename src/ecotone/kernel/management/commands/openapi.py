"""``ecotone openapi``: print the API's OpenAPI schema, write the committed snapshot, or check it.

ecotone openapi            print the schema
ecotone openapi --write    update src/ecotone/config/openapi.json (review the diff, commit it)
ecotone openapi --check    exit 1 when the snapshot is out of date (CI)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

# Named by string: the kernel sits below config in the domain map and must not import it.
API = "ecotone.config.api.api"
SNAPSHOT = Path(settings.BASE_DIR) / "config" / "openapi.json"


def current_schema() -> str:
    """The schema the code serves now, as the snapshot stores it (stable key order)."""
    api = import_string(API)
    # A JSON round trip first: status codes are int keys in the generated schema.
    schema: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema()))
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI schema of /api/v1/, or write or check the committed snapshot."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.name}")
        group.add_argument("--check", action="store_true", help="fail if the snapshot drifted")

    def handle(self, *args: Any, write: bool, check: bool, **options: Any) -> None:
        schema = current_schema()
        if write:
            SNAPSHOT.write_text(schema, encoding="utf-8")
            self.stdout.write(f"Wrote {SNAPSHOT}")
        elif check:
            stored = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
            if stored != schema:
                raise CommandError(
                    "The OpenAPI snapshot is out of date: review the API change, then run "
                    "`ecotone openapi --write` and commit src/ecotone/config/openapi.json."
                )
            self.stdout.write("The OpenAPI snapshot is up to date.")
        else:
            self.stdout.write(schema, ending="")
