"""SCIM 2.0 endpoints: thin views that parse with scim2-models, call the provisioning services,
and answer SCIM JSON. Authenticated by the `SCIM_TOKEN` bearer token (constant-time compare);
without `SCIM_TOKEN` the endpoint does not exist (404)."""

from __future__ import annotations

import hmac
import json
import re
from functools import wraps

import pydantic
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from scim2_models import (
    Context,
    Error,
    Group,
    ListResponse,
    Meta,
    PatchOp,
    ResponseParameters,
    SCIMException,
    User,
)

from accounts.models import ScimGroup
from accounts.scim import discovery
from accounts.scim.resources import group_resource, member_ids, person_data, user_resource
from accounts.services import provisioning

CONTENT_TYPE = "application/scim+json"
UserModel = get_user_model()
_EQ_FILTER = re.compile(r'^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
# Attribute names (matched case-insensitively, RFC 7644 §3.4.2.2) → lookups.
_USER_FILTERS = {
    "userName": "username__iexact",
    "externalId": "external_identity__scim_external_id",
}
_GROUP_FILTERS = {"displayName": "display_name", "externalId": "external_id"}


class ScimError(Exception):
    """Answered as a SCIM Error body with this status."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def _answer(payload: dict | None, status: int = 200, **headers) -> HttpResponse:
    body = json.dumps(payload, default=str) if payload is not None else ""
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    return _answer(
        Error(status=status, detail=detail, scim_type=scim_type).model_dump(), status=status
    )


def scim_view(view):
    """Bearer check, then the view; errors become SCIM Error bodies, never a 500."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.SCIM_TOKEN:
            raise Http404
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if not hmac.compare_digest(given.encode(), settings.SCIM_TOKEN.encode()):
            response = _error(401, "A valid bearer token (SCIM_TOKEN) is required.")
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        try:
            return view(request, *args, **kwargs)
        except ScimError as exc:
            return _error(exc.status, exc.detail, exc.scim_type)
        except SCIMException as exc:
            return _answer(exc.to_error().model_dump(), status=int(exc.status))
        except pydantic.ValidationError as exc:
            return _error(400, _first_error(exc), "invalidValue")
        except provisioning.Conflict as exc:
            return _error(409, str(exc), "uniqueness")
        except ValidationError as exc:
            return _error(400, " ".join(exc.messages), "invalidValue")

    return wrapped


def _first_error(exc: pydantic.ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))


def _base(request) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ScimError(400, "The body is not valid JSON.", "invalidSyntax") from None
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return data


def _params(request) -> ResponseParameters:
    def split(name):
        raw = request.GET.get(name, "")
        return [a.strip() for a in raw.split(",") if a.strip()] or None

    return ResponseParameters.model_validate(
        {"attributes": split("attributes"), "excludedAttributes": split("excludedAttributes")}
    )


def _dump(resource, ctx: Context, request=None) -> dict:
    params = _params(request) if request is not None else None
    return resource.model_dump(scim_ctx=ctx, response_parameters=params)


def _int(request, name: str, default: int) -> int:
    try:
        return max(int(request.GET.get(name, default)), 0)
    except ValueError:
        raise ScimError(400, f"{name} must be a whole number.", "invalidValue") from None


def _filtered(request, queryset, fields: dict[str, str]):
    raw = request.GET.get("filter")
    if not raw:
        return queryset
    lookups = {name.lower(): lookup for name, lookup in fields.items()}
    match = _EQ_FILTER.match(raw)
    if not match or match[1].lower() not in lookups:
        supported = ", ".join(f'{f} eq "…"' for f in fields)
        raise ScimError(400, f"Supported filters: {supported}.", "invalidFilter")
    return queryset.filter(**{lookups[match[1].lower()]: match[2].replace('\\"', '"')})


def _list(request, queryset, to_resource, model) -> HttpResponse:
    start = max(_int(request, "startIndex", 1), 1)
    count = min(_int(request, "count", discovery.MAX_RESULTS), discovery.MAX_RESULTS)
    total = queryset.count()
    rows = list(queryset[start - 1 : start - 1 + count])
    listing = ListResponse[model](
        total_results=total,
        start_index=start,
        items_per_page=len(rows),
        resources=[to_resource(r) for r in rows],
    )
    return _answer(_dump(listing, Context.RESOURCE_QUERY_RESPONSE, request))


# --- Users ------------------------------------------------------------------------------------


def _users():
    """Everyone but those a SCIM DELETE removed (they stay in the database, inactive)."""
    return (
        UserModel.objects.exclude(external_identity__scim_deleted_at__isnull=False)
        .select_related("external_identity")
        .prefetch_related("scim_groups")
        .order_by("pk")
    )


def _user(pk: str):
    try:
        return _users().get(pk=int(pk))
    except (ValueError, UserModel.DoesNotExist):
        raise ScimError(404, f"No User with id {pk}.") from None


@scim_view
def users(request):
    base = _base(request)
    if request.method == "GET":
        queryset = _filtered(request, _users(), _USER_FILTERS)
        return _list(request, queryset, lambda u: user_resource(u, base), User)
    if request.method == "POST":
        resource = User.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        user = provisioning.person_write(user=None, data=person_data(resource))
        created = user_resource(_user(str(user.pk)), base)
        return _answer(
            _dump(created, Context.RESOURCE_CREATION_RESPONSE), 201, Location=created.meta.location
        )
    raise ScimError(405, "Use GET or POST on /Users.")


@scim_view
def user_detail(request, pk: str):
    base = _base(request)
    user = _user(pk)
    if request.method == "GET":
        return _answer(_dump(user_resource(user, base), Context.RESOURCE_QUERY_RESPONSE, request))
    if request.method == "DELETE":
        provisioning.person_remove(user=user)
        return _answer(None, 204)
    if request.method == "PUT":
        ctx = Context.RESOURCE_REPLACEMENT_REQUEST
        resource = User.model_validate(_body(request), scim_ctx=ctx)
    elif request.method == "PATCH":
        patch = PatchOp[User].model_validate(
            _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        resource = user_resource(user, base)
        patch.patch(resource)
    else:
        raise ScimError(405, "Use GET, PUT, PATCH or DELETE on /Users/<id>.")
    provisioning.person_write(user=user, data=person_data(resource))
    return _answer(
        _dump(user_resource(_user(pk), base), Context.RESOURCE_REPLACEMENT_RESPONSE, request)
    )


# --- Groups -----------------------------------------------------------------------------------


def _groups():
    return ScimGroup.objects.prefetch_related("members").order_by("pk")


def _group(pk: str) -> ScimGroup:
    try:
        return _groups().get(pk=int(pk))
    except (ValueError, ScimGroup.DoesNotExist):
        raise ScimError(404, f"No Group with id {pk}.") from None


def _group_write(group, resource: Group) -> ScimGroup:
    try:
        ids = member_ids(resource)
    except ValueError:
        raise ScimError(400, "Member values must be User ids.", "invalidValue") from None
    return provisioning.group_write(
        group=group,
        display_name=resource.display_name or "",
        member_ids=ids,
        external_id=resource.external_id,
    )


@scim_view
def groups(request):
    base = _base(request)
    if request.method == "GET":
        queryset = _filtered(request, _groups(), _GROUP_FILTERS)
        return _list(request, queryset, lambda g: group_resource(g, base), Group)
    if request.method == "POST":
        resource = Group.model_validate(_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        created = group_resource(_group(str(_group_write(None, resource).pk)), base)
        return _answer(
            _dump(created, Context.RESOURCE_CREATION_RESPONSE), 201, Location=created.meta.location
        )
    raise ScimError(405, "Use GET or POST on /Groups.")


@scim_view
def group_detail(request, pk: str):
    base = _base(request)
    group = _group(pk)
    if request.method == "GET":
        return _answer(_dump(group_resource(group, base), Context.RESOURCE_QUERY_RESPONSE, request))
    if request.method == "DELETE":
        provisioning.group_remove(group=group)
        return _answer(None, 204)
    if request.method == "PUT":
        ctx = Context.RESOURCE_REPLACEMENT_REQUEST
        resource = Group.model_validate(_body(request), scim_ctx=ctx)
    elif request.method == "PATCH":
        ctx = Context.RESOURCE_PATCH_REQUEST
        patch = PatchOp[Group].model_validate(_body(request), scim_ctx=ctx)
        resource = group_resource(group, base)
        patch.patch(resource)
    else:
        raise ScimError(405, "Use GET, PUT, PATCH or DELETE on /Groups/<id>.")
    _group_write(group, resource)
    return _answer(
        _dump(group_resource(_group(pk), base), Context.RESOURCE_REPLACEMENT_RESPONSE, request)
    )


# --- Discovery --------------------------------------------------------------------------------


def _read_only(request) -> None:
    if request.method != "GET":
        raise ScimError(405, "This endpoint is read-only: use GET.")


@scim_view
def service_provider_config(request):
    _read_only(request)
    docs = request.build_absolute_uri("/api/docs/")
    config = discovery.service_provider_config(docs)
    return _answer(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _discovery_list(request, items: dict, kind: str, pk: str | None):
    _read_only(request)
    base = _base(request)
    if pk is not None:
        if pk not in items:
            raise ScimError(404, f"No {kind} {pk}.")
        item = items[pk].model_copy()
        item.meta = _meta(kind, f"{base}/{kind}s/{pk}")
        return _answer(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    resources = []
    for key, item in items.items():
        item = item.model_copy()
        item.meta = _meta(kind, f"{base}/{kind}s/{key}")
        resources.append(item)
    listing = ListResponse[type(resources[0])](
        total_results=len(resources),
        start_index=1,
        items_per_page=len(resources),
        resources=resources,
    )
    return _answer(listing.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _meta(kind: str, location: str):
    return Meta(resource_type=kind, location=location)


@scim_view
def schemas(request, pk: str | None = None):
    return _discovery_list(request, discovery.schemas(), "Schema", pk)


@scim_view
def resource_types(request, pk: str | None = None):
    return _discovery_list(request, discovery.resource_types(), "ResourceType", pk)


@scim_view
def search(request):
    raise ScimError(501, "Searching several resource types at once is not supported.")


@scim_view
def not_found(request, rest: str = ""):
    raise ScimError(404, "No such SCIM endpoint.")
