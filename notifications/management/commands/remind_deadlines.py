from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Remind drafters and leads 14, 7 and 1 days before request deadlines."

    def handle(self, *args, **options):
        count = services.remind_deadlines()
        self.stdout.write(f"remind_deadlines: {count}")
