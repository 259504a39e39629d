"""``ecotone serve [--bind 127.0.0.1:8000] [--workers N]``: the production web server.

Collects static files (served by whitenoise), then runs gunicorn in this process through its
Python API. It binds to the loopback interface unless told otherwise: put a TLS-terminating proxy
in front of it before opening it to a network.
"""

from __future__ import annotations

import gc
import os
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import get_internal_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication

DEFAULT_BIND = "127.0.0.1:8000"


class EcotoneServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn serving ``ecotone.config.wsgi:application`` with the given settings."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # settings.WSGI_APPLICATION: ecotone.config.wsgi.application, as runserver loads it.
        return get_internal_wsgi_application()


def server_options(*, bind: str, workers: int, threads: int = 4) -> dict[str, Any]:
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "ecotone",
        # Gunicorn's control socket defaults to one path per user, shared by every instance.
        "control_socket_disable": True,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    }


def run_server(*, bind: str, workers: int) -> None:
    """Collect static files quietly, then serve until SIGINT or SIGTERM (exits the process)."""
    call_command("collectstatic", interactive=False, verbosity=0)
    # Workers are forked from this process: they must not share its database connections.
    connections.close_all()
    # What is loaded so far (settings, apps, migrations run by ``demo``) lives as long as the
    # workers: keep the garbage collector off it, so forked workers neither copy nor rescan it.
    gc.freeze()
    EcotoneServer(server_options(bind=bind, workers=workers)).run()


class Command(BaseCommand):
    help = "Serve Ecotone with gunicorn (static files collected first)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            default=DEFAULT_BIND,
            help=f"Address and port to listen on (default {DEFAULT_BIND}: this machine only).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="Worker processes (default 2, or $WEB_CONCURRENCY); each runs 4 threads.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_server(bind=options["bind"], workers=options["workers"])
