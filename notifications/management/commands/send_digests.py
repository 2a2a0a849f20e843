from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Send the daily or weekly email digests to users who chose them."

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=["daily", "weekly"], default="daily")

    def handle(self, *args, mode, **options):
        self.stdout.write(f"send_digests ({mode}): {services.send_email_digests(mode)}")
