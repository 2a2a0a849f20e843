"""Error pages wear the app's layout and offer a way back (403, 429, 500; 404 in the browser)."""

import pytest
from django.template.loader import render_to_string

from tests import factories


@pytest.mark.parametrize(
    ("code", "heading"),
    [("403", "Not allowed"), ("429", "Too many requests"), ("500", "Something went wrong")],
)
def test_each_error_page_has_the_layout_and_a_way_home(code, heading):
    page = render_to_string(f"{code}.html")
    assert f'<h1 id="error-heading">{heading}</h1>' in page
    assert "Back to the home page" in page
    assert 'rel="icon"' in page


@pytest.mark.django_db
def test_a_forbidden_action_answers_the_403_page(client, requester, lead):
    comment = factories.CommentFactory(author=requester)
    client.force_login(lead)
    response = client.post(
        f"/requests/{comment.request_id}/comments/{comment.pk}/edit/", {"body": "Not mine"}
    )
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert "Back to the home page" in response.content.decode()
