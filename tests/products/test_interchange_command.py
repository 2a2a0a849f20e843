"""``catalog_import``: files and folders on disk, Location targets followed, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from products.interchange.services import catalog_import_paths
from products.models import DataProduct, Domain

pytestmark = pytest.mark.django_db
CATALOG = Path(settings.BASE_DIR) / "catalog"


def test_the_example_catalog_imports_through_its_location_file(capsys):
    call_command("catalog_import", str(CATALOG / "catalog-info.yaml"))
    out = capsys.readouterr().out
    assert out.startswith("Imported: ")
    assert Domain.objects.count() == 9
    views = DataProduct.objects.get(name="Listing views")
    assert (views.domain.slug, views.status, views.freshness_sla_hours) == ("search", "product", 2)
    ratings = DataProduct.objects.get(name="Seller ratings")
    assert ratings.status == "incubating"
    clicks = DataProduct.objects.get(name="Ad clicks")
    assert sorted(clicks.output_ports.values_list("location", flat=True)) == [
        "ads.clicks.v1",
        "dwh.ads.clicks_daily",
    ]


def test_the_folder_imports_the_same_and_a_second_run_changes_nothing():
    catalog_import_paths([CATALOG])
    again = catalog_import_paths([CATALOG]).as_dict()
    assert again["created"] == dict.fromkeys(again["created"], 0)
    assert again["updated"] == dict.fromkeys(again["updated"], 0)
    assert again["unchanged"]["data_products"] == 3


def test_dry_run_writes_nothing(capsys):
    call_command("catalog_import", str(CATALOG), "--dry-run")
    assert capsys.readouterr().out.startswith("Dry run")
    assert not Domain.objects.exists()


def test_a_location_target_that_is_missing_refuses_the_import(tmp_path):
    (tmp_path / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\n"
        "spec:\n  target: ./nowhere.yaml\n"
    )
    with pytest.raises(CommandError, match="nowhere.yaml"):
        call_command("catalog_import", str(tmp_path / "catalog-info.yaml"))


def test_a_location_url_on_disk_is_reported_not_fetched(tmp_path):
    (tmp_path / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\n"
        "spec:\n  type: url\n  target: https://github.example/org/repo/catalog-info.yaml\n"
    )
    answer = catalog_import_paths([tmp_path / "catalog-info.yaml"]).as_dict()
    assert "never fetches" in answer["warnings"][0]["message"]


def test_seed_demo_imports_the_example_catalog_over_the_demo_data():
    call_command("seed_demo", verbosity=0)
    assert Domain.objects.count() == 9  # the files name the demo's domains: none is added
    assert Domain.objects.get(slug="ads").description  # the demo's description is kept
    assert DataProduct.objects.filter(name__in=["Listing views", "Seller ratings"]).count() == 2
    again = catalog_import_paths([CATALOG]).as_dict()
    assert again["created"] == dict.fromkeys(again["created"], 0)
    assert again["updated"] == dict.fromkeys(again["updated"], 0)
