"""Consume instead, on the product page: a team asks to consume a product; the producing
domain's leads confirm or decline. Thin: the consumer services decide; errors become messages
(403 answers 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import attempt
from products import access, services
from products.models import ConsumerRequest, DataProduct, Domain


def consume_context(user, product: DataProduct) -> dict:
    """What the product page shows of asks: the user's teams that may ask, and (for the
    producing domain's leads and staff) the asks waiting for an answer."""
    _led, team = access.domain_ids(user)
    is_lead = access.is_lead(user, product.domain_id) or access.is_staff(user)
    return {
        "consume_teams": Domain.objects.filter(pk__in=team - {product.domain_id}).order_by("name"),
        "pending_asks": (
            product.consumer_requests.filter(status="pending").select_related(
                "domain", "requested_by"
            )
            if is_lead
            else []
        ),
    }


def _back(product: DataProduct):
    return redirect(f"{product.get_absolute_url()}#consume")


def _report(request, outcome, done: str):
    if outcome.status == 403:
        raise PermissionDenied(outcome.message)
    if outcome.ok:
        messages.success(request, done)
    else:
        first = next(iter(outcome.errors.values()), [outcome.message])[0]
        messages.error(request, first or outcome.message)


@login_required
@require_POST
def product_consume(request, pk: int):
    """Ask to consume a product for one of your teams, with its use case."""
    product = get_object_or_404(DataProduct.objects.select_related("domain"), pk=pk)
    domain = Domain.objects.filter(slug=request.POST.get("domain", "")[:60]).first()
    outcome = attempt(
        services.consumer_request_create,
        product=product,
        actor=request.user,
        domain=domain,
        use_case=request.POST.get("use_case", "")[:1000],
    )
    _report(request, outcome, _("Asked: the leads of %(d)s will answer.") % {"d": product.domain})
    return _back(product)


@login_required
@require_POST
def consumer_request_decide(request, pk: int, rid: int):
    """Confirm (``confirm=1``) or decline (with a reason) a team's ask."""
    product = get_object_or_404(DataProduct.objects.select_related("domain"), pk=pk)
    asked = get_object_or_404(ConsumerRequest, pk=rid, product=product)
    confirm = request.POST.get("confirm") == "1"
    outcome = attempt(
        services.consumer_request_decide,
        consumer_request=asked,
        actor=request.user,
        confirm=confirm,
        reason=request.POST.get("reason", "")[:500],
    )
    _report(request, outcome, _("Confirmed.") if confirm else _("Declined."))
    return _back(product)
