"""``manage.py catalog_import PATH... [--domain SLUG] [--dry-run]``: import catalog files."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from products.interchange.report import ImportRefused
from products.interchange.services import catalog_import_paths


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
        try:
            report = catalog_import_paths(paths, actor=None, dry_run=dry_run, domain=domain)
        except ImportRefused as exc:
            lines = [
                f"{e['file']} {e['entity']} {e['field']}: {e['message']}" for e in exc.report.errors
            ]
            raise CommandError("Nothing was imported.\n" + "\n".join(lines)) from None
        answer = report.as_dict()
        for warning in answer["warnings"]:
            self.stderr.write(
                f"warning: {warning['file']} {warning['entity']} {warning['field']}: "
                f"{warning['message']}"
            )
        summary = {k: answer[k] for k in ("created", "updated", "unchanged", "skipped")}
        prefix = "Dry run (nothing written): " if dry_run else "Imported: "
        self.stdout.write(prefix + json.dumps(summary))
