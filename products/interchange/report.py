"""The answer of an import: counts per kind, warnings and errors naming file, entity and field."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import ngettext

from core.errors import DomainError

KINDS = ("domains", "data_products", "output_ports", "contracts")


class ImportRefused(DomainError):
    """The files hold errors: nothing was written (400); ``report`` lists every error."""

    code = "import_refused"

    def __init__(self, report: ImportReport) -> None:
        first = report.errors[0]
        message = ngettext(
            "Nothing was imported: %(count)s error. First: %(file)s %(entity)s %(field)s: %(message)s",
            "Nothing was imported: %(count)s errors. First: %(file)s %(entity)s %(field)s: %(message)s",
            len(report.errors),
        ) % {
            "count": len(report.errors),
            "file": first["file"],
            "entity": first["entity"],
            "field": first["field"],
            "message": first["message"],
        }
        super().__init__(message, **report.as_dict())
        self.report = report


class ImportTooLarge(DomainError):
    """An upload or archive beyond the import's bounds (413)."""

    status_code = 413
    code = "request_too_large"


@dataclass
class ImportReport:
    """What an import created, updated, left unchanged and skipped, with warnings and errors."""

    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def warn(self, file: str, entity: str, fld: str, message: str) -> None:
        self.warnings.append({"file": file, "entity": entity, "field": fld, "message": message})

    def error(self, file: str, entity: str, fld: str, message: str) -> None:
        self.errors.append({"file": file, "entity": entity, "field": fld, "message": message})

    def as_dict(self) -> dict:
        def counts(counter: Counter) -> dict:
            return {kind: counter.get(kind, 0) for kind in KINDS}

        skipped = counts(self.skipped) | {
            k: v for k, v in sorted(self.skipped.items()) if k not in KINDS
        }
        return {
            "dry_run": self.dry_run,
            "created": counts(self.created),
            "updated": counts(self.updated),
            "unchanged": counts(self.unchanged),
            "skipped": skipped,
            "warnings": self.warnings,
            "errors": self.errors,
        }
