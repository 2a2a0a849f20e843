"""``manage.py catalog_sync openmetadata|datahub [--url URL] [--token TOKEN] [--domain SLUG]
[--dry-run]``: pull domains and data products from a running catalog."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from products.interchange.remote import SOURCES, SourceUnavailable
from products.interchange.services import catalog_sync
from products.management.commands._reporting import run_and_report


class Command(BaseCommand):
    help = (
        "Pull domains and data products from OpenMetadata (REST) or DataHub (GraphQL), mapped "
        "and governed like catalog files. All or nothing; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=SOURCES)
        parser.add_argument(
            "--url", default="", help="The catalog's base URL (default: CATALOG_SYNC_URL)."
        )
        parser.add_argument(
            "--token",
            default="",
            help="Bearer token (default: CATALOG_SYNC_TOKEN, which keeps it out of `ps`).",
        )
        parser.add_argument("--domain", default="", help="Sync only this domain (by slug).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")

    def handle(self, *args, source, url, token, domain, dry_run, **options):
        url = url or settings.CATALOG_SYNC_URL
        token = token or settings.CATALOG_SYNC_TOKEN
        if not url:
            raise CommandError("Give --url (or set CATALOG_SYNC_URL).")

        def run():
            try:
                return catalog_sync(
                    actor=None, source=source, url=url, token=token, domain=domain, dry_run=dry_run
                )
            except SourceUnavailable as exc:
                raise CommandError(f"Nothing was imported: {exc.message}") from None

        run_and_report(self, run, dry_run=dry_run, done="Synced")
