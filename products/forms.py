"""Catalog forms: they parse input for the services and show the services' errors inline; the
governance rules themselves live in `products.services`."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext, gettext_lazy

from products import services
from products.models import DataProduct, Domain, OutputPort

S = DataProduct.Status

PRODUCT_FORM_FIELDS = [
    "name",
    "slug",
    "description",
    "status",
    "classification",
    "contains_pii",
    "schema",
    "freshness_sla_hours",
    "availability_target",
    "support_contact",
    "sunset_on",
    "replacement",
]


class DateInput(forms.DateInput):
    input_type = "date"


class ProductForm(forms.Form):
    """Publish or edit a data product (fields from the model; rules from the services)."""

    domain = forms.ModelChoiceField(queryset=Domain.objects.none(), label=gettext_lazy("Domain"))
    tags = forms.CharField(
        required=False,
        max_length=600,
        help_text=gettext_lazy("Comma-separated, e.g. clickstream, gdpr."),
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label=gettext_lazy("Why the status changes"),
        help_text=gettext_lazy("Optional; kept in the status history."),
    )

    def __init__(self, *args, domains=None, product: DataProduct | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            DataProduct,
            fields=PRODUCT_FORM_FIELDS,
            widgets={
                "sunset_on": DateInput,
                "description": forms.Textarea(attrs={"rows": 4}),
                "schema": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
            },
            labels={
                "contains_pii": gettext("Contains personal data (PII)"),
                "freshness_sla_hours": gettext("Freshness SLA (hours)"),
                "availability_target": gettext("Availability target (%)"),
                "sunset_on": gettext("Sunset date"),
                "replacement": gettext("Replaced by"),
            },
            help_texts={
                "slug": gettext("Left blank, it is made from the name."),
                "status": gettext(
                    "Shared: as-is, no SLA. A product needs a description, a classification, a support contact and a freshness SLA. Deprecating needs a sunset date."
                ),
            },
        )
        # Keep the declared fields (domain, tags, note) where they read best.
        declared = dict(self.fields)
        self.fields = {"domain": declared["domain"], **model_fields, "tags": declared["tags"]}
        self.fields["slug"].required = False
        self.fields["note"] = declared["note"]
        self.fields["replacement"].queryset = (
            DataProduct.objects.exclude(status=S.DEPRECATED)
            .exclude(pk=getattr(product, "pk", None))
            .select_related("domain")
        )
        self.fields["classification"].choices = [
            ("", gettext("Not classified yet")),
            *DataProduct.Classification.choices,
        ]
        if product is None:
            self.fields["domain"].queryset = (
                domains if domains is not None else Domain.objects.all()
            )
            self.fields["status"].choices = [c for c in S.choices if c[0] != S.DEPRECATED]
            del self.fields["note"]
        else:
            # A product stays in its domain; its status offers where it may go next.
            del self.fields["domain"]
            allowed = [product.status, *services.next_statuses(product.status)]
            self.fields["status"].choices = [c for c in S.choices if c[0] in allowed]

    @classmethod
    def initial_for(cls, product: DataProduct) -> dict:
        initial = {name: getattr(product, name) for name in PRODUCT_FORM_FIELDS}
        initial["replacement"] = product.replacement_id
        initial["tags"] = ", ".join(t.name for t in product.tags.all())
        return initial

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["tags"] = data.get("tags") or ""
        return data


class PortForm(forms.Form):
    """One output port; leave a new row empty to skip it."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # An initial kind, so an untouched extra row counts as unchanged and is skipped.
    kind = forms.ChoiceField(
        choices=OutputPort.Kind.choices,
        initial=OutputPort.Kind.TABLE,
        label=gettext_lazy("Port kind"),
    )
    location = forms.CharField(
        max_length=300,
        label=gettext_lazy("Port location"),
        help_text=gettext_lazy("Table, topic, URL or path."),
    )
    description = forms.CharField(
        max_length=300, required=False, label=gettext_lazy("Port description")
    )


PortFormSet = forms.formset_factory(PortForm, extra=1, can_delete=True, max_num=20)


def ports_from(formset) -> list[dict]:
    """The ports to keep, in the shape `product_update(output_ports=...)` takes."""
    ports = []
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        data = {k: form.cleaned_data[k] for k in ("kind", "location", "description")}
        if form.cleaned_data.get("id"):
            data["id"] = form.cleaned_data["id"]
        ports.append(data)
    return ports


def ports_initial(product: DataProduct) -> list[dict]:
    return [
        {"id": p.pk, "kind": p.kind, "location": p.location, "description": p.description}
        for p in product.output_ports.all()
    ]
