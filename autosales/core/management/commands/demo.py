import os
import re
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from autosales.core.choices import Role
from autosales.core.demo import DEMO_PASSWORD, DEMO_USERS
from autosales.parties.models import Customer

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def parse_addrport(value: str) -> tuple[str, int]:
    """``8000``, ``0.0.0.0:8000`` or ``[::1]:8000`` as (host, port)."""
    match = re.fullmatch(r"(?:(?P<host>\[[0-9a-fA-F:]+\]|[\w.-]+):)?(?P<port>\d{1,5})", value.strip())
    if not match or not 0 < int(match["port"]) < 65536:
        raise CommandError(_("Give the address as PORT or HOST:PORT, e.g. 127.0.0.1:8000."))
    return match["host"] or "127.0.0.1", int(match["port"])


def server_environment() -> dict[str, str]:
    """The environment of the demo server: production settings, served over plain HTTP on this machine.

    HTTPS redirects, secure-only cookies and HSTS would lock a browser out of http://127.0.0.1.
    """
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "autosales.settings")
    env.update(SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


class Command(BaseCommand):
    help = (
        "Prepare and run the demo: migrate the database, load demo data when it has no customers yet, "
        "print one login per role, then serve the web application."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--addrport", default=DEFAULT_ADDRPORT, help="Address to serve on (default 127.0.0.1:8000)."
        )
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database, do not serve.")
        parser.add_argument("--no-seed", action="store_true", help="Never load demo data.")
        parser.add_argument("--customers", type=int, default=600, help="Demo customers to create.")
        parser.add_argument("--years", type=int, default=3, help="Years of sales history to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the demo data.")
        parser.add_argument("--workers", type=int, default=2, help="Web server worker processes.")

    def handle(self, *args, **options):
        host, port = parse_addrport(options["addrport"])
        verbosity = options["verbosity"]

        self.section(_("Migrating the database"))
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        if options["no_seed"]:
            self.stdout.write(_("Demo data not requested (--no-seed)."))
        elif Customer.objects.exists():
            self.stdout.write(_("The database already has customers; reusing it without new demo data."))
        elif "seed" not in get_commands():
            self.stderr.write(self.style.WARNING(_("The seed command is not installed; no demo data.")))
        else:
            self.section(_("Loading demo data"))
            call_command(
                "seed",
                "--customers",
                str(options["customers"]),
                "--years",
                str(options["years"]),
                "--seed",
                str(options["seed"]),
                verbosity=verbosity,
            )

        self.section(_("Collecting static files"))
        call_command("collectstatic", interactive=False, verbosity=0)

        self.print_logins()
        if options["no_serve"]:
            return

        url_host = "127.0.0.1" if host in ("0.0.0.0", "[::]") else host  # noqa: S104
        self.section(
            _("AutoSales is running at http://%(host)s:%(port)s/ — press Ctrl+C to stop.")
            % {
                "host": url_host,
                "port": port,
            }
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "autosales.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(max(options["workers"], 1)),
            "--threads",
            "4",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
        ]
        self.stdout.flush()
        self.stderr.flush()
        connections.close_all()
        # The server takes over this process, so Ctrl+C and SIGTERM reach it directly.
        os.execve(sys.executable, command, server_environment())  # noqa: S606

    def section(self, title):
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {title}"))

    def print_logins(self):
        usernames = [row[0] for row in DEMO_USERS]
        existing = set(
            get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
        )
        roles = dict(Role.choices)
        self.section(_("Demo logins (password: %(password)s)") % {"password": DEMO_PASSWORD})
        if not existing:
            self.stdout.write(_("No demo users exist yet; load demo data with: autosales seed"))
            return
        for username, role, store, *_names in DEMO_USERS:
            if username in existing:
                where = store or _("all stores")
                self.stdout.write(f"  {username:<16} {roles.get(role, role)} ({where})")
