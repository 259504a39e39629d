"""The org chart of the demo company: teams, people, managers, departures, roles, log-ins.

Planning happens in memory (steps 100-140), then ``write`` inserts everything with bulk inserts,
one tree level at a time so that the materialized paths (``Team.path``, ``Person.manager_path``)
are computed from ids already known, without a second pass over people.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import batched

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.utils import timezone
from django.utils.text import slugify

from ecotone.people.models import Person, RoleGrant, Team, User
from ecotone.people.seeding.company import (
    ADMIN_TITLE,
    COMPANY_DESCRIPTION,
    COMPANY_DOMAIN,
    COMPANY_NAME,
    DIVISION_STAFF_ROLES,
    DIVISIONS,
    DIVISIONS_BY_NAME,
    LEARNING_TITLE,
    SUB_TEAM_SUFFIXES,
    YEARS_OF_HISTORY,
)
from ecotone.people.seeding.names import CULTURES, OFFICES, PLACES, REMOTE, Place
from ecotone.people.seeding.pipeline import (
    DEMO_PASSWORD,
    DemoLogin,
    PersonPlan,
    SeedContext,
    TeamPlan,
    register_step,
)

BATCH = 1000


# --- Small building blocks --------------------------------------------------------------------


def _split(weights: Iterable[float], total: int, *, minimum: int) -> list[int]:
    """Share ``total`` in proportion to the weights, each share at least ``minimum``."""
    shares_of = list(weights)
    spare = total - minimum * len(shares_of)
    if spare < 0:
        raise ValueError("not enough people to share")
    scale = sum(shares_of)
    shares = [minimum + math.floor(spare * weight / scale) for weight in shares_of]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


_TRANSLITERATION = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "\u0131": "i",
        "đ": "d",
    }
)


def email_local_part(first: str, last: str) -> str:
    """``Łukasz Wiśniewski`` -> ``lukasz.wisniewski``; ``Aoife O'Brien`` -> ``aoife.obrien``."""

    def clean(name: str) -> str:
        ascii_name = (
            unicodedata.normalize("NFKD", name.translate(_TRANSLITERATION))
            .encode("ascii", "ignore")
            .decode()
        )
        return "".join(c for c in ascii_name.lower() if c.isalnum() or c == "-")

    return f"{clean(first)}.{clean(last)}"


# --- Step 100: the team tree ------------------------------------------------------------------


class _TeamPlanner:
    def __init__(self, context: SeedContext) -> None:
        self.context = context
        self.rng = context.rng
        self.slugs: set[str] = set()

    def slug_for(self, name: str, parent: TeamPlan | None) -> str:
        if parent is None or parent.depth == 0 or name.startswith(parent.name):
            base = slugify(name)
        else:
            base = slugify(f"{parent.name} {name}")
        base = base[:120] or "team"
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    def add(
        self,
        name: str,
        parent: TeamPlan | None,
        *,
        division: str = "",
        department: str = "",
        roles: tuple[str, ...] = (),
        description: str = "",
    ) -> TeamPlan:
        # Divisions spread over the offices; most teams sit where their parent team sits.
        if parent is None or parent.depth == 0 or self.rng.random() < 0.4:
            place = self.rng.choice(OFFICES)
        else:
            place = parent.place
        team = TeamPlan(
            name=name,
            slug=self.slug_for(name, parent),
            depth=0 if parent is None else parent.depth + 1,
            parent=parent,
            division=division,
            department=department,
            roles=roles,
            place=place,
            description=description,
        )
        if parent is not None:
            parent.children.append(team)
        self.context.teams.append(team)
        return team

    def child_names(self, team: TeamPlan, count: int) -> list[tuple[str, str, tuple[str, ...]]]:
        """(name, department, roles) for ``count`` new sub-teams of ``team``."""
        division = DIVISIONS_BY_NAME[team.division]
        if team.depth == 1:
            departments = list(division.departments)
            self.rng.shuffle(departments)
            picked = [(d.name, d.name, d.roles) for d in departments[:count]]
            extra = (
                self.rng.sample(division.squads, count - len(picked)) if count > len(picked) else []
            )
            return picked + [(name, name, division.roles) for name in extra]
        if team.depth == 2:
            pool = list(division.squads)
        else:
            pool = [f"{team.name} {suffix}" for suffix in SUB_TEAM_SUFFIXES]
        self.rng.shuffle(pool)
        names = pool[:count]
        names += [f"{team.name} {n}" for n in range(len(names) + 1, count + 1)]
        return [(name, team.department, team.roles) for name in names]

    def grow(self, team: TeamPlan, headcount: int) -> None:
        """Give ``team`` its lead and ``headcount - 1`` more people, in sub-teams if many.

        A lead manages their team's own members and the leads of its sub-teams: between five
        and eight of them once the team is big enough, like most managers.
        """
        rng = self.rng
        rest = headcount - 1
        if rest <= 9:
            team.staff_count = rest
            return
        span = rng.randint(5, 8)
        count = max(1, min(span, rest // 8))
        staff = min(span - count, rest - 6 * count)
        if count == span and team.depth <= 2:
            staff = rng.randint(0, 2)
        rest -= staff
        sizes = _split((rng.uniform(0.7, 1.3) for _ in range(count)), rest, minimum=6)
        team.staff_count = staff
        for (name, department, roles), size in zip(
            self.child_names(team, count), sizes, strict=True
        ):
            child = self.add(name, team, division=team.division, department=department, roles=roles)
            self.grow(child, size)


@register_step("teams", label="Planning the team tree", order=100)
def plan_teams(context: SeedContext) -> None:
    planner = _TeamPlanner(context)
    root = planner.add(COMPANY_NAME, None, description=COMPANY_DESCRIPTION)
    root.staff_count = 1 if context.headcount < 1000 else 2
    rest = context.headcount - 1 - root.staff_count
    weights = (division.weight * context.rng.uniform(0.85, 1.15) for division in DIVISIONS)
    for division, share in zip(DIVISIONS, _split(weights, rest, minimum=3), strict=True):
        team = planner.add(
            division.name,
            root,
            division=division.name,
            roles=division.roles,
            description=division.description,
        )
        planner.grow(team, share)


# --- Step 110: people, their titles and managers ----------------------------------------------


class _PeoplePlanner:
    def __init__(self, context: SeedContext) -> None:
        self.context = context
        self.rng = context.rng
        self.cultures = sorted(CULTURES)
        self.emails: dict[str, int] = {}
        self.founded = context.today - dt.timedelta(days=365 * YEARS_OF_HISTORY)

    def place_near(self, team: TeamPlan, *, lead: bool) -> Place:
        roll = self.rng.random()
        if roll < (0.9 if lead else 0.8):
            return team.place
        if roll < 0.93:
            return self.rng.choice(REMOTE)
        return self.rng.choice(PLACES)

    def name_for(self, place: Place) -> tuple[str, str]:
        rng = self.rng
        culture_name = (
            rng.choice(place.cultures) if rng.random() < 0.6 else rng.choice(self.cultures)
        )
        culture = CULTURES[culture_name]
        first = rng.choice(culture.first_names)
        family = culture if rng.random() < 0.88 else CULTURES[rng.choice(self.cultures)]
        return first, rng.choice(family.last_names)

    def email_for(self, first: str, last: str) -> str:
        local = email_local_part(first, last)
        n = self.emails.get(local, 0) + 1
        self.emails[local] = n
        return f"{local}{n if n > 1 else ''}@{COMPANY_DOMAIN}"

    def days_ago(self, *, skew: float) -> int:
        """How long ago someone joined: skew > 1 favours recent hires (a growing company)."""
        span = (self.context.today - self.founded).days
        return max(1, int(span * self.rng.random() ** skew))

    def add(
        self, team: TeamPlan, manager: PersonPlan | None, title: str, *, lead: bool, days_ago: int
    ) -> PersonPlan:
        place = self.place_near(team, lead=lead)
        first, last = self.name_for(place)
        index = len(self.context.people)
        person = PersonPlan(
            index=index,
            display_name=f"{first} {last}",
            email=self.email_for(first, last),
            employee_id=f"LS{index + 1:06d}",
            title=title,
            team=team,
            manager=manager,
            place=place,
            start_date=self.context.today - dt.timedelta(days=days_ago),
            level=0 if manager is None else manager.level + 1,
            is_lead=lead,
        )
        self.context.people.append(person)
        self.context.progress.advance()
        return person

    def lead_title(self, team: TeamPlan) -> str:
        if team.depth == 0:
            return "Chief Executive Officer"
        division = DIVISIONS_BY_NAME[team.division]
        if team.depth == 1:
            return division.head_title
        if team.depth == 2 and not team.is_leaf:
            return division.director_title
        return division.manager_title if team.is_leaf else f"Senior {division.manager_title}"

    def member_title(self, team: TeamPlan, days_ago: int, position: int) -> str:
        if team.depth == 0:
            return ("Chief of Staff", "Executive Assistant", "Strategy Manager")[position % 3]
        division = DIVISIONS_BY_NAME[team.division]
        if team.depth == 1 and not team.is_leaf and position == 0:
            role = self.rng.choice(DIVISION_STAFF_ROLES)
        else:
            roles = team.roles
            # The first role of a department is its most common one.
            role = roles[0] if self.rng.random() < 0.6 else self.rng.choice(roles)
        years = days_ago / 365
        level = round(self.rng.gauss(0.6 + years * 0.3, 0.7))
        level = min(max(level, 0), len(division.ladder) - 1)
        return f"{division.ladder[level]} {role}".strip()

    def staff(self, team: TeamPlan, manager: PersonPlan | None) -> None:
        if team.depth == 0:
            lead = self.add(team, None, self.lead_title(team), lead=True, days_ago=self.span)
        elif team.depth == 1:
            days = self.span - self.rng.randint(0, 365 * 3)
            lead = self.add(team, manager, self.lead_title(team), lead=True, days_ago=days)
        else:
            days = self.days_ago(skew=0.7)
            lead = self.add(team, manager, self.lead_title(team), lead=True, days_ago=days)
        team.lead = lead
        for position in range(team.staff_count):
            days = self.days_ago(skew=1.7)
            title = self.member_title(team, days, position)
            self.add(team, lead, title, lead=False, days_ago=days)
        for child in team.children:
            self.staff(child, lead)

    @property
    def span(self) -> int:
        return (self.context.today - self.founded).days


@register_step("people", label="Planning people", order=110)
def plan_people(context: SeedContext) -> None:
    context.progress.start("Planning people", context.headcount)
    _PeoplePlanner(context).staff(context.root, None)


# --- Step 120: a few people who left ----------------------------------------------------------


@register_step("departures", label="Planning departures", order=120)
def plan_departures(context: SeedContext) -> None:
    """About 3% of individual contributors left in the last two years; their rows stay."""
    rng = context.rng
    for person in context.people:
        tenure = (context.today - person.start_date).days
        if person.is_lead or person.team.depth == 0 or tenure < 120 or rng.random() >= 0.03:
            continue
        person.status = Person.Status.LEFT
        person.left_on = context.today - dt.timedelta(days=rng.randint(1, min(730, tenure - 90)))


# --- Step 130: granted roles and the printed log-ins ------------------------------------------


def _individual_contributors(
    context: SeedContext, division: str, department: str
) -> list[PersonPlan]:
    people = [
        p
        for p in context.people
        if p.team.division == division and not p.is_lead and p.is_active and not p.roles
    ]
    in_department = [p for p in people if p.team.department == department]
    return in_department or people


def _pick(
    context: SeedContext, count: int, division: str, department: str, title: str
) -> list[PersonPlan]:
    candidates = _individual_contributors(context, division, department)
    picked = context.rng.sample(candidates, min(count, len(candidates)))
    for person in sorted(picked, key=lambda p: p.index):
        if title not in person.title:
            person.title = title
    return sorted(picked, key=lambda p: p.index)


@register_step("roles", label="Granting roles", order=130)
def plan_roles(context: SeedContext) -> None:
    """The CEO and division heads are executives; a couple of L&D facilitators; two admins."""
    for team in [context.root, *context.root.children]:
        assert team.lead is not None
        team.lead.roles.append(RoleGrant.Role.EXECUTIVE)
    facilitators = _pick(
        context,
        2 + context.headcount // 25_000,
        "People",
        "Learning & Development",
        LEARNING_TITLE,
    )
    for person in facilitators:
        person.roles.append(RoleGrant.Role.LEARNING)
    admins = _pick(context, 2 + context.headcount // 50_000, "Security", "Corporate IT", "IT")
    for person in admins:
        if ADMIN_TITLE not in person.title:
            person.title = ADMIN_TITLE
        person.roles.append(RoleGrant.Role.ADMIN)

    manager = next(
        team.lead
        for team in context.teams
        if team.division == "Engineering"
        and team.is_leaf
        and team.lead is not None
        and sum(1 for p in context.people if p.manager is team.lead and p.is_active) >= 3
    )
    learner = next(
        p for p in context.people if p.manager is manager and p.is_active and not p.roles
    )
    context.extras["demo_people"] = {
        "admin": admins[0],
        "ld": facilitators[0],
        "executive": context.root.lead,
        "manager": manager,
        "learner": learner,
    }


# --- Step 140: writing it all -----------------------------------------------------------------


def _unusable_password() -> str:
    # What Django's make_password(None) stores, at a fraction of the cost for 100,000 rows.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _id(value: int | None) -> int:
    """The id of a row written earlier in the seed (always set by then)."""
    assert value is not None
    return value


def _by_level[T](items: Sequence[T], level_of: dict[int, int]) -> list[list[T]]:
    levels: dict[int, list[T]] = {}
    for i, item in enumerate(items):
        levels.setdefault(level_of[i], []).append(item)
    return [levels[level] for level in sorted(levels)]


def _write_teams(context: SeedContext) -> None:
    existing: dict[tuple[int | None, str], tuple[int, str]] = {
        (parent_id, name): (pk, path)
        for pk, parent_id, name, path in Team.objects.annotate(lower=Lower("name")).values_list(
            "pk", "parent_id", "lower", "path"
        )
    }
    taken = set(Team.objects.values_list("slug", flat=True))
    depth_of = {i: team.depth for i, team in enumerate(context.teams)}
    parent_paths = Team.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    context.progress.start("Writing teams", len(context.teams))
    for level in _by_level(context.teams, depth_of):
        new: list[tuple[TeamPlan, Team]] = []
        for plan in level:
            parent_id = plan.parent.id if plan.parent is not None else None
            found = existing.get((parent_id, plan.name.lower()))
            if found is not None:
                plan.id, plan.path = found
                continue
            slug, n = plan.slug, 1
            while slug in taken:
                n += 1
                slug = f"{plan.slug}-{n}"
            taken.add(slug)
            plan.slug = slug
            row = Team(
                name=plan.name,
                slug=slug,
                description=plan.description,
                parent_id=parent_id,
                depth=plan.depth,
            )
            new.append((plan, row))
        for chunk in batched(new, BATCH):
            Team.objects.bulk_create([row for _, row in chunk])
            for plan, row in chunk:
                plan.id = row.pk
                plan.path = f"{plan.parent.path if plan.parent else '/'}{row.pk}/"
                plan.created = True
            # The same paths, computed by the database in one statement per batch.
            Team.objects.filter(pk__in=[row.pk for _, row in chunk]).update(
                path=Concat(
                    Coalesce(Subquery(parent_paths), Value("/")),
                    Cast("pk", CharField()),
                    Value("/"),
                    output_field=CharField(),
                )
            )
            context.progress.advance(len(chunk))
        context.progress.advance(len(level) - len(new))
        context.added["teams"] += len(new)


def _write_people(context: SeedContext) -> None:
    people = context.people
    context.progress.start("Writing people", 2 * len(people))
    user_ids = dict(User.objects.values_list("email", "pk"))
    people_of_users = {
        user_id: (pk, path)
        for user_id, pk, path in Person.objects.values_list("user_id", "pk", "manager_path")
    }
    taken_ids = set(Person.objects.exclude(employee_id=None).values_list("employee_id", flat=True))
    now = timezone.now()

    new_users = [p for p in people if p.email not in user_ids]
    for chunk in batched(new_users, BATCH):
        users = [
            User(
                email=p.email,
                password=_unusable_password(),
                is_active=p.is_active,
                date_joined=dt.datetime.combine(p.start_date, dt.time(9), tzinfo=dt.UTC)
                if p.start_date <= now.date()
                else now,
            )
            for p in chunk
        ]
        User.objects.bulk_create(users)
        for p, user in zip(chunk, users, strict=True):
            p.user_id = user.pk
            p.created = True
        context.progress.advance(len(chunk))
    context.progress.advance(len(people) - len(new_users))
    for p in people:
        if p.user_id is None:
            p.user_id = user_ids[p.email]

    for level in _by_level(people, {p.index: p.level for p in people}):
        new: list[PersonPlan] = []
        for p in level:
            found = people_of_users.get(p.user_id or 0)
            if found is not None:
                p.id, p.manager_path = found
                p.created = False
            else:
                p.manager_path = (
                    f"{p.manager.manager_path}{p.manager.id}/" if p.manager is not None else "/"
                )
                new.append(p)
        for chunk in batched(new, BATCH):
            rows = [
                Person(
                    user_id=_id(p.user_id),
                    employee_id=None if p.employee_id in taken_ids else p.employee_id,
                    display_name=p.display_name,
                    title=p.title,
                    team_id=p.team.id,
                    manager_id=p.manager.id if p.manager is not None else None,
                    manager_path=p.manager_path,
                    location=p.place.name,
                    time_zone=p.place.time_zone,
                    start_date=p.start_date,
                    status=p.status,
                    left_on=p.left_on,
                )
                for p in chunk
            ]
            Person.objects.bulk_create(rows)
            for p, row in zip(chunk, rows, strict=True):
                p.id = row.pk
            context.progress.advance(len(chunk))
        context.progress.advance(len(level) - len(new))
        context.added["people"] += len(new)


def _write_leads_and_roles(context: SeedContext) -> None:
    led = [Team(pk=t.id, lead_id=t.lead.id) for t in context.teams if t.created and t.lead]
    for chunk in batched(led, BATCH):
        Team.objects.bulk_update(chunk, ["lead"])
    grants = [RoleGrant(person_id=_id(p.id), role=role) for p in context.people for role in p.roles]
    before = RoleGrant.objects.count()
    RoleGrant.objects.bulk_create(grants, batch_size=BATCH, ignore_conflicts=True)
    context.added["role grants"] += RoleGrant.objects.count() - before


def _write_logins(context: SeedContext) -> None:
    """Only the printed demo accounts get a (public, demo-only) password."""
    chosen: dict[str, PersonPlan] = context.extras["demo_people"]
    # One (slow, memory-hard) hash shared by the demo accounts: the password is public anyway.
    encoded = make_password(DEMO_PASSWORD)
    for role, person in chosen.items():
        password = DEMO_PASSWORD if person.created else None
        if password is not None:
            User.objects.filter(pk=_id(person.user_id)).update(password=encoded)
        context.logins.append(
            DemoLogin(
                role=role,
                email=person.email,
                display_name=person.display_name,
                title=person.title,
                password=password,
            )
        )


@register_step("write", label="Writing the org chart", order=140)
def write_org_chart(context: SeedContext) -> None:
    _write_teams(context)
    _write_people(context)
    _write_leads_and_roles(context)
    _write_logins(context)
