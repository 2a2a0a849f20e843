"""What the catalog commands print: a refused import's errors as a CommandError, warnings on
stderr, and the counts on stdout."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from products.interchange.report import ImportRefused


def run_and_report(command: BaseCommand, run: Callable, *, dry_run: bool, done: str) -> None:
    """Run the import (``run()`` answers its report) and print it; ``done`` names a real run."""
    try:
        report = run()
    except ImportRefused as exc:
        lines = [
            f"{e['file']} {e['entity']} {e['field']}: {e['message']}" for e in exc.report.errors
        ]
        raise CommandError("Nothing was imported.\n" + "\n".join(lines)) from None
    answer = report.as_dict()
    for warning in answer["warnings"]:
        command.stderr.write(
            f"warning: {warning['file']} {warning['entity']} {warning['field']}: "
            f"{warning['message']}"
        )
    summary = {k: answer[k] for k in ("created", "updated", "unchanged", "skipped")}
    prefix = "Dry run (nothing written): " if dry_run else f"{done}: "
    command.stdout.write(prefix + json.dumps(summary))
