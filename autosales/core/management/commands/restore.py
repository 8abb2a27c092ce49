import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from .backup import sqlite_backup


class Command(BaseCommand):
    help = "Restore the SQLite database from a backup made by `autosales backup` (stop the server first)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                _("This database is PostgreSQL: restore it with pg_restore (see README, Backups).")
            )
        source = Path(options["source"])
        if not source.is_file():
            raise CommandError(_("There is no backup file at %(path)s.") % {"path": source})
        try:
            check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                result = check.execute("PRAGMA integrity_check").fetchone()[0]
                tables = {
                    row[0] for row in check.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
            finally:
                check.close()
        except sqlite3.DatabaseError as exc:
            raise CommandError(
                _("%(path)s is not an AutoSales backup: %(e)s") % {"path": source, "e": exc}
            ) from exc
        if result != "ok" or "django_migrations" not in tables or "parties_customer" not in tables:
            raise CommandError(_("%(path)s is not an intact AutoSales backup.") % {"path": source})
        if not options["yes"] and options.get("interactive", True):
            answer = input(_("This replaces the current database with the backup. Type 'yes' to go on: "))
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled."))
        target = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        # Copy through the backup API so the WAL of the live file is replaced consistently.
        staging = target.with_suffix(".restoring")
        staging.unlink(missing_ok=True)
        sqlite_backup(source, staging)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        staging.replace(target)
        self.stdout.write(_("Database restored from %(path)s") % {"path": source})
