"""The ``ecotone`` command: Django's management commands, with friendlier names.

ecotone demo [--port 8000]     set up the data directory, migrate, seed the demo, serve
ecotone serve [--bind ...]      the production server (gunicorn)
ecotone worker                  background tasks and recurring jobs
ecotone migrate                 apply database migrations
ecotone seed --size small       a deterministic fictional company
ecotone import-org FILE         import people and teams from CSV or XLSX
ecotone createadmin             create an administrator
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotone.config.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if not args:
        print(__doc__)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ecotone", *args])


if __name__ == "__main__":
    main()
