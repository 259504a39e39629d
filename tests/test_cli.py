from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ecotone import cli
from ecotone.kernel.models import SecurityEvent
from ecotone.people.management.commands import demo, serve
from ecotone.people.models import Person, RoleGrant, User
from ecotone.people.seeding import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Dispatch ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "dispatched"),
    [
        (["import-org", "org.csv", "--commit"], ["ecotone", "import_org", "org.csv", "--commit"]),
        (["export-org", "org.xlsx"], ["ecotone", "export_org", "org.xlsx"]),
        (["seed", "--size", "small"], ["ecotone", "seed", "--size", "small"]),
        (
            ["createadmin", "--email", "a-b@x.example"],
            ["ecotone", "createadmin", "--email", "a-b@x.example"],
        ),
        (["--help"], ["ecotone", "--help"]),
    ],
)
def test_dashed_command_names_reach_django_commands(monkeypatch, argv, dispatched):
    calls = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", calls.append)
    cli.main(argv)
    assert calls == [dispatched]


def test_no_arguments_prints_the_list_of_commands(capsys):
    cli.main([])
    assert "ecotone demo" in capsys.readouterr().out


def test_the_installed_command_finds_the_people_commands():
    done = subprocess.run(
        [sys.executable, "-m", "ecotone.cli", "seed", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--size {small,medium,large,huge}" in done.stdout
    assert "--force" in done.stdout


# --- seed -------------------------------------------------------------------------------------


def test_seed_prints_the_log_ins_and_refuses_a_second_time(db):
    out = io.StringIO()
    call_command("seed", "--size", "small", "--seed", "3", stdout=out)
    printed = out.getvalue()
    assert "Seeded the small company (seed 3)" in printed
    assert "150 people" in printed
    assert printed.count(DEMO_PASSWORD) == 5
    for role in ("Admin", "L&D facilitator", "Executive", "Manager", "Learner"):
        assert role in printed
    with pytest.raises(CommandError, match="already has people"):
        call_command("seed", stdout=io.StringIO())
    assert Person.objects.count() == 150


# --- createadmin ------------------------------------------------------------------------------


def test_createadmin_from_standard_input(db):
    out = io.StringIO()
    call_command(
        "createadmin",
        "--email",
        "Root@Example.com",
        "--name",
        "Rosa Root",
        "--password-stdin",
        stdin=io.StringIO("a long enough passphrase 42\n"),
        stdout=out,
    )
    user = User.objects.get(email="root@example.com")
    assert user.is_staff
    assert user.is_superuser
    assert user.is_active
    assert user.check_password("a long enough passphrase 42")
    assert user.person.display_name == "Rosa Root"
    assert list(RoleGrant.objects.filter(person=user.person).values_list("role", flat=True)) == [
        "admin"
    ]
    assert sorted(
        SecurityEvent.objects.filter(target_id=str(user.person.pk)).values_list("action", flat=True)
    ) == ["people.admin_created", "people.role_granted"]
    assert out.getvalue() == "Created the administrator Rosa Root <root@example.com>.\n"


def test_createadmin_asks_what_it_was_not_told(db, monkeypatch):
    answers = iter(["try one", "try two", "correct horse battery", "correct horse battery"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command(
        "createadmin",
        stdin=io.StringIO("ada.admin@example.com\n\n"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    person = Person.objects.get(user__email="ada.admin@example.com")
    assert person.display_name == "Ada Admin"
    assert person.user.check_password("correct horse battery")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-address", "a long enough passphrase 42", "not a valid e-mail address"),
        ("ada@example.com", "short", "too short"),
        ("ada@example.com", "password123", "too common"),
    ],
)
def test_createadmin_refuses_bad_input_and_writes_nothing(db, email, password, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "createadmin",
            "--email",
            email,
            "--name",
            "Ada",
            "--password-stdin",
            stdin=io.StringIO(password + "\n"),
        )
    assert User.objects.count() == 0


def test_createadmin_refuses_an_address_in_use(org):
    with pytest.raises(CommandError, match="already signs in"):
        call_command(
            "createadmin",
            "--email",
            org.people["learner"].user.email.upper(),
            "--name",
            "Leo",
            "--password-stdin",
            stdin=io.StringIO("a long enough passphrase 42\n"),
        )
    assert not org.people["learner"].user.is_superuser


# --- serve and demo ---------------------------------------------------------------------------


def test_serve_runs_gunicorn_on_loopback_with_the_wsgi_application():
    server = serve.EcotoneServer(serve.server_options(bind=serve.DEFAULT_BIND, workers=3))
    assert server.cfg.bind == ["127.0.0.1:8000"]
    assert server.cfg.workers == 3
    assert server.cfg.worker_class_str == "gthread"
    from ecotone.config.wsgi import application

    assert server.load() is application


class FakeWorker:
    def __init__(self, command, env):
        self.command = command
        self.terminated = False

    def poll(self):
        return 0 if self.terminated else None

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def no_serving(monkeypatch):
    """Record what demo would serve and which worker it would start, instead of doing it."""
    served: list[dict] = []
    workers: list[FakeWorker] = []

    def fake_popen(command, env):
        workers.append(FakeWorker(command, env))
        return workers[-1]

    monkeypatch.setattr(demo, "run_server", lambda **options: served.append(options))
    monkeypatch.setattr(demo.subprocess, "Popen", fake_popen)
    return served, workers


def test_demo_seeds_an_empty_database_prints_log_ins_and_serves(db, no_serving):
    served, workers = no_serving
    out = io.StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    printed = out.getvalue()
    assert "http://127.0.0.1:8123" in printed
    assert printed.count(DEMO_PASSWORD) == 5
    assert Person.objects.count() == 150
    assert served == [{"bind": "127.0.0.1:8123", "workers": 2}]
    assert [w.command for w in workers] == [[sys.executable, "-m", "ecotone.cli", "worker"]]
    assert workers[0].terminated


def test_demo_keeps_an_existing_database_and_reprints_its_log_ins(db, no_serving):
    call_command("seed", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert "keeping it as it is" in printed
    assert printed.count(f"{DEMO_PASSWORD} (unless changed)") == 5
    assert Person.objects.count() == 150


def test_demo_on_a_real_database_points_to_createadmin(org, no_serving):
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "ecotone createadmin" in out.getvalue()
    assert Person.objects.count() == 8
