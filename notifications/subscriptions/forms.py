"""The subscription form of the pages (the API parses with its serializer; both call the
same service, which holds the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Subscription
from products.models import Domain


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=_("Receiver URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Slack or Teams incoming-webhook URL, or your own receiver."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=Subscription.Format.choices)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Subscription.Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.none(),
        required=False,
        empty_label=_("Every domain"),
    )

    def __init__(self, *args, domains, fixed_domain: Domain | None = None, allow_all=False, **kw):
        super().__init__(*args, **kw)
        if fixed_domain is not None:
            del self.fields["domain"]
        else:
            self.fields["domain"].queryset = domains
            self.fields["domain"].required = not allow_all
        self.fixed_domain = fixed_domain

    def service_params(self) -> dict:
        data = self.cleaned_data
        return {
            "url": data["url"],
            "format": data["format"],
            "events": list(data["events"]),
            "domain": self.fixed_domain or data.get("domain"),
        }
