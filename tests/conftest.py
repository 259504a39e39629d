from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from ecotone.people.models import Person, RoleGrant, Team, User
from tests.factories import PersonFactory, TeamFactory, grant


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Argon2 is deliberately slow; tests hash dozens of passwords, so they use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Put back the rows data migrations create, after a test that flushed the database.

    Transactional tests (live server, worker) end with a flush, which also empties the tables a
    data migration filled: the proficiency scale. Under xdist a worker may run ordinary tests
    after such a test, and they expect the database as migrations left it.
    """
    result = yield
    if nextitem is None:  # the session's database is already gone
        return result
    marker = item.get_closest_marker("django_db")
    flushed = marker is not None and marker.kwargs.get("transaction", False)
    if flushed or _FLUSHING_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        import importlib

        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        scale = importlib.import_module("ecotone.skills.migrations.0002_proficiency_scale")
        with item.config.stash[blocking_manager_key].unblock():
            scale.create_scale(apps, None)
    return result


@dataclass
class Org:
    """A small company: a CEO over a manager over two reports, plus L&D, an executive, an admin."""

    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def users(self) -> dict[str, User]:
        return {name: person.user for name, person in self.people.items()} | {"anonymous": _anon()}

    @property
    def objects(self) -> dict[str, Any]:
        return {**self.people, **{f"team:{k}": v for k, v in self.teams.items()}}


def _anon() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def org(db) -> Org:
    company = TeamFactory(name="Acme", slug="acme")
    engineering = TeamFactory(name="Engineering", slug="engineering", parent=company)
    platform = TeamFactory(name="Platform", slug="platform", parent=engineering)
    people_team = TeamFactory(name="People", slug="people", parent=company)
    ceo = PersonFactory(display_name="Cora CEO", title="Chief Executive", team=company)
    manager = PersonFactory(
        display_name="Mia Manager", title="Engineering Manager", team=engineering, manager=ceo
    )
    learner = PersonFactory(
        display_name="Leo Learner", title="Engineer", team=platform, manager=manager
    )
    peer = PersonFactory(display_name="Pia Peer", title="Engineer", team=platform, manager=manager)
    outsider = PersonFactory(
        display_name="Otto Outsider", title="Recruiter", team=people_team, manager=ceo
    )
    facilitator = grant(
        PersonFactory(
            display_name="Lena L&D", title="Learning Partner", team=people_team, manager=ceo
        ),
        RoleGrant.Role.LEARNING,
    )
    executive = grant(
        PersonFactory(display_name="Eve Executive", title="COO", team=company, manager=ceo),
        RoleGrant.Role.EXECUTIVE,
    )
    admin = grant(
        PersonFactory(display_name="Ada Admin", title="IT Admin", team=people_team, manager=ceo),
        RoleGrant.Role.ADMIN,
    )
    platform.lead = manager
    platform.save()
    return Org(
        teams={
            "company": company,
            "engineering": engineering,
            "platform": platform,
            "people": people_team,
        },
        people={
            "ceo": ceo,
            "manager": manager,
            "learner": learner,
            "peer": peer,
            "outsider": outsider,
            "ld": facilitator,
            "executive": executive,
            "admin": admin,
        },
    )
