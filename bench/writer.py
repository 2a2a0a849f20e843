"""Bulk writes for the benchmark generator: COPY on PostgreSQL, batched inserts elsewhere.

A `Table` is built from the model, not from a hand-kept column list: the generator names the
fields it sets, and every other concrete field gets its model default (``default=``,
``auto_now``/``auto_now_add``, NULL when nullable, "" for text). A field added to a model later
(like ``Notification.digest``) therefore cannot break the generator silently; one it cannot
fill (required, no default) stops it with a message naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

SQLITE_BATCH = 2_000


class Table:
    """The columns of one model's table: those the generator sets, then the defaults of the rest."""

    def __init__(self, model: type[models.Model], names: Sequence[str], *, now: dt.datetime):
        self.model = model
        self.name = model._meta.db_table
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [n for n in names if n not in by_attname]
        if unknown:
            raise CommandError(f"{model.__name__} has no field(s) {', '.join(unknown)}.")
        given = [by_attname[n] for n in names]
        rest, tail = [], []
        for field in model._meta.concrete_fields:
            if field.attname in names:
                continue
            if isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
                continue  # the sequence numbers it
            if field.db_default is not NOT_PROVIDED:
                continue  # the database fills it
            rest.append(field)
            tail.append(_default(model, field, now))
        self.fields = given + rest
        self.columns = [f.column for f in self.fields]
        self.tail = tuple(_prepare(f, v) for f, v in zip(rest, tail, strict=True))
        # Only JSON needs converting for COPY (text form); other values adapt as they are.
        self.json_at = [i for i, f in enumerate(given) if isinstance(f, models.JSONField)]


def _default(model, field: models.Field, now: dt.datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now.date() if type(field) is models.DateField else now
    value = field.get_default()
    if value is None and not field.null:
        raise CommandError(
            f"{model.__name__}.{field.name} is required and has no default: "
            "teach bench_generate to fill it."
        )
    return value


def _prepare(field: models.Field, value):
    if isinstance(field, models.JSONField) and connection.vendor == "postgresql":
        return json.dumps(value, cls=field.encoder)
    return value


class Writer:
    """Writes rows to tables: COPY on PostgreSQL, batched executemany elsewhere (tests)."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"
        self.written: set[str] = set()

    def write(self, table: Table, rows: Iterable[tuple]) -> int:
        """Write ``rows`` (values in the order of the names given to ``table``); returns the count."""
        self.written.add(table.name)
        if self.pg:
            return self._copy(table, rows)
        return self._insert(table, rows)

    def _copy(self, table: Table, rows: Iterable[tuple]) -> int:
        count = 0
        tail, json_at = table.tail, table.json_at
        cols = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table.name)} ({cols}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = json.dumps(row[i])
                    row = tuple(row)
                copy.write_row(row + tail if tail else row)
                count += 1
        return count

    def _insert(self, table: Table, rows: Iterable[tuple]) -> int:
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(table.name),
            ", ".join(quote(c) for c in table.columns),
            ", ".join(["%s"] * len(table.columns)),
        )
        fields = table.fields
        count, batch = 0, []
        with connection.cursor() as cursor:
            for row in rows:
                full = row + table.tail
                batch.append(
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, full, strict=True)]
                )
                if len(batch) >= SQLITE_BATCH:
                    cursor.executemany(sql, batch)
                    count, batch = count + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    @contextmanager
    def indexes_deferred(self, models_: Iterable[type[models.Model]]) -> Iterator[None]:
        """Load the big tables without their secondary indexes, unique and foreign-key
        constraints, then build those once at the end (the usual bulk-load recipe on
        PostgreSQL: a sorted index build and one anti-join per foreign key instead of millions
        of single-row index inserts and deferred trigger checks). The definitions are read from
        the catalog, so they are exactly what the migrations created. Must run inside the
        generator's transaction: if anything fails, the drops roll back with it."""
        if not self.pg:
            yield
            return
        quote = connection.ops.quote_name
        restore: list[tuple[int, str]] = []  # (order, statement): indexes, unique, then FKs
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for model in models_:
                table = quote(model._meta.db_table)
                cursor.execute(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                    "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    restore.append((0, definition))
                for name, kind, definition in constraints:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                    statement = f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
                    restore.append((2 if kind == "f" else 1, statement))
        yield
        with connection.cursor() as cursor:
            for _, statement in sorted(restore, key=lambda item: item[0]):
                cursor.execute(statement)

    def reset_sequences(self) -> None:
        """After writing explicit ids, move each table's id sequence past them (PostgreSQL)."""
        if not self.pg:
            return
        with connection.cursor() as cursor:
            for name in sorted(self.written):
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(name)}), 0) + 1, false)",
                    [connection.ops.quote_name(name)],
                )
