import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from autosales.core.demo.seed import SeedRefused, seed_database


class Command(BaseCommand):
    help = (
        "Fill an empty database with realistic, reproducible demo data: stores, staff, catalogue, "
        "customers with years of sales and after-sales history. Refuses when customers already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=600, help="Customers to create (default 600).")
        parser.add_argument("--years", type=int, default=3, help="Years of history (default 3).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; the same seed gives the same data."
        )

    def handle(self, *args, **options):
        customers, years = options["customers"], options["years"]
        if customers < 1 or years < 1:
            raise CommandError(_("--customers and --years must be at least 1."))
        verbose = options["verbosity"] > 1
        started = time.monotonic()
        try:
            counts = seed_database(
                customers=customers,
                years=years,
                seed=options["seed"],
                log=(lambda message: self.stdout.write(message)) if verbose else None,
            )
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        if options["verbosity"] == 0:
            return
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<{width}} {count:>9}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Seeded %(rows)s rows in %(seconds).1f s.")
                % {"rows": sum(counts.values()), "seconds": elapsed}
            )
        )
