"""Org files: import people and teams from CSV or XLSX (preview, then commit), and export them.

The format is documented in docs/org-import.md.
"""

from ecotone.people.orgfile.columns import COLUMNS, MAX_BYTES, MAX_ROWS, read_org_file
from ecotone.people.orgfile.exporting import FORMATS, export_org
from ecotone.people.orgfile.importing import ImportInvalid, commit_org_import, preview_org_import
from ecotone.people.orgfile.report import ImportPreview, ImportResult, PersonRef, RowReport

__all__ = [
    "COLUMNS",
    "FORMATS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportInvalid",
    "ImportPreview",
    "ImportResult",
    "PersonRef",
    "RowReport",
    "commit_org_import",
    "export_org",
    "preview_org_import",
    "read_org_file",
]
