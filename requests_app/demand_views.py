"""Demand pages: endorse a request ("we need this too") from its page or from the similar-needs
suggestion while filing (htmx, so the filing form stays as typed), and withdraw an endorsement.
Thin: the demand services decide; errors are mapped by `core.pages.attempt`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import attempt
from products.models import DataProduct
from requests_app import demand_selectors, lifecycle, services
from requests_app.forms import EndorseForm
from requests_app.models import DataRequest

PARTIAL = "requests_app/partials/endorse_form.html"


def _open_request(pk: int) -> DataRequest:
    found = DataRequest.objects.select_related("target_domain").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such request."))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def request_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    """The short endorse form (in place through htmx, else as a page); POST endorses, then back
    to the request (htmx: a confirmation in place of the form, the filing form untouched)."""
    target = _open_request(pk)
    form = EndorseForm(request.POST or None, user=request.user, prefix=f"endorse-{target.pk}")
    context = {"r": target, "form": form}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = attempt(
                services.endorsement_create,
                form=form,
                data_request=target,
                actor=request.user,
                **form.cleaned_data,
            )
            if outcome.ok:
                target.refresh_from_db(fields=["demand", "endorsement_count"])
                if request.htmx:
                    return render(request, PARTIAL, {"r": target, "done": True})
                messages.success(
                    request,
                    _("You endorsed %(key)s: its demand is now %(n)s.")
                    % {"key": target.key, "n": target.demand},
                )
                return redirect(target)
            status = outcome.status
            context["error"] = "" if outcome.errors else outcome.message
    template = PARTIAL if request.htmx else "requests_app/endorse.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def endorsement_withdraw(request: HttpRequest, pk: int, eid: int) -> HttpResponse:
    """Withdraw an endorsement (its author or staff), back to the request page."""
    target = _open_request(pk)
    found = demand_selectors.request_endorsements(data_request=target).filter(pk=eid).first()
    if found is None:
        raise Http404(_("No such endorsement."))
    outcome = attempt(services.endorsement_withdraw, endorsement=found, actor=request.user)
    if outcome.status == 403:
        raise PermissionDenied(outcome.message)
    if not outcome.ok:
        messages.error(request, outcome.message)
        return redirect(f"{target.get_absolute_url()}#endorse")
    messages.success(request, _("Endorsement withdrawn."))
    return redirect(target)


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    """ "This answers my need" (``answers=yes``) or "not quite" for a suggested data product."""
    target = _open_request(pk)
    product = DataProduct.objects.select_related("domain").filter(pk=product_pk).first()
    if product is None:
        raise Http404(_("No such data product."))
    answers = request.POST.get("answers") == "yes"
    outcome = attempt(
        services.request_answer_with_product,
        data_request=target,
        product=product,
        actor=request.user,
        answers=answers,
        reason=request.POST.get("reason", "")[:500],
    )
    if outcome.status == 403:
        raise PermissionDenied(outcome.message)
    if not outcome.ok:
        messages.error(request, outcome.message)
    elif answers:
        messages.success(request, _("Done: %(name)s answers it.") % {"name": product.name})
    else:
        messages.success(request, _("Noted: %(name)s is not quite it.") % {"name": product.name})
    return redirect(target)


def endorsement_facts(request: HttpRequest, data_request: DataRequest) -> dict:
    """What the request page shows of demand: the endorsements, the user's own, and the form."""
    endorsements = list(demand_selectors.request_endorsements(data_request=data_request))
    mine = next((e for e in endorsements if e.user_id == request.user.pk), None)
    return {
        "endorsements": endorsements,
        "my_endorsement": mine,
        "can_endorse": mine is None
        and data_request.requester_id != request.user.pk
        and data_request.status in lifecycle.ENDORSABLE_STATES,
        "endorse_form": EndorseForm(user=request.user, prefix=f"endorse-{data_request.pk}"),
        "product_suggestions": demand_selectors.product_suggestions(data_request=data_request),
    }
