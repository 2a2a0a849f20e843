"""Subscription pages: the staff page (every subscription one manages) and one per domain, with
a form to subscribe (the secret is shown once), a "send a test event" button that shows the
receiver's answer (htmx), pause/resume and delete. Same services as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.pages import attempt
from notifications.models import Subscription
from notifications.subscriptions import selectors, services
from notifications.subscriptions.forms import SubscriptionForm
from products import access
from products.models import Domain


def _form(request: HttpRequest, domain: Domain | None, data=None) -> SubscriptionForm:
    """The form, offering only the domains the user manages (one when on a domain's page)."""
    staff = access.is_staff(request.user)
    if domain is not None:
        domains = Domain.objects.filter(pk=domain.pk)
    elif staff:
        domains = Domain.objects.all()
    else:
        domains = Domain.objects.filter(pk__in=access.domain_ids(request.user)[0])
    return SubscriptionForm(data, domains=domains, fixed_domain=domain, allow_all=staff)


def _page(request: HttpRequest, *, domain: Domain | None, form=None, secret=None, status=200):
    form = form or _form(request, domain)
    context = {
        "domain": domain,
        "subscriptions": list(selectors.subscriptions_for(user=request.user, domain=domain)),
        "form": form,
        "secret": secret,
    }
    return render(request, "notifications/subscriptions.html", context, status=status)


def _handle(request: HttpRequest, domain: Domain | None) -> HttpResponse:
    if request.method == "GET":
        return _page(request, domain=domain)
    form = _form(request, domain, request.POST)
    if not form.is_valid():
        return _page(request, domain=domain, form=form, status=400)
    outcome = attempt(
        services.subscription_create, form=form, actor=request.user, **form.service_params()
    )
    if outcome.status == 403:
        return HttpResponse(outcome.message, status=403)
    if not outcome.ok:
        return _page(request, domain=domain, form=form, status=outcome.status)
    subscription, secret = outcome.value
    messages.success(request, _("Subscribed %(url)s.") % {"url": subscription.url})
    return _page(request, domain=domain, secret=secret, status=201)


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions_page(request: HttpRequest) -> HttpResponse:
    """Every subscription the user manages (staff: all); subscribe any domain, or all."""
    if not (access.is_staff(request.user) or access.domain_ids(request.user)[0]):
        return HttpResponse(_("Only domain leads and staff manage subscriptions."), status=403)
    return _handle(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def domain_subscriptions_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One domain's subscriptions (its leads and staff)."""
    domain = get_object_or_404(Domain, slug=slug)
    if not services.can_manage(request.user, domain):
        return HttpResponse(
            _("Only %(domain)s's leads (or staff) manage its subscriptions.") % {"domain": domain},
            status=403,
        )
    return _handle(request, domain)


def _back(subscription: Subscription):
    if subscription.domain_id:
        return redirect("notifications:domain-subscriptions", slug=subscription.domain.slug)
    return redirect("notifications:subscriptions")


@login_required
@require_POST
def subscription_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a test event; answer the receiver's status and body (a partial for htmx)."""
    subscription = get_object_or_404(selectors.subscriptions_for(user=request.user), pk=pk)
    result = services.subscription_send_test(subscription=subscription, actor=request.user)
    if not request.htmx:
        # The form posted before the page's scripts ran (or without them): the answer is shown
        # as a message on the page the person came from.
        answer = render_to_string(
            "notifications/partials/subscription_test.html", {"result": result}, request
        )
        messages.info(request, mark_safe(answer))  # the partial escapes the receiver's body
        return _back(subscription)
    return render(
        request,
        "notifications/partials/subscription_test.html",
        {"result": result, "subscription": subscription},
    )


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(selectors.subscriptions_for(user=request.user), pk=pk)
    back = _back(subscription)
    services.subscription_delete(subscription=subscription, actor=request.user)
    messages.success(request, _("Subscription removed."))
    return back


@login_required
@require_POST
def subscription_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause a subscription, or resume a paused one."""
    subscription = get_object_or_404(selectors.subscriptions_for(user=request.user), pk=pk)
    services.subscription_update(
        subscription=subscription, actor=request.user, active=not subscription.active
    )
    return _back(subscription)
