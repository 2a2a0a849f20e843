"""The quick select widgets write the same markup as Django's own, option for option."""

from __future__ import annotations

import re

import pytest
from django import forms

from core.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [
    ("", "---------"),
    ("payments", "Payments & <Billing>"),
    ("search", "Search"),
    ("Quarters", [("2031-q1", "2031-Q1"), ("2031-q2", "2031-Q2")]),
]


def same_markup(html: str) -> str:
    """Whitespace between tags aside, and attributes in one order."""
    html = re.sub(r">\s+<", "><", html.strip())
    return re.sub(r"<(\w+)([^>]*)>", lambda m: f"<{m[1]}{''.join(sorted(m[2].split(' ')))}>", html)


@pytest.mark.parametrize(
    ("quick", "stock", "value"),
    [
        (QuickSelect, forms.Select, "payments"),
        (QuickSelect, forms.Select, "2031-q2"),
        (QuickSelect, forms.Select, None),
        (QuickSelectMultiple, forms.SelectMultiple, ["search", "2031-q1"]),
        (QuickSelectMultiple, forms.SelectMultiple, []),
    ],
)
def test_a_quick_select_renders_what_djangos_select_renders(quick, stock, value):
    attrs = {"id": "id_domain", "class": "picker", "required": True, "disabled": False}
    ours = quick(choices=CHOICES).render("domain", value, attrs=attrs)
    theirs = stock(choices=CHOICES).render("domain", value, attrs=attrs)
    assert same_markup(ours) == same_markup(theirs)
    assert "Payments &amp; &lt;Billing&gt;" in ours
    assert ours.count(" selected") == (len(value) if isinstance(value, list) else 1)


def test_the_request_filters_render_their_selects_with_the_quick_widget(rf):
    from requests_app.filters import DataRequestFilter

    form = DataRequestFilter({}, request=rf.get("/")).form
    assert isinstance(form.fields["target_domain"].widget, QuickSelect)
    assert isinstance(form.fields["status"].widget, QuickSelectMultiple)
