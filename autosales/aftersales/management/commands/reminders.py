"""Print today's maintenance due list, for a daily cron job: ``autosales reminders``.

By default it also creates missing follow-up calls and escalates overdue complaints first, so the
morning list is complete however the day before went.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from autosales.aftersales.selectors import reminders_due_for_command
from autosales.aftersales.services import complaints_escalate, followups_generate_missing
from autosales.core.models import Store


class Command(BaseCommand):
    help = "Print the maintenance reminders due today, per advisor (and prepare follow-ups and escalations)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Day of the list, YYYY-MM-DD (default: today, local time).")
        parser.add_argument("--store", help="Only this store code.")
        parser.add_argument(
            "--list-only",
            action="store_true",
            help="Only print the list; do not create follow-up calls or escalate complaints.",
        )

    def handle(self, *args, **options):
        on = timezone.localdate()
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from exc
        store = None
        if options["store"]:
            store = Store.objects.filter(code=options["store"].strip().upper()).first()
            if store is None:
                raise CommandError(_("No store with code %(code)s.") % {"code": options["store"]})
        if not options["list_only"]:
            created = followups_generate_missing(today=on)
            escalated = complaints_escalate(today=on)
            self.stderr.write(
                _("%(calls)d follow-up calls created, %(complaints)d complaints escalated.")
                % {"calls": created, "complaints": escalated}
            )
        reminders = list(reminders_due_for_command(on=on, store=store))
        self.stdout.write(
            _("Maintenance due on %(date)s: %(n)d") % {"date": on.isoformat(), "n": len(reminders)}
        )
        current = object()
        for reminder in reminders:
            group = (reminder.store_id, reminder.advisor_id)
            if group != current:
                current = group
                advisor = reminder.advisor or _("(unassigned)")
                self.stdout.write(f"\n{reminder.store.code} — {advisor}")
            day = reminder.postponed_to if reminder.status == "postponed" else reminder.due_date
            km = f"{reminder.due_mileage_km} km" if reminder.due_mileage_km else ""
            self.stdout.write(
                "\t".join(
                    [
                        day.isoformat(),
                        reminder.customer.name,
                        reminder.customer.mobile or "-",
                        reminder.vehicle.vin,
                        reminder.vehicle.plate_number or "-",
                        km,
                        reminder.get_status_display(),
                    ]
                )
            )
