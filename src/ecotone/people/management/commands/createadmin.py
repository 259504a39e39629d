"""``ecotone createadmin [--email E] [--name N] [--password-stdin]``: the first administrator.

Creates a login and a person holding the admin role (also staff and superuser, for the Django
admin). The password is asked twice without echo, or read from the first line of standard input
with ``--password-stdin`` (for scripts: ``echo "$PASSWORD" | ecotone createadmin ...``).
"""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any, TextIO

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from ecotone.kernel import audit
from ecotone.people import services
from ecotone.people.models import Person, RoleGrant, User, normalize_email


class Command(BaseCommand):
    help = "Create an administrator (asks for the password unless --password-stdin)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", help="Their e-mail address, used to sign in.")
        parser.add_argument("--name", help="Their display name.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input instead of asking.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin: TextIO = options.get("stdin") or sys.stdin
        email = normalize_email(options["email"] or self.ask(stdin, "E-mail address: "))
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from None
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"Someone already signs in as {email}.")
        default_name = email.split("@")[0].replace(".", " ").title()
        name = (options["name"] or self.ask(stdin, f"Name [{default_name}]: ")).strip()
        name = name or default_name
        if len(name) > 150:
            raise CommandError("Keep the name under 150 characters.")
        if options["password_stdin"]:
            password = stdin.readline().rstrip("\r\n")
        else:
            password = self.ask_password(email)
        try:
            validate_password(password, User(email=email))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        person = create_administrator(email=email, display_name=name, password=password)
        self.stdout.write(f"Created the administrator {person.display_name} <{email}>.")

    def ask(self, stdin: TextIO, prompt: str) -> str:
        self.stdout.write(prompt, ending="")
        self.stdout.flush()
        answer = stdin.readline()
        if not answer:
            raise CommandError("No answer: pass --email and --name to run without questions.")
        return answer.strip()

    def ask_password(self, email: str) -> str:
        for _ in range(3):
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ; try again.")
                continue
            try:
                validate_password(password, User(email=email))
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No password set; nothing was created.")


@transaction.atomic
def create_administrator(*, email: str, display_name: str, password: str) -> Person:
    """A login, its person and the admin role, recorded in the audit trail.

    The operator at the command line is trusted: there may be no administrator yet to act as.
    The new administrator grants their own role through the service, so the grant is audited
    like any other.
    """
    user = User.objects.create_user(
        email=email, password=password, is_staff=True, is_superuser=True
    )
    person = Person.objects.create(user=user, display_name=display_name)
    audit.record(actor=None, action="people.admin_created", target=person)
    services.grant_role(actor=user, person=person, role=RoleGrant.Role.ADMIN)
    return person
