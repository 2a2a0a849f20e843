"""Authorization audit: every route of the URL conf, for every role, answers as DESIGN's roles
table says. A new route without a rule here fails `test_every_route_has_a_rule`.

Outcomes: ``ok`` (2xx, or a redirect that is not to the sign-in page), ``login`` (401, or a
redirect to sign in), ``forbidden`` (403), ``missing`` (404), ``bad`` (400: reached the rule
checks, which refused the empty body), ``conflict`` (409). The detailed role × action matrices
live with each feature's tests; this file guarantees that no door is left without a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from products.models import DataProduct
from requests_app.models import DataRequest
from tests import factories

ROLES = ("anonymous", "requester", "other_lead", "lead", "member", "staff")
SIGNED_IN = {r: "ok" for r in ROLES if r != "anonymous"}
PUBLIC = {r: "ok" for r in ROLES}


def everyone(outcome="ok", anonymous="login"):
    return {"anonymous": anonymous, **{r: outcome for r in ROLES if r != "anonymous"}}


def only(allowed: set[str], yes="ok", no="forbidden", anonymous="login"):
    return {
        "anonymous": anonymous,
        **{r: (yes if r in allowed else no) for r in ROLES if r != "anonymous"},
    }


@dataclass(frozen=True)
class Rule:
    """One call to make on a route and the outcome expected for each role."""

    expect: dict
    method: str = "get"
    kwargs: dict = field(default_factory=dict)  # URL kwargs: names of world objects or literals
    data: dict | None = None
    api: bool = False


# Route name → the rules it must satisfy. `world` keys: request, product, domain, cycle.
RULES: dict[str, list[Rule]] = {
    "home": [Rule(everyone())],
    "healthz": [Rule(PUBLIC)],
    "readyz": [Rule(PUBLIC)],
    "login": [Rule(PUBLIC)],
    "logout": [Rule(everyone("login"), method="post")],  # signs out, then back to sign-in
    "schema": [Rule(PUBLIC)],
    "api-docs": [Rule(PUBLIC)],
    "accounts:profile": [Rule(everyone())],
    "accounts:token-create": [Rule(everyone(), method="post")],
    "accounts:token-revoke": [Rule(everyone(), method="post")],
    "api-token": [Rule(everyone("bad", anonymous="bad"), method="post", api=True, data={})],
    # Catalog API: everyone signed in reads; the domain's team writes its products; staff and
    # the domain's leads edit the domain.
    "domain-list": [
        Rule(everyone(), api=True),
        Rule(only({"staff"}, yes="bad"), method="post", api=True, data={}),
    ],
    "domain-detail": [
        Rule(everyone(), api=True, kwargs={"slug": "domain"}),
        Rule(
            only({"lead", "staff"}),
            method="patch",
            api=True,
            kwargs={"slug": "domain"},
            data={"description": "Ours"},
        ),
    ],
    "data-product-list": [
        Rule(everyone(), api=True),
        Rule(
            only({"lead", "member", "staff"}, yes="ok"),
            method="post",
            api=True,
            data={"domain": "payments", "name": "Audit product"},
        ),
    ],
    "data-product-detail": [
        Rule(everyone(), api=True, kwargs={"pk": "product"}),
        Rule(
            only({"lead", "member", "staff"}),
            method="patch",
            api=True,
            kwargs={"pk": "product"},
            data={"description": "Better words"},
        ),
    ],
    # The consuming domain's team (here: search) or the producer's may record a consumer.
    "data-product-add-consumer": [
        Rule(
            everyone(),
            method="post",
            api=True,
            kwargs={"pk": "product"},
            data={"domain": "search", "since": "2026-01-01", "use_case": "ranking"},
        )
    ],
    "data-product-remove-consumer": [
        Rule(
            everyone("bad"),  # allowed for all of them; the body says search consumes nothing
            method="delete",
            api=True,
            kwargs={"pk": "product", "domain_slug": "search"},
        )
    ],
    # Catalog pages.
    "products:domain-list": [Rule(everyone())],
    "products:domain-detail": [Rule(everyone(), kwargs={"slug": "domain"})],
    "products:product-list": [Rule(everyone())],
    "products:product-detail": [Rule(everyone(), kwargs={"pk": "product"})],
    "products:product-create": [Rule(everyone())],
    "products:product-edit": [
        Rule(only({"lead", "member", "staff"}), kwargs={"pk": "product"}),
    ],
    # Prioritization API: everyone signed in sees plans; the target domain's leads (and staff)
    # change them. Empty bodies reach the rule checks only for those allowed (400).
    "board": [Rule(everyone(), api=True, kwargs={"slug": "domain"})],
    "board-reorder": [
        Rule(
            only({"lead", "staff"}, yes="bad"),
            method="post",
            api=True,
            kwargs={"slug": "domain"},
            data={},
        )
    ],
    "domain-capacity": [
        Rule(
            only({"lead", "staff"}, yes="bad"),
            method="put",
            api=True,
            kwargs={"slug": "domain"},
            data={},
        )
    ],
    "triage-inbox": [Rule(everyone(), api=True, kwargs={"slug": "domain"})],
    "triage-bulk": [
        Rule(
            only({"lead", "staff"}, yes="bad"),
            method="post",
            api=True,
            kwargs={"slug": "domain"},
            data={},
        )
    ],
    "request-score": [
        Rule(
            only({"lead", "staff"}),
            method="post",
            api=True,
            kwargs={"pk": "request"},
            data={"reach": 5},
        )
    ],
    "request-plan": [
        # The audit's request is submitted, not triaged: leads reach the state check (400).
        Rule(
            only({"lead", "staff"}, yes="bad"),
            method="post",
            api=True,
            kwargs={"pk": "request"},
            data={"planned_cycle": None},
        )
    ],
    # Prioritization pages.
    "requests_app:board": [Rule(everyone(), kwargs={"slug": "domain"})],
    "requests_app:board-move": [
        Rule(only({"lead", "staff"}, yes="bad"), method="post", kwargs={"slug": "domain"}, data={})
    ],
    "requests_app:board-capacity": [
        Rule(
            only({"lead", "staff"}),
            method="post",
            kwargs={"slug": "domain"},
            data={"capacity": "12"},
        )
    ],
    "requests_app:board-score": [
        Rule(
            only({"lead", "staff"}),
            method="post",
            kwargs={"slug": "domain", "pk": "request"},
            data={"reach": "5"},
        )
    ],
    "requests_app:triage-inbox": [Rule(everyone(), kwargs={"slug": "domain"})],
    "requests_app:triage-bulk": [
        Rule(only({"lead", "staff"}, yes="bad"), method="post", kwargs={"slug": "domain"}, data={})
    ],
    # Requests API. The audit's request is submitted, by `requester`, to `lead`'s domain.
    "request-list": [
        Rule(everyone(), api=True),
        Rule(everyone("bad"), method="post", api=True, data={}),  # a title is required
    ],
    "request-detail": [
        Rule(everyone(), api=True, kwargs={"pk": "request"}),
        Rule(
            only({"requester", "staff"}),
            method="patch",
            api=True,
            kwargs={"pk": "request"},
            data={"title": "Sharper title"},
        ),
    ],
    # One route per lifecycle action. The audit's request is submitted: leads reach the checks
    # of what an action needs (400); an action not open from "submitted" is a 400 for everyone.
    **{
        f"request-{action}": [
            Rule(expect, method="post", api=True, kwargs={"pk": "request"}, data={})
        ]
        for action, expect in {
            "submit": everyone("bad"),
            "triage": only({"lead", "staff"}),
            "accept": only({"lead", "staff"}, yes="bad"),
            "decline": only({"lead", "staff"}, yes="bad"),
            "defer": only({"lead", "staff"}, yes="bad"),
            "mark_duplicate": only({"lead", "staff"}, yes="bad"),
            "start": everyone("bad"),
            "deliver": everyone("bad"),
            "withdraw": only({"requester", "staff"}),
            "reopen": everyone("bad"),
        }.items()
    },
    "request-comments": [
        Rule(everyone(), api=True, kwargs={"pk": "request"}),
        Rule(everyone(), method="post", api=True, kwargs={"pk": "request"}, data={"body": "Hi"}),
    ],
    "request-events": [Rule(everyone(), api=True, kwargs={"pk": "request"})],
    "request-similar": [Rule(everyone(), api=True)],
    "request-watch": [Rule(everyone(), method="post", api=True, kwargs={"pk": "request"})],
    "cycle-list": [
        Rule(everyone(), api=True),
        Rule(only({"staff"}, yes="bad"), method="post", api=True, data={}),
    ],
    "cycle-detail": [
        Rule(everyone(), api=True, kwargs={"slug": "cycle"}),
        Rule(
            only({"staff"}),
            method="patch",
            api=True,
            kwargs={"slug": "cycle"},
            data={"review_on": None},
        ),
    ],
    "me": [Rule(everyone(), api=True)],
    "me-preferences": [
        Rule(everyone(), api=True),
        Rule(everyone(), method="put", api=True, data=[]),
    ],
    # Review API: everyone signed in reads; staff freeze.
    "api-review": [Rule(everyone(), api=True, kwargs={"slug": "cycle"})],
    "api-review-csv": [Rule(everyone(), api=True, kwargs={"slug": "cycle"})],
    "api-review-freeze": [Rule(only({"staff"}), method="post", api=True, kwargs={"slug": "cycle"})],
    "api-review-snapshot": [
        Rule(everyone(), api=True, kwargs={"slug": "cycle", "pk": "snapshot"}),
    ],
    # Inbox API: your own notifications only (someone else's is not found).
    "notification-list": [Rule(everyone(), api=True)],
    "notification-read": [
        Rule(
            only({"lead"}, no="missing"),
            method="post",
            api=True,
            kwargs={"pk": "notification"},
        )
    ],
    "notification-read-all": [Rule(everyone(), method="post", api=True)],
    # Requests pages.
    "requests_app:request-list": [Rule(everyone())],
    "requests_app:request-create": [
        Rule(everyone()),
        Rule(everyone("bad"), method="post", data={"intent": "submit"}),
    ],
    "requests_app:request-detail": [Rule(everyone(), kwargs={"pk": "request"})],
    "requests_app:request-edit": [
        Rule(only({"requester", "staff"}), kwargs={"pk": "request"}),
        Rule(only({"requester", "staff"}, yes="bad"), method="post", kwargs={"pk": "request"}),
    ],
    "requests_app:request-action": [
        Rule(
            only({"lead", "staff"}),
            method="post",
            kwargs={"pk": "request", "action": "triage"},
        ),
        Rule(
            only({"requester", "staff"}),
            method="post",
            kwargs={"pk": "request", "action": "withdraw"},
        ),
    ],
    "requests_app:request-comment": [
        Rule(everyone(), method="post", kwargs={"pk": "request"}, data={"body": "Hello"})
    ],
    "requests_app:request-watch": [Rule(everyone(), method="post", kwargs={"pk": "request"})],
    "requests_app:request-similar": [Rule(everyone())],
    "requests_app:request-deadline-note": [Rule(everyone())],
    "requests_app:request-product-options": [Rule(everyone())],
    "requests_app:user-mentions": [Rule(everyone())],
    "requests_app:cycle-list": [Rule(everyone())],
    "requests_app:cycle-detail": [Rule(everyone(), kwargs={"slug": "cycle"})],
    "requests_app:cycle-review": [Rule(everyone(), kwargs={"slug": "cycle"})],
    "requests_app:cycle-review-freeze": [
        Rule(only({"staff"}), method="post", kwargs={"slug": "cycle"})
    ],
    "requests_app:cycle-review-progress": [
        Rule(everyone(), kwargs={"slug": "cycle", "pk": "snapshot"})
    ],
    "requests_app:cycles-ics": [Rule(PUBLIC)],  # cycle dates only: calendar apps cannot sign in
    "requests_app:inbox": [Rule(everyone())],
    "requests_app:inbox-read": [
        Rule(only({"lead"}, no="missing"), method="post", kwargs={"pk": "notification"})
    ],
    "requests_app:inbox-read-all": [Rule(everyone(), method="post")],
    "requests_app:preferences": [Rule(everyone())],
}
IGNORED_PREFIXES = ("admin/", "bench/", "static/", "__")


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name


def routes() -> list[tuple[str, str | None]]:
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(IGNORED_PREFIXES) and "format" not in route
    ]


def test_every_route_has_a_rule():
    unnamed = [route for route, name in routes() if not name]
    unruled = sorted({name for _route, name in routes() if name and name not in RULES})
    assert not unnamed, f"Name these routes so the audit can hold them to a rule: {unnamed}"
    assert not unruled, f"Add authorization rules for: {unruled}"


@pytest.fixture
def world(db, requester, lead, member, other_lead, staff, target_domain, requesting_domain):
    cycle = factories.CycleFactory()
    product = factories.DataProductFactory(domain=target_domain, status=DataProduct.Status.SHARED)
    request = factories.DataRequestFactory(
        requester=requester,
        requesting_domain=requesting_domain,
        target_domain=target_domain,
        needed_by_cycle=cycle,
        status=DataRequest.Status.SUBMITTED,
    )
    from requests_app.models import Notification, ReviewSnapshot
    from requests_app.review.selectors import review_for

    snapshot = ReviewSnapshot.objects.create(
        cycle=cycle, status="done", progress=100, data=review_for(cycle=cycle)
    )
    notification = Notification.objects.create(
        recipient=lead,
        kind="submitted",
        request=request,
        channel="in_app",
        message="New request",
        dedupe_key="audit:lead",
        status="sent",
    )
    return {
        "snapshot": snapshot.pk,
        "notification": notification.pk,
        "users": {
            "anonymous": None,
            "requester": requester,
            "other_lead": other_lead,
            "lead": lead,
            "member": member,
            "staff": staff,
        },
        "request": request.pk,
        "product": product.pk,
        "domain": target_domain.slug,
        "cycle": cycle.slug,
    }


def outcome_of(response) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        return "login" if "/accounts/login/" in response["Location"] else "ok"
    return {401: "login", 403: "forbidden", 404: "missing", 400: "bad", 409: "conflict"}.get(
        code, "ok" if code < 300 else f"status {code}"
    )


CASES = [
    pytest.param(name, index, role, id=f"{name}#{index}-{role}")
    for name, rules in RULES.items()
    for index, _rule in enumerate(rules)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_route_answers_each_role_as_its_rule_says(client, world, name, index, role):
    from django.urls import reverse

    rule = RULES[name][index]
    kwargs = {k: world.get(v, v) for k, v in rule.kwargs.items()}
    url = reverse(name, kwargs=kwargs or None)
    user = world["users"][role]
    if rule.api:
        api = APIClient()
        if user:
            api.force_authenticate(user)
        response = getattr(api, rule.method)(url, rule.data, format="json")
    else:
        if user:
            client.force_login(user)
        response = getattr(client, rule.method)(url, rule.data or {})
    assert outcome_of(response) == rule.expect[role], (
        f"{rule.method.upper()} {url} as {role}: {response.status_code}"
    )
