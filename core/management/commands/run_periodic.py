from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run every periodic job once, now (what Celery beat schedules in production)."

    def handle(self, *args, **options):
        for name in (
            "sweep_outbox",
            "remind_triage_overdue",
            "remind_deadlines",
            "send_planning_digest",
        ):
            call_command(name, stdout=self.stdout)
        call_command("send_digests", mode="daily", stdout=self.stdout)
        call_command("send_digests", mode="weekly", stdout=self.stdout)
        call_command("clearsessions")
        self.stdout.write("clearsessions: expired sessions deleted")
