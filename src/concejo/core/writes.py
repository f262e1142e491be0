"""Writing a service's rows in one round trip to the database.

A hot write path (a registry entry, a sede submission, an Open311 report)
inserts half a dozen rows into as many tables. On PostgreSQL each statement is a
round trip, and those, not the statements' own work, were most of the time. A
`Writes` collects the service's inserts and updates in order and `flush()`
sends them as one statement: data-modifying CTEs (`WITH w0 AS (INSERT ...),
w1 AS (UPDATE ...) INSERT ...`), which PostgreSQL runs exactly once each, all
in the caller's transaction. Foreign keys are deferred to the commit, so the
order of the rows inside the statement does not matter. Elsewhere (SQLite, in
process, where a statement costs no round trip) the same statements run one
after another.

Values are prepared as Django's compilers prepare them (`pre_save`, then
`get_db_prep_save`), so field conversions, defaults and `auto_now` behave as
with `bulk_create`; the SQL itself is built once per shape of statement. Like
`bulk_create`, no `save()` logic and no signals run. Rows whose primary key
the database generates get it back only when inserted with `returning=True`.
Table and column names come from the models, never from input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models


@dataclass
class _Insert:
    model: type[models.Model]
    objs: list[models.Model]
    returning: bool = False


@dataclass
class _Update:
    model: type[models.Model]
    pk: Any
    values: dict[str, Any] = field(default_factory=dict)


class Writes:
    """The rows one service writes, sent together by `flush()`."""

    def __init__(self) -> None:
        self._items: list[_Insert | _Update] = []

    def insert(self, *objs: models.Model, returning: bool = False) -> None:
        """Queue new rows (instances of one model or several, kept in order).

        With `returning`, rows whose key the database generates get it back.
        """
        for obj in objs:
            last = self._items[-1] if self._items else None
            if (
                isinstance(last, _Insert)
                and last.model is type(obj)
                and last.returning == returning
            ):
                last.objs.append(obj)
            else:
                self._items.append(_Insert(type(obj), [obj], returning))

    def update(self, model: type[models.Model], pk: Any, **values: Any) -> None:
        """Queue `UPDATE model SET values WHERE pk = pk`."""
        self._items.append(_Update(model, pk, values))

    def __len__(self) -> int:
        return len(self._items)

    def flush(self, using: str = DEFAULT_DB_ALIAS) -> None:
        """Write everything queued, in one statement on PostgreSQL, and empty the queue."""
        items, self._items = self._items, []
        if not items:
            return
        connection = connections[using]
        if connection.vendor != "postgresql":
            for item in items:
                _run_alone(item, using)
        else:
            _run_together(items, connection)
        for item in items:
            if isinstance(item, _Insert):
                for obj in item.objs:
                    obj._state.adding = False
                    obj._state.db = using


def _run_together(items: list[_Insert | _Update], connection) -> None:
    """One statement: every write a CTE; the keys asked for come back from the main SELECT.

    A hot path sends the same shape of statement every time (the same tables,
    columns and row counts), so its SQL is built once per shape and kept.
    """
    wanted = [i for i in items if isinstance(i, _Insert) and i.returning]
    fields = [_insert_fields(i.model, i.objs) if isinstance(i, _Insert) else None for i in items]
    shape = tuple(
        _shape(item, item_fields) for item, item_fields in zip(items, fields, strict=True)
    )
    sql = _STATEMENTS.get(shape)
    if sql is None:
        sql = _statement(items, fields, wanted, connection)
        if len(_STATEMENTS) < MAX_SHAPES:
            _STATEMENTS[shape] = sql
    params = [
        p
        for item, item_fields in zip(items, fields, strict=True)
        for p in _params(item, item_fields, connection)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if wanted else []
    keys: list[list[Any]] = [[] for _ in wanted]
    for group, pk in rows:  # each group's keys come in the order of its VALUES, as bulk_create
        keys[group].append(pk)
    for item, pks in zip(wanted, keys, strict=True):
        for obj, pk in zip(item.objs, pks, strict=True):
            setattr(obj, item.model._meta.pk.attname, pk)


MAX_SHAPES = 500
_STATEMENTS: dict[tuple, str] = {}


def _shape(item: _Insert | _Update, fields: list[models.Field] | None) -> tuple:
    if isinstance(item, _Update):
        return ("update", item.model._meta.label, tuple(item.values))
    names = tuple(f.attname for f in fields or ())
    return ("insert", item.model._meta.label, names, len(item.objs), item.returning)


def _statement(items, fields, wanted, connection) -> str:
    quote = connection.ops.quote_name
    parts = [
        _update_sql(item, quote) if isinstance(item, _Update) else _insert_sql(item, f, quote)
        for item, f in zip(items, fields, strict=True)
    ]
    if wanted:
        ctes = parts
        main = " UNION ALL ".join(
            f"SELECT {n} AS g, {quote(i.model._meta.pk.column)} AS pk FROM w{items.index(i)}"  # noqa: S608
            for n, i in enumerate(wanted)
        )
    else:
        ctes, main = parts[:-1], parts[-1]
    if not ctes:
        return main
    return "WITH " + ", ".join(f"w{n} AS ({c})" for n, c in enumerate(ctes)) + " " + main


def _insert_sql(item: _Insert, fields: list[models.Field], quote) -> str:
    meta = item.model._meta
    for f in fields:
        if hasattr(f, "get_placeholder"):  # a column that needs its own SQL around the value
            raise ValueError(f"{meta.label}.{f.name} cannot be written by Writes.")
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(item.objs))}"
    )
    return sql + f" RETURNING {quote(meta.pk.column)}" if item.returning else sql


def _update_sql(item: _Update, quote) -> str:
    meta = item.model._meta
    columns = [meta.get_field(name).column for name in item.values]
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    return f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608


def _params(item: _Insert | _Update, fields: list[models.Field] | None, connection) -> list[Any]:
    """The values as Django's own compilers would prepare them (pre_save, then db_prep_save)."""
    if isinstance(item, _Update):
        meta = item.model._meta
        values = [
            meta.get_field(name).get_db_prep_save(value, connection)
            for name, value in item.values.items()
        ]
        return [*values, meta.pk.get_db_prep_value(item.pk, connection)]
    params = []
    for obj in item.objs:
        for f in fields or ():
            value = f.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                raise ValueError(f"{item.model._meta.label}.{f.name}: Writes takes plain values.")
            params.append(f.get_db_prep_save(value, connection))
    return params


def _insert_fields(model: type[models.Model], objs: list[models.Model]) -> list[models.Field]:
    meta = model._meta
    fields = list(meta.local_concrete_fields)
    generated = meta.pk.db_returning  # an auto-increment key the database assigns
    if generated and all(getattr(o, meta.pk.attname) is None for o in objs):
        fields = [f for f in fields if f is not meta.pk]
    return [f for f in fields if not f.generated]


def _run_alone(item: _Insert | _Update, using: str) -> None:
    if isinstance(item, _Update):
        item.model._default_manager.using(using).filter(pk=item.pk).update(**item.values)
    else:
        item.model._default_manager.using(using).bulk_create(item.objs)


def entity_row_save(model: type[models.Model], *, entity, obj: models.Model | None, values: dict):
    """Create the entity's row with `values`, or lock the existing one and set them on it."""
    if obj is None:
        return model.objects.create(entity=entity, **values)
    obj = model.objects.select_for_update().get(pk=obj.pk, entity=entity)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj
