"""Request-page doors for work-item links: link one by URL, unlink one (same services as the API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import attempt
from requests_app.models import DataRequest, WorkItemLink
from requests_app.workitems import services


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an issue by its URL; the outcome is shown on the request page."""
    data_request = get_object_or_404(DataRequest, pk=pk)
    outcome = attempt(
        services.link_create,
        data_request=data_request,
        url=request.POST.get("url", "")[:600],
        actor=request.user,
    )
    if outcome.status == 403:
        return HttpResponse(outcome.message, status=403)
    if not outcome.ok:  # shown on the page it came from, next to the links
        messages.error(request, outcome.message)
        return redirect(data_request)
    messages.success(request, _("Linked %(key)s.") % {"key": outcome.value.external_key})
    return redirect(data_request)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int, lid: int) -> HttpResponse:
    """Unlink an issue from the request page."""
    link = get_object_or_404(WorkItemLink.objects.select_related("request"), pk=lid, request=pk)
    outcome = attempt(services.link_delete, link=link, actor=request.user)
    if outcome.status == 403:
        return HttpResponse(outcome.message, status=403)
    messages.success(request, _("Unlinked %(key)s.") % {"key": link.external_key})
    return redirect(link.request)
