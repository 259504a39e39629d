"""What an org import will do (the preview) and what it did (the result): plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"
ROW = "row"  # the errors key for a problem with the row as a whole

_ORDER = {ERROR: 0, CREATE: 1, UPDATE: 2, UNCHANGED: 3}


@dataclass(frozen=True)
class Change:
    old: str
    new: str


@dataclass(frozen=True)
class Cell:
    column: str
    value: str
    errors: list[str]


@dataclass
class RowReport:
    """One row of the file: its cells, what will happen to it, and its problems per column."""

    number: int
    values: dict[str, str]
    action: str = UNCHANGED
    changes: dict[str, Change] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, column: str, message: str) -> None:
        messages = self.errors.setdefault(column, [])
        if message not in messages:
            messages.append(message)

    @property
    def email(self) -> str:
        return self.values.get("email", "")

    @property
    def display_name(self) -> str:
        return self.values.get("display_name", "")

    @property
    def employee_id(self) -> str:
        return self.values.get("employee_id", "")

    @property
    def cells(self) -> list[Cell]:
        return [
            Cell(column, value, self.errors.get(column, []))
            for column, value in self.values.items()
        ]

    @property
    def row_errors(self) -> list[str]:
        """Errors not tied to a column of the file."""
        return [
            message
            for column, messages in self.errors.items()
            if column not in self.values
            for message in messages
        ]

    def label(self) -> str:
        return f"row {self.number} ({self.email or self.display_name or '?'})"


@dataclass(frozen=True)
class PersonRef:
    display_name: str
    email: str


@dataclass
class ImportPreview:
    """Everything an import would do, computed without writing anything."""

    filename: str
    format: str
    columns: list[str]
    ignored_columns: list[str]
    rows: list[RowReport]
    teams_to_create: list[str]
    to_deactivate: list[PersonRef]
    moved_up: list[PersonRef]
    deactivate_missing: bool

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.action] += 1
        return {
            "rows": len(self.rows),
            **counts,
            "deactivate": len(self.to_deactivate),
            "teams": len(self.teams_to_create),
            "moved_up": len(self.moved_up),
        }

    @property
    def is_valid(self) -> bool:
        return all(row.action != ERROR for row in self.rows)

    @property
    def has_changes(self) -> bool:
        counts = self.counts
        return bool(counts[CREATE] or counts[UPDATE] or counts["deactivate"] or counts["teams"])

    def rows_by_importance(self) -> list[RowReport]:
        """Rows with errors first, then new people, then changes, then unchanged rows."""
        return sorted(self.rows, key=lambda row: (_ORDER[row.action], row.number))

    def error_messages(self) -> dict[str, list[str]]:
        """Every row error keyed ``"row N: column"``, for problem+json documents."""
        return {
            f"row {row.number}: {column}": list(messages)
            for row in self.rows
            for column, messages in row.errors.items()
        }


@dataclass(frozen=True)
class ImportResult:
    preview: ImportPreview
    created: int
    updated: int
    unchanged: int
    deactivated: int
    teams_created: int
    moved_up: int
