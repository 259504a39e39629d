"""The org file format: its columns, their aliases, and reading a CSV or XLSX file into rows.

The format is documented in docs/org-import.md. Reading never touches the database: it turns the
uploaded bytes into a header (mapped to canonical column names) and rows of plain strings, or
raises ``DomainError`` (field ``file``) for a file that cannot be read at all.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import openpyxl  # type: ignore[import-untyped]
import tablib
from django.conf import settings
from tablib.exceptions import InvalidDimensions

from ecotone.kernel.errors import DomainError
from ecotone.people.orgfile.extensions import extra_columns

# Canonical columns, in the order the export writes them (then the columns other apps register,
# see ``extensions``).
COLUMNS = (
    "employee_id",
    "email",
    "display_name",
    "title",
    "team",
    "manager_email",
    "manager_employee_id",
    "location",
    "time_zone",
    "start_date",
    "status",
    "roles",
)
REQUIRED = ("email", "display_name")

# Header spellings accepted for each column, after normalisation (lower case, runs of anything
# but letters and digits turned into "_").
ALIASES: dict[str, tuple[str, ...]] = {
    "employee_id": ("employee_number", "employee_no", "emp_id", "staff_id", "id"),
    "email": ("e_mail", "email_address", "e_mail_address", "work_email", "mail"),
    "display_name": ("name", "full_name", "employee_name"),
    "title": ("job_title", "position"),
    "team": ("department", "dept", "team_path", "org_unit", "division"),
    "manager_email": ("manager", "manager_e_mail", "reports_to", "line_manager"),
    "manager_employee_id": ("manager_id", "manager_employee_number"),
    "location": ("office", "city", "site"),
    "time_zone": ("timezone", "tz"),
    "start_date": ("hire_date", "started_on", "joined_on", "date_joined"),
    "status": ("employment_status", "state"),
    "roles": ("role", "granted_roles"),
}
_HEADER_TO_COLUMN = {
    alias: column for column, aliases in ALIASES.items() for alias in (column, *aliases)
}


def all_columns() -> list[str]:
    """People's columns, then those other apps registered."""
    return [*COLUMNS, *(column.name for column in extra_columns())]


def header_to_column() -> dict[str, str]:
    """Every accepted header spelling (normalised) to its column. People's own columns win."""
    mapping: dict[str, str] = {}
    for column in extra_columns():
        for alias in (column.name, *column.aliases):
            mapping[normalise_header(alias)] = column.name
    return mapping | _HEADER_TO_COLUMN


CSV_DELIMITERS = (",", ";", "\t", "|")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MAX_BYTES: int = getattr(settings, "ECOTONE_ORG_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
MAX_ROWS: int = getattr(settings, "ECOTONE_ORG_IMPORT_MAX_ROWS", 50_000)
# An XLSX file is a zip: refuse archives that would inflate past this (zip bombs).
MAX_XLSX_UNCOMPRESSED = 20 * MAX_BYTES

# openpyxl parses the workbook's XML with defusedxml when it is installed (a dependency):
# entity expansion and external entities are refused.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded by the dependency list
    raise RuntimeError("defusedxml must be installed to read XLSX files safely")


@dataclass(frozen=True)
class OrgTable:
    """A file read into canonical columns. ``rows`` pairs each row's number with its cells."""

    format: str
    columns: list[str]
    ignored_columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def protect_cell(value: str) -> str:
    """Prefix a value a spreadsheet would run as a formula with an apostrophe (the export)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def unprotect_cell(value: str) -> str:
    """Undo ``protect_cell`` (the import), so that an export imports back unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read_org_file(file: bytes | IO[bytes], filename: str) -> OrgTable:
    """Read an uploaded CSV or XLSX file. Raises ``DomainError`` (field ``file``) if unreadable."""
    data = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DomainError(
            "file_too_large",
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it.",
            field="file",
            status=413,
        )
    if not data.strip():
        raise DomainError("empty_file", "The file is empty.", field="file")
    file_format = detect_format(data, filename)
    dataset = _read_xlsx(data) if file_format == "xlsx" else _read_csv(data)
    return _to_table(dataset, file_format)


def detect_format(data: bytes, filename: str) -> str:
    name = filename.lower()
    if name.endswith(".xls"):
        raise DomainError(
            "unsupported_format",
            "Old Excel files (.xls) are not supported; save the sheet as .xlsx or CSV.",
            field="file",
        )
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.endswith(".xlsx"):
        raise DomainError("unreadable_file", "This is not a valid XLSX file.", field="file")
    return "csv"


def _decode(data: bytes) -> str:
    """Text from bytes: a byte-order mark wins, then UTF-8, then Windows-1252 (Excel's CSV)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_delimiter(text: str) -> str:
    """The separator used most on the header line (comma, semicolon, tab or pipe)."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> tablib.Dataset:
    text = _decode(data)
    delimiter = detect_delimiter(text)
    dataset = tablib.Dataset()
    try:
        dataset.load(text, format="csv", delimiter=delimiter)
    except InvalidDimensions:
        width = len(next(csv.reader(io.StringIO(text), delimiter=delimiter)))
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        for row in reader:
            if len(row) > width:
                raise DomainError(
                    "ragged_row",
                    f"Line {reader.line_num} has {len(row)} cells but the header has {width}.",
                    field="file",
                ) from None
        raise DomainError(
            "unreadable_file", "The CSV file could not be read.", field="file"
        ) from None
    except csv.Error as error:
        raise DomainError(
            "unreadable_file", f"The CSV file could not be read: {error}.", field="file"
        ) from None
    return dataset


def _read_xlsx(data: bytes) -> tablib.Dataset:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise DomainError(
            "unreadable_file", "This is not a valid XLSX file.", field="file"
        ) from None
    if inflated > MAX_XLSX_UNCOMPRESSED:
        raise DomainError(
            "file_too_large", "The workbook is too large once unpacked.", field="file", status=413
        )
    dataset = tablib.Dataset()
    try:
        dataset.load(data, format="xlsx")
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise DomainError(
            "unreadable_file", "The XLSX file could not be read; is it damaged?", field="file"
        ) from None
    return dataset


def cell_text(value: Any) -> str:
    """A cell as text: dates in ISO format, whole numbers without ".0", None as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return unprotect_cell(str(value).strip())


def _to_table(dataset: tablib.Dataset, file_format: str) -> OrgTable:
    headers = [cell_text(header) for header in (dataset.headers or [])]
    if not any(headers):
        raise DomainError("no_header", "The first row must name the columns.", field="file")
    known = header_to_column()
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = known.get(normalise_header(header))
        if column is None:
            ignored.append(header)
        elif column in positions:
            raise DomainError(
                "duplicate_column",
                f"Two columns mean {column}: {headers[positions[column]]!r} and {header!r}. "
                "Keep one.",
                field="file",
            )
        else:
            positions[column] = index
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        raise DomainError(
            "missing_column",
            f"The file needs the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {', '.join(h for h in headers if h)}).",
            field="file",
        )
    if len(dataset) > MAX_ROWS:
        raise DomainError(
            "too_many_rows",
            f"The file has {len(dataset)} rows; import at most {MAX_ROWS} at a time.",
            field="file",
            status=413,
        )
    columns = sorted(positions, key=lambda column: positions[column])
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(dataset, start=2):
        cells = {column: cell_text(raw[positions[column]]) for column in columns}
        if any(cells.values()):
            rows.append((number, cells))
    if not rows:
        raise DomainError("empty_file", "The file has a header but no rows.", field="file")
    return OrgTable(format=file_format, columns=columns, ignored_columns=ignored, rows=rows)
