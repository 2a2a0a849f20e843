"""Page forms for requests: they parse and type-check; the services decide what is allowed."""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from products.models import DataProduct, Domain
from requests_app import lifecycle, selectors, services
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.services import rules


def live_products(domain: Domain | None):
    """A domain's data products that can still be asked for or delivered (not deprecated)."""
    if domain is None:
        return DataProduct.objects.none()
    return DataProduct.objects.filter(domain=domain).exclude(status=DataProduct.Status.DEPRECATED)


class RequestForm(forms.Form):
    """File (or edit) a request: one short form; only the title is needed to save a draft."""

    # No maxlength attribute: the browser would cut a pasted title without a word. The form says
    # the limit and, past it, refuses with the length it got.
    title = forms.CharField(
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        help_text=_("A short title, at most %(limit)s characters.") % {"limit": rules.MAX_TITLE},
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if len(title) > rules.MAX_TITLE:
            raise forms.ValidationError(
                _(
                    "Keep the title to %(limit)s characters; it has %(count)s. Move details to "
                    "“What you need”."
                )
                % {"limit": rules.MAX_TITLE, "count": len(title)}
            )
        return title

    description = forms.CharField(
        label="What you need",
        required=False,
        max_length=rules.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The data, its grain and fields, how fresh. Markdown works.",
    )
    business_need = forms.CharField(
        label="Why you need it",
        required=False,
        max_length=rules.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The decision or feature it enables (needed to submit).",
    )
    target_domain = forms.ModelChoiceField(
        label="Producing domain",
        queryset=Domain.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        # static/js/upstream.js adds a search box that narrows this list as the user types.
        widget=forms.Select(attrs={"data-search": "domain"}),
    )
    data_product = forms.ModelChoiceField(
        label="Existing data product (optional)",
        queryset=DataProduct.objects.none(),
        required=False,
        help_text="Extend or consume one of the domain's products.",
    )
    proposed_product_name = forms.CharField(
        label="Proposed product name", max_length=150, required=False
    )
    needed_by_cycle = forms.ModelChoiceField(
        label="Needed by cycle",
        queryset=RoadmapCycle.objects.order_by("starts_on"),
        to_field_name="slug",
        required=False,
    )
    urgency = forms.ChoiceField(choices=DataRequest.Urgency.choices, initial="medium")
    requesting_domain = forms.ModelChoiceField(
        label="On behalf of", queryset=Domain.objects.none(), to_field_name="slug", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, instance: DataRequest | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)
        self.instance = instance
        domain_field = self["target_domain"]
        try:
            domain = (
                domain_field.field.to_python(domain_field.value()) if domain_field.value() else None
            )
        except forms.ValidationError:  # an unknown slug: the field reports it when validated
            domain = None
        self.fields["data_product"].queryset = live_products(domain)
        self.fields["needed_by_cycle"].queryset = services.cycles_offered(user)
        self.fields["target_domain"].widget.attrs.update(
            {
                "hx-get": reverse("requests_app:request-product-options"),
                "hx-target": "#id_data_product",
                "hx-trigger": "change",
            }
        )
        mine = selectors.domains_of(user)["all"]
        if len(mine) > 1:
            self.fields["requesting_domain"].queryset = Domain.objects.filter(
                pk__in=[d.pk for d in mine]
            )
        else:
            del self.fields["requesting_domain"]  # the service picks the only one
        if instance is None:
            del self.fields["version"]
            if not self.is_bound and "needed_by_cycle" not in self.initial:
                self.initial["needed_by_cycle"] = getattr(services.cycle_next(), "slug", None)

    @staticmethod
    def initial_from(data_request: DataRequest) -> dict:
        return {
            "title": data_request.title,
            "description": data_request.description,
            "business_need": data_request.business_need,
            "target_domain": getattr(data_request.target_domain, "slug", None),
            "data_product": data_request.data_product_id,
            "proposed_product_name": data_request.proposed_product_name,
            "needed_by_cycle": getattr(data_request.needed_by_cycle, "slug", None),
            "urgency": data_request.urgency,
            "requesting_domain": getattr(data_request.requesting_domain, "slug", None),
            "version": data_request.version,
        }

    def service_fields(self) -> dict:
        """The cleaned values the services take (``version`` apart)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if "requesting_domain" in data and data["requesting_domain"] is None:
            del data["requesting_domain"]
        return data

    def chosen_cycle(self) -> RoadmapCycle | None:
        field = self["needed_by_cycle"]
        try:
            return field.field.to_python(field.value()) if field.value() else None
        except forms.ValidationError:
            return None


class ActionForm(forms.Form):
    """The inputs of one lifecycle action (only those it needs are kept)."""

    reason = forms.CharField(
        required=False, max_length=rules.MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_cycle = forms.ModelChoiceField(
        label="Planned cycle",
        queryset=RoadmapCycle.objects.order_by("starts_on"),
        to_field_name="slug",
        required=False,
    )
    effort = forms.IntegerField(
        label="Effort (points)", min_value=1, max_value=rules.MAX_EFFORT, required=False
    )
    duplicate_of = forms.CharField(
        label="Duplicate of (DR-…)", max_length=20, required=False, help_text="e.g. DR-12"
    )
    delivered_product = forms.ModelChoiceField(
        label="Delivered data product", queryset=DataProduct.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action: str, data_request: DataRequest, user=None, **kwargs):
        kwargs.setdefault("prefix", action)
        initial = {"version": data_request.version}
        if action == "accept":  # most requests are planned for the cycle they are needed by
            cycle = data_request.planned_cycle or data_request.needed_by_cycle
            initial["planned_cycle"] = getattr(cycle, "slug", None)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.action = action
        self.spec = lifecycle.ACTIONS[action]
        needs = set(rules.ACTION_INPUTS.get(action, ())) | {"version"}
        for name in list(self.fields):
            if name not in needs:
                del self.fields[name]
        if "planned_cycle" in self.fields:
            self.fields["planned_cycle"].queryset = services.cycles_offered(user)
        if "delivered_product" in self.fields:
            self.fields["delivered_product"].queryset = live_products(data_request.target_domain)
        if "reason" in self.fields and action == "withdraw":
            self.fields["reason"].label = "Reason (optional)"

    def clean_duplicate_of(self) -> DataRequest | None:
        raw = (self.cleaned_data.get("duplicate_of") or "").strip()
        if not raw:
            return None
        match = re.fullmatch(r"(?i)(?:DR-)?(\d{1,12})", raw)
        found = DataRequest.objects.filter(pk=int(match.group(1))).first() if match else None
        if found is None:
            raise forms.ValidationError(f"No request {raw}. Give its key, like DR-12.")
        return found

    def service_params(self) -> dict:
        return dict(self.cleaned_data)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=rules.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Markdown; @username notifies."}),
    )


class EndorseForm(forms.Form):
    """ "We need this too": the endorser's team, need, urgency and when (the service decides)."""

    requesting_domain = forms.ModelChoiceField(
        label=_("Your team"),
        queryset=Domain.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("(your only team)"),
    )
    business_need = forms.CharField(
        label=_("Why your team needs it"),
        max_length=rules.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The decision or feature it enables for your team."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=DataRequest.Urgency.choices, initial="medium", required=False
    )
    needed_by_cycle = forms.ModelChoiceField(
        label=_("Needed by"),
        queryset=RoadmapCycle.objects.order_by("starts_on"),
        to_field_name="slug",
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        mine = selectors.domains_of(user)["all"] if user is not None else []
        if mine:  # their own teams first: the usual answer is one of them
            self.fields["requesting_domain"].initial = mine[0].slug
            if len(mine) > 1:
                self.fields["requesting_domain"].empty_label = None
