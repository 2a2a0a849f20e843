"""Periodic jobs of the catalog: the pull from a running OpenMetadata or DataHub."""

from __future__ import annotations

import logging

from celery import shared_task

from products.interchange.remote import SourceUnavailable
from products.interchange.report import ImportRefused
from products.interchange.services import catalog_sync_configured

log = logging.getLogger(__name__)


@shared_task
def sync_catalog() -> dict | None:
    """Pull the configured catalog (CATALOG_SYNC_*); a failure is logged with its reason."""
    try:
        report = catalog_sync_configured()
    except (SourceUnavailable, ImportRefused) as exc:
        log.error("catalog sync failed, nothing was imported: %s", exc.message)
        return {"error": exc.message}
    if report is None:
        log.info("catalog sync skipped: CATALOG_SYNC_SOURCE and CATALOG_SYNC_URL are not set")
        return None
    answer = report.as_dict()
    log.info("catalog sync: created %s, updated %s", answer["created"], answer["updated"])
    return answer
