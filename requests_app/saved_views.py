"""Saved views of the request list: a person names the list's filters, optionally shared with one
of their domains; the views show in the navigation and above the list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.forms import CheckboxSelectMultiple, Select
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import NotPermitted
from core.pages import attempt
from products import access
from products.models import DataProduct, Domain
from requests_app.filters import DataRequestFilter
from requests_app.models import DataRequest, SavedView

MAX_VIEWS = 50  # per person: a navigation of fifty entries is already long
# The searchable product picker lists the whole catalog up to this size (the page's <select>
# would otherwise grow with it: 1,500 products were 100 KB of every list page); beyond, the
# filter stays the product id box.
PICKER_MAX = 200
IGNORED = {"page", "csrfmiddlewaretoken", "name", "share"}


def saved_views_for(user) -> QuerySet[SavedView]:
    """The views a person sees: their own and those shared with their domains. One query."""
    if not user or not user.is_authenticated:
        return SavedView.objects.none()
    mine = access.domain_ids(user)[1]
    return (
        SavedView.objects.filter(Q(owner=user) | Q(shared_with_id__in=mine))
        .select_related("owner", "shared_with")
        .order_by("name", "pk")
    )


def clean_query(raw: QueryDict) -> str:
    """Only the list's own filters, validated by the same FilterSet the list uses."""
    kept = QueryDict(mutable=True)
    for key in raw:
        if key in DataRequestFilter.base_filters and key not in IGNORED:
            kept.setlist(key, [v for v in raw.getlist(key) if v != ""])
    filterset = DataRequestFilter(kept, queryset=DataRequest.objects.none())
    if not filterset.is_valid():
        raise ValidationError({"query": _("These filters are not valid: fix them, then save.")})
    if not any(kept.getlist(k) for k in kept):
        raise ValidationError({"query": _("Choose some filters first: a view saves them.")})
    return kept.urlencode()


@transaction.atomic
def saved_view_create(
    *, owner, name: str, query: QueryDict, share_with: Domain | None = None
) -> SavedView:
    """Save ``query`` under ``name`` for ``owner``; sharing is only with a domain they belong to."""
    if not owner or not owner.is_authenticated:
        raise NotPermitted(_("Sign in to save views."))
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationError({"name": _("Give the view a name of 1 to 60 characters.")})
    if share_with is not None and share_with.pk not in access.domain_ids(owner)[1]:
        raise NotPermitted(_("You can share a view only with a domain you belong to."))
    if SavedView.objects.filter(owner=owner).count() >= MAX_VIEWS:
        raise ValidationError(
            {"name": _("You have %(n)s views: delete one first.") % {"n": MAX_VIEWS}}
        )
    try:
        with transaction.atomic():
            return SavedView.objects.create(
                owner=owner, name=name, query=clean_query(query), shared_with=share_with
            )
    except IntegrityError:
        raise ValidationError(
            {"name": _("You already have a view named “%(name)s”.") % {"name": name}}
        ) from None


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView, actor) -> None:
    """Its owner (or staff) deletes a view; the people it was shared with no longer see it."""
    if not (
        actor and actor.is_authenticated and (actor.pk == saved_view.owner_id or actor.is_staff)
    ):
        raise NotPermitted(_("Only the person who saved this view may delete it."))
    saved_view.delete()


# --- pages ---------------------------------------------------------------------------------------


def view_url(saved_view: SavedView) -> str:
    return f"{reverse('requests_app:request-list')}?{saved_view.query}&view={saved_view.pk}"


@login_required
@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponse:
    """Save the list's current filters (posted with the form) under a name."""
    share = request.POST.get("share") or None
    domain = Domain.objects.filter(slug=share).first() if share else None
    outcome = attempt(
        saved_view_create,
        owner=request.user,
        name=request.POST.get("name", ""),
        query=request.POST,
        share_with=domain,
    )
    if not outcome.ok:
        messages.error(request, outcome.message)
        query = QueryDict(mutable=True)
        for key in request.POST:
            if key not in IGNORED:
                query.setlist(key, request.POST.getlist(key))
        return redirect(f"{reverse('requests_app:request-list')}?{query.urlencode()}")
    messages.success(request, _("View “%(name)s” saved.") % {"name": outcome.value.name})
    return redirect(view_url(outcome.value))


@login_required
@require_POST
def saved_view_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of your saved views."""
    saved_view = get_object_or_404(saved_views_for(request.user), pk=pk)
    outcome = attempt(saved_view_delete, saved_view=saved_view, actor=request.user)
    if outcome.status == 403:
        raise PermissionDenied(outcome.message)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": saved_view.name})
    return redirect("requests_app:request-list")


@login_required
@require_safe
def saved_view_menu(request: HttpRequest) -> HttpResponse:
    """The navigation's list of saved views (loaded when the menu opens: no query on other pages)."""
    views = [(v, view_url(v)) for v in saved_views_for(request.user)[:MAX_VIEWS]]
    return render(request, "requests_app/partials/saved_view_menu.html", {"views": views})


def list_page_extras(request: HttpRequest, form) -> dict:
    """What the request list adds for people: status and urgency as chips, a searchable product
    picker instead of an id box, and the saved views (two queries whatever the sizes)."""
    for name in ("status", "urgency"):
        if name in form.fields:
            form.fields[name].widget = CheckboxSelectMultiple(
                attrs={"class": "chips"}, choices=form.fields[name].choices
            )
    field = form.fields.get("data_product")
    # Plain values: a catalog past the cap is read only to be dropped, so no objects are built.
    products = (
        list(
            DataProduct.objects.order_by("domain__name", "name").values_list(
                "pk", "name", "domain__name"
            )[: PICKER_MAX + 1]
        )
        if field is not None
        else []
    )
    # A catalog too large for one <select> keeps the id box: the page stays the same size.
    if field is not None and len(products) <= PICKER_MAX:
        choices = [("", "---------")] + [
            (pk, f"{name} ({domain})") for pk, name, domain in products
        ]
        field.label = _("Data product")
        field.widget = Select(attrs={"data-search": "product"}, choices=choices)
        form["data_product"].label = field.label  # the bound field was made while validating
    views = list(saved_views_for(request.user)[:MAX_VIEWS])
    current = request.GET.get("view")
    return {
        "saved_views": [(v, view_url(v)) for v in views],
        "current_view": next((v for v in views if str(v.pk) == current), None),
        "share_domains": Domain.objects.filter(pk__in=access.domain_ids(request.user)[1])
        if request.GET
        else [],
    }
