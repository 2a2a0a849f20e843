"""Domains that had a webhook URL before secrets were generated get one, so every webhook is
signed (the channel refuses to send unsigned)."""

import secrets

from django.db import migrations


def backfill(apps, schema_editor):
    Domain = apps.get_model("products", "Domain")
    for domain in Domain.objects.exclude(webhook_url="").filter(webhook_secret=""):
        domain.webhook_secret = secrets.token_urlsafe(32)
        domain.save(update_fields=["webhook_secret"])


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
