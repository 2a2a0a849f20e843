"""``bench.catalog_import``: the generated file is a valid catalog and the section is rewritten
in place, leaving the rest of RESULTS.md as it was."""

from __future__ import annotations

import pytest

from bench import catalog_import as bench
from products.interchange.services import catalog_import
from products.models import DataProduct


@pytest.mark.django_db
def test_the_generated_file_imports_without_errors(staff):
    answer = catalog_import(actor=staff, name="b.yaml", content=bench.odps_file(5)).as_dict()
    assert answer["created"]["data_products"] == 5
    assert answer["errors"] == []
    product = DataProduct.objects.get(external_id="bench-3")
    assert product.output_ports.count() == 2


def test_the_section_is_replaced_not_repeated(tmp_path, monkeypatch):
    results = tmp_path / "results"
    results.mkdir()
    (results / "catalog_import_sqlite.json").write_text(
        '{"version": "SQLite 3", "machine": "2 CPUs", "python": "3.11", "load": 1.0,'
        ' "at": "now", "rows": [{"products": 1000, "step": "apply", "seconds": 2.0,'
        ' "queries": 15}]}'
    )
    monkeypatch.setattr(bench, "RESULTS", results)
    target = tmp_path / "RESULTS.md"
    target.write_text("# Benchmark results\n\n## small\n\ntable\n")
    bench.write_section(target)
    bench.write_section(target)
    text = target.read_text()
    assert text.count("## Catalog import") == 1
    assert text.startswith("# Benchmark results\n\n## small\n\ntable\n")
    assert "| 1,000 | apply | 2.0 | 15 | 2.00 |" in text
