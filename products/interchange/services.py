"""The one catalog import service, used by the API, the import page and `catalog_import`.

All or nothing: files are read and parsed, the plan is made against the catalog, and only when no
error was found is it written, in one transaction. A dry run answers the same without writing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import NotPermitted
from products import access
from products.interchange import sources
from products.interchange.apply import plan_apply
from products.interchange.parsers import parse_documents
from products.interchange.plan import Planner
from products.interchange.remote import remote_catalog
from products.interchange.report import ImportRefused, ImportReport
from products.interchange.specs import ParsedCatalog


def catalog_import_check(*, actor) -> None:
    """Only staff and domain leads import; doors call this before reading the upload (403)."""
    if actor is None:
        return
    if not actor.is_authenticated:
        raise NotPermitted(_("Sign in first."))
    if not (access.is_staff(actor) or access.domain_ids(actor)[0]):
        raise NotPermitted(_("Only domain leads and staff import catalog files."))


def _run(*, actor, documents, report: ImportReport, domain: str | None) -> ImportReport:
    if not report.errors:
        parsed = parse_documents(documents, report, domain or None)
        return _plan_and_apply(actor=actor, parsed=parsed, report=report)
    raise ImportRefused(report)


def _plan_and_apply(*, actor, parsed: ParsedCatalog, report: ImportReport) -> ImportReport:
    if not report.errors:
        plan = Planner(actor, report).build(parsed)
        if not report.errors and not report.dry_run:
            plan_apply(plan=plan, actor=actor)
    if report.errors:
        raise ImportRefused(report)
    return report


def catalog_import(
    *, actor, name: str, content: bytes, domain: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import one uploaded file (YAML, JSON or a .zip of a tree) for ``actor`` (staff create
    domains; a lead imports products into their own domains). Atomic; raises `ImportRefused`
    (400) listing every error, `NotPermitted` (403) or `ImportTooLarge` (413)."""
    catalog_import_check(actor=actor)
    report = ImportReport(dry_run=dry_run)
    documents = sources.documents_from_upload(name, content, report)
    return _run(actor=actor, documents=documents, report=report, domain=domain)


def catalog_import_paths(
    paths: list[str | Path], actor=None, dry_run: bool = False, domain: str | None = None
) -> ImportReport:
    """Import files or folders on disk, following Backstage ``Location`` targets. ``actor=None``
    is the operator at the command line (full rights), e.g. ``seed_demo`` on ``catalog/``."""
    catalog_import_check(actor=actor)
    report = ImportReport(dry_run=dry_run)
    documents = sources.documents_from_paths(list(paths), report)
    return _run(actor=actor, documents=documents, report=report, domain=domain)


def catalog_sync(
    *,
    actor,
    source: str,
    url: str,
    token: str,
    domain: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Pull domains and data products from a running OpenMetadata or DataHub (``domain``: only
    that one), mapped and governed like the files; all or nothing, idempotent by the catalog's
    ids. Raises `SourceUnavailable` (502) when the catalog cannot be read, `ImportRefused` (400)."""
    catalog_import_check(actor=actor)
    report = ImportReport(dry_run=dry_run)
    parsed = remote_catalog(source, url, token, report, domain or None)
    return _plan_and_apply(actor=actor, parsed=parsed, report=report)


def catalog_sync_configured() -> ImportReport | None:
    """The periodic pull from ``CATALOG_SYNC_SOURCE`` at ``CATALOG_SYNC_URL`` with
    ``CATALOG_SYNC_TOKEN``, as the operator; None when no catalog is configured."""
    source, url = settings.CATALOG_SYNC_SOURCE, settings.CATALOG_SYNC_URL
    if not (source and url):
        return None
    return catalog_sync(actor=None, source=source, url=url, token=settings.CATALOG_SYNC_TOKEN)
