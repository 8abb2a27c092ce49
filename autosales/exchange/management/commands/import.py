import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from autosales.core.models import Store, User
from autosales.exchange.readers import FileRefused
from autosales.exchange.services import ENTITIES, exchange_import

SHOWN_ERRORS = 200


class Command(BaseCommand):
    help = (
        "Import customers, vehicles or historical orders from a CSV (UTF-8 or GBK) or XLSX file. "
        "Nothing is written unless every row is good, unless --good-only is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=ENTITIES)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--good-only",
            action="store_true",
            help="Write the good rows and save the bad ones, with their errors, to a file to fix.",
        )
        parser.add_argument("--store", help="Store code for rows that do not name a store.")
        parser.add_argument("--report", type=Path, help="Write a CSV report: line, key, outcome, message.")
        parser.add_argument(
            "--rejected", type=Path, help="Where to save the bad rows (default: next to the file)."
        )
        parser.add_argument("--user", help="Record the import as done by this user (default: nobody).")
        parser.add_argument("--lang", choices=["zh", "zh-hans", "en"], help="Language of the messages.")

    def handle(self, *args, entity, file, good_only, store, report, rejected, user, lang, **options):
        language = {"zh": "zh-hans"}.get(lang, lang) if lang else translation.get_language()
        with translation.override(language):
            self._run(entity, file, good_only, store, report, rejected, user)

    def _run(self, entity, file, good_only, store_code, report_path, rejected_path, username):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        store = None
        if store_code:
            store = Store.objects.filter(code=store_code.strip().upper()).first()
            if store is None:
                raise CommandError(f"There is no store with code {store_code}.")
        actor = None
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"There is no user named {username}.")
        try:
            result = exchange_import(
                entity=entity,
                data=file.read_bytes(),
                filename=file.name,
                actor=actor,
                store=store,
                good_only=good_only,
            )
        except FileRefused as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        for name in result.ignored_columns:
            self.stderr.write(f"ignored column: {name}")
        for note in result.notes:
            self.stderr.write(str(note))
        for error in sorted(result.errors, key=lambda e: e.line)[:SHOWN_ERRORS]:
            self.stderr.write(f"line {error.line}: {result.error_text(error)}")
        if len(result.errors) > SHOWN_ERRORS:
            self.stderr.write(f"… {len(result.errors) - SHOWN_ERRORS} more errors (see --report)")
        if report_path:
            with report_path.open("w", newline="", encoding="utf-8-sig") as handle:
                csv.writer(handle).writerows(result.report_rows())
            self.stdout.write(f"report: {report_path}")
        rejected = result.rejected_rows_file()
        if rejected:
            content, extension = rejected
            target = rejected_path or file.with_name(f"{file.stem}.rejected.{extension}")
            target.write_bytes(content)
            self.stdout.write(f"rejected rows: {target}")
        self.stdout.write(result.summary())
        if not result.committed:
            raise CommandError("nothing imported")
