from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Re-dispatch outbox rows left pending (what beat runs every minute)."

    def handle(self, *args, **options):
        count = services.sweep()
        self.stdout.write(f"sweep_outbox: {count}")
