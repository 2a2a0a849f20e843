"""Hardening: headers, CSP without inline script, XSS rendered inert, NUL input, body size,
throttling with a clear 429, sign-in lockout."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from requests_app import services
from requests_app.models import DataRequest
from tests import factories

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script><img src=x onerror="alert(1)"> [link](javascript:alert(2))'


def test_pages_send_a_strict_content_security_policy(client, requester):
    client.force_login(requester)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/requests/",
        "/requests/new/",
        "/catalog/products/",
        "/cycles/",
        "/inbox/",
        "/me/preferences/",
    ],
)
def test_pages_carry_no_inline_script(client, requester, path):
    client.force_login(requester)
    html = client.get(path).content.decode()
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
    assert inline == []
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers either


def test_stored_xss_in_a_request_and_a_comment_is_rendered_inert(client, requester, target_domain):
    cycle = factories.CycleFactory()
    request = services.request_create(
        actor=requester,
        title=XSS[:150],
        description=XSS,
        business_need=XSS,
        target_domain=target_domain,
        needed_by_cycle=cycle,
    )
    services.comment_create(data_request=request, author=requester, body=XSS)
    client.force_login(requester)
    html = client.get(f"/requests/{request.pk}/").content.decode()
    assert "<script>alert" not in html
    assert not re.search(r"<[^>]*\sonerror=", html)  # no element carries the handler
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html  # the title is shown, escaped, as text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/requests/", '{"title": "a\\u0000b"}'),
        ("get", "/api/v1/requests/?q=a%00b", None),
        ("get", "/api/v1/data-products/?q=%00", None),
    ],
)
def test_nul_characters_answer_400_not_500(requester, method, path, body):
    client = APIClient()
    client.force_authenticate(requester)
    if body is None:
        response = client.get(path)
    else:
        response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


# A valid filing padded with an unknown field: only the size can refuse it.
PADDED = json.dumps(
    {
        "title": "Clicks per listing",
        "business_need": "Ranking",
        "target_domain": "payments",
        "padding": "x" * (2 * 1024 * 1024),
    }
)
MANY_PARAMS = "&".join(["status=submitted"] * 1001)


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_an_oversized_api_body_answers_413_in_json(requester, target_domain, debug):
    client = APIClient()
    client.force_authenticate(requester)
    response = client.post("/api/v1/requests/", PADDED, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "larger than 1024 KiB" in response.json()["detail"]
    assert not DataRequest.objects.exists()


def test_too_many_api_query_parameters_answer_400_in_json(requester, debug):
    client = APIClient()
    client.force_authenticate(requester)
    response = client.get(f"/api/v1/requests/?{MANY_PARAMS}")
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_fields"
    assert "at most 1000" in response.json()["detail"]


def test_too_many_api_form_fields_answer_400_in_json(requester, debug):
    client = APIClient()
    client.force_authenticate(requester)
    response = client.post(
        "/api/v1/requests/", MANY_PARAMS, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_fields"


def test_an_oversized_form_answers_a_413_page(client, requester, debug):
    client.force_login(requester)
    body = urlencode({"title": "Clicks", "padding": "x" * (2 * 1024 * 1024)})
    response = client.post("/requests/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"Request too large" in response.content
    assert b"larger than 1024 KiB" in response.content


def test_too_many_query_parameters_answer_a_400_page(client, requester, debug):
    client.force_login(requester)
    response = client.get(f"/requests/?{MANY_PARAMS}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"at most 1000 query or form fields" in response.content


def test_too_many_calls_answer_429_with_when_to_retry(db, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle
    from rest_framework.views import APIView

    # Throttle history lives in the cache, shared with every earlier test from the same address.
    cache.clear()
    monkeypatch.setattr(APIView, "throttle_classes", [AnonRateThrottle])
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    client = APIClient()
    codes = [
        client.post(
            "/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    response = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert "throttled" in response.json()["detail"].lower()
    assert "Retry-After" in response


@pytest.fixture
def anon_limit_of_3(monkeypatch):
    """The anonymous rate at 3 a minute, with no history: throttling shows after 3 calls."""
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})


def _token_status(client, forwarded_for: str | None = None, password: str = "wrong") -> int:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(
        "/api/v1/auth/token/",
        {"username": "victim", "password": password},
        format="json",
        **headers,
    ).status_code


def test_a_forged_x_forwarded_for_does_not_escape_throttling(anon_limit_of_3):
    # NUM_PROXIES=0 (the default): no proxy of ours wrote X-Forwarded-For, the client did.
    client = APIClient()
    codes = [_token_status(client, f"203.0.113.{i}") for i in range(5)]
    assert codes == [400, 400, 400, 429, 429]


def test_behind_one_proxy_the_address_it_appended_is_the_client(anon_limit_of_3, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()  # every call comes from the proxy's socket (127.0.0.1)
    # The client forges the left part; the proxy appends the address it saw.
    codes = [_token_status(client, f"198.51.100.{i}, 203.0.113.7") for i in range(4)]
    assert codes == [400, 400, 400, 429]
    assert _token_status(client, "203.0.113.8") == 400  # another client behind the same proxy


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize(
    ("num_proxies", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.7")], ids=["direct", "proxied"]
)
def test_sign_in_lockout_uses_the_same_client_address_as_throttling(
    client, settings, num_proxies, recorded
):
    from axes.models import AccessAttempt

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    factories.UserFactory(username="victim")
    client.post(
        "/accounts/login/",
        {"username": "victim", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [recorded]


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client):
    user = factories.UserFactory(username="victim")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "victim", "password": "pw-upstream-1"})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert user.pk


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_locked_account_gets_a_429_from_the_token_endpoint_even_with_the_right_password():
    from django.core.cache import cache

    cache.clear()  # the token endpoint's own per-IP throttle starts fresh
    factories.UserFactory(username="victim")
    client = APIClient()
    assert [_token_status(client) for _ in range(2)] == [400, 400]
    assert _token_status(client) == 429  # the attempt that reaches the limit
    response = client.post(
        "/api/v1/auth/token/", {"username": "victim", "password": "pw-upstream-1"}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert response.json()["detail"].startswith("Too many failed sign-ins")
    assert int(response["Retry-After"]) == 15 * 60


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failed_token_requests_count_toward_the_sign_in_lockout(client):
    from django.core.cache import cache

    cache.clear()
    factories.UserFactory(username="victim")
    api = APIClient()
    assert [_token_status(api) for _ in range(2)] == [400, 400]
    client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "victim", "password": "pw-upstream-1"})
    assert response.status_code == 429
    assert _token_status(api, password="pw-upstream-1") == 429


@override_settings(AXES_ENABLED=True)
def test_sign_ins_leave_no_access_log_and_failures_go_once_they_stop_counting(client):
    import datetime as dt

    from axes.models import AccessAttempt, AccessLog
    from django.utils import timezone

    factories.UserFactory(username="victim")
    factories.UserFactory(username="other")
    client.post("/accounts/login/", {"username": "other", "password": "wrong"})
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    client.post("/accounts/login/", {"username": "victim", "password": "wrong"})
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["victim"]
    client.post("/accounts/login/", {"username": "victim", "password": "pw-upstream-1"})
    assert not AccessAttempt.objects.exists()  # a successful sign-in clears its failures
    assert not AccessLog.objects.exists()
