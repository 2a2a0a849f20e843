"""Template helpers for request pages: Markdown rendered safely, status pills, deadline wording."""

from __future__ import annotations

import markdown as md
import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

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


# The two tags below are written in Python rather than as included templates: a list page shows
# them on every row, and an include costs a template render each time.


@register.simple_tag
def status_pill(request) -> SafeString:
    """The coloured status label of a request."""
    return format_html(
        '<span class="pill status-{}">{}</span>', request.status, request.get_status_display()
    )


@register.simple_tag
def early_late(request) -> SafeString:
    """When a request was filed against its cycle's deadline: early or late, and its lead time
    (or "not submitted yet")."""
    cycle = request.needed_by_cycle.label if request.needed_by_cycle else ""
    if request.is_late is None:
        flag = format_html('<span class="muted">{}</span>', gettext("not submitted yet"))
    elif request.is_late:
        flag = format_html(
            '<span class="late" title="{}">{}</span>',
            gettext("Filed after %(cycle)s's request deadline") % {"cycle": cycle},
            gettext("late"),
        )
    else:
        flag = format_html(
            '<span class="early" title="{}">{}</span>',
            gettext("Filed by %(cycle)s's request deadline") % {"cycle": cycle},
            gettext("early"),
        )
    days = request.lead_time_days
    if days is None:
        return flag
    lead = ngettext("lead time %(days)s day", "lead time %(days)s days", days) % {"days": days}
    return format_html('{} <span class="muted">· {}</span>', flag, lead)


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
