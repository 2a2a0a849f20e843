"""Issue #13 view 16: "@Lars" finds Lars Eriksen; an author edits and deletes their comment."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from requests_app.models import RequestEvent
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_pm_mentions_lars_by_name_then_edits_and_deletes_the_comment(
    width, browser_page, login_as, requester, target_domain
):
    lars = factories.UserFactory(username="lead", first_name="Lars", last_name="Eriksen")
    data_request = factories.DataRequestFactory(target_domain=target_domain, requester=requester)
    page = login_as(browser_page, requester)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.live_url(data_request.get_absolute_url()))

    box = page.get_by_label("Comment")
    box.fill("")
    box.press_sequentially("Which table, @Lar")
    option = page.locator(".mention-option", has_text="Lars Eriksen")
    expect(option).to_be_visible()
    option.click()
    expect(box).to_have_value("Which table, @lead ")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#timeline .comment")).to_contain_text("Which table, @lead")
    assert Notification.objects.filter(recipient=lars, kind="mention").exists()

    # Edit: the comment says it was edited; the audit trail keeps the first text.
    comment = page.locator("#timeline .comment").first
    comment.get_by_text("Edit or delete").click()
    comment.get_by_label("Your comment").fill("Which table do you read, @Lars?")
    comment.get_by_role("button", name="Save the comment").click()
    comment = page.locator("#timeline .comment").first
    expect(comment).to_contain_text("Which table do you read, @Lars?")
    expect(comment.locator(".comment-edited")).to_have_text("edited")
    assert RequestEvent.objects.get(kind="comment_edited").data["before"] == "Which table, @lead"
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Delete: gone from the discussion, a line in the history says so.
    comment.get_by_text("Edit or delete").click()
    comment.get_by_role("button", name="Delete the comment").click()
    expect(page.locator("#timeline .comment")).to_have_count(0)
    expect(page.locator("#timeline")).to_contain_text("deleted a comment")
    assert page.console_errors == []
