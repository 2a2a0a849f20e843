from django.db import migrations

# PostgreSQL only: the search box's full-text document of a data product
# (`requests_app.search.document` over name and description, weighted A, B), indexed as that very
# expression; a frozen copy, checked by tests/integration/test_search_and_timeline_plans.py.
SEARCH_INDEX = "product_search_idx"
SEARCHED = (("name", "A"), ("description", "B"))


def search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vectors = [SearchVector(name, weight=w, config="simple") for name, w in SEARCHED]
    document = vectors[0]
    for vector in vectors[1:]:
        document += vector
    model = apps.get_model("products", "DataProduct")
    schema_editor.add_index(model, GinIndex(document, name=SEARCH_INDEX))


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{SEARCH_INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("products", "0004_merge_0003_consumer_requests_0003_interchange_keys")]

    operations = [migrations.RunPython(search_index, drop_search_index)]
