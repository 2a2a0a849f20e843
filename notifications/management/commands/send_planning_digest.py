from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Send the weekly planning digest to leads."

    def handle(self, *args, **options):
        count = services.send_planning_digest()
        self.stdout.write(f"send_planning_digest: {count}")
