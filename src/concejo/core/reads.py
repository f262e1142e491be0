"""Reads a hot path runs on every request, as one prepared statement instead of an ORM query.

Compiling an ORM query that joins a few wide models costs more than running
it (ADR 0026). A read that every request (or every submission) makes is
written once as SQL over the models' own columns, prepared on the server
once per connection (`core.writes.prepared_cursor`), and its rows become
model instances through Django's own converters, as the ORM would make them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Model


def columns(model: type[Model], alias: str) -> str:
    """The model's concrete columns, in field order, as `alias.column, …`."""
    return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)


def row_lock(alias: str) -> str:
    """`FOR UPDATE OF alias` where the database locks rows (PostgreSQL), else nothing.

    SQLite has no row locks: the database-wide write lock its transactions
    take at `BEGIN IMMEDIATE` already serialises the writers (ADR 0002).
    """
    return f" FOR UPDATE OF {alias}" if connection.features.has_select_for_update_of else ""


def prepared_value(model: type[Model], field: str, value):
    """A parameter as the model's field sends it to this database (a UUID, say)."""
    return model._meta.get_field(field).get_db_prep_value(value, connection, prepared=False)


def read_models(sql: str, params: list, models: Sequence[tuple[type[Model], str]]) -> list[tuple]:
    """Run `sql` (prepared) and turn each row into instances of `models`, then the rest.

    The statement selects `columns(model, alias)` of each `(model, alias)` in
    that order, then any other values. A model whose key is NULL (an outer
    join that found nothing) comes back as None; the other values come back
    as the database gave them.
    """
    from concejo.core.writes import prepared_cursor

    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_instances(row, models) for row in rows]


def _instances(row: tuple, models: Sequence[tuple[type[Model], str]]) -> tuple:
    found: list = []
    for model, alias in models:
        fields = model._meta.concrete_fields
        values, row = list(row[: len(fields)]), row[len(fields) :]
        if values[[f.primary_key for f in fields].index(True)] is None:
            found.append(None)
            continue
        for i, field in enumerate(fields):  # converted as Django's compiler converts them
            column = field.get_col(alias)
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            ):
                values[i] = convert(values[i], column, connection)
        found.append(model.from_db(connection.alias, [f.attname for f in fields], values))
    return (*found, *row)


def read_where(model: type[Model], *, order_by: tuple[str, ...], **equal) -> list[Model]:
    """The rows of `model` whose fields equal `equal` (`draft=…`, `status=…`), in
    `order_by` order, as `read_models` reads them: one prepared statement."""
    params = [prepared_value(model, name, value) for name, value in equal.items()]
    sql = _where_sql(model, tuple(model._meta.get_field(name).column for name in equal), order_by)
    return [row[0] for row in read_models(sql, params, [(model, "t")])]


@cache
def _where_sql(model: type[Model], where: tuple[str, ...], order_by: tuple[str, ...]) -> str:
    order = ", ".join(f"t.{model._meta.get_field(name).column}" for name in order_by)
    return (
        f"SELECT {columns(model, 't')} FROM {model._meta.db_table} t "  # noqa: S608 - names from the model
        f"WHERE {' AND '.join(f't.{column} = %s' for column in where)} ORDER BY {order}"
    )
