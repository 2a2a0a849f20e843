"""Request and cycle pages: thin views over the same selectors and services as the API.

Service errors are mapped in one place (`core.pages.attempt`): a domain error shows its message
with its status code (400/403/409), a validation error shows next to the field it concerns.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import attempt
from products import access
from products.models import Domain
from requests_app import lifecycle, saved_views, selectors, services, similar
from requests_app.demand_views import endorsement_facts
from requests_app.filters import DataRequestFilter
from requests_app.forms import ActionForm, CommentForm, RequestForm, live_products
from requests_app.list_rows import request_list_rows
from requests_app.models import DataRequest, RoadmapCycle
from requests_app.workitems import selectors as workitem_selectors

PAGE_SIZE = 50


def _get_request(pk, user) -> DataRequest:
    found = selectors.request_detail(pk=pk, user=user)
    if found is None:
        raise Http404(gettext("No such request."))
    return found


def _param(request: HttpRequest, name: str, limit: int = 200) -> str:
    """A query parameter as plain text: bounded, and without NUL (PostgreSQL refuses it)."""
    return request.GET.get(name, "")[:limit].replace("\x00", "")


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        return 1


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """All requests, filtered with the request FilterSet (the same as the API's)."""
    filterset = DataRequestFilter(
        request.GET, queryset=selectors.request_list(user=request.user), request=request
    )
    rows, has_next, page = [], False, _page_number(request)
    if filterset.is_valid():
        offset = (page - 1) * PAGE_SIZE
        rows = request_list_rows(filterset.qs[offset : offset + PAGE_SIZE + 1])
        has_next, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "rows": rows,
        "page": page,
        "has_next": has_next,
        "query": query.urlencode(),
        "my_domains": selectors.domains_of(request.user)["all"],
        "tab": _tab(request),
        **saved_views.list_page_extras(request, filterset.form),
    }
    return render(
        request,
        "requests_app/request_list.html",
        context,
        status=200 if filterset.is_valid() else 400,
    )


def _tab(request: HttpRequest) -> str:
    keys = set(request.GET) - {"page", "ordering"}
    if keys == {"requester"} and request.GET["requester"] == "me":
        return "mine"
    if keys == {"target_domain"}:
        return f"incoming:{request.GET['target_domain']}"
    return "all" if not keys else ""


# --- filing and editing ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    """File a request: "Save draft" keeps it a draft, "Submit" sends it to the domain at once."""
    asked_cycle = _param(request, "needed_by_cycle")
    initial = {"needed_by_cycle": asked_cycle} if asked_cycle else {}
    form = RequestForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            submit = request.POST.get("intent") == "submit"
            outcome = attempt(
                services.request_create,
                form=form,
                actor=request.user,
                submit=submit,
                **form.service_fields(),
            )
            if outcome.ok:
                created = outcome.value
                messages.success(
                    request,
                    gettext("%(key)s submitted.") % {"key": created.key}
                    if submit
                    else gettext("%(key)s saved as a draft.") % {"key": created.key},
                )
                return redirect(created)
            status = outcome.status
            if outcome.message and not outcome.errors:
                form.add_error(None, outcome.message)
    context = {"form": form, "cycle": form.chosen_cycle()}
    return render(request, "requests_app/request_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester edits while the request is a draft or submitted (then they comment)."""
    obj = _get_request(pk, request.user)
    form = RequestForm(request.POST or None, user=request.user, instance=obj)
    status, refusal = 200, ""
    editable = attempt(services.request_check_editable, data_request=obj, actor=request.user)
    if not editable.ok:
        status, refusal = editable.status, editable.message
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = attempt(
                services.request_update,
                form=form,
                data_request=obj,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
            if outcome.ok:
                messages.success(request, gettext("%(key)s saved.") % {"key": obj.key})
                return redirect(obj)
            status = outcome.status
            if outcome.message and not outcome.errors:
                form.add_error(None, outcome.message)
    context = {"form": form, "object": obj, "cycle": form.chosen_cycle(), "refusal": refusal}
    return render(request, "requests_app/request_form.html", context, status=status)


@login_required
@require_GET
def request_similar(request: HttpRequest) -> HttpResponse:
    """htmx partial: products and open requests that may already answer what is being typed."""
    q = " ".join(_param(request, k) for k in ("q", "title", "description")).strip()
    domain = Domain.objects.filter(slug=_param(request, "target_domain")).first()
    found = similar.requests_similar(q=q[:200], target_domain=domain, limit=5)
    watched = set(
        request.user.watched_requests.filter(pk__in=[r.pk for r in found["requests"]]).values_list(
            "pk", flat=True
        )
    )
    endorsed = set(
        request.user.endorsements.filter(
            request_id__in=[r.pk for r in found["requests"]]
        ).values_list("request_id", flat=True)
    )
    for r in found["requests"]:
        r.is_watching = r.pk in watched
        r.can_endorse = r.pk not in endorsed and r.requester_id != request.user.pk
        r.is_endorsed = r.pk in endorsed
    return render(request, "requests_app/partials/similar.html", found)


@login_required
@require_GET
def request_product_options(request: HttpRequest) -> HttpResponse:
    """htmx partial: the <option>s of the chosen domain's live data products."""
    domain = Domain.objects.filter(slug=_param(request, "target_domain")).first()
    return render(
        request,
        "requests_app/partials/product_options.html",
        {"products": live_products(domain).order_by("name")},
    )


@login_required
@require_GET
def request_deadline_note(request: HttpRequest) -> HttpResponse:
    """htmx partial: early or late for the chosen cycle, said before submitting."""
    cycle = RoadmapCycle.objects.filter(slug=_param(request, "needed_by_cycle")).first()
    return render(request, "requests_app/partials/deadline_note.html", {"cycle": cycle})


@login_required
@require_GET
def user_mentions(request: HttpRequest) -> HttpResponse:
    """htmx partial: usernames starting with ``q``, for @mention completion."""
    users = selectors.users_by_prefix(prefix=_param(request, "q", 150))
    return render(request, "requests_app/partials/mentions.html", {"users": users})


# --- the request page --------------------------------------------------------------------------


def _detail_context(request: HttpRequest, obj: DataRequest, **overrides) -> dict:
    allowed = lifecycle.allowed_actions(request.user, obj)
    forms = {name: ActionForm(action=name, data_request=obj, user=request.user) for name in allowed}
    forms.update(overrides.pop("action_forms", {}))
    return {
        "object": obj,
        "timeline": selectors.request_timeline(obj),
        "action_forms": [forms[name] for name in allowed],
        "can_edit": lifecycle.can_edit(request.user, obj),
        "comment_form": overrides.pop("comment_form", None) or CommentForm(),
        "links": list(workitem_selectors.request_links(data_request=obj)),
        "can_link": access.can_manage_products(request.user, obj.target_domain_id),
        **endorsement_facts(request, obj),
        **overrides,
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request: facts, early/late, its timeline, discussion, and the actions open to the user."""
    obj = _get_request(pk, request.user)
    return render(request, "requests_app/request_detail.html", _detail_context(request, obj))


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one lifecycle action from the request page; errors are shown next to its form."""
    obj = _get_request(pk, request.user)
    if action not in lifecycle.ACTIONS:
        raise Http404(gettext("No such action."))
    form = ActionForm(request.POST, action=action, data_request=obj, user=request.user)
    error, status = "", 400
    if form.is_valid():
        outcome = attempt(
            services.request_transition,
            form=form,
            data_request=obj,
            action=action,
            actor=request.user,
            **form.service_params(),
        )
        if outcome.ok:
            messages.success(
                request,
                gettext("%(key)s: %(lower)s done.")
                % {"key": obj.key, "lower": lifecycle.ACTIONS[action].label.lower()},
            )
            return redirect(obj)
        error, status = ("" if outcome.errors else outcome.message), outcome.status
    obj = _get_request(pk, request.user)  # show what is true now (it may have moved on)
    context = _detail_context(
        request, obj, action_forms={action: form}, action_error={"action": action, "message": error}
    )
    if action not in lifecycle.allowed_actions(request.user, obj):
        context["action_forms"].append(form)  # keep the failed form visible with its message
    return render(request, "requests_app/request_detail.html", context, status=status)


@login_required
@require_POST
def request_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a comment; @mentions notify people (through the service's event)."""
    obj = _get_request(pk, request.user)
    form = CommentForm(request.POST)
    status = 400
    if form.is_valid():
        outcome = attempt(
            services.comment_create,
            form=form,
            data_request=obj,
            author=request.user,
            **form.cleaned_data,
        )
        if outcome.ok:
            return redirect(f"{obj.get_absolute_url()}#comment-{outcome.value.pk}")
        status = outcome.status
    context = _detail_context(request, obj, comment_form=form)
    return render(request, "requests_app/request_detail.html", context, status=status)


@login_required
@require_POST
def request_watch(request: HttpRequest, pk: int) -> HttpResponse:
    """Watch or stop watching (``watch=1``/``0``); htmx swaps the button, others are redirected."""
    obj = _get_request(pk, request.user)
    watching = request.POST.get("watch", "1") == "1"
    services.request_watch(data_request=obj, user=request.user, watch=watching)
    if request.htmx:
        obj.is_watching = watching
        return render(request, "requests_app/partials/watch_button.html", {"r": obj})
    return redirect(obj)


# --- cycles ------------------------------------------------------------------------------------


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Roadmap cycles with their request deadlines and how many requests need each."""
    return render(request, "requests_app/cycle_list.html", {"cycles": selectors.cycle_list()})


@login_required
@require_GET
def cycle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A cycle: deadline countdown and its requests counted by status."""
    cycle = selectors.cycle_detail(slug=slug)
    if cycle is None:
        raise Http404(gettext("No such cycle."))
    counts = selectors.cycle_status_counts(cycle=cycle)
    return render(request, "requests_app/cycle_detail.html", {"cycle": cycle, "counts": counts})
