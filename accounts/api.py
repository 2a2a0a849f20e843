"""The API's own door: exchange a username and password for an API token."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services.tokens import api_token_for_password_exchange
from core.throttling import SignInAccountThrottle, SignInAddressThrottle


class ObtainTokenView(APIView):
    """POST {username, password} → {token}: the key for `Authorization: Token <key>`.

    Each exchange issues a new named token (keys are stored hashed, so an existing one cannot be
    handed out again). Password guessing is throttled per client IP here and locked out per
    account and IP by django-axes, which sees every failed attempt through Django's
    ``authenticate`` (the same count as the sign-in page). A locked-out account answers 429, even
    with the right password (axes flags DRF's request object, which its middleware never sees, so
    the view answers for it)."""

    authentication_classes: list = []
    permission_classes: list = []
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # as DRF's ObtainAuthToken
    # Per client IP and per username, whatever token the caller also sends (core.throttling).
    throttle_classes = [SignInAddressThrottle, SignInAccountThrottle]
    locked_out_message = gettext_lazy(
        "Too many failed sign-ins: this account is locked for a few minutes after repeated failed attempts. Wait, then try again, or ask an admin to unlock it."
    )

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
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
        key = api_token_for_password_exchange(user=serializer.validated_data["user"])
        return Response({"token": key})
