"""Request hygiene shared by every door."""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework.throttling import BaseThrottle

from config import views

NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")


def client_ip(request) -> str | None:
    """The client's address, for throttling and sign-in lockout alike: DRF's ``NUM_PROXIES`` rule.

    With ``NUM_PROXIES=0`` the socket's peer (``REMOTE_ADDR``), whatever ``X-Forwarded-For`` says;
    with ``NUM_PROXIES=n`` the n-th address from the right of ``X-Forwarded-For``, the one our own
    proxy appended. django-axes calls this through ``AXES_CLIENT_IP_CALLABLE``.
    """
    return BaseThrottle().get_ident(request)


class RejectNulMiddleware:
    """Answer 400 to input carrying NUL characters (raw, JSON-escaped or URL-encoded).

    PostgreSQL text cannot hold NUL, so such input would otherwise fail deep in a query as a 500;
    no legitimate title, slug or filter value contains one.
    """

    message = "Text may not contain NUL (\\u0000) characters; remove them and try again."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "").encode().lower()
        body = b""
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                body = request.body.lower()
            except Exception:  # noqa: BLE001 - too large etc.: Django answers that itself later
                body = b""
        if any(marker in query for marker in NUL_MARKERS[::2]) or any(
            marker in body for marker in NUL_MARKERS
        ):
            return JsonResponse({"detail": self.message, "code": "invalid"}, status=400)
        return self.get_response(request)


class ProbeMiddleware:
    """Answer the health and readiness probes before host validation and HTTPS redirects.

    Orchestrators probe a container by its own address (``127.0.0.1:8000``), which is not one of
    the public ``ALLOWED_HOSTS``; the probes reveal nothing, so they answer whatever the Host.
    """

    probes = {"/healthz": views.healthz, "/readyz": views.readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
