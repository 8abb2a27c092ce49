from django.core.management.base import BaseCommand

from autosales.sales.services import quotes_expire


class Command(BaseCommand):
    help = "Mark approved and sent quotes past their validity date as expired (run daily from cron)."

    def handle(self, *args, **options):
        count = quotes_expire()
        self.stdout.write(f"{count} quote(s) expired")
