"""axe-core over every page a signed-in PM, lead and staff member reaches (and the sign-in and
error pages), at 1280 px and 390 px: no violation of impact "serious" or "critical".

One browser context per role, signed in once; axe-core comes from the `axe-playwright-python`
package (its bundled `axe.min.js`) and is injected into each page after it loads.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import PASSWORD
from tests.browser.test_responsive import main_pages, world  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BLOCKING = {"serious", "critical"}
OPTIONAL_PAGES = ("requests_app:roadmap",)
AXE = Axe()


def axe_violations(page) -> list[str]:
    """The serious and critical violations on the page as it is now, one line per element."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:5]:
            found.append(
                f"{violation['impact']} {violation['id']}: {violation['help']} — "
                f"{node['target']} {node.get('failureSummary', '')[:200]!r}"
            )
    return found


def _exists(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def pages_for(role: str, w) -> list[str]:
    """The pages a person in ``role`` reaches from the navigation and the pages it links to."""
    payments, cycle = w["payments"], w["cycle"]
    everyone = [
        *main_pages(w),
        reverse("products:catalog"),
        reverse("accounts:profile"),
        reverse("notifications:preferences"),
        "/no-such-page/",
    ]
    # Pages that arrive on main later (search, roadmap…) are added here by name when they exist.
    everyone += [reverse(name) for name in OPTIONAL_PAGES if _exists(name)]
    if _exists("requests_app:search"):
        everyone.append(reverse("requests_app:search") + "?q=refund")
    if role == "pm":
        return [p for p in everyone if "/board/" not in p and "/triage/" not in p]
    return [
        *everyone,
        reverse("products:catalog-import"),
        reverse("notifications:domain-subscriptions", args=[payments.slug]),
        reverse("products:product-edit", args=[w["product"].pk]),
        reverse("requests_app:triage-inbox", args=[payments.slug]) + f"?cycle={cycle.slug}",
    ]


def audit(context, live_url, paths) -> dict[str, list[str]]:
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: dict[str, list[str]] = {}
    for path in paths:
        page.goto(live_url + path)
        for label, size in WIDTHS.items():
            page.set_viewport_size(size)
            found = axe_violations(page)
            if found:
                problems[f"{path} @ {label}"] = found
    page.close()
    return problems


def signed_in_context(browser, live_url, user):
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_url + "/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(live_url + "/")
    page.close()
    return context


@pytest.mark.usefixtures("_plain_http_cookies")
def test_no_serious_or_critical_axe_violation_on_any_page(
    world,  # noqa: F811
    browser,
    live_server,
    requester,
    lead,
    staff,
):
    live_url = live_server.url
    problems: dict[str, list[str]] = {}
    anonymous = browser.new_context()
    problems.update(audit(anonymous, live_url, ["/accounts/login/", "/no-such-page/"]))
    anonymous.close()
    for role, user in (("pm", requester), ("lead", lead), ("staff", staff)):
        context = signed_in_context(browser, live_url, user)
        for where, found in audit(context, live_url, pages_for(role, world)).items():
            problems[f"{role} {where}"] = found
        context.close()
    report = "\n".join(f"{where}\n  " + "\n  ".join(found) for where, found in problems.items())
    assert problems == {}, f"axe-core found serious or critical violations:\n{report}"
