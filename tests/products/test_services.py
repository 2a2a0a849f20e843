"""Catalog governance: each rule the services hold, whichever door calls them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.errors import NotPermitted, TransitionNotAllowed
from products import services
from products.models import DataProduct, ProductStatusChange
from tests import factories

S = DataProduct.Status
pytestmark = pytest.mark.django_db

CONTRACT = {
    "description": "Searches per listing per day.",
    "classification": "internal",
    "support_contact": "#search-data",
    "freshness_sla_hours": 24,
}


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


@pytest.fixture
def product(target_domain, member):
    return services.product_create(actor=member, domain=target_domain, name="Payment events")


# --- publishing ------------------------------------------------------------------------------


def test_a_member_publishes_a_shared_product_with_a_slug_made_from_its_name(product, member):
    assert (product.status, product.slug) == ("shared", "payment-events")
    change = product.status_history.get()
    assert (change.from_status, change.to_status, change.actor) == ("", "shared", member)


def test_a_second_product_with_the_same_name_gets_a_suffixed_slug(product, target_domain, lead):
    again = services.product_create(actor=lead, domain=target_domain, name="Payment events")
    assert again.slug == "payment-events-2"


def test_an_explicit_slug_already_used_in_the_domain_is_refused(product, target_domain, lead):
    with pytest.raises(ValidationError) as exc:
        services.product_create(
            actor=lead, domain=target_domain, name="Other", slug="payment-events"
        )
    assert "already has a product" in errors_of(exc)["slug"][0]


def test_the_same_slug_is_fine_in_another_domain(product, requesting_domain, other_lead):
    other = services.product_create(
        actor=other_lead, domain=requesting_domain, name="Payment events"
    )
    assert other.slug == "payment-events"


def test_a_lead_of_another_domain_cannot_publish_in_this_one(target_domain, other_lead):
    with pytest.raises(NotPermitted, match="leads and members of Payments"):
        services.product_create(actor=other_lead, domain=target_domain, name="X")


def test_a_requester_cannot_edit_a_product_of_a_domain_they_are_not_in(product, requester):
    with pytest.raises(NotPermitted):
        services.product_update(product=product, actor=requester, description="Mine now")


def test_tags_are_normalized_and_created_on_the_fly(target_domain, member):
    product = services.product_create(
        actor=member, domain=target_domain, name="Refunds", tags="GDPR, click stream, gdpr"
    )
    assert sorted(product.tags.values_list("name", flat=True)) == ["click-stream", "gdpr"]


def test_a_new_product_cannot_start_deprecated(target_domain, member):
    with pytest.raises(ValidationError) as exc:
        services.product_create(actor=member, domain=target_domain, name="X", status="deprecated")
    assert "status" in errors_of(exc)


# --- the product rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing", ["description", "classification", "support_contact", "freshness_sla_hours"]
)
def test_a_product_needs_each_part_of_its_contract(product, member, missing):
    contract = {**CONTRACT, missing: None if missing == "freshness_sla_hours" else ""}
    services.product_update(product=product, actor=member, **contract)
    with pytest.raises(ValidationError) as exc:
        services.product_set_status(product=product, actor=member, status="product")
    assert list(errors_of(exc)) == [missing]
    product.refresh_from_db()
    assert product.status == "shared"


def test_a_product_with_its_contract_becomes_a_product_and_the_change_is_recorded(product, lead):
    product = services.product_update(product=product, actor=lead, **CONTRACT)
    product = services.product_set_status(
        product=product, actor=lead, status="product", note="SLA agreed"
    )
    assert product.status == "product"
    last = product.status_history.last()
    assert (last.from_status, last.to_status, last.note) == ("shared", "product", "SLA agreed")


def test_publishing_straight_as_a_product_lists_everything_missing(target_domain, member):
    with pytest.raises(ValidationError) as exc:
        services.product_create(actor=member, domain=target_domain, name="X", status="product")
    assert set(errors_of(exc)) == {
        "description",
        "classification",
        "support_contact",
        "freshness_sla_hours",
    }


def test_an_edit_that_changes_status_is_judged_by_the_new_status_and_saves_nothing_when_refused(
    product, member
):
    with pytest.raises(ValidationError):
        services.product_update(
            product=product, actor=member, status="product", description="New words"
        )
    product.refresh_from_db()
    assert (product.status, product.description) == ("shared", "")


def test_the_sla_of_a_product_cannot_be_removed(product, member):
    services.product_update(product=product, actor=member, status="product", **CONTRACT)
    with pytest.raises(ValidationError) as exc:
        services.product_update(product=product, actor=member, freshness_sla_hours=None)
    assert "freshness_sla_hours" in errors_of(exc)


def test_deprecating_needs_a_sunset_date(product, member):
    with pytest.raises(ValidationError) as exc:
        services.product_set_status(product=product, actor=member, status="deprecated")
    assert "sunset date" in errors_of(exc)["sunset_on"][0]


def test_the_replacement_must_be_another_live_product(product, member, target_domain):
    gone = factories.DataProductFactory(domain=target_domain, status=S.DEPRECATED)
    with pytest.raises(ValidationError) as exc:
        services.product_update(product=product, actor=member, replacement=gone)
    assert "deprecated too" in errors_of(exc)["replacement"][0]
    with pytest.raises(ValidationError) as exc:
        services.product_update(product=product, actor=member, replacement=product)
    assert "cannot replace itself" in errors_of(exc)["replacement"][0]


def test_deprecating_with_a_sunset_date_and_a_replacement_works(product, member, target_domain):
    successor = factories.DataProductFactory(domain=target_domain)
    product = services.product_update(
        product=product,
        actor=member,
        status="deprecated",
        sunset_on=dt.date(2030, 1, 1),
        replacement=successor,
    )
    assert (product.status, product.replacement) == ("deprecated", successor)


def test_deprecation_is_final(product, member):
    services.product_update(
        product=product, actor=member, status="deprecated", sunset_on=dt.date(2030, 1, 1)
    )
    with pytest.raises(TransitionNotAllowed, match="Deprecation is final") as exc:
        services.product_set_status(product=product, actor=member, status="shared")
    assert exc.value.extra["allowed_actions"] == []


def test_status_only_moves_forward(product, member):
    services.product_set_status(product=product, actor=member, status="incubating")
    with pytest.raises(TransitionNotAllowed) as exc:
        services.product_set_status(product=product, actor=member, status="shared")
    assert exc.value.extra["allowed_actions"] == ["deprecated", "product"]


def test_setting_the_same_status_writes_no_history(product, member):
    services.product_set_status(product=product, actor=member, status="shared")
    assert ProductStatusChange.objects.filter(product=product).count() == 1


# --- ports and consumers ---------------------------------------------------------------------


def test_members_add_and_remove_output_ports(product, member):
    port = services.port_add(product=product, actor=member, kind="topic", location="payments.v1")
    assert list(product.output_ports.values_list("kind", flat=True)) == ["topic"]
    services.port_remove(port=port, actor=member)
    assert not product.output_ports.exists()


def test_a_port_needs_a_known_kind_and_a_location(product, member):
    with pytest.raises(ValidationError) as exc:
        services.port_add(product=product, actor=member, kind="fax", location="x")
    assert "table, topic, api, file" in errors_of(exc)["kind"][0]
    with pytest.raises(ValidationError):
        services.port_add(product=product, actor=member, kind="table", location="  ")


def test_an_outsider_cannot_add_a_port(product, requester):
    with pytest.raises(NotPermitted):
        services.port_add(product=product, actor=requester, kind="table", location="t")


def test_updating_with_ports_replaces_them(product, member):
    kept = services.port_add(product=product, actor=member, kind="table", location="a")
    services.port_add(product=product, actor=member, kind="table", location="b")
    services.product_update(
        product=product,
        actor=member,
        output_ports=[
            {"id": kept.pk, "kind": "table", "location": "a2"},
            {"kind": "api", "location": "https://x"},
        ],
    )
    assert sorted(product.output_ports.values_list("location", flat=True)) == ["a2", "https://x"]


def test_the_consuming_team_registers_itself_once(product, requester, requesting_domain):
    services.consumer_add(
        product=product, domain=requesting_domain, actor=requester, use_case="Ranking"
    )
    assert product.consumers.get().use_case == "Ranking"
    with pytest.raises(ValidationError, match="already consumes"):
        services.consumer_add(product=product, domain=requesting_domain, actor=requester)
    services.consumer_remove(product=product, domain=requesting_domain, actor=requester)
    assert not product.consumers.exists()


def test_a_domain_does_not_consume_its_own_product(product, member, target_domain):
    with pytest.raises(ValidationError, match="consumers are other domains"):
        services.consumer_add(product=product, domain=target_domain, actor=member)


def test_a_deprecated_product_takes_no_new_consumers(product, member, requesting_domain):
    services.product_update(
        product=product, actor=member, status="deprecated", sunset_on=dt.date(2030, 1, 1)
    )
    with pytest.raises(ValidationError, match="deprecated"):
        services.consumer_add(product=product, domain=requesting_domain, actor=member)


def test_a_third_domain_cannot_register_consumers_for_others(product, requesting_domain):
    outsider = factories.UserFactory()
    with pytest.raises(NotPermitted):
        services.consumer_add(product=product, domain=requesting_domain, actor=outsider)


# --- domains ---------------------------------------------------------------------------------


def test_staff_create_a_domain_with_a_slug_from_its_name(staff, lead):
    domain = services.domain_create(actor=staff, name="Trust & Safety", leads=[lead])
    assert (domain.slug, list(domain.leads.all())) == ("trust-safety", [lead])


def test_a_lead_cannot_create_a_domain(lead):
    with pytest.raises(NotPermitted, match="Only staff"):
        services.domain_create(actor=lead, name="Shadow IT")


def test_a_domain_name_is_unique_whatever_its_case(staff, target_domain):
    with pytest.raises(ValidationError) as exc:
        services.domain_create(actor=staff, name="PAYMENTS")
    assert "already exists" in errors_of(exc)["name"][0]


def test_a_lead_edits_their_domain_contact_and_capacity(target_domain, lead):
    domain = services.domain_update(
        domain=target_domain, actor=lead, contact_email="pay@example.com", default_capacity=30
    )
    assert (domain.contact_email, domain.default_capacity) == ("pay@example.com", 30)


def test_a_lead_cannot_rename_their_domain_or_change_its_people(target_domain, lead, member):
    with pytest.raises(NotPermitted, match="Only staff may change a domain's leads, name"):
        services.domain_update(domain=target_domain, actor=lead, name="Money", leads=[member])


def test_a_member_cannot_edit_the_domain(target_domain, member):
    with pytest.raises(NotPermitted):
        services.domain_update(domain=target_domain, actor=member, description="Ours")


def test_a_bad_contact_email_is_refused_by_field(target_domain, lead):
    with pytest.raises(ValidationError) as exc:
        services.domain_update(domain=target_domain, actor=lead, contact_email="not-an-email")
    assert "contact_email" in errors_of(exc)


def test_a_domain_created_with_a_webhook_gets_a_random_signing_secret(staff):
    one = services.domain_create(actor=staff, name="Ads", webhook_url="https://hooks.example/a")
    two = services.domain_create(actor=staff, name="Maps", webhook_url="https://hooks.example/b")
    assert len(one.webhook_secret) >= 40  # token_urlsafe(32): 43 characters
    assert one.webhook_secret != two.webhook_secret
    assert services.domain_create(actor=staff, name="Quiet").webhook_secret == ""


def test_a_lead_setting_a_webhook_gets_a_secret_and_keeps_one_they_chose(target_domain, lead):
    domain = services.domain_update(
        domain=target_domain, actor=lead, webhook_url="https://hooks.example/pay"
    )
    generated = domain.webhook_secret
    assert generated
    domain = services.domain_update(domain=domain, actor=lead, description="Money")
    assert domain.webhook_secret == generated  # saving again keeps it
    domain = services.domain_update(domain=domain, actor=lead, webhook_secret="chosen-by-us")
    assert domain.webhook_secret == "chosen-by-us"
    domain = services.domain_update(domain=domain, actor=lead, webhook_secret="")
    assert domain.webhook_secret not in ("", "chosen-by-us", generated)  # cleared: rotated


def test_the_domain_page_shows_the_webhook_secret_to_its_leads_only(
    client, target_domain, lead, member
):
    services.domain_update(domain=target_domain, actor=lead, webhook_url="https://hooks.example/p")
    secret = target_domain.__class__.objects.get(pk=target_domain.pk).webhook_secret
    client.force_login(lead)
    assert secret in client.get(f"/catalog/domains/{target_domain.slug}/").content.decode()
    client.force_login(member)
    assert secret not in client.get(f"/catalog/domains/{target_domain.slug}/").content.decode()
