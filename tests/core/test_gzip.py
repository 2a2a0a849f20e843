"""Pages are compressed for clients that accept gzip, with BREACH's mitigations in place."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_gzipped_and_the_csrf_token_is_masked_per_response(client, requester):
    client.force_login(requester)
    first = client.get("/requests/new/", HTTP_ACCEPT_ENCODING="gzip")
    second = client.get("/requests/new/", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    html = gzip.decompress(first.content).decode()
    assert "csrfmiddlewaretoken" in html
    # A secret compressed into a page is masked anew each time (BREACH cannot average it out).
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token not in gzip.decompress(second.content).decode()


def test_pages_are_plain_for_clients_that_do_not_accept_gzip(client, requester):
    client.force_login(requester)
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
