from django.db import migrations, models
from django.db.models import Count

# The status group as it stands for this migration (requests_app.lifecycle may move on).
PROMISED_STATES = ("accepted", "in_progress")


def count_promised(apps, schema_editor):
    """Store how many of each counted board's requests are promised (the rule of
    `board.versions.board_totals`); a board whose totals were never counted stays uncounted."""
    DataRequest = apps.get_model("requests_app", "DataRequest")
    DomainCycleCapacity = apps.get_model("requests_app", "DomainCycleCapacity")
    counted = DomainCycleCapacity.objects.filter(board_count__isnull=False)
    counted.update(board_promised=0)
    groups = (
        DataRequest.objects.filter(
            status__in=PROMISED_STATES, target_domain__isnull=False, planned_cycle__isnull=False
        )
        .values_list("target_domain_id", "planned_cycle_id")
        .annotate(promised=Count("pk"))
        .order_by()
    )
    for domain_id, cycle_id, promised in groups:
        counted.filter(domain_id=domain_id, cycle_id=cycle_id).update(board_promised=promised)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0017_deferred_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="domaincyclecapacity",
            name="board_promised",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(count_promised, migrations.RunPython.noop),
    ]
