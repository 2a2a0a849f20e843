"""Catalog pages (thin: selectors and FilterSets read, services write, forms show the errors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import NotPermitted, TransitionNotAllowed
from core.home import context_for
from core.pages import add_service_error
from products import access, selectors, services
from products.consume_views import consume_context
from products.filters import DataProductFilter, DomainFilter
from products.forms import PortFormSet, ProductForm, ports_from, ports_initial
from products.models import DataProduct, Domain

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
def catalog(request):
    """``/catalog/`` is the data products' list."""
    return redirect("products:product-list")


@login_required
@require_safe
def domain_list(request):
    """Every producing domain, searchable, with its leads and live product count."""
    filterset = DomainFilter(request.GET or None, queryset=selectors.domain_list())
    valid = filterset.is_valid() or not filterset.is_bound
    domains = filterset.qs if valid else Domain.objects.none()
    return render(
        request,
        "products/domain_list.html",
        {"filterset": filterset, "domains": domains},
        status=200 if valid else 400,
    )


@login_required
@require_safe
def domain_detail(request, slug):
    """One domain: its people, how to reach it, its data products and its capacity."""
    domain = get_object_or_404(selectors.domain_detail(), slug=slug)
    products = selectors.product_list().filter(domain=domain).order_by("status", "name")
    return render(
        request,
        "products/domain_detail.html",
        {
            "domain": domain,
            "products": products,
            **context_for("domain_detail", domain=domain),
            "can_publish": access.can_manage_products(request.user, domain),
            "can_edit": access.can_edit_domain(request.user, domain),
        },
    )


@login_required
@require_safe
def product_list(request):
    """The catalog: search and filter with the same FilterSet as the API."""
    filterset = DataProductFilter(request.GET or None, queryset=selectors.product_list())
    valid = filterset.is_valid() or not filterset.is_bound
    page = _page(request, filterset.qs if valid else DataProduct.objects.none())
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filterset": filterset, "page": page, "query": query.urlencode()}
    template = (
        "products/partials/product_results.html"
        if getattr(request, "htmx", False) and not request.htmx.boosted
        else "products/product_list.html"
    )
    return render(request, template, context, status=200 if valid else 400)


@login_required
@require_safe
def product_detail(request, pk):
    """One product: contract, ports, consumers, status history and the requests around it."""
    product = get_object_or_404(selectors.product_detail(), pk=pk)
    return render(
        request,
        "products/product_detail.html",
        {
            "product": product,
            **context_for("product_detail", product=product),
            "can_edit": access.can_manage_products(request.user, product.domain_id),
            "next_statuses": services.next_statuses(product.status),
            **consume_context(request.user, product),
        },
    )


def _domains_for(user):
    if access.is_staff(user):
        return Domain.objects.all()
    return Domain.objects.filter(pk__in=access.domain_ids(user)[1])


def _save(form, save) -> DataProduct | None:
    """Run ``save`` (a service call); on a rule error, show it inline and return None."""
    try:
        return save()
    except TransitionNotAllowed as exc:
        form.add_error("status" if "status" in form.fields else None, exc.message)
    except (ValidationError, NotPermitted) as exc:
        add_service_error(form, exc)
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def product_create(request):
    """Leads and members publish a data product of their domain (``?domain=<slug>`` preselects)."""
    domains = _domains_for(request.user)
    initial = {"status": DataProduct.Status.SHARED}
    if slug := request.GET.get("domain"):
        initial["domain"] = domains.filter(slug=slug).first()
    form = ProductForm(request.POST or None, domains=domains, initial=initial)
    formset = PortFormSet(request.POST or None, prefix="ports")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.service_kwargs()
        product = _save(
            form,
            lambda: services.product_create(
                actor=request.user, output_ports=ports_from(formset), **data
            ),
        )
        if product is not None:
            messages.success(
                request, gettext("%(name)s is in the catalog.") % {"name": product.name}
            )
            return redirect(product)
    return render(
        request,
        "products/product_form.html",
        {"form": form, "formset": formset, "has_domains": domains.exists()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def product_edit(request, pk):
    """Leads and members of the owning domain edit a product, its ports and its status."""
    product = get_object_or_404(selectors.product_detail(), pk=pk)
    if not access.can_manage_products(request.user, product.domain_id):
        raise PermissionDenied(
            gettext("Only leads and members of %(domain)s may edit it.")
            % {"domain": product.domain}
        )
    form = ProductForm(
        request.POST or None, product=product, initial=ProductForm.initial_for(product)
    )
    formset = PortFormSet(request.POST or None, prefix="ports", initial=ports_initial(product))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.service_kwargs()
        saved = _save(
            form,
            lambda: services.product_update(
                product=product, actor=request.user, output_ports=ports_from(formset), **data
            ),
        )
        if saved is not None:
            messages.success(request, gettext("%(name)s is saved.") % {"name": saved.name})
            return redirect(saved)
    return render(
        request,
        "products/product_form.html",
        {"form": form, "formset": formset, "product": product, "has_domains": True},
        status=400 if request.method == "POST" else 200,
    )
