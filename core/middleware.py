"""Request hygiene shared by every door."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_lazy
from rest_framework.throttling import BaseThrottle

from core import views

NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def client_ip(request) -> str | None:
    """The client's address, for throttling and sign-in lockout alike: DRF's ``NUM_PROXIES`` rule.

    With ``NUM_PROXIES=0`` the socket's peer (``REMOTE_ADDR``), whatever ``X-Forwarded-For`` says;
    with ``NUM_PROXIES=n`` the n-th address from the right of ``X-Forwarded-For``, the one our own
    proxy appended. django-axes calls this through ``AXES_CLIENT_IP_CALLABLE``.
    """
    return BaseThrottle().get_ident(request)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class RequestLimitsMiddleware:
    """Answer an oversized body (413) or too many parameters (400) first, in the door's shape:
    JSON with a ``code`` under ``/api/``, an error page elsewhere.

    Django raises ``RequestDataTooBig`` / ``TooManyFieldsSent`` lazily, wherever the body or the
    query string is first read (CSRF, a parser, a filter), and answers a bare "Bad Request (400)"
    page, or with DEBUG on fails again while rendering its debug page (a 500). DRF's JSON parser
    even reads the raw stream, past ``DATA_UPLOAD_MAX_MEMORY_SIZE``. Reading both here, once,
    bounds every request and leaves the parsed body for the rest of the chain.
    """

    too_large = gettext_lazy(
        "The request body is larger than {limit}. Send less: long texts belong in a linked document, and unknown fields are not needed."
    )
    too_many = gettext_lazy(
        "Too many parameters: at most {limit} query or form fields per request. Send fewer filter values, or split the request into several."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # noqa: B018 - parse now, bounded by DATA_UPLOAD_MAX_NUMBER_FIELDS
            if request.method in ("POST", "PUT", "PATCH", "DELETE"):
                request.body  # noqa: B018 - bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
                if request.content_type in FORM_TYPES:
                    request.POST  # noqa: B018 - bounded by the number of fields too
        except RequestDataTooBig:
            limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KiB"
            return self._answer(request, 413, "request_too_large", self.too_large, limit)
        except (TooManyFieldsSent, TooManyFilesSent):
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return self._answer(request, 400, "too_many_fields", self.too_many, limit)
        except MultiPartParserError:
            return self._answer(
                request,
                400,
                "invalid",
                gettext("The form data could not be read; send it again."),
                "",
            )
        return self.get_response(request)

    def _answer(self, request, status: int, code: str, message: str, limit):
        detail = message.format(limit=limit)
        if _is_api(request):
            return JsonResponse({"detail": detail, "code": code}, status=status)
        # Rendered without the request: this runs before sessions and sign-in are read.
        html = render_to_string("errors/request_limit.html", {"status": status, "detail": detail})
        return HttpResponse(html, status=status)


class RejectNulMiddleware:
    """Answer 400 to input carrying NUL characters (raw, JSON-escaped or URL-encoded).

    PostgreSQL text cannot hold NUL, so such input would otherwise fail deep in a query as a 500;
    no legitimate title, slug or filter value contains one. Runs after `RequestLimitsMiddleware`,
    so the body is already read and within its limit.
    """

    message = gettext_lazy(
        "Text may not contain NUL (\\u0000) characters; remove them and try again."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "").encode().lower()
        body = request.body.lower() if request.method in ("POST", "PUT", "PATCH") else b""
        if request.content_type == "multipart/form-data" and body:
            # Uploaded files (a .zip) are binary and may hold NUL bytes; the form's text fields
            # are still checked. Whoever reads a file checks its text (catalog import does).
            fields = "".join(v for _k, values in request.POST.lists() for v in values)
            body = fields.encode().lower()
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
