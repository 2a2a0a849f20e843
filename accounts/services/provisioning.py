"""SCIM provisioning writes: people and groups as the identity provider sends them.

Called only by the SCIM views after the bearer-token check. Group changes recompute the roles
of the people concerned through `roles_apply`, so SCIM and OIDC grant roles the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ExternalIdentity, RoleChange, ScimGroup
from accounts.services.people import person_set_active
from accounts.services.roles import roles_apply

User = get_user_model()


class Conflict(Exception):
    """The name is already taken by another person or group (SCIM 409 uniqueness)."""


@dataclass
class PersonData:
    """The attributes of a SCIM User that Upstream keeps."""

    user_name: str
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    active: bool = True
    external_id: str | None = None


def _roles_refresh(users: Iterable[AbstractBaseUser]) -> None:
    for user in users:
        names = list(user.scim_groups.values_list("display_name", flat=True))
        roles_apply(user=user, groups=names, source=RoleChange.Source.SCIM)


@transaction.atomic
def person_write(*, user: AbstractBaseUser | None, data: PersonData) -> AbstractBaseUser:
    """Create (``user=None``) or replace a person; a userName of someone removed by SCIM earlier
    brings that person back under the same id (their history stays theirs)."""
    user_name = data.user_name.strip()
    if not user_name or len(user_name) > 150:
        raise ValidationError(_("userName is required and at most 150 characters."))
    clash = User.objects.filter(username__iexact=user_name).exclude(pk=getattr(user, "pk", None))
    existing = clash.select_related("external_identity").first()
    if existing is not None:
        identity = getattr(existing, "external_identity", None)
        if user is None and identity is not None and identity.scim_deleted_at is not None:
            user = existing
        else:
            raise Conflict(_("userName %(name)s is taken.") % {"name": user_name})
    user = user or User(username=user_name)
    user.username = user_name
    user.first_name = data.given_name[:150]
    user.last_name = data.family_name[:150]
    user.email = data.email
    if user.pk is None:
        user.set_unusable_password()  # they sign in through the identity provider
        user.is_active = data.active
    try:
        user.save()
    except IntegrityError as exc:
        raise Conflict(_("userName %(name)s is taken.") % {"name": user_name}) from exc
    ExternalIdentity.objects.update_or_create(
        user=user, defaults={"scim_external_id": data.external_id, "scim_deleted_at": None}
    )
    person_set_active(user=user, active=data.active)
    return user


@transaction.atomic
def person_remove(*, user: AbstractBaseUser) -> None:
    """SCIM DELETE: deactivate and hide from SCIM, never delete the row (history stays)."""
    person_set_active(user=user, active=False)
    ExternalIdentity.objects.update_or_create(
        user=user, defaults={"scim_deleted_at": timezone.now()}
    )
    groups = list(user.scim_groups.all())
    user.scim_groups.clear()
    for group in groups:
        group.save(update_fields=["updated_at"])
    _roles_refresh([user])


@transaction.atomic
def group_write(
    *,
    group: ScimGroup | None,
    display_name: str,
    member_ids: list[int],
    external_id: str | None = None,
) -> ScimGroup:
    """Create (``group=None``) or replace a group and its members; roles follow."""
    display_name = display_name.strip()
    if not display_name or len(display_name) > 255:
        raise ValidationError(_("displayName is required and at most 255 characters."))
    if ScimGroup.objects.filter(display_name=display_name).exclude(pk=getattr(group, "pk", None)):
        raise Conflict(_("A group named %(name)s exists.") % {"name": display_name})
    members = list(
        User.objects.filter(pk__in=member_ids).exclude(
            external_identity__scim_deleted_at__isnull=False
        )
    )
    if len(members) != len(set(member_ids)):
        raise ValidationError(_("A member of the group is not a known user id."))
    before = set(group.members.all()) if group else set()
    group = group or ScimGroup()
    group.display_name = display_name
    group.external_id = external_id
    group.save()
    group.members.set(members)
    _roles_refresh(before | set(members))
    return group


@transaction.atomic
def group_remove(*, group: ScimGroup) -> None:
    """SCIM DELETE of a group: its members lose the roles it granted."""
    members = list(group.members.all())
    group.delete()
    _roles_refresh(members)
