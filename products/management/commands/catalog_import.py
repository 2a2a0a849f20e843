"""``manage.py catalog_import PATH... [--domain SLUG] [--dry-run]``: import catalog files."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from products.interchange.services import catalog_import_paths
from products.management.commands._reporting import run_and_report


class Command(BaseCommand):
    help = (
        "Import domains and data products from Backstage, ODPS and ODCS files (or folders), "
        "following Backstage Location targets relative to each file. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders (read recursively).")
        parser.add_argument("--domain", default="", help="Domain for ODPS files that name none.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change.")

    def handle(self, *args, paths, domain, dry_run, **options):
        run_and_report(
            self,
            lambda: catalog_import_paths(paths, actor=None, dry_run=dry_run, domain=domain),
            dry_run=dry_run,
            done="Imported",
        )
