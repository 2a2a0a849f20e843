"""Notification, NotificationPreference and ReviewSnapshot now belong to their own apps."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('requests_app', '0004_review_not_made_it_index'),
    ]

    # State only: the models moved to the notifications and review apps, their tables stay.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='notificationpreference',
                name='user',
            ),
            migrations.RemoveField(
                model_name='reviewsnapshot',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='reviewsnapshot',
                name='cycle',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='NotificationPreference',
            ),
            migrations.DeleteModel(
                name='ReviewSnapshot',
            ),
            ],
            database_operations=[],
        ),
    ]
