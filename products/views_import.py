"""The catalog import page for leads and staff: upload, preview (a dry run), then apply."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from products import access
from products.interchange.report import ImportRefused
from products.interchange.services import catalog_import, catalog_import_check
from products.models import Domain

STASH_SECONDS = 3600  # an upload waits this long between its preview and "apply"


def _stash_key(user, token: str) -> str:
    return f"catalog-import:{user.pk}:{token}"


def _run(request, *, name: str, content: bytes, domain: str, dry_run: bool):
    """The import service's answer for a page: (report dict, status, message)."""
    try:
        report = catalog_import(
            actor=request.user, name=name, content=content, domain=domain or None, dry_run=dry_run
        )
    except ImportRefused as exc:
        return exc.report.as_dict(), 400, exc.message
    except DomainError as exc:
        return None, exc.status_code, exc.message
    return report.as_dict(), 200, ""


@login_required
@require_http_methods(["GET", "POST"])
def catalog_import_page(request):
    """Upload Backstage, ODPS or ODCS files (or a .zip); see what would change; apply it."""
    context: dict = {"domains": None, "domain": ""}
    try:
        catalog_import_check(actor=request.user)
    except DomainError as exc:
        context["message"] = exc.message
        return render(request, "products/import.html", context, status=exc.status_code)
    context["domains"] = (
        Domain.objects.all() if access.is_staff(request.user) else request.user.led_domains.all()
    )
    status = 200
    if request.method == "POST" and request.POST.get("token"):
        stash = cache.get(_stash_key(request.user, request.POST["token"]))
        if stash is None:
            context["message"] = _("This preview has expired; upload the file again.")
            return render(request, "products/import.html", context, status=400)
        report, status, message = _run(request, **stash, dry_run=False)
        if status == 200:
            cache.delete(_stash_key(request.user, request.POST["token"]))
            created = report["created"]
            messages.success(
                request,
                _("Catalog imported: %(d)s domains and %(p)s data products created, %(u)s updated.")
                % {
                    "d": created["domains"],
                    "p": created["data_products"],
                    "u": report["updated"]["data_products"],
                },
            )
            return redirect("products:product-list")
        context.update(report=report, message=message)
    elif request.method == "POST":
        upload = request.FILES.get("file")
        domain = request.POST.get("domain", "")
        context["domain"] = domain
        if upload is None:
            context["message"] = _("Choose a file to import.")
            return render(request, "products/import.html", context, status=400)
        stash = {"name": upload.name, "content": upload.read(), "domain": domain}
        report, status, message = _run(request, **stash, dry_run=True)
        context.update(report=report, message=message, file_name=upload.name)
        if status == 200:
            token = secrets.token_urlsafe(16)
            cache.set(_stash_key(request.user, token), stash, STASH_SECONDS)
            context["token"] = token
    return render(request, "products/import.html", context, status=status)
