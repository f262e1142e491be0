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
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
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


def rows_known(obj: Model, relation: str, rows: Sequence[Model]) -> None:
    """Give `obj` the rows of its reverse relation `relation`, as `prefetch_related`
    would, so that `obj.<relation>.all()` reads them without a query.

    For a service that has just written those rows and whose caller may show
    them (the registry entry's API response lists its interested parties and
    attachments). The queryset that holds them is built only if it is read.
    Django's own `add()` and `remove()` forget them again.
    """
    cache = obj.__dict__.get("_prefetched_objects_cache")
    if cache is None:
        cache = obj.__dict__["_prefetched_objects_cache"] = _KnownRows(obj)
    if isinstance(cache, _KnownRows):
        cache.pending[_cache_name(type(obj), relation)] = (relation, list(rows))
    else:
        cache[_cache_name(type(obj), relation)] = _known_queryset(obj, relation, rows)


@cache
def _cache_name(model: type[Model], relation: str) -> str:
    return getattr(model, relation).rel.cache_name


def _known_queryset(obj: Model, relation: str, rows: Sequence[Model]):
    queryset = getattr(obj, relation).get_queryset()  # filtered to obj, as Django's own
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset


class _KnownRows(dict):
    """A model instance's prefetch cache whose known rows become querysets when read.

    Django reads the cache by key (a related manager's `all()`), asks whether
    a relation is in it, pops or deletes one (`add()`, `refresh_from_db()`), or
    `get`s one (`prefetch_related`): each of these sees a pending relation as
    if its queryset were already there.
    """

    def __init__(self, obj: Model) -> None:
        super().__init__()
        self.obj = obj
        self.pending: dict[str, tuple[str, list[Model]]] = {}

    def __missing__(self, name: str):
        relation, rows = self.pending.pop(name)  # KeyError, as a dict, if not known
        # The manager looks here first; the relation is no longer pending, so it
        # builds its own filtered queryset, which then holds the known rows.
        queryset = self[name] = _known_queryset(self.obj, relation, rows)
        return queryset

    def __contains__(self, name: object) -> bool:
        return name in self.pending or super().__contains__(name)

    def get(self, name, default=None):
        return self[name] if name in self else default  # noqa: SIM401 - self.get is this

    def pop(self, name, *default):
        if name in self.pending:
            self.__missing__(name)  # what was there is what is taken out
        return super().pop(name, *default)

    def __delitem__(self, name) -> None:
        if self.pending.pop(name, None) is None or super().__contains__(name):
            super().__delitem__(name)  # a KeyError if neither pending nor there

    def clear(self) -> None:
        self.pending.clear()
        super().clear()


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
    for model, _alias in models:
        names, pk_index, conversions = _conversions(model)
        values, row = list(row[: len(names)]), row[len(names) :]
        if values[pk_index] is None:
            found.append(None)
            continue
        for i, column, converters in conversions:  # as Django's compiler converts them
            for convert in converters:
                values[i] = convert(values[i], column, connection)
        found.append(model.from_db(connection.alias, names, values))
    return (*found, *row)


def _conversions(model: type[Model]) -> tuple[list[str], int, list[tuple[int, Any, list]]]:
    """A model's column names, key position and the converters of the columns that have
    any, worked out once per model and connection (the converters are the
    connection's own methods, and each thread has its own connection)."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's own, unlike the `connection` proxy
    known = wrapper.__dict__.setdefault("_concejo_conversions", {})
    if model not in known:
        fields = model._meta.concrete_fields
        conversions = []
        for i, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            converters = wrapper.ops.get_db_converters(column) + column.get_db_converters(wrapper)
            if converters:
                conversions.append((i, column, converters))
        pk_index = [f.primary_key for f in fields].index(True)
        known[model] = ([f.attname for f in fields], pk_index, conversions)
    return known[model]


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
