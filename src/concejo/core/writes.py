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

The SQL comes from Django's own compilers, so field conversions, defaults and
`auto_now` behave as with `bulk_create`. Like `bulk_create`, no `save()` logic
and no signals run. Rows whose primary key the database generates get it back
only when inserted with `returning=True`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.sql import InsertQuery, UpdateQuery


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
    """One statement: every write a CTE; the keys asked for come back from the main SELECT."""
    wanted = [i for i in items if isinstance(i, _Insert) and i.returning]
    parts = [_compile(item, connection, returning=item in wanted) for item in items]
    if wanted:
        ctes = parts
        main = " UNION ALL ".join(
            f"SELECT {n} AS g, {connection.ops.quote_name(i.model._meta.pk.column)} AS pk "  # noqa: S608 - names from the models
            f"FROM w{items.index(i)}"
            for n, i in enumerate(wanted)
        )
        main_params: list[Any] = []
    else:
        ctes = parts[:-1]
        main, main_params = parts[-1]
    params = [p for _, cte_params in ctes for p in cte_params] + main_params
    sql = main
    if ctes:
        sql = "WITH " + ", ".join(f"w{n} AS ({c})" for n, (c, _) in enumerate(ctes)) + " " + sql
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if wanted else []
    keys: list[list[Any]] = [[] for _ in wanted]
    for group, pk in rows:  # each group's keys come in the order of its VALUES, as bulk_create
        keys[group].append(pk)
    for item, pks in zip(wanted, keys, strict=True):
        for obj, pk in zip(item.objs, pks, strict=True):
            setattr(obj, item.model._meta.pk.attname, pk)


def _insert_fields(model: type[models.Model], objs: list[models.Model]) -> list[models.Field]:
    meta = model._meta
    fields = list(meta.local_concrete_fields)
    generated = meta.pk.db_returning  # an auto-increment key the database assigns
    if generated and all(getattr(o, meta.pk.attname) is None for o in objs):
        fields = [f for f in fields if f is not meta.pk]
    return [f for f in fields if not f.generated]


def _compile(item: _Insert | _Update, connection, *, returning: bool) -> tuple[str, list[Any]]:
    if isinstance(item, _Update):
        query = UpdateQuery(item.model)
        query.add_update_values(item.values)
        query.add_filter("pk", item.pk)
        sql, params = query.get_compiler(connection=connection).as_sql()
        return sql, list(params)
    query = InsertQuery(item.model)
    query.insert_values(_insert_fields(item.model, item.objs), item.objs, raw=False)
    compiler = query.get_compiler(connection=connection)
    if returning:
        compiler.returning_fields = [item.model._meta.pk]
    statements = compiler.as_sql()
    if len(statements) != 1:  # pragma: no cover - PostgreSQL compiles one multi-row INSERT
        raise ValueError("Expected one INSERT statement.")
    sql, params = statements[0]
    return sql, list(params)


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
