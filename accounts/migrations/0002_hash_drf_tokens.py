"""Move DRF authtoken keys into ApiToken, hashed, and delete the clear-text rows.

Existing clients keep working with the same key until it expires (API_TOKEN_TTL_DAYS from the
migration) or is revoked.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def hash_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + dt.timedelta(days=getattr(settings, "API_TOKEN_TTL_DAYS", 90))
    for old in Token.objects.all().iterator():
        ApiToken.objects.create(
            user_id=old.user_id,
            name="API token (from before hashed tokens)",
            digest=hashlib.sha256(old.key.encode()).hexdigest(),
            prefix=old.key[:8],
            created_at=old.created,
            expires_at=expires_at,
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    # Irreversible by design: the clear keys are gone.
    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
