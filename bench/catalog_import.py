"""``python -m bench.catalog_import``: time the catalog import of 1,000 ODPS data products.

Generates one multi-document ODPS file (each product with a description, tags, two output ports,
a support channel and a team), then imports it through `catalog_import` as staff: a dry run, the
apply that creates everything, and a re-import that changes nothing; the same for 10 products to
show the statements do not grow with the file. Each step reports wall time and query count.

It runs in a throwaway database (Django's test database: a temporary SQLite file by default,
``test_<name>`` on PostgreSQL when DATABASE_URL names one), never the working one. Figures go to
bench/results/catalog_import_<vendor>.json and the "Catalog import" section of bench/RESULTS.md
(``make bench`` keeps that section when it rewrites the file).
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HEADING = "## Catalog import"
SIZES = (10, 1000)


def odps_file(n: int, domain: str = "bench") -> bytes:
    """``n`` ODPS data products in one multi-document YAML file."""
    docs = []
    for i in range(n):
        docs.append(
            f"apiVersion: v1.0.0\nkind: DataProduct\nid: bench-{i}\nname: Bench product {i}\n"
            f"domain: {domain}\nstatus: draft\ntags: [t{i % 13}, bulk, area-{i % 5}]\n"
            "description:\n"
            f"  purpose: Product {i} of the benchmark catalog.\n"
            "  usage: Join on customer_id.\n"
            "outputPorts:\n"
            f"  - name: dwh.bench.p_{i}\n    type: table\n"
            f"  - name: bench.events.p_{i}.v1\n    type: topic\n"
            f"support:\n  - channel: '#bench-{i % 20}'\n    url: https://chat.example/bench-{i % 20}\n"
            f"team:\n  name: team-{i % 20}\n"
        )
    return "---\n".join(docs).encode()


def measure() -> dict:
    """Set up a throwaway database, run the imports, answer the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # a throwaway database
    import django
    from django.conf import settings

    tmp = tempfile.TemporaryDirectory()
    if "sqlite" in os.environ.get("DATABASE_URL", "sqlite"):
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from products.interchange.services import catalog_import

    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":  # a file, not memory: what a deployment writes to
        database.setdefault("TEST", {})["NAME"] = f"{tmp.name}/test_bench.sqlite3"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    rows = []
    try:
        staff = get_user_model().objects.create(username="bench", is_staff=True)
        for n in SIZES:
            content = odps_file(n, domain=f"bench-{n}")
            for step, dry_run in (("dry run", True), ("apply", False), ("re-import", False)):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    answer = catalog_import(
                        actor=staff, name=f"{n}.yaml", content=content, dry_run=dry_run
                    ).as_dict()
                    elapsed = time.perf_counter() - start
                rows.append(
                    {
                        "products": n,
                        "step": step,
                        "seconds": round(elapsed, 3),
                        "queries": len(queries.captured_queries),
                        "created": answer["created"]["data_products"],
                        "unchanged": answer["unchanged"]["data_products"],
                        "bytes": len(content),
                    }
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        tmp.cleanup()
    return {
        "vendor": connection.vendor,
        "version": _version(connection),
        "machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}",
        "python": platform.python_version(),
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load": round(os.getloadavg()[0], 2),
        "rows": rows,
    }


def _version(connection) -> str:
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def section() -> str:
    """The "Catalog import" section of RESULTS.md from every result file present."""
    parts = [
        HEADING,
        "",
        "`python -m bench.catalog_import` (with DATABASE_URL for PostgreSQL): one multi-document "
        "ODPS file imported by staff through `catalog_import`, in one transaction: dry run "
        "(parse, plan, governance; no write), apply (creates the domain, products, tags, two "
        "ports each) and a re-import that finds everything unchanged. Wall time in-process, "
        "queries counted by Django. The machine is shared (see the load): read the figures as an "
        "order of magnitude. Most of the time is reading the YAML and planning in Python (the dry "
        "run); writing adds the difference between apply and dry run. PostgreSQL issues the same "
        "statements for 10 and 1,000 products; SQLite splits bulk inserts into more batches (its "
        "limit on variables per statement), still one transaction.",
        "",
    ]
    for path in sorted(RESULTS.glob("catalog_import_*.json")):
        result = json.loads(path.read_text())
        parts += [
            f"{result['version']}, {result['machine']}, Python {result['python']}, "
            f"load {result['load']} at start, {result['at']}:",
            "",
            "| products | step | seconds | queries | ms per product |",
            "| ---: | --- | ---: | ---: | ---: |",
        ]
        for row in result["rows"]:
            per = 1000 * row["seconds"] / row["products"]
            parts.append(
                f"| {row['products']:,} | {row['step']} | {row['seconds']} | {row['queries']} "
                f"| {per:.2f} |"
            )
        parts.append("")
    return "\n".join(parts)


def write_section(path: Path = ROOT / "bench" / "RESULTS.md") -> None:
    """Replace (or add) the "Catalog import" section of RESULTS.md, leaving the rest as is."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = section().rstrip("\n") + "\n"
    if pattern.search(text):
        text = pattern.sub(lambda _m: new + "\n", text).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + new
    path.write_text(text)


def main() -> int:
    result = measure()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"catalog_import_{result['vendor']}.json").write_text(
        json.dumps(result, indent=2) + "\n"
    )
    write_section()
    print(section())
    return 0


if __name__ == "__main__":
    sys.exit(main())
