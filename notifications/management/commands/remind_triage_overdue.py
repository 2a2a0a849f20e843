from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Remind leads of requests untriaged past the SLA (once per domain and day)."

    def handle(self, *args, **options):
        count = services.remind_triage_overdue()
        self.stdout.write(f"remind_triage_overdue: {count}")
