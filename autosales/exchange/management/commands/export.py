import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from autosales.core.models import Store
from autosales.core.services import export_log
from autosales.exchange.exports import csv_chunks, export_queryset, export_rows, write_xlsx
from autosales.exchange.services import ENTITIES


class Command(BaseCommand):
    help = "Export customers, vehicles or orders (one row per order line) with the columns the import reads."

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=ENTITIES)
        parser.add_argument("--format", choices=["csv", "xlsx"], default=None)
        parser.add_argument("--output", type=Path, help="File to write (default: CSV to standard output).")
        parser.add_argument("--store", help="Only this store.")
        parser.add_argument(
            "--lang", choices=["en", "zh"], default="en", help="Column names in English or Chinese."
        )

    def handle(self, *args, entity, format, output, store, lang, **options):
        store_obj = None
        if store:
            store_obj = Store.objects.filter(code=store.strip().upper()).first()
            if store_obj is None:
                raise CommandError(_("There is no store with code %(code)s.") % {"code": store})
        if format is None:
            format = "xlsx" if output and output.suffix.lower() == ".xlsx" else "csv"
        columns, rows = export_rows(entity, store=store_obj)
        export_log(
            user=None,
            what=f"{entity} (command line)",
            rows=export_queryset(entity, store=store_obj).count(),
            file_format=format,
            filters={"store": store or "", "output": str(output or "stdout")},
        )
        if format == "xlsx":
            if output is None:
                raise CommandError(_("An XLSX export needs --output FILE."))
            count = write_xlsx(columns, rows, output, lang=lang)
            self.stderr.write(f"{count} rows → {output}")
            return
        if output is None:
            stream = sys.stdout.buffer if self.stdout._out is sys.stdout else None
            for chunk in csv_chunks(columns, rows, lang=lang, bom=False):
                if stream is not None:
                    stream.write(chunk)
                else:
                    self.stdout.write(chunk.decode("utf-8"), ending="")
            if stream is not None:
                stream.flush()
            return
        with output.open("wb") as handle:
            for chunk in csv_chunks(columns, rows, lang=lang):
                handle.write(chunk)
        self.stderr.write(f"→ {output}")
