"""Authorization audit: every route of the URL conf, for every method it accepts and every role,
answers as DESIGN's roles table says. A route, or a method of a route, without a rule here fails
`test_every_method_of_every_route_has_a_rule`: the methods a route accepts come from the view
itself (a DRF viewset's ``actions``, a class-based view's handlers, a function view's 405s).

Outcomes: ``ok`` (2xx, or a redirect that is not to the sign-in page), ``login`` (401, or a
redirect to sign in), ``forbidden`` (403), ``missing`` (404), ``bad`` (400: reached the rule
checks, which refused the body), ``conflict`` (409). Lifecycle actions run on a request in the
state each action starts from, with a body that satisfies it, so that only the role decides; the
detailed matrices live with each feature's tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from products.models import DataProduct
from requests_app.models import DataRequest
from tests import factories

ROLES = ("anonymous", "requester", "other_lead", "lead", "member", "staff")
METHODS = ("get", "post", "put", "patch", "delete")  # HEAD follows GET; OPTIONS only describes
SIGNED_IN = {r: "ok" for r in ROLES if r != "anonymous"}
PUBLIC = {r: "ok" for r in ROLES}
S = DataRequest.Status


def everyone(outcome="ok", anonymous="login"):
    return {"anonymous": anonymous, **{r: outcome for r in ROLES if r != "anonymous"}}


def only(allowed: set[str], yes="ok", no="forbidden", anonymous="login"):
    return {
        "anonymous": anonymous,
        **{r: (yes if r in allowed else no) for r in ROLES if r != "anonymous"},
    }


@dataclass(frozen=True)
class Ref:
    """A world object in a request body (``Ref("cycle")`` → the cycle's slug)."""

    name: str


@dataclass(frozen=True)
class Rule:
    """One call to make on a route and the outcome expected for each role.

    ``method`` may name several methods ("put patch delete") that must all answer the same.
    ``kwargs`` values naming world objects ("request", "request:accepted", "product"…) are
    replaced by their key; other values are literals."""

    expect: dict
    method: str = "get"
    kwargs: dict = field(default_factory=dict)
    data: dict | list | None = None
    api: bool = False

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self.method.split())


# DESIGN.md's roles table, restated for the lifecycle (the services hold it in lifecycle.py; this
# is the independent copy the audit holds them to).
REQUESTER_SIDE = {"requester", "staff"}  # create, edit while draft/submitted, submit, withdraw
LEAD_SIDE = {"lead", "staff"}  # triage, score, rank, accept, decline, defer, duplicate, reopen
TEAM_SIDE = {"lead", "member", "staff"}  # start, deliver; the domain's data products
ACTION_ROLES = {
    "submit": REQUESTER_SIDE,
    "withdraw": REQUESTER_SIDE,
    "triage": LEAD_SIDE,
    "accept": LEAD_SIDE,
    "decline": LEAD_SIDE,
    "defer": LEAD_SIDE,
    "mark_duplicate": LEAD_SIDE,
    "reopen": LEAD_SIDE,
    "start": TEAM_SIDE,
    "deliver": TEAM_SIDE,
}
# The state each action starts from and a body that satisfies it (API field → value).
ACTION_SETUP: dict[str, tuple[str, dict]] = {
    "submit": ("draft", {}),
    "withdraw": ("submitted", {"reason": "No longer needed."}),
    "triage": ("submitted", {}),
    "accept": ("submitted", {"planned_cycle": Ref("cycle"), "effort": 3}),
    "decline": ("triaged", {"reason": "Out of scope for us."}),
    "defer": ("accepted", {"reason": "Next quarter."}),
    "mark_duplicate": ("submitted", {"duplicate_of": Ref("request:triaged")}),
    "reopen": ("deferred", {}),
    "start": ("accepted", {}),
    "deliver": ("in_progress", {"delivered_product": Ref("product")}),
}
assert set(ACTION_ROLES) == set(ACTION_SETUP)


def _page_form(action: str, data: dict) -> dict:
    """The page's action form posts the same inputs, prefixed with the action's name."""
    form = {}
    for name, value in data.items():
        if name == "duplicate_of":
            value = Ref("request_key:triaged")
        form[f"{action}-{name}"] = value
    return form


VALID_FILING = {
    "title": "Clicks per listing",
    "business_need": "Ranking",
    "target_domain": "payments",
    "needed_by_cycle": Ref("cycle"),
}
PRODUCT_FORM = {
    "domain": Ref("domain_pk"),
    "name": "Audit product",
    "status": "shared",
    "ports-TOTAL_FORMS": "0",
    "ports-INITIAL_FORMS": "0",
}
SUBSCRIPTION = {
    "url": "https://hooks.example.com/audit",
    "format": "json",
    "events": ["accepted"],
    "domain": "payments",
}

# Route name → the rules it must satisfy. World objects: see `World`.
RULES: dict[str, list[Rule]] = {
    "home": [Rule(everyone())],
    "healthz": [Rule(PUBLIC)],
    "readyz": [Rule(PUBLIC)],
    "favicon": [Rule(PUBLIC)],  # a redirect to the static icon
    # An empty sign-in form is shown again with its errors; PUT is Django's form view's POST.
    "login": [Rule(PUBLIC), Rule(PUBLIC, method="post put")],
    "logout": [Rule(everyone("login"), method="post")],  # signs out, then back to sign-in
    "schema": [Rule(PUBLIC)],
    "api-docs": [Rule(PUBLIC)],
    "accounts:profile": [Rule(everyone())],
    # Your own interface language: a choice (back to the profile) or a refused code.
    "accounts:language": [
        Rule(everyone(), method="post", data={"language": "fr"}),
        Rule(everyone("bad"), method="post", data={"language": "xx"}),
    ],
    "javascript-catalog": [Rule(PUBLIC)],  # the JavaScript texts of the interface, no data
    "accounts:token-create": [
        Rule(everyone(), method="post", data={"name": "audit", "ttl_days": 30}),
        Rule(everyone("bad"), method="post", data={}),
    ],
    # The lead's token: only its owner and staff may revoke it; to others it does not exist.
    "accounts:token-revoke": [
        Rule(only({"lead", "staff"}, no="missing"), method="post", kwargs={"pk": "token"})
    ],
    # Sign-in with the identity provider and SCIM exist only when configured (not here).
    "oidc_authentication_init": [Rule({r: "missing" for r in ROLES})],
    "oidc_authentication_callback": [Rule({r: "missing" for r in ROLES})],
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
            only(LEAD_SIDE),
            method="put patch",
            api=True,
            kwargs={"slug": "domain"},
            data={"description": "Ours"},
        ),
    ],
    "data-product-list": [
        Rule(everyone(), api=True),
        Rule(
            only(TEAM_SIDE),
            method="post",
            api=True,
            data={"domain": "payments", "name": "Audit product"},
        ),
    ],
    # Catalog interchange: every lead (of some domain) and staff may import; which domains a file
    # may touch is checked per entity (tests/products/test_interchange_api.py). Empty bodies: 400.
    "catalog-import": [
        Rule(only(LEAD_SIDE | {"other_lead"}, yes="bad"), method="post", api=True, data={})
    ],
    "catalog-export": [Rule(everyone(), api=True)],
    "data-product-odps": [Rule(everyone(), api=True, kwargs={"pk": "product"})],
    "products:catalog-import": [
        Rule(only(LEAD_SIDE | {"other_lead"})),
        Rule(only(LEAD_SIDE | {"other_lead"}, yes="bad"), method="post", data={}),
    ],
    "data-product-detail": [
        Rule(everyone(), api=True, kwargs={"pk": "product"}),
        Rule(
            only(TEAM_SIDE),
            method="put patch",
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
    # Consume instead: a team (here: search) asks for itself; the producer's leads answer.
    "data-product-consumer-requests": [
        Rule(everyone(), api=True, kwargs={"pk": "product"}),
        Rule(
            only({"requester", "other_lead", "staff"}, yes="ok"),
            method="post",
            api=True,
            kwargs={"pk": "product"},
            data={"domain": "search", "use_case": "Ranking"},
        ),
    ],
    "data-product-consumer-request-decide": [
        Rule(
            only(LEAD_SIDE),
            method="post",
            api=True,
            kwargs={"pk": "product", "rid": "consumer_request"},
            data={"confirm": True},
        )
    ],
    "products:product-consume": [
        Rule(
            only({"requester", "other_lead", "staff"}),
            method="post",
            kwargs={"pk": "product"},
            data={"domain": "search", "use_case": "Ranking"},
        )
    ],
    "products:consumer-request-decide": [
        Rule(
            only(LEAD_SIDE),
            method="post",
            kwargs={"pk": "product", "rid": "consumer_request"},
            data={"confirm": "1"},
        )
    ],
    # Catalog pages.
    "products:catalog": [Rule(PUBLIC)],  # a redirect to the product list (which needs sign-in)
    "products:domain-list": [Rule(everyone())],
    "products:domain-detail": [
        Rule(everyone(), kwargs={"slug": "domain"}),
    ],
    "products:product-list": [
        Rule(everyone()),
    ],
    "products:product-detail": [
        Rule(everyone(), kwargs={"pk": "product"}),
    ],
    # Anyone may open the form; it offers only the domains one may publish in, so for the others
    # posting a product of the target domain is an invalid choice (400).
    "products:product-create": [
        Rule(everyone()),
        Rule(only(TEAM_SIDE, no="bad"), method="post", data=PRODUCT_FORM),
    ],
    "products:product-edit": [
        Rule(only(TEAM_SIDE), kwargs={"pk": "product"}),
        Rule(only(TEAM_SIDE), method="post", kwargs={"pk": "product"}, data=PRODUCT_FORM),
    ],
    # Prioritization API: everyone signed in sees plans; the target domain's leads (and staff)
    # change them. Empty bodies reach the rule checks only for those allowed (400).
    "board": [Rule(everyone(), api=True, kwargs={"slug": "domain"})],
    "board-reorder": [
        Rule(
            only(LEAD_SIDE, yes="bad"),
            method="post",
            api=True,
            kwargs={"slug": "domain"},
            data={},
        )
    ],
    "domain-capacity": [
        Rule(
            only(LEAD_SIDE, yes="bad"),
            method="put",
            api=True,
            kwargs={"slug": "domain"},
            data={},
        )
    ],
    "triage-inbox": [Rule(everyone(), api=True, kwargs={"slug": "domain"})],
    "triage-bulk": [
        Rule(
            only(LEAD_SIDE, yes="bad"),
            method="post",
            api=True,
            kwargs={"slug": "domain"},
            data={},
        )
    ],
    "request-score": [
        Rule(
            only(LEAD_SIDE),
            method="post",
            api=True,
            kwargs={"pk": "request"},
            data={"reach": 5},
        )
    ],
    "request-plan": [
        Rule(
            only(LEAD_SIDE),
            method="post",
            api=True,
            kwargs={"pk": "request:triaged"},
            data={"planned_cycle": Ref("cycle")},
        )
    ],
    # Prioritization pages.
    "requests_app:board": [
        Rule(everyone(), kwargs={"slug": "domain"}),
    ],
    "requests_app:board-move": [
        Rule(only(LEAD_SIDE, yes="bad"), method="post", kwargs={"slug": "domain"}, data={})
    ],
    "requests_app:board-capacity": [
        Rule(
            only(LEAD_SIDE),
            method="post",
            kwargs={"slug": "domain"},
            data={"capacity": "12"},
        )
    ],
    "requests_app:board-score": [
        Rule(
            only(LEAD_SIDE),
            method="post",
            kwargs={"slug": "domain", "pk": "request"},
            data={"reach": "5"},
        ),
        # A board row's score inputs, fetched when its lead asks (or their own page without htmx).
        Rule(only(LEAD_SIDE), kwargs={"slug": "domain", "pk": "request"}),
    ],
    "requests_app:board-reach-demand": [
        Rule(only(LEAD_SIDE), method="post", kwargs={"slug": "domain", "pk": "request"})
    ],
    "requests_app:triage-inbox": [
        Rule(everyone(), kwargs={"slug": "domain"}),
    ],
    "requests_app:triage-bulk": [
        Rule(only(LEAD_SIDE, yes="bad"), method="post", kwargs={"slug": "domain"}, data={})
    ],
    # Requests API. The audit's requests are `requester`'s, to `lead`'s domain (payments).
    "request-list": [
        Rule(everyone(), api=True),
        Rule(
            everyone(), method="post", api=True, data=VALID_FILING
        ),  # filing makes you its requester
    ],
    "request-detail": [
        Rule(everyone(), api=True, kwargs={"pk": "request"}),
        Rule(
            only(REQUESTER_SIDE),
            method="patch",
            api=True,
            kwargs={"pk": "request"},
            data={"title": "Sharper title"},
        ),
        # Once triaged, nobody edits it any more (the state answers first: 400 for all).
        Rule(
            everyone("bad"),
            method="patch",
            api=True,
            kwargs={"pk": "request:triaged"},
            data={"title": "Sharper title"},
        ),
    ],
    # One route per lifecycle action, on a request in the state the action starts from.
    **{
        f"request-{action}": [
            Rule(
                only(ACTION_ROLES[action]),
                method="post",
                api=True,
                kwargs={"pk": f"request:{state}"},
                data=data,
            )
        ]
        for action, (state, data) in ACTION_SETUP.items()
    },
    "request-comments": [
        Rule(everyone(), api=True, kwargs={"pk": "request"}),
        Rule(everyone(), method="post", api=True, kwargs={"pk": "request"}, data={"body": "Hi"}),
    ],
    "request-events": [Rule(everyone(), api=True, kwargs={"pk": "request"})],
    # Demand: anyone signed in endorses, except the requester (their own request: 400); the
    # author (here: other_lead) or staff withdraws; leads set reach = demand; the requester or
    # the target team answers a product suggestion.
    "request-endorsements": [
        Rule(everyone(), api=True, kwargs={"pk": "request"}),
        Rule(
            {**everyone(), "requester": "bad"},
            method="post",
            api=True,
            kwargs={"pk": "request"},
            data={"requesting_domain": "search", "business_need": "We need it too."},
        ),
    ],
    "request-endorsement-detail": [
        Rule(
            only({"other_lead", "staff"}),
            method="delete",
            api=True,
            kwargs={"pk": "request", "eid": "endorsement"},
        )
    ],
    "request-reach-from-demand": [
        Rule(only(LEAD_SIDE), method="post", api=True, kwargs={"pk": "request"})
    ],
    "request-answered-by": [
        Rule(
            only(REQUESTER_SIDE | TEAM_SIDE),
            method="post",
            api=True,
            kwargs={"pk": "request"},
            data={"data_product": Ref("product"), "answers": False},
        )
    ],
    "request-similar": [Rule(everyone(), api=True)],
    "request-watch": [
        Rule(everyone(), method="post delete", api=True, kwargs={"pk": "request"}),
    ],
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
    "api-search": [Rule(everyone(), api=True, data={"q": "refunds"})],
    "me-preferences": [
        Rule(everyone(), api=True),
        Rule(everyone(), method="put patch", api=True, data=[]),
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
        Rule(only(REQUESTER_SIDE), kwargs={"pk": "request"}),
        Rule(only(REQUESTER_SIDE, yes="bad"), method="post", kwargs={"pk": "request"}),
    ],
    # The same lifecycle through the page's forms.
    "requests_app:request-action": [
        Rule(
            only(ACTION_ROLES[action]),
            method="post",
            kwargs={"pk": f"request:{state}", "action": action},
            data=_page_form(action, data),
        )
        for action, (state, data) in ACTION_SETUP.items()
    ],
    "requests_app:request-comment": [
        Rule(everyone(), method="post", kwargs={"pk": "request"}, data={"body": "Hello"})
    ],
    "requests_app:request-watch": [Rule(everyone(), method="post", kwargs={"pk": "request"})],
    "requests_app:saved-view-save": [
        Rule(everyone(), method="post", data={"name": "Mine", "status": "submitted"})
    ],
    "requests_app:saved-view-menu": [Rule(everyone())],
    # A view is found among those the person sees (their own, or shared with their domain).
    "requests_app:saved-view-delete": [
        Rule(only({"requester"}, no="missing"), method="post", kwargs={"pk": "saved_view"})
    ],
    # Only a comment's author (the requester here) or staff edit or delete it.
    "requests_app:comment-edit": [
        Rule(
            only({"requester", "staff"}),
            method="post",
            kwargs={"pk": "request", "comment_pk": "comment"},
            data={"body": "Better words"},
        )
    ],
    "requests_app:comment-delete": [
        Rule(
            only({"requester", "staff"}),
            method="post",
            kwargs={"pk": "request", "comment_pk": "comment"},
        )
    ],
    "requests_app:request-similar": [Rule(everyone())],
    "requests_app:request-endorse": [
        Rule(everyone(), kwargs={"pk": "request"}),
        Rule(everyone("bad"), method="post", kwargs={"pk": "request"}),  # the need is missing
    ],
    "requests_app:endorsement-withdraw": [
        Rule(
            only({"other_lead", "staff"}),
            method="post",
            kwargs={"pk": "request", "eid": "endorsement"},
        )
    ],
    "requests_app:request-answer": [
        Rule(
            only(REQUESTER_SIDE | TEAM_SIDE),
            method="post",
            kwargs={"pk": "request", "product_pk": "product"},
            data={"answers": "no"},
        )
    ],
    "requests_app:request-deadline-note": [Rule(everyone())],
    "requests_app:request-product-options": [Rule(everyone())],
    "requests_app:user-mentions": [Rule(everyone())],
    "requests_app:cycle-list": [Rule(everyone())],
    "requests_app:search": [Rule(everyone(), data={"q": "refunds"})],
    "requests_app:roadmap": [Rule(everyone())],
    "requests_app:cycle-detail": [Rule(everyone(), kwargs={"slug": "cycle"})],
    "review:cycle-review": [Rule(everyone(), kwargs={"slug": "cycle"})],
    "review:cycle-review-dependencies": [Rule(everyone(), kwargs={"slug": "cycle"})],
    "review:cycle-review-freeze": [Rule(only({"staff"}), method="post", kwargs={"slug": "cycle"})],
    "review:cycle-review-progress": [Rule(everyone(), kwargs={"slug": "cycle", "pk": "snapshot"})],
    "review:cycles-ics": [Rule(PUBLIC)],  # cycle dates only: calendar apps cannot sign in
    "notifications:inbox": [Rule(everyone())],
    "notifications:inbox-read": [
        Rule(only({"lead"}, no="missing"), method="post", kwargs={"pk": "notification"})
    ],
    "notifications:inbox-open": [Rule(only({"lead"}, no="missing"), kwargs={"pk": "notification"})],
    "notifications:inbox-read-all": [Rule(everyone(), method="post")],
    "notifications:preferences": [
        Rule(everyone()),
        Rule(everyone(), method="post", data={"submitted:in_app": "on"}),  # saves, then shows
    ],
    # Integrations (DESIGN "Integrations"). Subscriptions: a domain's leads and staff manage
    # them; others cannot see them (404). Work-item links: the target domain's team links.
    "subscription-list": [
        Rule(everyone(), api=True),  # each sees what they manage (maybe nothing)
        Rule(only(LEAD_SIDE), method="post", api=True, data=SUBSCRIPTION),
    ],
    "subscription-schema": [Rule(everyone(), api=True)],
    "subscription-detail": [
        Rule(only(LEAD_SIDE, no="missing"), api=True, kwargs={"pk": "subscription"}),
        Rule(
            only(LEAD_SIDE, no="missing"),
            method="patch",
            api=True,
            kwargs={"pk": "subscription"},
            data={"events": ["accepted"]},
        ),
        Rule(
            only(LEAD_SIDE, no="missing"), method="delete", api=True, kwargs={"pk": "subscription"}
        ),
    ],
    "subscription-test": [
        Rule(only(LEAD_SIDE, no="missing"), method="post", api=True, kwargs={"pk": "subscription"})
    ],
    "request-links": [
        Rule(everyone(), api=True, kwargs={"pk": "request"}),
        Rule(
            only(TEAM_SIDE),
            method="post",
            api=True,
            kwargs={"pk": "request"},
            data={"url": "https://github.com/acme/data/issues/1"},
        ),
    ],
    "request-link-detail": [
        Rule(only(TEAM_SIDE), method="delete", api=True, kwargs={"pk": "request", "lid": "link"})
    ],
    # Tracker webhooks sign their calls; a signed-in session is no signature (401 for all).
    "hook-github": [Rule(everyone("login"), method="post")],
    "hook-jira": [Rule(everyone("login"), method="post")],
    "hook-linear": [Rule(everyone("login"), method="post")],
    # Subscription pages: the staff page serves every lead too (their own domains).
    "notifications:subscriptions": [
        Rule(only({"lead", "other_lead", "staff"})),
        Rule(only({"lead", "other_lead", "staff"}, yes="bad"), method="post", data={}),
    ],
    "notifications:domain-subscriptions": [
        Rule(only(LEAD_SIDE), kwargs={"slug": "domain"}),
        Rule(only(LEAD_SIDE, yes="bad"), method="post", kwargs={"slug": "domain"}, data={}),
    ],
    **{
        f"notifications:subscription-{what}": [
            Rule(only(LEAD_SIDE, no="missing"), method="post", kwargs={"pk": "subscription"})
        ]
        for what in ("test", "delete", "toggle")
    },
    "requests_app:request-link-add": [
        Rule(
            only(TEAM_SIDE),
            method="post",
            kwargs={"pk": "request"},
            data={"url": "https://github.com/acme/data/issues/1"},
        )
    ],
    "requests_app:request-link-remove": [
        Rule(only(TEAM_SIDE), method="post", kwargs={"pk": "request", "lid": "link"})
    ],
}
for _scim in ("spc", "schemas", "schema", "resource-types", "resource-type", "users", "user",
              "groups", "group", "search", "not-found"):  # fmt: skip
    _kwargs = {"pk": "1"} if _scim in ("schema", "resource-type", "user", "group") else {}
    _kwargs = {"rest": "x"} if _scim == "not-found" else _kwargs
    RULES[f"scim-{_scim}"] = [Rule({r: "missing" for r in ROLES}, " ".join(METHODS), _kwargs)]
IGNORED_PREFIXES = ("admin/", "bench/", "static/", "__")


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else ns or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern.callback


def routes() -> list[tuple[str, str | None, object]]:
    """Every route but the admin's, bench's, static files and DRF's format-suffix twins."""
    return [
        (route, name, callback)
        for route, name, callback in _walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(IGNORED_PREFIXES) and "(?P<format>" not in route
    ]


def allowed_methods(callback, url: str, staff_client) -> set[str]:
    """The methods a route's view accepts, asked of the view itself."""
    if actions := getattr(callback, "actions", None):  # a DRF viewset route: method → action
        return set(actions) & set(METHODS)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:  # an APIView or a Django class-based view: its handlers
        return {m for m in METHODS if m in view_class.http_method_names and hasattr(view_class, m)}
    # A function view: only its answers tell (require_POST and friends answer 405 first).
    return {m for m in METHODS if getattr(staff_client, m)(url).status_code != 405}


def test_every_route_has_a_name():
    unnamed = [route for route, name, _cb in routes() if not name]
    assert not unnamed, f"Name these routes so the audit can hold them to a rule: {unnamed}"


def test_every_method_of_every_route_has_a_rule(world, client):
    client.force_login(world.users["staff"])
    unruled, ruled_but_refused = [], []
    for _route, name, callback in routes():
        if name not in RULES:
            unruled.append(f"{name} (every method)")
            continue
        ruled = {m for rule in RULES[name] for m in rule.methods}
        allowed = allowed_methods(callback, world.url(name, RULES[name][0]), client)
        unruled += [f"{method.upper()} {name}" for method in sorted(allowed - ruled)]
        ruled_but_refused += [f"{method.upper()} {name}" for method in sorted(ruled - allowed)]
    assert not unruled, f"Add authorization rules for: {unruled}"
    assert not ruled_but_refused, f"Rules for methods the view refuses: {ruled_but_refused}"


class World:
    """The audit's objects, made on first use: users in each role, the target domain (payments)
    and the requester's domain (search), a cycle, a product, requests in any state."""

    def __init__(self, users: dict, target_domain, requesting_domain):
        self.users = users
        self.target_domain = target_domain
        self.requesting_domain = requesting_domain
        self._made: dict[str, object] = {}
        self._cycle()  # boards and reviews need a cycle to exist

    def get(self, name: str):
        """The key (pk or slug) of world object ``name``; None if ``name`` is no world object."""
        kind, _, state = name.partition(":")
        maker = getattr(self, f"_make_{kind}", None)
        if maker is None:
            return None
        if name not in self._made:
            self._made[name] = maker(state) if state else maker()
        return self._made[name]

    def resolve(self, value):
        if isinstance(value, Ref):
            return self.get(value.name)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def url(self, name: str, rule: Rule) -> str:
        kwargs = {
            k: (self.get(v) if self.get(v) is not None else v) for k, v in rule.kwargs.items()
        }
        return reverse(name, kwargs=kwargs or None)

    def _cycle(self):
        if "_cycle" not in self._made:
            self._made["_cycle"] = factories.CycleFactory()
        return self._made["_cycle"]

    def _make_cycle(self):
        return self._cycle().slug

    def _make_domain(self):
        return self.target_domain.slug

    def _make_domain_pk(self):
        return self.target_domain.pk

    def _make_product(self):
        return factories.DataProductFactory(
            domain=self.target_domain, status=DataProduct.Status.SHARED
        ).pk

    def _make_request(self, state: str = S.SUBMITTED):
        planned = {"planned_cycle": self._cycle(), "effort": 3}
        return factories.DataRequestFactory(
            requester=self.users["requester"],
            requesting_domain=self.requesting_domain,
            target_domain=self.target_domain,
            needed_by_cycle=self._cycle(),
            status=state,
            **(planned if state in (S.ACCEPTED, S.IN_PROGRESS) else {}),
        ).pk

    def _make_consumer_request(self):
        from products.models import ConsumerRequest

        return ConsumerRequest.objects.create(
            product_id=self.get("product"),
            domain=self.requesting_domain,
            requested_by=self.users["requester"],
            use_case="Ranking",
        ).pk

    def _make_endorsement(self):
        from requests_app.models import Endorsement

        return Endorsement.objects.create(
            request_id=self.get("request"),
            user=self.users["other_lead"],
            requesting_domain=self.requesting_domain,
            business_need="Search needs it too.",
        ).pk

    def _make_saved_view(self):
        from requests_app.models import SavedView

        return SavedView.objects.create(
            owner=self.users["requester"], name="Mine", query="status=submitted"
        ).pk

    def _make_comment(self):
        return factories.CommentFactory(
            request_id=self.get("request"), author=self.users["requester"], body="First words"
        ).pk

    def _make_request_key(self, state: str):
        return f"DR-{self.get(f'request:{state}')}"

    def _make_snapshot(self):
        from review.models import ReviewSnapshot
        from review.selectors import review_for

        cycle = self._cycle()
        return ReviewSnapshot.objects.create(
            cycle=cycle, status="done", progress=100, data=review_for(cycle=cycle)
        ).pk

    def _make_token(self):
        from accounts.services.tokens import api_token_create

        return api_token_create(actor=self.users["lead"], name="audit")[0].pk

    def _make_subscription(self):
        from notifications.subscriptions.services import subscription_create

        subscription, _secret = subscription_create(
            actor=self.users["staff"],
            url="http://127.0.0.1:9/audit",  # the discard port: refused at once
            format="json",
            events=["accepted"],
            domain=self.target_domain,
        )
        return subscription.pk

    def _make_link(self):
        from requests_app.models import WorkItemLink

        return WorkItemLink.objects.create(
            request_id=self.get("request"),
            url="https://github.com/acme/data/issues/9",
            kind="github",
            external_key="acme/data#9",
        ).pk

    def _make_notification(self):
        from notifications.models import Notification

        return Notification.objects.create(
            recipient=self.users["lead"],
            kind="submitted",
            request_id=self.get("request"),
            channel="in_app",
            message="New request",
            dedupe_key="audit:lead",
            status="sent",
        ).pk


@pytest.fixture
def world(db, requester, lead, member, other_lead, staff, target_domain, requesting_domain):
    users = {
        "anonymous": None,
        "requester": requester,
        "other_lead": other_lead,
        "lead": lead,
        "member": member,
        "staff": staff,
    }
    return World(users, target_domain, requesting_domain)


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
    rule = RULES[name][index]
    url = world.url(name, rule)
    data = world.resolve(rule.data)
    user = world.users[role]
    if rule.api:
        caller = APIClient()
        if user:
            caller.force_authenticate(user)
    else:
        caller = client
        if user:
            caller.force_login(user)
    for method in rule.methods:
        if rule.api:
            response = getattr(caller, method)(url, data, format="json")
        elif method in ("get", "post"):
            response = getattr(caller, method)(url, data or {})
        else:
            response = getattr(caller, method)(url)
        assert outcome_of(response) == rule.expect[role], (
            f"{method.upper()} {url} as {role}: {response.status_code} {response.content[:300]!r}"
        )
