"""The notifications app adopts its models' tables from requests_app (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def adopt_content_types(app_label, models):
    """Keep the content types (and so permissions and admin history) of the moved models."""

    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not ContentType.objects.filter(app_label=app_label, model=model).exists():
                ContentType.objects.filter(app_label="requests_app", model=model).update(
                    app_label=app_label
                )

    def backwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label=app_label, model__in=models).update(
            app_label="requests_app"
        )

    return migrations.RunPython(forwards, backwards)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('products', '0002_backfill_webhook_secrets'),
        ('requests_app', '0005_move_notifications_and_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # State only: the tables were created by requests_app (same names); this app adopts them.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=32)),
                    ('channel', models.CharField(choices=[('in_app', 'In-app'), ('email', 'Email'), ('webhook', 'Webhook')], max_length=8)),
                    ('message', models.CharField(max_length=500)),
                    ('payload', models.JSONField(blank=True, default=dict)),
                    ('dedupe_key', models.CharField(max_length=200, unique=True)),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed'), ('skipped', 'Skipped')], default='pending', max_length=8)),
                    ('digest', models.CharField(blank=True, help_text='Empty: delivered now. daily/weekly: waits for that email digest.', max_length=10)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('last_error', models.TextField(blank=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                    ('claimed_until', models.DateTimeField(blank=True, help_text="A worker's lease: it is sending this row, and no other worker takes it before then. Cleared with the outcome; a lease left by a dead worker runs out and the sweep sends the row again.", null=True)),
                    ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('cycle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='requests_app.roadmapcycle')),
                    ('domain', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='products.domain')),
                    ('recipient', models.ForeignKey(blank=True, help_text='Empty for a domain webhook.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='requests_app.datarequest')),
                ],
                options={
                    'db_table': 'requests_app_notification',
                    'ordering': ['-created_at', '-pk'],
                    'indexes': [models.Index(fields=['recipient', 'channel', '-created_at'], name='notif_inbox_idx'), models.Index(condition=models.Q(('status', 'pending')), fields=['digest', 'next_attempt_at'], name='notif_pending_idx'), models.Index(condition=models.Q(('channel', 'in_app'), ('read_at__isnull', True)), fields=['recipient'], name='notif_unread_idx')],
                },
            ),
            migrations.CreateModel(
                name='NotificationPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=32)),
                    ('channel', models.CharField(choices=[('in_app', 'In-app'), ('email', 'Email'), ('webhook', 'Webhook')], max_length=8)),
                    ('enabled', models.BooleanField(default=True)),
                    ('digest', models.CharField(choices=[('immediate', 'Immediately'), ('daily', 'Daily digest'), ('weekly', 'Weekly digest')], default='immediate', max_length=10)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'requests_app_notificationpreference',
                    'constraints': [models.UniqueConstraint(fields=('user', 'kind', 'channel'), name='preference_once_per_kind_channel')],
                },
            ),
            ],
            database_operations=[],
        ),
        adopt_content_types('notifications', ['notification', 'notificationpreference']),
    ]
