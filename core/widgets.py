"""Select widgets whose options are written in Python, not through a template per option.

Django renders every ``<option>`` through two template includes (the option and its attributes).
A filter form with selects of every domain and cycle renders hundreds of them per page: on the
request list that was 40% of the page's time. These widgets produce the same markup as Django's
``select.html`` (same attributes, same escaping, same ``selected`` marks) with ``format_html``.
They keep Django's context (``get_context``/``optgroups``), so a subclass's attributes and choices
behave as with the stock widgets; only a custom ``template_name`` would be ignored.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """``attrs.html``: a ``True`` attribute is written bare, a ``False`` one is left out."""
    return flatatt({name: value for name, value in attrs.items() if value is not False})


class QuickSelectMixin:
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass
