"""Editing and deleting one's own comment from the request page (the services check who)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import attempt
from requests_app import services
from requests_app.models import Comment


def _comment(pk: int, comment_pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("request"), pk=comment_pk, request_id=pk
    )


def _answer(request: HttpRequest, comment: Comment, outcome, anchor: str) -> HttpResponse:
    if outcome.status == 403:
        raise PermissionDenied(outcome.message)
    if not outcome.ok:
        messages.error(request, outcome.message)
    return redirect(f"{comment.request.get_absolute_url()}{anchor}")


@login_required
@require_POST
def comment_edit(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Save the author's new text; the old one stays in the audit trail."""
    comment = _comment(pk, comment_pk)
    outcome = attempt(
        services.comment_update,
        comment=comment,
        actor=request.user,
        body=request.POST.get("body", ""),
    )
    if outcome.ok:
        messages.success(request, _("Comment updated."))
    return _answer(request, comment, outcome, f"#comment-{comment.pk}")


@login_required
@require_POST
def comment_remove(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Remove the author's comment from the discussion (the audit trail keeps it)."""
    comment = _comment(pk, comment_pk)
    outcome = attempt(services.comment_delete, comment=comment, actor=request.user)
    if outcome.ok:
        messages.success(request, _("Comment deleted."))
    return _answer(request, comment, outcome, "#history")
