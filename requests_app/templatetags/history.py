"""A request's history as sentences: "Priya Menon submitted the request"."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from requests_app.models import EventKind

register = template.Library()

K = EventKind
# What each kind of event says after its actor's name.
SENTENCES = {
    K.CREATED: _("created the request"),
    K.SUBMIT: _("submitted the request"),
    K.TRIAGE: _("triaged the request"),
    K.ACCEPT: _("accepted the request"),
    K.DECLINE: _("declined the request"),
    K.DEFER: _("deferred the request"),
    K.MARK_DUPLICATE: _("marked the request a duplicate"),
    K.START: _("started work on the request"),
    K.DELIVER: _("delivered the request"),
    K.WITHDRAW: _("withdrew the request"),
    K.REOPEN: _("reopened the request"),
    K.SCORED: _("scored the request"),
    K.RANKED: _("ranked the request"),
    K.PLANNED: _("planned the request"),
    K.COMMENTED: _("commented"),
    K.COMMENT_EDITED: _("edited a comment"),
    K.COMMENT_DELETED: _("deleted a comment"),
    K.WATCHED: _("started watching"),
    K.UNWATCHED: _("stopped watching"),
}


def person(user) -> str:
    """A person as others know them: their full name, else their username."""
    if user is None:
        return str(_("Upstream"))
    return user.get_full_name() or user.username


@register.simple_tag
def event_sentence(event) -> SafeString:
    """One history line as a sentence, e.g. "Priya Menon accepted the request for 2027-Q2"."""
    data = event.data or {}
    if event.kind == K.EDITED:
        what = _("edited %(fields)s") % {
            "fields": ", ".join(f.replace("_", " ") for f in data.get("fields", []))
        }
    else:
        what = str(SENTENCES.get(event.kind, event.kind.replace("_", " ")))
    cycle = getattr(event, "cycle_name", None) or data.get("planned_cycle")
    if cycle and event.kind in (K.ACCEPT, K.DEFER, K.PLANNED):
        what += " " + str(_("for %(cycle)s") % {"cycle": cycle})
    if data.get("effort") and event.kind == K.ACCEPT:
        what += str(_(", %(effort)s points") % {"effort": data["effort"]})
    if event.kind == K.SCORED and data.get("score") is not None:
        what += str(_(" (score %(score)s)") % {"score": data["score"]})
    return format_html("<strong>{}</strong> {}", person(event.actor), what)


@register.filter
def person_name(user) -> str:
    """``{{ comment.author|person_name }}``: full name, else username."""
    return person(user)
