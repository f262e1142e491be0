"""Inserting many rows of one model fast: COPY on PostgreSQL, executemany elsewhere.

For writes of hundreds of thousands of rows (a tax roll) Django's bulk_create
spends most of its time compiling SQL per value. Here each field's conversion
to the database is looked up once, and rows are plain tuples in field order.
No model signals run and no `save()` logic: callers pass complete rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models

BATCH = 5000
PLAIN = (models.CharField, models.IntegerField, models.BooleanField, models.TextField)


def _converter(field: models.Field, connection) -> Callable | None:
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    if connection.vendor == "postgresql" or isinstance(field, PLAIN):
        return None  # psycopg's COPY adapts UUIDs, dates and times itself
    if isinstance(field, models.UUIDField) or (
        isinstance(field, models.ForeignKey) and isinstance(field.target_field, models.UUIDField)
    ):
        return lambda value: value.hex  # Django keeps UUIDs as 32 hex digits elsewhere
    prepare = field.get_db_prep_save
    return lambda value: prepare(value, connection)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (tuples of values for `fields`, by attribute name) and return how many.

    Runs inside the caller's transaction; a failure raises and writes nothing
    once that transaction rolls back.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in concrete)
    converters = [
        (i, c) for i, c in enumerate(_converter(f, connection) for f in concrete) if c is not None
    ]

    def converted(row: tuple) -> tuple:
        if not converters:
            return row
        values = list(row)
        for index, convert in converters:
            if values[index] is not None:
                values[index] = convert(values[index])
        return tuple(values)

    table = connection.ops.quote_name(meta.db_table)
    count = 0
    # Rows are taken in batches so that the producer may itself query the database
    # between them (the connection is busy while a COPY runs).
    for batch in batches(rows, BATCH):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(converted(row))
            else:
                marks = ", ".join(["%s"] * len(concrete))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    [converted(row) for row in batch],
                )
        count += len(batch)
    return count


def batches(rows: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most `size` items of `rows`."""
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
