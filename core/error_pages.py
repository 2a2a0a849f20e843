"""Error pages in the app's layout, also under `make run` (DEBUG), where Django would show its
technical "Page not found" page to people trying the demo."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

# Django's technical pages carry this robots tag; our own 404s (from views) never do.
TECHNICAL_MARKER = b'content="NONE,NOARCHIVE"'
SKIP_PREFIXES = ("/api/", "/static/", "/scim/", "/admin/")


class FriendlyNotFoundMiddleware:
    """Under DEBUG, swap Django's technical 404 page for the app's own (the API keeps JSON).
    Set ``DEBUG_TECHNICAL_404=1`` to see the URL patterns Django tried."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not getattr(settings, "DEBUG_TECHNICAL_404", False)
            and response.status_code == 404
            and not request.path.startswith(SKIP_PREFIXES)
            and response.get("Content-Type", "").startswith("text/html")
            and TECHNICAL_MARKER in getattr(response, "content", b"")
        ):
            return render(request, "404.html", status=404)
        return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
