"""Project-level views: the home page, and the health and readiness probes."""

from __future__ import annotations

from celery import current_app
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.home import sections_for


@login_required
@require_safe
def home(request):
    """ "What needs me?": each app adds its sections through `core.home.home_section`."""
    return render(request, "home.html", {"sections": sections_for(request.user)})


@never_cache
@require_safe
def healthz(request):
    """The process is up (no dependency is checked)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Ready to serve: the database answers and, when one is configured, the broker too."""
    checks: dict[str, str] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            with current_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
            ok = False
    else:
        checks["broker"] = "not configured (tasks run in-process)"
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


# --- Error answers (config.urls handler400/403/404/500): JSON with a ``code`` under /api/ ---

_API_ERRORS = {
    400: ("bad_request", _("The request could not be understood; check its URL and body.")),
    403: ("permission_denied", _("You do not have permission to do this.")),
    404: (
        "not_found",
        _("Not found: no such API path. The API's paths are listed at /api/docs/."),
    ),
    500: (
        "server_error",
        _("Something went wrong on our side; it has been logged. Try again in a moment."),
    ),
}


def _api_error(request, status: int):
    if not request.path_info.startswith("/api/"):
        return None
    code, detail = _API_ERRORS[status]
    return JsonResponse({"detail": str(detail), "code": code}, status=status)


def bad_request(request, exception=None):
    """400 outside a view (a suspicious request): JSON under /api/, Django's page elsewhere."""
    return _api_error(request, 400) or defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    """403 outside DRF: JSON under /api/, Django's page elsewhere."""
    return _api_error(request, 403) or defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    """404 for an unmatched path: JSON under /api/, Django's page elsewhere."""
    return _api_error(request, 404) or defaults.page_not_found(request, exception)


def server_error(request):
    """500: JSON under /api/ (clients parse every error the same way), the error page elsewhere."""
    return _api_error(request, 500) or defaults.server_error(request)
