"""Project-level views: the home page, health and readiness probes, the API token endpoint."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle


@login_required
@require_safe
def home(request):
    """ "What needs me?": each app adds its sections through `config.home_sections`."""
    from config.home import sections_for

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
            from config.celery import app

            with app.connection_for_write() as conn:
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


class ObtainTokenView(ObtainAuthToken):
    """POST {username, password} → {token}: the key for `Authorization: Token <key>`.

    DRF's view turns throttling off; password guessing is throttled per client IP here and locked
    out per account and IP by django-axes, which sees every failed attempt through Django's
    ``authenticate`` (the same count as the sign-in page). A locked-out account answers 429, even
    with the right password, instead of DRF's "Unable to log in" (axes flags DRF's request object,
    which its middleware never sees, so the view answers for it)."""

    throttle_classes = [AnonRateThrottle]
    locked_out_message = (
        "Too many failed sign-ins: this account is locked for a few minutes after repeated failed "
        "attempts. Wait, then try again, or ask an admin to unlock it."
    )

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if not getattr(request, "axes_locked_out", False):
                raise
        cool_off = get_cool_off(request)
        headers = {"Retry-After": str(int(cool_off.total_seconds()))} if cool_off else {}
        return Response(
            {"detail": self.locked_out_message, "code": "locked_out"},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers=headers,
        )
