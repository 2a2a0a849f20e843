"""The API token endpoint: `POST /api/v1/auth/token/` {username, password} answers {token}."""

from __future__ import annotations

from axes.helpers import get_cool_off
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.throttling import SignInAccountThrottle, SignInAddressThrottle


class ObtainTokenView(ObtainAuthToken):
    """POST {username, password} → {token}: the key for `Authorization: Token <key>`.

    DRF's view turns throttling off; password guessing is throttled per client IP here and locked
    out per account and IP by django-axes, which sees every failed attempt through Django's
    ``authenticate`` (the same count as the sign-in page). A locked-out account answers 429, even
    with the right password, instead of DRF's "Unable to log in" (axes flags DRF's request object,
    which its middleware never sees, so the view answers for it)."""

    # Per client IP and per username, whatever token the caller also sends (core.throttling).
    throttle_classes = [SignInAddressThrottle, SignInAccountThrottle]
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
