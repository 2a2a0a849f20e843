"""The inbox page and the notification preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.pages import error_text
from notifications import preferences, services

PAGE_SIZE = 50


@login_required
@require_safe
def inbox(request):
    """Your notifications, newest first, unread ones highlighted."""
    rows = list(services.inbox(request.user).select_related("request")[: PAGE_SIZE + 1])
    return render(
        request,
        "notifications/inbox.html",
        {"rows": rows[:PAGE_SIZE], "more": len(rows) > PAGE_SIZE},
    )


@login_required
@require_POST
def inbox_read(request, pk: int):
    notification = get_object_or_404(services.inbox(request.user), pk=pk)
    services.mark_read(notification=notification, user=request.user)
    if request.htmx:
        return render(request, "notifications/partials/row.html", {"n": notification})
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # Only a page of this site: an outside `next` would make the inbox an open redirect.
    return redirect(target if target and safe else "notifications:inbox")


@login_required
@require_safe
def inbox_open(request, pk: int):
    """Open a notification: it is marked read, then you land where it points (or the inbox)."""
    notification = get_object_or_404(services.inbox(request.user), pk=pk)
    services.mark_read(notification=notification, user=request.user)
    path = (notification.payload or {}).get("path") or ""
    if url_has_allowed_host_and_scheme(path, allowed_hosts=None) and path.startswith("/"):
        return redirect(path)
    return redirect("notifications:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences_page(request):
    """One row per kind of event: in-app on/off, email on/off and its digest mode."""
    status = 200
    if request.method == "POST":
        changes = []
        for kind in preferences.KINDS:
            changes.append(
                {
                    "kind": kind,
                    "channel": "in_app",
                    "enabled": request.POST.get(f"{kind}:in_app") == "on",
                }
            )
            changes.append(
                {
                    "kind": kind,
                    "channel": "email",
                    "enabled": request.POST.get(f"{kind}:email") == "on",
                    "digest": request.POST.get(f"{kind}:digest", "immediate"),
                }
            )
        try:
            preferences.preferences_update(user=request.user, changes=changes)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            status = 400
        else:
            messages.success(request, "Preferences saved.")
            return redirect("notifications:preferences")
    rows: dict[str, dict] = {}
    for item in preferences.preferences_of(request.user):
        row = rows.setdefault(item["kind"], {"kind": item["kind"], "label": item["label"]})
        row[item["channel"]] = item
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows.values(), "digests": ["immediate", "daily", "weekly"]},
        status=status,
    )
