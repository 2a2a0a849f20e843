from django.conf import settings
from django.db import migrations, models

# PostgreSQL only: the search box's full-text document of a request (`requests_app.search.document`
# over title, business need and description, weighted A, B, C), indexed as that very expression so
# a search reads the requests that match rather than ranking every request. A frozen copy of it:
# tests/integration/test_search_and_timeline_plans.py fails if the code's expression stops matching the index.
SEARCH_INDEX = "req_search_idx"
SEARCHED = (("title", "A"), ("business_need", "B"), ("description", "C"))


def search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vectors = [SearchVector(name, weight=w, config="simple") for name, w in SEARCHED]
    document = vectors[0]
    for vector in vectors[1:]:
        document += vector
    model = apps.get_model("requests_app", "DataRequest")
    schema_editor.add_index(model, GinIndex(document, name=SEARCH_INDEX))


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{SEARCH_INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0004_merge_0003_consumer_requests_0003_interchange_keys"),
        ("requests_app", "0014_board_totals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="datarequest",
            index=models.Index(
                condition=models.Q(("status__in", ["accepted", "in_progress"])),
                fields=["planned_cycle", "target_domain", "rank", "id", "requesting_domain"],
                name="req_promised_idx",
            ),
        ),
        migrations.RunPython(search_index, drop_search_index),
    ]
