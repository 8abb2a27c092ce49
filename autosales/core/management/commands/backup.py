import datetime
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _


def sqlite_backup(source: Path, target: Path) -> None:
    """Copy a live SQLite database consistently (the online backup API copies a snapshot page by page)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=1024)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise CommandError(_("The backup failed its integrity check: %(r)s") % {"r": result})
        finally:
            dst.close()
    finally:
        src.close()


class Command(BaseCommand):
    help = "Back up the SQLite database online and consistently. For PostgreSQL use pg_dump (see README)."

    def add_arguments(self, parser):
        parser.add_argument(
            "target", nargs="?", help="backup file (default: var/backups/autosales-<time>.sqlite3)"
        )

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                _("This database is PostgreSQL: back it up with pg_dump -Fc (see README, Backups).")
            )
        source = Path(settings.DATABASES["default"]["NAME"])
        if not source.exists():
            raise CommandError(_("There is no database file at %(path)s.") % {"path": source})
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        target = Path(options["target"] or settings.VAR_DIR / "backups" / f"autosales-{stamp}.sqlite3")
        if target.exists():
            raise CommandError(_("%(path)s exists already; choose another file.") % {"path": target})
        sqlite_backup(source, target)
        self.stdout.write(_("Backup written to %(path)s") % {"path": target})
