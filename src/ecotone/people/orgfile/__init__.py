"""Org files: import people and teams from CSV or XLSX (preview, then commit), and export them.

The format is documented in docs/org-import.md.
"""

from ecotone.people.orgfile.columns import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    all_columns,
    read_org_file,
)
from ecotone.people.orgfile.exporting import FORMATS, export_org
from ecotone.people.orgfile.extensions import ExtraColumn, extra_columns, register_column
from ecotone.people.orgfile.importing import ImportInvalid, commit_org_import, preview_org_import
from ecotone.people.orgfile.report import ImportPreview, ImportResult, PersonRef, RowReport

__all__ = [
    "COLUMNS",
    "FORMATS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ExtraColumn",
    "ImportInvalid",
    "ImportPreview",
    "ImportResult",
    "PersonRef",
    "RowReport",
    "all_columns",
    "commit_org_import",
    "export_org",
    "extra_columns",
    "preview_org_import",
    "read_org_file",
    "register_column",
]
