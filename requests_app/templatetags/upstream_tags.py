"""Template helpers for request pages: Markdown rendered safely, status pills, deadline wording."""

from __future__ import annotations

import markdown as md
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

from requests_app.lifecycle import ACTIONS

register = template.Library()

# What Markdown produces for prose, lists, code and tables; no images (they would load from
# elsewhere and the CSP forbids it anyway), no raw HTML beyond these tags, no attributes that run
# code. Links get rel="noopener noreferrer nofollow" and only http(s)/mailto URLs survive.
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> SafeString:
    """Markdown → HTML, then sanitized with nh3: whatever the input, the output is inert."""
    html = md.markdown(text or "", extensions=["fenced_code", "tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 just above


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """``{{ request.description|markdown }}``: sanitized Markdown."""
    return render_markdown(text)


@register.inclusion_tag("requests_app/partials/status_pill.html")
def status_pill(request) -> dict:
    """The coloured status label of a request."""
    return {"status": request.status, "label": request.get_status_display()}


@register.filter
def absolute(value: int | None) -> int | None:
    """|-3| → 3, for "3 days ago" wording."""
    return abs(value) if value is not None else None


@register.filter
def action_label(name: str) -> str:
    """The button label of a lifecycle action."""
    action = ACTIONS.get(name)
    return action.label if action else name.replace("_", " ")


@register.filter
def status_label(value: str) -> str:
    """A request status code as the person reads it (in their language): "in_progress" → label."""
    from requests_app.models import DataRequest

    try:
        return DataRequest.Status(value).label
    except ValueError:
        return value


@register.filter
def product_status_label(value: str) -> str:
    """A data product status code as the person reads it: "incubating" → its label."""
    from products.models import DataProduct

    try:
        return DataProduct.Status(value).label
    except ValueError:
        return value
