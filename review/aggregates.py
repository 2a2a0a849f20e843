"""Medians computed in the database, in a fixed number of queries whatever the number of rows.

PostgreSQL has ``percentile_cont``; SQLite has no median, so there we number the rows of each group
in value order with window functions and keep only the one or two middle rows. Either way the
database does the sorting and at most two rows per group come back. On PostgreSQL the medians of
every group and of all rows come from one pass (``GROUPING SETS``), not one pass each, and the
same pass counts the rows of each (group, item) pair (the review's delivered products).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Expression,
    F,
    FloatField,
    Q,
    QuerySet,
    When,
    Window,
)
from django.db.models.functions import RowNumber


class Median(Aggregate):
    """PostgreSQL's continuous median, ``percentile_cont(0.5)``; NULL values are ignored.

    Works on numbers (answers a float) and on intervals (pass ``output_field=DurationField()``).
    """

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            # Use `medians()`, which picks the window-function plan on other databases.
            raise NotImplementedError("Median() needs PostgreSQL; call medians() instead.")
        return super().as_sql(compiler, connection, **extra_context)


def _mean(values: list[Any]) -> Any:
    if isinstance(values[0], dt.timedelta):
        return sum(values, dt.timedelta()) / len(values)
    return sum(values) / len(values)


def medians(
    queryset: QuerySet, *, values: Mapping[str, Expression | str], by: str | None = None
) -> dict[Any, dict[str, Any]]:
    """``{group: {name: median}}`` of each expression in ``values`` over ``queryset``, grouped by
    the field ``by`` (or one group keyed ``None``). One query per expression at most."""
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _medians_percentile(queryset, values=values, by=by)
    result: dict[Any, dict[str, Any]] = defaultdict(dict)
    for name, value in values.items():
        for group, median in _median_window(queryset, value=value, by=by).items():
            result[group][name] = median
    return dict(result)


def _medians_percentile(queryset, *, values, by) -> dict[Any, dict[str, Any]]:
    aggregates = {
        # A field name holds numbers; an expression says its type (e.g. a DurationField wrapper).
        name: Median(F(value))
        if isinstance(value, str)
        else Median(value, output_field=value.output_field)
        for name, value in values.items()
    }
    if by is None:
        return {None: queryset.order_by().aggregate(**aggregates)}
    rows = queryset.order_by().values(by).annotate(**aggregates)
    return {row.pop(by): row for row in rows}


def _median_window(queryset, *, value, by) -> dict[Any, Any]:
    """Median per group on databases without ``percentile_cont``: row_number() and count() over
    the group pick the middle row (odd count) or the two middle rows (even count)."""
    partition = [F(by)] if by else None
    rows = (
        queryset.order_by()
        .annotate(_median_value=F(value) if isinstance(value, str) else value)
        .filter(_median_value__isnull=False)
        .annotate(
            _median_rn=Window(
                RowNumber(), partition_by=partition, order_by=F("_median_value").asc()
            ),
            _median_n=Window(Count("pk"), partition_by=partition),
        )
        # Integer division: n=4 keeps rows 2 and 3, n=5 keeps row 3.
        .filter(_median_rn__gte=(F("_median_n") + 1) / 2, _median_rn__lte=(F("_median_n") + 2) / 2)
    )
    middle: dict[Any, list[Any]] = defaultdict(list)
    for group, median_value in rows.values_list(by or "_median_n", "_median_value"):
        middle[group if by else None].append(median_value)
    return {group: _mean(picked) for group, picked in middle.items()}


@dataclass(frozen=True)
class ItemGroup:
    """The rows of one (group, item) pair: how many, and the least value of a field over them."""

    group: Any
    item: Any
    rows: int
    first: Any


def medians_with_items(
    queryset: QuerySet,
    *,
    values: Mapping[str, Expression | str],
    by: str,
    item: str,
    item_when: Q,
    first: str,
) -> tuple[dict[Any, dict[str, Any]], dict[str, Any], list[ItemGroup] | None]:
    """``({group: {name: median}}, {name: median over all rows}, items)``: the medians of each
    expression in ``values`` per value of the field ``by`` and over the whole ``queryset``; and,
    over the rows matching ``item_when``, one `ItemGroup` per (``by``, ``item``) pair.

    PostgreSQL: one query, one pass over the rows (``GROUPING SETS``). Elsewhere: ``medians()``
    per level, and ``items`` is None: the caller counts the items its own way."""
    if connections[queryset.db].vendor != "postgresql":
        grouped = medians(queryset, values=values, by=by)
        return grouped, medians(queryset, values=values).get(None, {}), None
    names = list(values)
    # The rows, narrowed to the group, the item (NULL unless the row matches ``item_when``), the
    # field whose least value is kept and the values, as the ORM writes them (joins, filters)...
    inner = queryset.order_by().values(
        _median_group=F(by),
        _median_item=Case(When(item_when, then=F(item))),
        _median_first=F(first),
        **{
            f"_median_{i}": F(value) if isinstance(value, str) else value
            for i, value in enumerate(values.values())
        },
    )
    inner_sql, params = inner.query.sql_with_params()
    # ... then grouped three ways in one statement: per group, all rows, and per (group, item);
    # GROUPING() tells which (0: per item, 1: per group, 3: all rows).
    columns = ", ".join(
        f'PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY m."_median_{i}")' for i in range(len(names))
    )
    sql = (
        'SELECT GROUPING(m."_median_group", m."_median_item"), m."_median_group", '
        f'm."_median_item", COUNT(*), MIN(m."_median_first"), {columns} FROM ({inner_sql}) m '
        'GROUP BY GROUPING SETS ((m."_median_group"), (), (m."_median_group", m."_median_item"))'
    )
    grouped: dict[Any, dict[str, Any]] = {}
    total: dict[str, Any] = {}
    items: list[ItemGroup] = []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        for level, group, item_value, rows, least, *found in cursor.fetchall():
            if level == 0:
                if item_value is not None:  # rows not matching ``item_when`` have no item
                    items.append(ItemGroup(group, item_value, rows, least))
            elif level == 1:
                grouped[group] = dict(zip(names, found, strict=True))
            else:
                total = dict(zip(names, found, strict=True))
    return grouped, total, items
