"""The seed pipeline: named steps, run in order over one shared context, in one transaction.

A step is a function ``(context) -> None`` registered with an ``order``. The people app
registers the org chart steps (100-199); later apps add theirs (skills 200-299, goals 300-399,
...) by calling ``register_step`` from a module their ``AppConfig.ready`` imports. Each step reads
what earlier steps planned or wrote from the context (``context.people``, ``context.teams`` and
``context.extras`` for anything new) and draws its randomness from ``context.rng``: a generator
seeded from the seed and the step's name, so that adding a step never changes what the others
produce.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from ecotone.kernel import audit
from ecotone.kernel.errors import DomainError
from ecotone.kernel.models import SecurityEvent
from ecotone.people.models import Person, Team
from ecotone.people.seeding.names import Place

SIZES: dict[str, int] = {"small": 150, "medium": 2_000, "large": 20_000, "huge": 100_000}

# Set on the printed demo log-ins only. It is public (it is in the source code), so a demo
# database is for trying Ecotone out, never for real people.
DEMO_PASSWORD = "ecotone-demo"

SEEDED_ACTION = "people.company_seeded"


class Progress(Protocol):
    """Where steps report what they do; the ``seed`` command shows it as progress bars."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class QuietProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass(eq=False, slots=True)
class TeamPlan:
    """A team of the generated company, before and after it is written (then ``id`` is set)."""

    name: str
    slug: str
    depth: int
    parent: TeamPlan | None
    division: str
    department: str
    roles: tuple[str, ...]
    place: Place
    description: str = ""
    lead: PersonPlan | None = None
    children: list[TeamPlan] = field(default_factory=list)
    staff_count: int = 0
    id: int | None = None
    path: str = "/"
    created: bool = False

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(eq=False, slots=True)
class PersonPlan:
    """A person of the generated company; ``id`` and ``manager_path`` are set when written."""

    index: int
    display_name: str
    email: str
    employee_id: str
    title: str
    team: TeamPlan
    manager: PersonPlan | None
    place: Place
    start_date: dt.date
    level: int
    is_lead: bool = False
    status: str = Person.Status.ACTIVE
    left_on: dt.date | None = None
    roles: list[str] = field(default_factory=list)
    id: int | None = None
    user_id: int | None = None
    manager_path: str = "/"
    created: bool = False

    @property
    def is_active(self) -> bool:
        return self.status == Person.Status.ACTIVE


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """One printed log-in. ``password`` is None when the account already existed (left alone)."""

    role: str
    email: str
    display_name: str
    title: str
    password: str | None


@dataclass(eq=False)
class SeedContext:
    """What the steps share: the parameters, the generator, and everything planned so far."""

    size: str
    headcount: int
    seed: int
    today: dt.date
    force: bool
    progress: Progress
    rng: random.Random
    teams: list[TeamPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    added: Counter[str] = field(default_factory=Counter)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> TeamPlan:
        return self.teams[0]


@dataclass(frozen=True, slots=True)
class SeedStep:
    name: str
    label: str
    run: Callable[[SeedContext], None]
    order: int


_STEPS: dict[str, SeedStep] = {}


def register_step(
    name: str, *, label: str, order: int
) -> Callable[[Callable[[SeedContext], None]], Callable[[SeedContext], None]]:
    """Decorator: add a step to every seed. ``order`` places it (people 100-199, ...)."""

    def decorate(function: Callable[[SeedContext], None]) -> Callable[[SeedContext], None]:
        _STEPS[name] = SeedStep(name=name, label=label, run=function, order=order)
        return function

    return decorate


def steps() -> list[SeedStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


def database_is_empty() -> bool:
    """True when there are no people and no teams yet (a fresh install)."""
    return not Person.objects.exists() and not Team.objects.exists()


def last_seeded_logins() -> list[DemoLogin]:
    """The log-ins the last seed printed, as they are now (for ``ecotone demo`` on restart).

    Their password is the demo one, unless someone changed it since: it is not shown again.
    """
    event = SecurityEvent.objects.filter(action=SEEDED_ACTION).order_by("-id").first()
    if event is None:
        return []
    pairs: list[tuple[str, str]] = [(role, email) for role, email in event.detail["logins"]]
    people = {
        person.user.email: person
        for person in Person.objects.select_related("user").filter(
            user__email__in=[email for _, email in pairs], status=Person.Status.ACTIVE
        )
    }
    return [
        DemoLogin(
            role=role,
            email=email,
            display_name=people[email].display_name,
            title=people[email].title,
            password=None,
        )
        for role, email in pairs
        if email in people
    ]


def seed_company(
    *,
    size: str = "small",
    seed: int = 1,
    today: dt.date | None = None,
    force: bool = False,
    progress: Progress | None = None,
    through: str | None = None,
) -> SeedContext:
    """Generate the fictional company and write it, all or nothing.

    The same ``size``, ``seed`` and ``today`` always give the same company. A database that
    already holds people or teams is refused unless ``force``: then rows that already exist
    (teams by parent and name, people by e-mail address) are kept as they are and reused, so
    seeding twice adds nothing twice. ``through`` names the last step to run (``"write"``: the
    org chart alone), for tests and benchmarks that need no more.
    """
    to_run = steps()
    if through is not None:
        names = [step.name for step in to_run]
        if through not in names:
            raise DomainError("unknown_step", f"No seed step is called {through!r}.")
        to_run = to_run[: names.index(through) + 1]
    if size not in SIZES:
        raise DomainError("unknown_size", f"Choose a size among {', '.join(SIZES)}.", field="size")
    with transaction.atomic():
        if not force and not database_is_empty():
            raise DomainError(
                "not_empty",
                "The database already has people or teams. Seed an empty database, or pass "
                "--force to add the demo company beside them (nothing is added twice).",
            )
        context = SeedContext(
            size=size,
            headcount=SIZES[size],
            seed=seed,
            today=today or timezone.localdate(),
            force=force,
            progress=progress or QuietProgress(),
            rng=random.Random(seed),
        )
        for step in to_run:
            context.rng = random.Random(f"{seed}/{step.name}")
            step.run(context)
        audit.record(
            actor=None,
            action=SEEDED_ACTION,
            target=None,
            detail={
                "size": size,
                "seed": seed,
                "force": force,
                "added": dict(sorted(context.added.items())),
                # Pairs, not a mapping: PostgreSQL's jsonb does not keep the keys' order.
                "logins": [[login.role, login.email] for login in context.logins],
            },
        )
    return context
