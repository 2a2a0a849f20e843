"""Request hygiene shared by every door."""

from __future__ import annotations

import json
import re
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_lazy
from rest_framework.throttling import BaseThrottle

from core import views

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# No API body nests deeper; Python's JSON parser fails with a RecursionError (a 500) near 1,000.
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _is_json(request) -> bool:
    return request.content_type == "application/json" or request.content_type.endswith("+json")


def json_text(request) -> str | None:
    """A JSON body as text, in its declared charset or the one its first bytes show (UTF-8,
    -16 or -32, RFC 8259); None when it is not JSON or cannot be decoded (the parser says so)."""
    if not _is_json(request) or not request.body:
        return None
    encoding = request.content_params.get("charset") or json.detect_encoding(request.body)
    try:
        return request.body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(_DEPTH_STEP[c] for c in brackets), default=0)


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
    too_deep = gettext_lazy(
        "The JSON body nests arrays and objects more than {limit} levels deep; no field of this API needs that. Send a flatter document."
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
            limit = gettext("%(value)s KiB") % {
                "value": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
            }
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
        text = json_text(request) if request.method in ("POST", "PUT", "PATCH") else None
        if text is not None and json_depth(text) > MAX_JSON_DEPTH:
            return self._answer(request, 400, "too_deep", self.too_deep, MAX_JSON_DEPTH)
        return self.get_response(request)

    def _answer(self, request, status: int, code: str, message: str, limit):
        detail = message.format(limit=limit)
        if _is_api(request):
            return JsonResponse({"detail": detail, "code": code}, status=status)
        # Rendered without the request: this runs before sessions and sign-in are read.
        html = render_to_string("errors/request_limit.html", {"status": status, "detail": detail})
        return HttpResponse(html, status=status)


class RejectNulMiddleware:
    """Answer 400 to a path, query or text body carrying NUL characters (raw, JSON-escaped or
    URL-encoded).

    PostgreSQL text cannot hold NUL, so such input would otherwise fail deep in a query as a 500;
    no legitimate path, title, slug or filter value contains one. Bodies are read as what they
    are: JSON in its own encoding (UTF-16 JSON is full of zero bytes and may hold no NUL
    character), form fields but not uploaded files (a zip or an image holds zero bytes), and no
    other body (binary uploads are their parser's business). Runs after
    `RequestLimitsMiddleware`, so the body is already read and within its limit.
    """

    message = gettext_lazy(
        "Text may not contain NUL (\\u0000) characters; remove them and try again."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._query_has_nul(request) or self._body_has_nul(request):
            if not _is_api(request) and request.method in ("GET", "HEAD"):
                return HttpResponse(self.message, status=400, content_type="text/plain")
            return JsonResponse({"detail": self.message, "code": "invalid"}, status=400)
        return self.get_response(request)

    @staticmethod
    def _query_has_nul(request) -> bool:
        query = request.META.get("QUERY_STRING", "").encode().lower()
        return b"\x00" in query or b"%00" in query

    @staticmethod
    def _body_has_nul(request) -> bool:
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        if _is_json(request):
            text = json_text(request)
            return text is not None and ("\x00" in text or "\\u0000" in text.lower())
        if request.content_type == "application/x-www-form-urlencoded":
            body = request.body.lower()
            return b"\x00" in body or b"%00" in body
        if request.content_type == "multipart/form-data":
            return any("\x00" in value for value in request.POST.values())
        return False


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


class ApiNoStoreMiddleware:
    """``Cache-Control: no-store`` on every API answer to a signed-in caller (token or session):
    no browser, proxy or shared cache keeps what only that person may read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if _is_api(request) and authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
