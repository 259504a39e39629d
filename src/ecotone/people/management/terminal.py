"""What the people commands print: a rich console, seed progress bars, the demo log-ins table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ecotone.people.seeding import DemoLogin

ROLE_LABELS = {
    "admin": "Admin",
    "ld": "L&D facilitator",
    "executive": "Executive",
    "manager": "Manager",
    "learner": "Learner",
}


def console_for(stream: Any) -> Console:
    """A console writing to a command's stdout (Django's wrapper adds newlines: skip it)."""
    out: IO[str] = getattr(stream, "_out", stream)
    # Rich assumes 80 columns when not on a terminal: too narrow for the log-ins table in a log.
    width = None if getattr(out, "isatty", lambda: False)() else 140
    return Console(file=out, width=width, highlight=False, soft_wrap=False)


class SeedProgress:
    """Progress bars for ``seed_company``: one bar per stage, completed ones stay on screen."""

    def __init__(self, console: Console) -> None:
        self.bars = Progress(
            SpinnerColumn(finished_text="[green]✓"),
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> SeedProgress:
        self.bars.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._finish()
        self.bars.stop()

    def _finish(self) -> None:
        if self.task is not None:
            total = self.bars.tasks[self.task].total or 0
            self.bars.update(self.task, completed=total)

    def start(self, label: str, total: int) -> None:
        self._finish()
        self.task = self.bars.add_task(label, total=total)

    def advance(self, amount: int = 1) -> None:
        if self.task is not None:
            self.bars.advance(self.task, amount)


def logins_table(logins: Sequence[DemoLogin], *, password_note: str = "") -> Table:
    table = Table(title="Demo log-ins", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Role", no_wrap=True)
    table.add_column("E-mail", no_wrap=True)
    table.add_column("Password", no_wrap=True)
    table.add_column("Who")
    for login in logins:
        table.add_row(
            ROLE_LABELS.get(login.role, login.role),
            login.email,
            login.password or password_note or "(unchanged)",
            f"{login.display_name}, {login.title}",
        )
    return table


DEMO_WARNING = (
    "[yellow]These passwords are public (they are in Ecotone's source code): "
    "a demo database is for trying Ecotone out, never for real people.[/yellow]"
)
