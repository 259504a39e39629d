"""Plan an org import: every row checked against the whole file and the whole org, in memory.

The planner reads the org in three queries (people with their logins, teams, role grants), then
validates each row, matches it to an existing person (by employee id, then e-mail), resolves teams
and managers across the file whatever the row order, refuses reporting cycles on the final graph,
and describes what would change. It never writes; ``writing.Writer`` applies a valid plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ecotone.kernel.errors import DomainError
from ecotone.people.models import Person, RoleGrant, Team
from ecotone.people.orgfile.columns import OrgTable
from ecotone.people.orgfile.extensions import ExtraColumn, extra_columns
from ecotone.people.orgfile.report import (
    CREATE,
    ERROR,
    ROW,
    UNCHANGED,
    UPDATE,
    Change,
    ImportPreview,
    PersonRef,
    RowReport,
)
from ecotone.people.roles import person_of
from ecotone.people.services import TIME_ZONES, _clean_email

Progress = Callable[[str, int, int], None]

ACTIVE = Person.Status.ACTIVE.value
LEFT = Person.Status.LEFT.value
ROLE_NAMES = {
    "ld": "ld",
    "l&d": "ld",
    "learning": "ld",
    "executive": "executive",
    "exec": "executive",
    "admin": "admin",
    "administrator": "admin",
}
LIMITS = {"employee_id": 64, "display_name": 150, "title": 150, "location": 120, "email": 254}
TEAM_NAME_LIMIT = 120

# Person fields a row may set directly (besides team, manager, status and roles).
SCALARS = ("employee_id", "display_name", "title", "location", "time_zone", "start_date")
MANAGER_COLUMNS = {"manager_email", "manager_employee_id"}

TeamPath = tuple[str, ...]  # lower-case team names from the root down


@dataclass
class Row:
    report: RowReport
    key: int  # the person's pk, or -(row number) for someone new
    person: Person | None = None
    values: dict[str, Any] = field(default_factory=dict)  # cleaned scalars given by the file
    email: str = ""
    status: str | None = None
    team_given: bool = False
    team: TeamPath | None = None
    manager_given: bool = False
    manager: int | None = None
    roles: frozenset[str] | None = None
    extras: dict[str, str] = field(default_factory=dict)  # other apps' columns, cleaned


@dataclass
class Extra:
    """Another app's column present in the file, with what it loaded for this import."""

    column: ExtraColumn[Any]
    state: Any
    current: dict[int, str]


class TeamTree:
    """The team tree in memory, addressed by lower-case name paths, plus the teams to create."""

    def __init__(self, teams: Iterable[Team]) -> None:
        self.by_id = {team.pk: team for team in teams}
        self.children: dict[tuple[int | None, str], int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for team in self.by_id.values():
            self.children[(team.parent_id, team.name.lower())] = team.pk
            self.by_name[team.name.lower()].append(team.pk)
        self.ids: dict[TeamPath, int] = {}
        self.display: dict[TeamPath, str] = {}
        self.path_of: dict[int, TeamPath] = {}
        for team in self.by_id.values():
            ids = [int(part) for part in team.path.strip("/").split("/") if part]
            if not ids or any(i not in self.by_id for i in ids):
                ids = [team.pk]
            key = tuple(self.by_id[i].name.lower() for i in ids)
            self.ids[key] = team.pk
            self.path_of[team.pk] = key
            self.display[key] = "/".join(self.by_id[i].name for i in ids)
        self.new: dict[TeamPath, str] = {}  # path -> display name of the new team

    def resolve(self, value: str) -> TeamPath:
        """The team a cell names, registering missing ones to create. Raises ValueError."""
        segments = [segment.strip() for segment in value.strip().strip("/").split("/")]
        if any(not segment for segment in segments):
            raise ValueError(
                f"{value!r} has an empty part; write a path like Engineering/Platform."
            )
        for segment in segments:
            if len(segment) > TEAM_NAME_LIMIT:
                raise ValueError(f"Keep team names under {TEAM_NAME_LIMIT} characters.")
        first = segments[0].lower()
        anchor = self.children.get((None, first))
        if anchor is None:
            matches = self.by_name.get(first, [])
            if len(matches) > 1:
                paths = sorted(self.display[self.path_of[pk]] for pk in matches)
                raise ValueError(
                    f"Several teams are called {segments[0]} ({'; '.join(paths[:3])}); "
                    "write the full path."
                )
            anchor = matches[0] if matches else None
        if anchor is None:
            path: TeamPath = ()
            current: int | None = None
            rest = segments
        else:
            path = self.path_of[anchor]
            current = anchor
            rest = segments[1:]
        for segment in rest:
            path = (*path, segment.lower())
            child = self.children.get((current, segment.lower())) if current is not None else None
            if child is not None:
                current = child
            else:
                current = None
                if path not in self.ids:
                    self.new.setdefault(path, segment)
        return path

    def show(self, path: TeamPath | None) -> str:
        if not path:
            return ""
        if path in self.display:
            return self.display[path]
        return "/".join(
            self.display.get(path[: i + 1], "").rsplit("/", 1)[-1] or self.new[path[: i + 1]]
            for i in range(len(path))
        )


@dataclass
class Plan:
    preview: ImportPreview
    rows: list[Row]
    people: dict[int, Person]
    tree: TeamTree
    grants: dict[int, set[str]]
    manager_of: dict[int, int | None]
    status_of: dict[int, str]
    moved_up: dict[int, int | None]
    leaving: set[int]
    returning: set[int]
    role_changes: bool
    extras: dict[str, Extra] = field(default_factory=dict)


class Planner:
    def __init__(
        self,
        actor: Any,
        table: OrgTable,
        filename: str,
        deactivate_missing: bool,
        progress: Progress | None,
    ) -> None:
        self.actor = actor
        self.actor_person = person_of(actor)
        self.table = table
        self.filename = filename
        self.deactivate_missing = deactivate_missing
        self.progress = progress
        self.columns = set(table.columns)
        self.extras: dict[str, Extra] = {}

    def plan(self) -> Plan:
        people = {p.pk: p for p in _people()}
        tree = TeamTree(Team.objects.order_by("pk"))
        grants: dict[int, set[str]] = defaultdict(set)
        for person_id, role in RoleGrant.objects.values_list("person_id", "role"):
            grants[person_id].add(role)
        for column in extra_columns():
            if column.name in self.columns:
                state = column.load()
                self.extras[column.name] = Extra(column, state, dict(column.current(state)))
        by_email = {p.user.email.lower(): p for p in people.values()}
        by_employee_id = {p.employee_id: p for p in people.values() if p.employee_id}

        rows = [self._read_row(number, cells) for number, cells in self.table.rows]
        total = len(rows)
        for index, row in enumerate(rows):
            self._match(row, by_email, by_employee_id)
            if self.progress and index % 1000 == 0:
                self.progress("checking", index, total)
        self._refuse_duplicates(rows)

        # Where everyone will be found after the import: e-mail and employee id -> key.
        final_email = {email: p.pk for email, p in by_email.items()}
        final_employee_id = {eid: p.pk for eid, p in by_employee_id.items()}
        for row in rows:
            if row.person is not None:
                final_email.pop(row.person.user.email.lower(), None)
        for row in rows:
            if row.email:
                final_email[row.email] = row.key
            employee_id = row.values.get("employee_id")
            if employee_id:
                if row.person is not None and row.person.employee_id:
                    final_employee_id.pop(row.person.employee_id, None)
                final_employee_id[employee_id] = row.key
        email_of = {p.pk: p.user.email for p in people.values()} | {
            row.key: row.email for row in rows
        }
        name_of = {p.pk: p.display_name for p in people.values()} | {
            row.key: row.values.get("display_name") or row.report.display_name for row in rows
        }

        for row in rows:
            self._resolve_team(row, tree)
            self._resolve_manager(row, final_email, final_employee_id, name_of)

        manager_of: dict[int, int | None] = {p.pk: p.manager_id for p in people.values()}
        status_of: dict[int, str] = {p.pk: p.status for p in people.values()}
        for row in rows:
            if row.person is None:
                manager_of[row.key] = None
                status_of[row.key] = ACTIVE
            if row.manager_given and not row.report.errors.keys() & MANAGER_COLUMNS:
                manager_of[row.key] = row.manager
            if row.status is not None:
                status_of[row.key] = row.status

        in_file = {row.key for row in rows}
        to_deactivate: list[PersonRef] = []
        if self.deactivate_missing:
            for person in people.values():
                if (
                    person.pk not in in_file
                    and person.status == ACTIVE
                    and person.user_id != getattr(self.actor, "pk", None)
                ):
                    status_of[person.pk] = LEFT
                    to_deactivate.append(PersonRef(person.display_name, person.user.email))

        self._refuse_cycles(rows, manager_of, email_of)
        self._check_leaving(rows, people, manager_of, status_of, name_of)
        leaving = {
            key
            for key, status in status_of.items()
            if status == LEFT and key in people and people[key].status == ACTIVE
        }
        returning = {
            key
            for key, status in status_of.items()
            if status == ACTIVE and key in people and people[key].status == LEFT
        }
        moved_up = self._move_up_reports(people, in_file, manager_of, status_of, leaving)
        for key, manager in moved_up.items():
            manager_of[key] = manager

        role_changes = False
        for row in rows:
            role_changes |= self._describe(row, people, tree, grants, email_of, manager_of)
        if self.progress:
            self.progress("checking", total, total)

        preview = ImportPreview(
            filename=self.filename,
            format=self.table.format,
            columns=list(self.table.columns),
            ignored_columns=list(self.table.ignored_columns),
            rows=[row.report for row in rows],
            teams_to_create=sorted(tree.show(path) for path in tree.new),
            to_deactivate=to_deactivate,
            moved_up=[PersonRef(people[k].display_name, people[k].user.email) for k in moved_up],
            deactivate_missing=self.deactivate_missing,
        )
        return Plan(
            preview=preview,
            rows=rows,
            people=people,
            tree=tree,
            grants=grants,
            manager_of=manager_of,
            status_of=status_of,
            moved_up=moved_up,
            leaving=leaving,
            returning=returning,
            role_changes=role_changes,
            extras=self.extras,
        )

    # Reading one row ----------------------------------------------------------------------

    def _read_row(self, number: int, cells: dict[str, str]) -> Row:
        row = Row(report=RowReport(number=number, values=dict(cells)), key=-number)
        report = row.report
        for column, limit in LIMITS.items():
            if len(cells.get(column, "")) > limit:
                report.add_error(column, f"Keep it under {limit} characters.")
        try:
            row.email = _clean_email(cells.get("email", ""))
        except DomainError:
            if cells.get("email"):
                report.add_error("email", f"{cells['email']!r} is not a valid e-mail address.")
            else:
                report.add_error("email", "An e-mail address is required.")
        name = cells.get("display_name", "")
        if not name:
            report.add_error("display_name", "A display name is required.")
        row.values["display_name"] = name
        for column in ("title", "location"):
            if column in cells:
                row.values[column] = cells[column]
        if cells.get("employee_id"):
            row.values["employee_id"] = cells["employee_id"]
        if "time_zone" in cells:
            time_zone = cells["time_zone"] or "UTC"
            if time_zone not in TIME_ZONES:
                report.add_error(
                    "time_zone", f"Unknown time zone {time_zone!r}; use a name like Europe/Paris."
                )
            row.values["time_zone"] = time_zone
        if "start_date" in cells:
            row.values["start_date"] = None
            if cells["start_date"]:
                try:
                    row.values["start_date"] = dt.date.fromisoformat(cells["start_date"])
                except ValueError:
                    report.add_error(
                        "start_date",
                        f"{cells['start_date']!r} is not a date; write it as YYYY-MM-DD.",
                    )
        if "status" in cells:
            status = cells["status"].lower() or ACTIVE
            if status not in (ACTIVE, LEFT):
                report.add_error(
                    "status", f"Unknown status {cells['status']!r}: use active or left."
                )
            else:
                row.status = status
        if "roles" in cells:
            roles: set[str] = set()
            for name in cells["roles"].replace(";", ",").split(","):
                name = name.strip().lower()
                if not name:
                    continue
                if name not in ROLE_NAMES:
                    report.add_error("roles", f"Unknown role {name!r}: use ld, executive or admin.")
                else:
                    roles.add(ROLE_NAMES[name])
            row.roles = frozenset(roles)
        for name, extra in self.extras.items():
            if name in cells:
                try:
                    row.extras[name] = extra.column.validate(extra.state, cells[name])
                except ValueError as error:
                    report.add_error(name, str(error))
        row.team_given = "team" in cells
        row.manager_given = "manager_email" in cells or "manager_employee_id" in cells
        return row

    def _match(
        self, row: Row, by_email: dict[str, Person], by_employee_id: dict[str, Person]
    ) -> None:
        """Find the existing person a row describes: by employee id, then by e-mail."""
        employee_id = row.values.get("employee_id")
        person = by_employee_id.get(employee_id) if employee_id else None
        owner = by_email.get(row.email) if row.email else None
        if person is None:
            person = owner
        elif owner is not None and owner.pk != person.pk:
            row.report.add_error(
                "email",
                f"{row.email} belongs to {owner.display_name}, not to the person with employee "
                f"id {employee_id} ({person.display_name}).",
            )
        if person is not None:
            row.person = person
            row.key = person.pk

    def _refuse_duplicates(self, rows: list[Row]) -> None:
        for column in ("email", "employee_id"):
            seen: dict[str, list[Row]] = defaultdict(list)
            for row in rows:
                value = row.email if column == "email" else row.values.get("employee_id", "")
                if value:
                    seen[value].append(row)
            for value, same in seen.items():
                if len(same) > 1:
                    numbers = ", ".join(str(row.report.number) for row in same)
                    for row in same:
                        row.report.add_error(column, f"{value} appears on rows {numbers}.")
        by_person: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            if row.person is not None:
                by_person[row.key].append(row)
        for same in by_person.values():
            if len(same) > 1:
                numbers = ", ".join(str(row.report.number) for row in same)
                for row in same:
                    row.report.add_error(
                        ROW, f"Rows {numbers} all describe {same[0].person}; keep one."
                    )

    def _resolve_team(self, row: Row, tree: TeamTree) -> None:
        value = row.report.values.get("team", "")
        if not value:
            return
        try:
            row.team = tree.resolve(value)
        except ValueError as error:
            row.report.add_error("team", str(error))

    def _resolve_manager(
        self,
        row: Row,
        final_email: dict[str, int],
        final_employee_id: dict[str, int],
        name_of: dict[int, str],
    ) -> None:
        if not row.manager_given:
            return
        cells = row.report.values
        by_id_value = cells.get("manager_employee_id", "")
        by_email_value = cells.get("manager_email", "").strip().lower()
        by_id = by_email = None
        if by_id_value:
            by_id = final_employee_id.get(by_id_value)
            if by_id is None:
                row.report.add_error(
                    "manager_employee_id",
                    f"No one has employee id {by_id_value}, in the file or in Ecotone.",
                )
        if by_email_value:
            by_email = final_email.get(by_email_value)
            if by_email is None:
                row.report.add_error(
                    "manager_email",
                    f"No one has the e-mail {by_email_value}, in the file or in Ecotone.",
                )
        if by_id is not None and by_email is not None and by_id != by_email:
            row.report.add_error(
                "manager_email",
                f"{by_email_value} is {name_of[by_email]} but manager employee id "
                f"{by_id_value} is {name_of[by_id]}.",
            )
        manager = by_id if by_id is not None else by_email
        column = "manager_employee_id" if by_id is not None else "manager_email"
        if manager is not None and manager == row.key:
            row.report.add_error(column, "Someone cannot be their own manager.")
        if (by_id_value and by_id is None) or (by_email_value and by_email is None):
            return
        row.manager = manager

    def _refuse_cycles(
        self, rows: list[Row], manager_of: dict[int, int | None], email_of: dict[int, str]
    ) -> None:
        """Walk up from every row; a walk that meets itself is a cycle. O(people)."""
        row_of = {row.key: row for row in rows}
        done: set[int] = set()
        for row in rows:
            walk: list[int] = []
            position: dict[int, int] = {}
            key: int | None = row.key
            while key is not None and key not in done and key not in position:
                position[key] = len(walk)
                walk.append(key)
                key = manager_of.get(key)
            if key is not None and key in position:
                cycle = walk[position[key] :]
                names = " → ".join(
                    row_of[k].report.label() if k in row_of else email_of.get(k, str(k))
                    for k in [*cycle, cycle[0]]
                )
                for member in cycle:
                    if member in row_of:
                        member_row = row_of[member]
                        column = (
                            "manager_employee_id"
                            if member_row.report.values.get("manager_employee_id")
                            else "manager_email"
                        )
                        if column not in member_row.report.values:
                            column = ROW
                        member_row.report.add_error(column, f"Reporting cycle: {names}.")
            done.update(walk)

    def _check_leaving(
        self,
        rows: list[Row],
        people: dict[int, Person],
        manager_of: dict[int, int | None],
        status_of: dict[int, str],
        name_of: dict[int, str],
    ) -> None:
        actor_pk = self.actor_person.pk if self.actor_person is not None else None
        for row in rows:
            if (
                row.key == actor_pk
                and status_of.get(row.key) == LEFT
                and (row.person is not None and row.person.status == ACTIVE)
            ):
                row.report.add_error("status", "You cannot deactivate yourself.")
            if status_of.get(row.key) != ACTIVE:
                continue
            manager = manager_of.get(row.key)
            if manager is None or status_of.get(manager) != LEFT:
                continue
            leaves_now = manager not in people or people[manager].status == ACTIVE
            if not leaves_now and manager == (row.person.manager_id if row.person else None):
                continue  # an old inconsistency, not this import's doing
            column = (
                "manager_employee_id"
                if row.report.values.get("manager_employee_id")
                else "manager_email"
            )
            if column not in row.report.values:
                column = "status" if "status" in row.report.values else ROW
            row.report.add_error(
                column,
                f"{name_of.get(manager, '?')} "
                f"{'leaves in this import' if leaves_now else 'has left'}; "
                "give this person another manager.",
            )

    def _move_up_reports(
        self,
        people: dict[int, Person],
        in_file: set[int],
        manager_of: dict[int, int | None],
        status_of: dict[int, str],
        leaving: set[int],
    ) -> dict[int, int | None]:
        """People outside the file whose manager leaves move up to the next active manager."""
        moved: dict[int, int | None] = {}
        for person in people.values():
            if person.pk in in_file or status_of[person.pk] != ACTIVE:
                continue
            manager = manager_of.get(person.pk)
            if manager is None or manager not in leaving:
                continue
            seen: set[int] = set()
            while manager is not None and status_of.get(manager) == LEFT and manager not in seen:
                seen.add(manager)
                manager = manager_of.get(manager)
            moved[person.pk] = manager
        return moved

    # Describing the change ----------------------------------------------------------------

    def _describe(
        self,
        row: Row,
        people: dict[int, Person],
        tree: TeamTree,
        grants: dict[int, set[str]],
        email_of: dict[int, str],
        manager_of: dict[int, int | None],
    ) -> bool:
        """Fill the row's action and changes; return whether it changes someone's roles."""
        report = row.report
        person = row.person
        roles_change = False
        if person is not None and row.roles is not None:
            current = grants.get(person.pk, set())
            is_actor = self.actor_person is not None and person.pk == self.actor_person.pk
            if is_actor and "admin" in current and "admin" not in row.roles:
                report.add_error("roles", "You cannot remove your own admin role.")
            roles_change = set(row.roles) != current
        elif person is None and row.roles:
            roles_change = True
        if report.errors:
            report.action = ERROR
            return False
        if person is None:
            report.action = CREATE
            return roles_change
        changes: dict[str, Change] = {}
        if row.email != person.user.email:
            changes["email"] = Change(person.user.email, row.email)
        for name in SCALARS:
            if name not in row.values:
                continue
            old, new = getattr(person, name), row.values[name]
            if (old or None) != (new or None):
                changes[name] = Change(_show(old), _show(new))
        if row.team_given:
            old_team = tree.path_of.get(person.team_id) if person.team_id else None
            if old_team != row.team:
                changes["team"] = Change(tree.show(old_team), tree.show(row.team))
        if row.manager_given and person.manager_id != manager_of.get(row.key):
            new_manager = manager_of.get(row.key)
            changes["manager"] = Change(
                email_of.get(person.manager_id, "") if person.manager_id else "",
                email_of.get(new_manager, "") if new_manager is not None else "",
            )
        if row.status is not None and row.status != person.status:
            changes["status"] = Change(person.status, row.status)
        if row.roles is not None and roles_change:
            changes["roles"] = Change(
                ", ".join(sorted(grants.get(person.pk, set()))), ", ".join(sorted(row.roles))
            )
        for name, value in row.extras.items():
            old = self.extras[name].current.get(person.pk, "")
            if old != value:
                changes[name] = Change(old, value)
        report.changes = changes
        report.action = UPDATE if changes else UNCHANGED
        return roles_change


def _people() -> Iterable[Person]:
    """Everyone, with only the fields an import reads or writes (timestamps are slow to load)."""
    return (
        Person.objects.select_related("user")
        .only(
            *("employee_id", "display_name", "title", "team_id", "manager_id", "manager_path"),
            *("location", "time_zone", "start_date", "status", "left_on"),
            *("user__id", "user__email", "user__is_active"),
        )
        .order_by("pk")
    )


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
