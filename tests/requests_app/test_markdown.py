"""Descriptions, business needs and comments are Markdown, rendered then sanitized: inert HTML."""

from __future__ import annotations

import pytest

from requests_app.models import DataRequest
from requests_app.templatetags.upstream_tags import render_markdown
from tests import factories


def test_markdown_is_rendered():
    html = render_markdown("**bold** and a [link](https://example.com)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">link</a>' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("[x](javascript:alert(1))", "javascript:"),
        ('<div onclick="alert(1)">x</div>', "onclick"),
        ("<iframe src=https://evil.example></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
        ("<svg onload=alert(1)>", "<svg"),
    ],
)
def test_raw_html_and_script_come_out_inert(source, forbidden):
    assert forbidden not in render_markdown(source).lower()


def test_the_request_page_renders_description_and_comments_sanitized(client, lead):
    obj = factories.DataRequestFactory(
        description="Need **daily** rows <script>alert('d')</script>",
        business_need="Because <img src=x onerror=alert('b')>",
    )
    factories.CommentFactory(request=obj, body="Sure _thing_ <script>alert('c')</script>")
    client.force_login(lead)
    page = client.get(f"/requests/{obj.pk}/").content.decode()
    assert "<strong>daily</strong>" in page
    assert "<em>thing</em>" in page
    assert "<script>alert" not in page
    assert "<img" not in page  # shown as text at most, never as an element


def test_titles_are_escaped_not_rendered(client, lead):
    obj = factories.DataRequestFactory(title="<b>Orders</b>", status=DataRequest.Status.DRAFT)
    client.force_login(lead)
    page = client.get(f"/requests/{obj.pk}/").content.decode()
    assert "&lt;b&gt;Orders&lt;/b&gt;" in page
