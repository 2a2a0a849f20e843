"""Template context shared by every page."""

from django.conf import settings


def site(request):
    """Expose the site URL to templates (links in emails and pages)."""
    return {"SITE_URL": settings.SITE_URL}
