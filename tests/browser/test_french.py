"""A French-speaking lead signs in and triages a request, every word on the way in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.services.language import profile_set_language
from requests_app import services
from requests_app.models import DataRequest
from tests.requests_app.conftest import make_cycle

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_french_speaking_lead_triages_a_request_in_french(
    browser_page, login_as, lead, requester, target_domain
):
    profile_set_language(actor=lead, language="fr")
    cycle = make_cycle("2031-Q2", deadline_in_days=20)
    filed = services.request_create(
        actor=requester,
        submit=True,
        title="Remboursements par marchand",
        business_need="Prévoir les litiges.",
        target_domain=target_domain,
        needed_by_cycle=cycle,
    )

    page = login_as(browser_page, lead)  # the sign-in page follows the browser (English here)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("navigation", name="Principale")).to_be_visible()
    expect(page.get_by_role("link", name="Déposer une demande")).to_be_visible()

    page.goto(page.live_url(f"/domains/{target_domain.slug}/triage/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Boîte de tri : {target_domain.name}"
    )
    page.get_by_label(f"Sélectionner {filed.key}").check()
    page.get_by_label("Action", exact=True).select_option(label="Trier")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_role("status")).to_contain_text(f"{filed.key} est maintenant triée.")

    page.goto(page.live_url(filed.get_absolute_url()))
    expect(page.locator(".facts")).to_contain_text("Triée")
    expect(page.get_by_role("heading", name="Historique et discussion")).to_be_visible()
    filed.refresh_from_db()
    assert filed.status == DataRequest.Status.TRIAGED
    assert page.console_errors == []
