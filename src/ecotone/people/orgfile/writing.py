"""Apply a valid import plan with bulk operations, keeping the materialized paths right.

``Team.path`` of new teams and ``Person.manager_path`` of everyone whose chain changes are computed
in memory, managers before their reports, the way ``people.services`` maintains them one by one.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone
from django.utils.text import slugify

from ecotone.kernel import audit
from ecotone.people.models import ApiToken, Person, RoleGrant, Team, User
from ecotone.people.moves import people_moved
from ecotone.people.orgfile.planning import (
    ACTIVE,
    LEFT,
    SCALARS,
    Plan,
    Progress,
    Row,
    TeamPath,
)
from ecotone.people.orgfile.report import CREATE, UNCHANGED, UPDATE, ImportResult

BATCH = 500


class Writer:
    """Apply a valid plan with bulk operations. Runs inside ``commit_org_import``'s transaction."""

    def __init__(self, plan: Plan, actor: Any, progress: Progress | None) -> None:
        self.plan = plan
        self.actor = actor
        self.progress = progress
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.dirty: dict[int, Person] = {}
        self.dirty_fields: set[str] = set()
        self.pk_of: dict[int, int] = {pk: pk for pk in plan.people}

    def write(self) -> ImportResult:
        plan = self.plan
        team_ids = self._create_teams()
        self._step("teams", 1)
        changed_rows = [row for row in plan.rows if row.report.action == UPDATE]
        for row in changed_rows:
            self._update(row, team_ids)
        new_rows = {row.key: row for row in plan.rows if row.report.action == CREATE}
        self._place_everyone(new_rows, team_ids)
        self._step("people", 2)
        self._leave_and_return()
        self._write_roles(new_rows)
        self._write_extras()
        self._step("roles", 3)
        if self.dirty:
            fields = sorted(self.dirty_fields | {"updated_at"})
            for person in self.dirty.values():
                person.updated_at = self.now
            Person.objects.bulk_update(list(self.dirty.values()), fields, batch_size=BATCH)
        moved = [
            self.pk_of[row.key]
            for row in plan.rows
            if row.report.action == UPDATE and row.report.changes.keys() & {"team", "status"}
        ]
        people_moved(sorted({*moved, *plan.leaving, *plan.returning}))
        self._step("saved", 4)
        counts = plan.preview.counts
        return ImportResult(
            preview=plan.preview,
            created=counts[CREATE],
            updated=counts[UPDATE],
            unchanged=counts[UNCHANGED],
            deactivated=len(plan.preview.to_deactivate),
            teams_created=len(team_ids) - len(plan.tree.ids),
            moved_up=len(plan.moved_up),
        )

    def _step(self, name: str, done: int) -> None:
        if self.progress:
            self.progress(f"writing {name}", done, 4)

    def _mark(self, person: Person, *fields: str) -> None:
        self.dirty[person.pk] = person
        self.dirty_fields.update(fields)

    def _create_teams(self) -> dict[TeamPath, int]:
        """Create missing teams level by level, with slugs and materialized paths."""
        tree = self.plan.tree
        team_ids = dict(tree.ids)
        if not tree.new:
            return team_ids
        team_paths = {pk: team.path for pk, team in tree.by_id.items()}
        slugs = set(Team.objects.values_list("slug", flat=True))
        by_depth: dict[int, list[TeamPath]] = defaultdict(list)
        for path in tree.new:
            by_depth[len(path)].append(path)
        for depth in sorted(by_depth):
            teams = []
            for path in by_depth[depth]:
                parent_id = team_ids[path[:-1]] if len(path) > 1 else None
                teams.append(
                    Team(
                        name=tree.new[path], parent_id=parent_id, slug=_slug(tree.new[path], slugs)
                    )
                )
            Team.objects.bulk_create(teams, batch_size=BATCH)
            for path, team in zip(by_depth[depth], teams, strict=True):
                parent_path = team_paths[team.parent_id] if team.parent_id else "/"
                team.path = f"{parent_path}{team.pk}/"
                team.depth = team.path.count("/") - 2
                team_paths[team.pk] = team.path
                team_ids[path] = team.pk
            Team.objects.bulk_update(teams, ["path", "depth"], batch_size=BATCH)
        return team_ids

    def _update(self, row: Row, team_ids: dict[TeamPath, int]) -> None:
        person = row.person
        assert person is not None
        changes = row.report.changes
        for name in SCALARS:
            if name in changes:
                setattr(person, name, row.values[name])
                self._mark(person, name)
        if "team" in changes:
            person.team_id = team_ids[row.team] if row.team else None
            self._mark(person, "team")
        if "email" in changes:
            person.user.email = row.email
            person.user.save(update_fields=["email"])
            audit.record(actor=self.actor, action="people.email_changed", target=person)

    def _place_everyone(self, new_rows: dict[int, Row], team_ids: dict[TeamPath, int]) -> None:
        """Create the new people and recompute every manager chain, managers before reports."""
        plan = self.plan
        manager_of = plan.manager_of
        depth: dict[int, int] = {}
        for key in manager_of:
            walk: list[int] = []
            current: int | None = key
            while current is not None and current not in depth:
                walk.append(current)
                current = manager_of.get(current)
            base = depth[current] if current is not None else -1
            for offset, member in enumerate(reversed(walk), start=1):
                depth[member] = base + offset
        levels: dict[int, list[int]] = defaultdict(list)
        for key, level in depth.items():
            levels[level].append(key)
        paths: dict[int, str] = {}
        for level in sorted(levels):
            created: list[tuple[int, Person]] = []
            for key in levels[level]:
                manager = manager_of.get(key)
                manager_pk = self.pk_of[manager] if manager is not None else None
                path = f"{paths[manager]}{manager_pk}/" if manager is not None else "/"
                paths[key] = path
                if key in new_rows:
                    created.append(
                        (key, self._new_person(new_rows[key], team_ids, manager_pk, path))
                    )
                    continue
                person = plan.people[key]
                if person.manager_id != manager_pk or person.manager_path != path:
                    person.manager_id = manager_pk
                    person.manager_path = path
                    self._mark(person, "manager", "manager_path")
            if created:
                self._insert(created, new_rows)

    def _new_person(
        self, row: Row, team_ids: dict[TeamPath, int], manager_pk: int | None, path: str
    ) -> Person:
        values = row.values
        status = row.status or ACTIVE
        return Person(
            employee_id=values.get("employee_id") or None,
            display_name=values["display_name"],
            title=values.get("title", ""),
            team_id=team_ids[row.team] if row.team else None,
            manager_id=manager_pk,
            manager_path=path,
            location=values.get("location", ""),
            time_zone=values.get("time_zone", "UTC"),
            start_date=values.get("start_date"),
            status=status,
            left_on=self.today if status == LEFT else None,
        )

    def _insert(self, created: list[tuple[int, Person]], new_rows: dict[int, Row]) -> None:
        users = []
        for key, person in created:
            # No usable password (sign-in by SSO or a reset link), as ``set_unusable_password``
            # makes, with one call to the system's randomness instead of forty.
            password = f"{UNUSABLE_PASSWORD_PREFIX}{secrets.token_urlsafe(30)}"
            users.append(
                User(
                    email=new_rows[key].email, password=password, is_active=person.status == ACTIVE
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        for (_, person), user in zip(created, users, strict=True):
            person.user = user
        Person.objects.bulk_create([person for _, person in created], batch_size=BATCH)
        for key, person in created:
            self.pk_of[key] = person.pk

    def _leave_and_return(self) -> None:
        plan = self.plan
        leaving = [plan.people[pk] for pk in plan.leaving]
        for person in leaving:
            person.status = LEFT
            person.left_on = self.today
            person.user.is_active = False
            self._mark(person, "status", "left_on")
        returning = [plan.people[pk] for pk in plan.returning]
        for person in returning:
            person.status = ACTIVE
            person.left_on = None
            person.user.is_active = True
            self._mark(person, "status", "left_on")
        users = [person.user for person in (*leaving, *returning)]
        if users:
            User.objects.bulk_update(users, ["is_active"], batch_size=BATCH)
        if leaving:
            leaver_ids = [person.pk for person in leaving]
            for chunk in _chunks(leaver_ids):
                Team.objects.filter(lead_id__in=chunk).update(lead=None)
                ApiToken.objects.filter(user__person__pk__in=chunk, revoked_at=None).update(
                    revoked_at=self.now
                )

    def _write_roles(self, new_rows: dict[int, Row]) -> None:
        plan = self.plan
        to_grant: list[RoleGrant] = []
        to_revoke: dict[str, list[int]] = defaultdict(list)
        for row in plan.rows:
            if row.roles is None or row.report.action not in (CREATE, UPDATE):
                continue
            pk = self.pk_of[row.key]
            current = plan.grants.get(pk, set()) if row.key not in new_rows else set()
            for role in sorted(row.roles - current):
                to_grant.append(RoleGrant(person_id=pk, role=role, granted_by=self.actor))
            for role in sorted(current - row.roles):
                to_revoke[role].append(pk)
        RoleGrant.objects.bulk_create(to_grant, batch_size=BATCH)
        for role, person_ids in to_revoke.items():
            for chunk in _chunks(person_ids):
                RoleGrant.objects.filter(role=role, person_id__in=chunk).delete()

    def _write_extras(self) -> None:
        """Hand other apps' columns to their owners, once everyone has a primary key."""
        for name, extra in self.plan.extras.items():
            values: dict[int, str] = {}
            for row in self.plan.rows:
                if name not in row.extras:
                    continue
                changed = (
                    name in row.report.changes
                    if row.report.action == UPDATE
                    else row.report.action == CREATE and bool(row.extras[name])
                )
                if changed:
                    values[self.pk_of[row.key]] = row.extras[name]
            if values:
                extra.column.apply(self.actor, extra.state, values)


def _slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:120] or "team"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _chunks(items: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
