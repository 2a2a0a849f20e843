"""The review app adopts its models' tables from requests_app (state only)."""

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
        ('requests_app', '0005_move_notifications_and_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # State only: the tables were created by requests_app (same names); this app adopts them.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ReviewSnapshot',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=8)),
                    ('progress', models.PositiveSmallIntegerField(default=0, help_text='Percent done.')),
                    ('data', models.JSONField(blank=True, default=dict)),
                    ('error', models.TextField(blank=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='requests_app.roadmapcycle')),
                ],
                options={
                    'db_table': 'requests_app_reviewsnapshot',
                    'ordering': ['-created_at'],
                },
            ),
            ],
            database_operations=[],
        ),
        adopt_content_types('review', ['reviewsnapshot']),
    ]
