"""Prioritization pages: the board of a domain for a cycle, and its triage inbox.

Everyone signed in may look (plans are transparent); the controls show for the domain's leads
and staff, and every write goes through `requests_app.board.services`, which checks the role.
Forms post normally and, through htmx, swap only the board or inbox partial.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import DomainError
from core.pages import error_text
from products.models import Domain
from requests_app import scoring, services
from requests_app.board import selectors
from requests_app.board import services as board_services
from requests_app.models import DataRequest, RoadmapCycle


def _cycle(request, source) -> RoadmapCycle:
    slug = source.get("cycle")
    if slug:
        cycle = RoadmapCycle.objects.filter(slug=slug).first()
        if cycle is None:
            raise Http404(gettext("No cycle %(slug)s.") % {"slug": repr(slug)})
        return cycle
    cycle = services.cycle_current() or services.cycle_next()
    if cycle is None:
        raise Http404(gettext("No roadmap cycle exists yet."))
    return cycle


MAX_INT = 2**31 - 1  # the largest id or count PostgreSQL and SQLite both store


def _int(value, default=None):
    """A form's whole number, or ``default`` when absent, not a number or out of any id's range."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if abs(number) <= MAX_INT else default


def _url_prefix(name: str, *args) -> str:
    """A route's URL up to its trailing id: a row appends its own (``{{ prefix }}{{ r.pk }}/``)."""
    url = reverse(name, args=[*args, 0])
    return url[: url.rindex("0/")]


SCORE_INPUTS = ("reach", "impact", "confidence", "effort")


def _board_context(request, domain: Domain, cycle: RoadmapCycle, error: str = "") -> dict:
    board = selectors.board_for(domain=domain, cycle=cycle)
    return {
        # Resolved once per board: the board's three forms (move, reach = demand, score) carry
        # the URLs and one CSRF token each; a row's buttons name the form and give their request.
        "board_urls": {
            "request": _url_prefix("requests_app:request-detail"),
            "score": reverse("requests_app:board-score", args=[domain.slug]),
            "reach_demand": reverse("requests_app:board-reach-demand", args=[domain.slug]),
            "move": reverse("requests_app:board-move", args=[domain.slug]),
        },
        "domain": domain,
        "cycle": cycle,
        "board": board,
        "cycles": RoadmapCycle.objects.order_by("starts_on"),
        "is_lead": board_services._is_lead(request.user, domain),
        "formula": scoring.FORMULA,
        "impact_choices": scoring.IMPACT_CHOICES,
        "error": error,
    }


def _render_board(request, domain, cycle, error: str = "", status: int = 200):
    context = _board_context(request, domain, cycle, error)
    template = (
        "requests_app/board/partials/board.html"
        if request.htmx
        else "requests_app/board/board.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_safe
def board(request, slug: str):
    """The ranked plan of a domain for a cycle, capacity bar and cut line."""
    domain = get_object_or_404(Domain, slug=slug)
    return _render_board(request, domain, _cycle(request, request.GET))


def _after_write(request, domain, cycle, fn):
    """Run a board write; answer the partial (htmx) or redirect back, with the error if any."""
    try:
        fn()
    except (DomainError, ValidationError) as exc:
        # Re-render with the error and its status (no redirect), like a form with errors.
        code = getattr(exc, "status_code", 400)
        return _render_board(request, domain, cycle, error_text(exc), status=code)
    if request.htmx:
        return _render_board(request, domain, cycle)
    return redirect(f"{reverse('requests_app:board', args=[domain.slug])}?cycle={cycle.slug}")


@login_required
@require_POST
def board_move(request, slug: str):
    """Move one request up or down (the keyboard-friendly way to reorder)."""
    domain = get_object_or_404(Domain, slug=slug)
    cycle = _cycle(request, request.POST)
    # The board's buttons say ``up=<id>`` or ``down=<id>``; ``request`` and ``direction`` also do.
    if "up" in request.POST or "down" in request.POST:
        offset = -1 if "up" in request.POST else 1
        request_id = request.POST.get("up" if offset < 0 else "down")
    else:
        offset = -1 if request.POST.get("direction") == "up" else 1
        request_id = request.POST.get("request")
    return _after_write(
        request,
        domain,
        cycle,
        lambda: board_services.board_move(
            domain=domain,
            cycle=cycle,
            request_id=_int(request_id, 0),
            offset=offset,
            version=_int(request.POST.get("version")),
            actor=request.user,
        ),
    )


def _row_target(request, domain: Domain, pk: int | None) -> DataRequest:
    """The request a row's control acts on: in the URL, or the board form's clicked button."""
    if pk is None:
        pk = _int(request.POST.get("request"), 0)
    return get_object_or_404(DataRequest, pk=pk, target_domain=domain)


def _posted(request, target: DataRequest, name: str):
    """A score input as posted (blank clears it), or the stored value when the form has none.

    The board's form names its inputs after their row (``effort-12``); a request's own score form
    names them plainly. The board shows reach, impact and confidence only when asked, so a row
    saved without them keeps them."""
    for key in (f"{name}-{target.pk}", name):
        if key in request.POST:
            value = request.POST[key]
            return (value or None) if name == "impact" else _int(value)
    return getattr(target, name)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def board_score(request, slug: str, pk: int | None = None):
    """Save a request's RICE inputs from the board row; GET shows them to edit (its lead only)."""
    domain = get_object_or_404(Domain, slug=slug)
    if request.method != "POST":
        return _score_inputs(request, domain, pk)
    cycle = _cycle(request, request.POST)
    target = _row_target(request, domain, pk)

    def save():
        services.request_score(
            data_request=target,
            actor=request.user,
            **{name: _posted(request, target, name) for name in SCORE_INPUTS},
        )

    return _after_write(request, domain, cycle, save)


def _score_inputs(request, domain: Domain, pk: int | None):
    """A row's reach, impact and confidence inputs: for htmx, the board form's fields to put in
    the row; otherwise a page of their own with the effort, whose form comes back to the board."""
    if pk is None:  # the board form's address: the board itself is where its rows are
        return redirect(reverse("requests_app:board", args=[domain.slug]))
    target = get_object_or_404(DataRequest, pk=pk, target_domain=domain)
    try:
        services.check_can_score(request.user, target)
    except DomainError as exc:
        raise PermissionDenied(str(exc)) from exc
    cycle_slug = request.GET.get("cycle") or getattr(target.planned_cycle, "slug", None)
    cycle = _cycle(request, {"cycle": cycle_slug})
    context = {
        "r": target,
        "domain": domain,
        "cycle": cycle,
        "formula": scoring.FORMULA,
        "impact_choices": scoring.IMPACT_CHOICES,
    }
    if request.htmx:
        return render(request, "requests_app/board/partials/score_inputs.html", context)
    return render(request, "requests_app/board/score.html", context)


@login_required
@require_POST
def board_reach_demand(request, slug: str, pk: int | None = None):
    """Reach = demand: use the number of teams that need a request as its RICE reach."""
    domain = get_object_or_404(Domain, slug=slug)
    cycle = _cycle(request, request.POST)
    target = _row_target(request, domain, pk)
    return _after_write(
        request,
        domain,
        cycle,
        lambda: services.request_reach_from_demand(data_request=target, actor=request.user),
    )


@login_required
@require_POST
def board_capacity(request, slug: str):
    """Set (or reset, when blank) the domain's capacity for this cycle."""
    domain = get_object_or_404(Domain, slug=slug)
    cycle = _cycle(request, request.POST)
    raw = (request.POST.get("capacity") or "").strip()
    capacity = _int(raw, -1) if raw else None
    return _after_write(
        request,
        domain,
        cycle,
        lambda: board_services.capacity_set(
            domain=domain, cycle=cycle, capacity=capacity, actor=request.user
        ),
    )


def _inbox_context(request, domain: Domain) -> dict:
    order = request.GET.get("ordering", "age")
    order = order if order in selectors.INBOX_ORDERS else "age"
    return {
        "domain": domain,
        "items": selectors.triage_inbox(domain=domain, order=order),
        "ordering": order,
        "deferred": selectors.deferred_for(domain=domain),
        "counts": selectors.inbox_counts(domain=domain),
        "cycles": services.cycles_offered(request.user),
        "default_cycle": services.cycle_next() or services.cycle_current(),
        "is_lead": board_services._is_lead(request.user, domain),
        "sla_days": settings.TRIAGE_SLA_WORKING_DAYS,
        "actions": board_services.BULK_ACTIONS,
    }


@login_required
@require_safe
def triage_inbox(request, slug: str):
    """Submitted requests waiting for triage, oldest first, overdue ones highlighted."""
    domain = get_object_or_404(Domain, slug=slug)
    return render(request, "requests_app/board/triage.html", _inbox_context(request, domain))


@login_required
@require_POST
def triage_bulk(request, slug: str):
    """Apply one action to the selected requests, each through its own service call."""
    domain = get_object_or_404(Domain, slug=slug)
    ids = [i for i in (_int(v) for v in request.POST.getlist("ids")) if i]
    cycle_slug = request.POST.get("planned_cycle") or ""
    cycle = RoadmapCycle.objects.filter(slug=cycle_slug).first() if cycle_slug else None
    results, status = [], 200
    try:
        results = board_services.bulk_transition(
            domain=domain,
            request_ids=ids,
            action=request.POST.get("action", ""),
            actor=request.user,
            reason=request.POST.get("reason", ""),
            planned_cycle=cycle,
            effort=_int(request.POST.get("effort")),
        )
    except (DomainError, ValidationError) as exc:
        results = [board_services.BulkResult(0, "", False, error_text(exc))]
        status = getattr(exc, "status_code", 400)
    context = {**_inbox_context(request, domain), "results": results}
    template = (
        "requests_app/board/partials/triage_list.html"
        if request.htmx
        else "requests_app/board/triage.html"
    )
    return render(request, template, context, status=status)
