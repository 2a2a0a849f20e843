"""What the SCIM endpoint declares: the service provider config, schemas and resource types.

The schemas are the standard User and Group schemas cut down to the attributes Upstream keeps,
so a client (and scim2-tester) never sends what we would drop.
"""

from __future__ import annotations

from functools import cache

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    Group,
    Mutability,
    Patch,
    Required,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    User,
)

MAX_RESULTS = 200

_USER_ATTRIBUTES = {
    "userName": None,
    "name": {"givenName", "familyName"},
    "emails": {"value"},  # one address, the primary one
    "active": None,
    "groups": {"value", "$ref", "display"},
}
_GROUP_ATTRIBUTES = {"displayName": None, "members": {"value", "$ref", "type"}}


def _cut(schema: Schema, keep: dict[str, set[str] | None]) -> Schema:
    attributes = []
    for attribute in schema.attributes:
        if attribute.name not in keep:
            continue
        subs = keep[attribute.name]
        if subs is not None and attribute.sub_attributes:
            attribute.sub_attributes = [s for s in attribute.sub_attributes if s.name in subs]
        attributes.append(attribute)
    schema.attributes = attributes
    return schema


@cache
def schemas() -> dict[str, Schema]:
    """The User and Group schemas as Upstream supports them, by schema URN."""
    user = _cut(User.to_schema(), _USER_ATTRIBUTES)
    group = _cut(Group.to_schema(), _GROUP_ATTRIBUTES)
    for attribute in user.attributes:
        if attribute.name == "active":
            # Every person is active or not; there is no "unset" to remove it to.
            attribute.required = Required.true
    for attribute in group.attributes:
        if attribute.name == "members":
            # Members are added and removed by value; a member's reference is not edited.
            attribute.mutability = Mutability.read_write
    return {user.id: user, group.id: group}


@cache
def resource_types() -> dict[str, ResourceType]:
    """The two resource types, by name."""
    return {m.__name__: ResourceType.from_resource(m) for m in (User, Group)}


def service_provider_config(docs_url: str) -> ServiceProviderConfig:
    """PATCH and simple `eq` filters; no bulk, sort, ETag or password change."""
    return ServiceProviderConfig(
        documentation_uri=docs_url,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="The SCIM_TOKEN of this Upstream installation.",
                primary=True,
            )
        ],
    )
