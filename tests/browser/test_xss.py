"""Stored XSS never runs: a request whose title, description and a comment carry script payloads
is shown on its page, in the request list and on the home page without any of them firing.

Each payload would set ``window.__xss`` and open an alert. The pages are checked twice: as users
get them (under the Content Security Policy), and with the browser told to ignore the CSP, so the
sanitizer alone must hold (the CSP is the second line, not the only one).
"""

from __future__ import annotations

import pytest

from requests_app import services
from tests import factories

FIRE = "window.__xss=1;alert(1)"
# Fits the 200-character title: the title is plain text and must be shown escaped.
TITLE = (
    f'<script>{FIRE}</script><img src=x onerror="{FIRE}"><svg onload="{FIRE}">Clicks per listing'
)
MARKDOWN = f"""Rows per day.

<script>{FIRE}</script>
<img src=x onerror="{FIRE}">
<svg onload="{FIRE}"><circle r="4"/></svg>
<a href="javascript:{FIRE}">a link</a>
[a markdown link](javascript:{FIRE})
<iframe src="javascript:{FIRE}"></iframe>
"""

# What the DOM may not contain once the page has rendered.
DOM_CHECK = """() => ({
  inlineScripts: document.querySelectorAll('script:not([src])').length,
  handlers: Array.from(document.querySelectorAll('*')).filter(
      el => Array.from(el.attributes).some(a => a.name.toLowerCase().startsWith('on'))).length,
  javascriptUrls: Array.from(document.querySelectorAll('[href], [src], [action]')).filter(
      el => ['href', 'src', 'action'].some(
          name => (el.getAttribute(name) || '').trim().toLowerCase().startsWith('javascript:')
      )).length,
  fired: window.__xss === 1,
})"""


@pytest.fixture
def stored_xss(requester, lead, target_domain):
    """A submitted request by ``requester`` with payloads in its title, description and a comment."""
    request = services.request_create(
        actor=requester,
        title=TITLE,
        description=MARKDOWN,
        business_need=MARKDOWN,
        target_domain=target_domain,
        needed_by_cycle=factories.CycleFactory(),
        submit=True,
    )
    services.comment_create(data_request=request, author=lead, body=MARKDOWN)
    return request


def _visit_every_page(page, request) -> list[str]:
    """Open the request page, the list and the home page; the dialogs that opened, if any."""
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for path in (f"/requests/{request.pk}/", "/requests/", "/"):
        page.goto(page.live_url(path))
        page.wait_for_load_state("networkidle")
        # The payload is on this page, as text: otherwise this test would prove nothing.
        assert "<script>window.__xss" in page.locator("main").inner_text(), path
        found = page.evaluate(DOM_CHECK)
        assert found == {
            "inlineScripts": 0,
            "handlers": 0,
            "javascriptUrls": 0,
            "fired": False,
        }, path
    return dialogs


def _not_csp(errors: list[str]) -> list[str]:
    """Console errors other than CSP violation reports (the CSP refusing a payload is fine)."""
    return [e for e in errors if "Content Security Policy" not in e]


def test_stored_xss_never_runs_under_the_content_security_policy(
    browser_page, login_as, requester, stored_xss
):
    page = login_as(browser_page, requester)
    assert _visit_every_page(page, stored_xss) == []
    assert page.evaluate("window.__xss") is None
    assert _not_csp(page.console_errors) == []


@pytest.mark.usefixtures("_plain_http_cookies")
def test_stored_xss_never_runs_even_without_the_content_security_policy(
    browser, live_server, login_as, requester, stored_xss
):
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.live_url = lambda path="/": f"{live_server.url}{path}"
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login_as(page, requester)
        assert _visit_every_page(page, stored_xss) == []
        assert page.evaluate("window.__xss") is None
        assert errors == []
    finally:
        context.close()
