"""Identity: API tokens (stored hashed), the audit of role changes, SCIM groups and the link
between a person and their identity provider's account."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(key: str) -> str:
    """The stored form of a token key: SHA-256 of a 40-byte random key (no salt or stretching is
    needed for a key of that entropy; a lookup by digest stays one indexed query)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        """Tokens that authenticate now: not revoked, not expired, owner still active."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    """A named API key of one person; only its SHA-256 digest is kept, the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so a person can tell their tokens apart; not a secret.
    prefix = models.CharField(max_length=8, editable=False)
    read_only = models.BooleanField(_("read-only"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RoleChange(models.Model):
    """One change of a person's role (domain lead/member or staff), who made it and from where."""

    class Source(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect sign-in")
        SCIM = "scim", _("SCIM provisioning")
        ADMIN = "admin", _("admin")

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_changes"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    role = models.CharField(max_length=10)  # lead, member or staff
    domain = models.ForeignKey(
        "products.Domain", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The staff member, for changes made in the admin."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        where = f" of {self.domain.slug}" if self.domain_id else ""
        return f"{self.user}: {self.role}{where} {self.action} ({self.source})"


class ExternalIdentity(models.Model):
    """How the identity provider knows a person: the OIDC subject and the SCIM externalId."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity"
    )
    oidc_subject = models.CharField(max_length=255, unique=True, null=True, blank=True)
    scim_external_id = models.CharField(max_length=255, null=True, blank=True)
    # Set by a SCIM DELETE: the person is deactivated and no longer listed by SCIM.
    scim_deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.oidc_subject or self.scim_external_id or '-'})"


class ScimGroup(models.Model):
    """A group as the identity provider provisions it; `upstream:…` names grant roles."""

    display_name = models.CharField(max_length=255, unique=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="scim_groups", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class Profile(models.Model):
    """A person's own settings that Django's user lacks: the interface language they chose
    (blank: follow the browser's `Accept-Language`, else `LANGUAGE_CODE`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # No `choices`: adding a language to settings.LANGUAGES needs no migration; the service checks.
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("profile")

    def __str__(self) -> str:
        return f"profile of {self.user}"
