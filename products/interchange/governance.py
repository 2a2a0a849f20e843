"""Governance on import: the rules of `products.services` decide which status a product takes."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from products import services
from products.interchange.report import ImportReport
from products.interchange.specs import ProductPlan
from products.models import DataProduct

S = DataProduct.Status


def clean_or_report(instance, report: ImportReport, where: str, entity: str, *, exclude) -> bool:
    """Field formats (lengths, choices); failures become errors naming each field."""
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors_to_report(exc, report, where, entity)
        return False
    return True


def errors_to_report(exc: ValidationError, report: ImportReport, where: str, entity: str) -> None:
    """A field-keyed ValidationError as import errors."""
    for name, messages in exc.message_dict.items():
        report.error(where, entity, name, " ".join(messages))


def settle(plan: ProductPlan, report: ImportReport) -> None:
    """Pick the status: the file's (forward moves only), lowered to the highest status whose
    rules the product meets, with a warning naming what is missing."""
    p = plan.product
    entity = f"DataProduct {p.external_id or p.slug}"
    target = plan.target or p.status
    current = plan.original.status if plan.original else None
    if current and target != current and target not in services.next_statuses(current):
        report.warn(
            plan.where,
            entity,
            "status",
            _("Status only moves forward; it stays %(s)s (the file says %(t)s).")
            % {"s": current, "t": target},
        )
        target = current
    staged = copy.copy(p)
    staged.replacement_id = None  # the import never sets it; judging it would cost a query
    staged.status = S.SHARED
    if not clean_or_report(staged, report, plan.where, entity, exclude=["domain", "replacement"]):
        return
    try:
        services.check_product_rules(staged)
    except ValidationError as exc:
        errors_to_report(exc, report, plan.where, entity)
        return
    order = list(services.STATUS_ORDER)
    missing: list[str] = []
    for status in reversed(order[: order.index(target) + 1]):
        staged.status = status
        try:
            services.check_product_rules(staged)
            break
        except ValidationError as exc:
            missing = missing or sorted(exc.message_dict)
    if staged.status != target:
        if current and order.index(staged.status) < order.index(current):
            report.error(
                plan.where,
                entity,
                ", ".join(missing),
                _("It is %(s)s in Upstream, which needs these fields.") % {"s": current},
            )
            return
        report.warn(
            plan.where,
            entity,
            ", ".join(missing),
            _("Imported as %(s)s instead of %(t)s: %(t)s needs %(m)s.")
            % {"s": staged.status, "t": target, "m": ", ".join(missing)},
        )
    p.status = staged.status
