"""In-process measurements for one bench database (run as a subprocess by bench.run).

Prints JSON: the ids and slugs the load driver should hit, a token, queries per request for each
endpoint, each endpoint's serial latency (one request at a time, in-process), and the review
computation timed against the single-SQL floor (medians of repeated runs).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _serial_ms(fn) -> float:
    """One request at a time, in-process (no server, no concurrency): the endpoint's own cost.
    Median of three, or the single run when one takes over 3 s (the board at `large`)."""
    first = _median_ms(fn, 1)
    return round(first if first > 3000 else _median_ms(fn, 3), 2)


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from products.models import Domain
    from requests_app.models import Comment, DataRequest, Notification, RequestEvent, RoadmapCycle

    domain = Domain.objects.order_by("pk").first()  # the busiest domain (Zipf rank 1)
    lead = domain.leads.order_by("pk").first()
    token, _ = Token.objects.get_or_create(user=lead)
    cycle = RoadmapCycle.objects.get(slug="2026-q3")
    request_id = (
        DataRequest.objects.filter(target_domain=domain, status="delivered")
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    paths = {
        "list": f"/api/v1/requests/?target_domain={domain.slug}&status=delivered&page_size=50",
        "detail": f"/api/v1/requests/{request_id}/",
        "board": f"/api/v1/domains/{domain.slug}/board/?cycle={cycle.slug}",
        "review": f"/api/v1/cycles/{cycle.slug}/review/",
        "notifications": "/api/v1/notifications/",
        "ceiling": "/bench/ceiling/",
        "textbook": f"/bench/textbook/requests/?target_domain__slug={domain.slug}&status=delivered",
    }
    client = Client()
    client.force_login(lead)
    queries, statuses, serial_ms, list_body = {}, {}, {}, b""
    for name, path in paths.items():
        if name == "ceiling":
            continue
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        # Session auth adds its own lookups; count what the endpoint itself costs.
        queries[name] = len([q for q in ctx.captured_queries if "django_session" not in q["sql"]])
        statuses[name] = response.status_code
        if name == "list":
            list_body = response.content
        serial_ms[name] = _serial_ms(lambda path=path: client.get(path, HTTP_HOST="127.0.0.1"))
    ceiling_path = os.path.join(os.path.dirname(__file__), "results", "ceiling_body.json")
    with open(ceiling_path, "wb") as fh:
        fh.write(list_body)

    floor_sql = (
        "SELECT target_domain_id, status, COUNT(*) FROM requests_app_datarequest "
        "WHERE needed_by_cycle_id = %s GROUP BY target_domain_id, status"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, [cycle.pk])
            cursor.fetchall()

    def review():
        from requests_app.review.selectors import review_for

        review_for(cycle=cycle)

    floor()
    review()
    result = {
        "token": token.key,
        "paths": paths,
        "queries": queries,
        "statuses": statuses,
        "serial_ms": serial_ms,
        "list_body_bytes": len(list_body),
        "floor_ms": _median_ms(floor, 15),
        "review_ms": _median_ms(review, 15),
        "requests": DataRequest.objects.count(),
        "rows": {
            model.__name__: model.objects.count() for model in (RequestEvent, Comment, Notification)
        },
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
