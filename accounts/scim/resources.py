"""Our rows as SCIM resources and back (scim2-models does the SCIM side)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from scim2_models import Email, Group, GroupMember, GroupMembership, Meta, Name, User

from accounts.models import ScimGroup
from accounts.services.provisioning import PersonData


def user_resource(user: AbstractBaseUser, base: str) -> User:
    """A person as a SCIM User (groups listed read-only)."""
    identity = getattr(user, "external_identity", None)
    location = f"{base}/Users/{user.pk}"
    return User(
        id=str(user.pk),
        external_id=identity.scim_external_id if identity else None,
        user_name=user.username,
        name=Name(given_name=user.first_name or None, family_name=user.last_name or None),
        emails=[Email(value=user.email)] if user.email else None,
        active=user.is_active,
        groups=[
            GroupMembership(value=str(g.pk), ref=f"{base}/Groups/{g.pk}", display=g.display_name)
            for g in user.scim_groups.all()
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=user.date_joined,
            last_modified=user.date_joined,
            location=location,
        ),
    )


def person_data(resource: User) -> PersonData:
    """What we keep of a SCIM User."""
    emails = resource.emails or []
    primary = next((e for e in emails if e.primary), emails[0] if emails else None)
    return PersonData(
        user_name=resource.user_name or "",
        given_name=(resource.name.given_name if resource.name else None) or "",
        family_name=(resource.name.family_name if resource.name else None) or "",
        email=(primary.value if primary else None) or "",
        active=resource.active if resource.active is not None else True,
        external_id=resource.external_id,
    )


def group_resource(group: ScimGroup, base: str) -> Group:
    """A group as a SCIM Group with its members."""
    return Group(
        id=str(group.pk),
        external_id=group.external_id,
        display_name=group.display_name,
        members=[
            GroupMember(value=str(m.pk), ref=f"{base}/Users/{m.pk}", type="User")
            for m in group.members.all()
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base}/Groups/{group.pk}",
        ),
    )


def member_ids(resource: Group) -> list[int]:
    """The user ids a SCIM Group names as members; a non-numeric id raises ValueError."""
    return [int(m.value) for m in resource.members or [] if m.value is not None]
