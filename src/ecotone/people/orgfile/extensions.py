"""Columns that apps above people add to the org file, such as the skills app's role profile.

People sits below those apps and cannot import them, so an app registers an ``ExtraColumn`` from
its ``AppConfig.ready``. The importer and the exporter then treat it like their own columns: the
header is recognised by its name or an alias, each cell is checked row by row in the preview
(a bad cell is an error on its row, and nothing is written), the changes are applied in the
import's transaction, and the export writes the column so that it imports back unchanged.

Values are plain text. ``validate`` turns a cell into the column's canonical text (``""`` means
"none"), ``current`` gives everyone's canonical text now, so that the preview can tell a change
from no change, and ``export`` gives the text to write for each person.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExtraColumn[State]:
    """A column of the org file owned by another app.

    ``load()`` reads what checking and applying need, once per import (a query or two) and
    returns it as the column's state. ``validate(state, cell)`` returns the canonical value or
    raises ``ValueError`` with the message to show on the row. ``current(state)`` maps person ids
    to their canonical value now (people missing from it have ``""``). ``apply(actor, state,
    values)`` writes ``values`` (person id to canonical value, ``""`` to clear) inside the import's
    transaction, checking its own permission. ``export()`` maps person ids to the cell to write.
    """

    name: str
    load: Callable[[], State]
    validate: Callable[[State, str], str]
    current: Callable[[State], Mapping[int, str]]
    apply: Callable[[Any, State, dict[int, str]], None]
    export: Callable[[], Mapping[int, str]]
    aliases: tuple[str, ...] = ()
    description: str = ""


_columns: dict[str, ExtraColumn[Any]] = {}


def register_column(column: ExtraColumn[Any]) -> None:
    """Add a column to the org file (registering the same name again replaces it)."""
    _columns[column.name] = column


def extra_columns() -> list[ExtraColumn[Any]]:
    """The registered columns, in the order they were registered (the export's order)."""
    return list(_columns.values())
