"""The v1 domain webhook (Domain.webhook_url, Slack format, new submissions) becomes a `slack`
subscription to `submitted` for that domain, keeping its URL and its signing secret (stored
encrypted from now on). The domain's fields stay as they were: nothing is lost, and the outbox
no longer writes the legacy row for a domain whose URL is a subscription."""

from django.db import migrations


def forwards(apps, schema_editor):
    from notifications.subscriptions import crypto

    Domain = apps.get_model("products", "Domain")
    Subscription = apps.get_model("notifications", "Subscription")
    for domain in Domain.objects.exclude(webhook_url=""):
        if Subscription.objects.filter(domain=domain, url=domain.webhook_url).exists():
            continue  # run twice: once is enough
        Subscription.objects.create(
            domain=domain,
            url=domain.webhook_url,
            format="slack",
            events=["submitted"],
            secret_encrypted=crypto.encrypt(domain.webhook_secret or crypto.new_secret()),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_subscriptions"),
        ("products", "0002_backfill_webhook_secrets"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
