"""Writing a service's rows in one round trip to the database.

A hot write path (a registry entry, a sede submission, an Open311 report)
inserts half a dozen rows into as many tables. On PostgreSQL each statement is
a round trip, and those, not the statements' own work, were most of the time. A
`Writes` collects the service's inserts, updates and deletes in order and
`flush()` sends them as one statement: data-modifying CTEs (`WITH w0 AS (INSERT
...), w1 AS (UPDATE ...) INSERT ...`), which PostgreSQL runs exactly once each,
all in the caller's transaction. Foreign keys are deferred to the commit, so
the order of the rows inside the statement does not matter. Elsewhere (SQLite,
in process, where a statement costs no round trip) the same statements run one
after another.

Values are prepared as Django's compilers prepare them (`pre_save`, then
`get_db_prep_save`), so field conversions, defaults and `auto_now` behave as
with `bulk_create`; the SQL itself is built once per shape of statement. Like
`bulk_create`, no `save()` logic and no signals run. Rows whose primary key
the database generates get it back only when inserted with `returning=True`.
Table and column names come from the models, never from input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import ipaddress
import json
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils.connection import ConnectionProxy

try:  # psycopg, on PostgreSQL (and the wrappers Django's JSONField prepares values in)
    from psycopg import ClientCursor, RawCursor, generators
    from psycopg import Cursor as PreparingCursor
    from psycopg.errors import error_from_result
    from psycopg.pq import ExecStatus, Format, TransactionStatus
    from psycopg.types.json import Json, Jsonb

    JSON_WRAPPERS: tuple[type, ...] = (Json, Jsonb)
except ImportError:  # pragma: no cover - SQLite-only installs
    PreparingCursor = RawCursor = TransactionStatus = None
    JSON_WRAPPERS = ()


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


@dataclass
class _Delete:
    model: type[models.Model]
    name: str  # the one field the rows are found by
    value: Any


class Writes:
    """The rows one service writes, sent together by `flush()`."""

    def __init__(self) -> None:
        self._items: list[_Insert | _Update | _Delete] = []

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

    def delete(self, model: type[models.Model], **equal: Any) -> None:
        """Queue `DELETE FROM model WHERE field = value` (one field).

        Nothing cascades and no signal runs: the rows that refer to these must
        be deleted before them, here or earlier (foreign keys are checked at
        the commit).
        """
        ((name, value),) = equal.items()
        self._items.append(_Delete(model, model._meta.pk.name if name == "pk" else name, value))

    def __len__(self) -> int:
        return len(self._items)

    def flush(self, using: str = DEFAULT_DB_ALIAS, *, commit: bool = False) -> None:
        """Write everything queued, in one statement on PostgreSQL, and empty the queue.

        `commit`: these are the transaction's last writes, and the caller owns
        the transaction (its outermost `atomic` block ends right after this):
        on PostgreSQL the COMMIT travels in the same round trip as the
        statement, and a failure at the commit (a deferred foreign key) is
        raised here. Django's own commit then finds nothing left to do.
        Elsewhere `commit` changes nothing: Django commits as always.
        """
        items, self._items = self._items, []
        connection = connections[using]
        if connection.vendor != "postgresql":
            for item in items:
                _run_alone(item, using)
        elif items or commit:
            _run_together(items, connection, commit=commit)
        for item in items:
            if isinstance(item, _Insert):
                for obj in item.objs:
                    obj._state.adding = False
                    obj._state.db = using


def _run_together(items: list[_Insert | _Update | _Delete], connection, *, commit: bool) -> None:
    """One statement: every write a CTE; the keys asked for come back from the main SELECT.

    A hot path sends the same shape of statement every time (the same tables,
    columns and row counts), so its SQL is built once per shape and kept. The
    values do not travel as one parameter each (a hundred of them, which the
    driver would parse the statement for and quote one by one, every time):
    each table's rows go as one JSON document that `jsonb_to_recordset` turns
    back into typed columns. With so few parameters the statement is prepared
    on the server once per connection, so it is neither parsed nor planned
    again. Its placeholders are PostgreSQL's own (`$1`), so the driver does not
    search the statement for them on every call either.
    """
    if not items:  # nothing to write: the COMMIT alone
        with one_round_trip(connection, commit=True):
            return
    wanted = [i for i in items if isinstance(i, _Insert) and i.returning]
    layouts = [_layout(i, connection) if isinstance(i, _Insert) else None for i in items]
    shape = tuple(_shape(item, layout) for item, layout in zip(items, layouts, strict=True))
    statement = _STATEMENTS.get(shape)
    if statement is None:
        fields = [layout.fields if layout else None for layout in layouts]
        statement = _statement(items, fields, wanted, connection)
        if len(_STATEMENTS) < MAX_SHAPES:
            _STATEMENTS[shape] = statement
    sql, columns = statement
    now = _clock()
    documents = [
        json.dumps(_records(item, layout, item_columns, connection, now))
        for item, layout, item_columns in zip(items, layouts, columns, strict=True)
    ]
    with prepared_cursor(connection, numbered=True) as cursor:
        with one_round_trip(connection, commit=commit, alone=True):
            cursor.execute(sql, documents)
        rows = cursor.fetchall() if wanted else []
    keys: list[list[Any]] = [[] for _ in wanted]
    for group, pk in rows:  # each group's keys come in the order of its rows, as bulk_create
        keys[group].append(pk)
    for item, pks in zip(wanted, keys, strict=True):
        for obj, pk in zip(item.objs, pks, strict=True):
            setattr(obj, item.model._meta.pk.attname, pk)


MAX_SHAPES = 500
# shape -> (SQL with one parameter per item, each item's (column, is_json) pairs)
_STATEMENTS: dict[tuple, tuple[str, list[list[tuple[str, bool]]]]] = {}


def _shape(item: _Insert | _Update | _Delete, layout: _Layout | None) -> tuple:
    if isinstance(item, _Update):
        return ("update", item.model._meta.label, tuple(item.values))
    if isinstance(item, _Delete):
        return ("delete", item.model._meta.label, item.name)
    return ("insert", item.model._meta.label, layout.names, len(item.objs), item.returning)


def _statement(items, fields, wanted, connection):
    quote = connection.ops.quote_name
    parts, columns = [], []
    for number, (item, item_fields) in enumerate(zip(items, fields, strict=True), 1):
        if isinstance(item, _Update):
            meta = item.model._meta
            item_fields = [meta.get_field(name) for name in item.values]
            if meta.pk in item_fields:
                raise ValueError(f"{meta.label}: Writes does not change primary keys.")
            item_fields.append(meta.pk)
        elif isinstance(item, _Delete):
            item_fields = [item.model._meta.get_field(item.name)]
        source, item_columns = _record_source(item_fields, connection, f"${number}")
        columns.append(item_columns)
        if isinstance(item, _Update):
            parts.append(_update_sql(item, item_columns[:-1], source, quote))
        elif isinstance(item, _Delete):
            parts.append(_delete_sql(item, item_columns[0], source, quote))
        else:
            parts.append(_insert_sql(item, item_columns, source, quote))
    if wanted:
        ctes = parts
        main = " UNION ALL ".join(
            f"SELECT {n} AS g, {quote(i.model._meta.pk.column)} AS pk FROM w{items.index(i)}"  # noqa: S608
            for n, i in enumerate(wanted)
        )
    else:
        ctes, main = parts[:-1], parts[-1]
    text = main
    if ctes:
        text = "WITH " + ", ".join(f"w{n} AS ({c})" for n, c in enumerate(ctes)) + " " + main
    return text, columns


if PreparingCursor is not None:

    class _Preparing:
        """A server-side binding cursor whose statements are prepared on first use
        where the connection prepares any (DATABASE_PREPARED_STATEMENTS)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            if prepare is None and self.connection.prepare_threshold is not None:
                prepare = True
            super().execute(query, params, prepare=prepare, binary=binary)
            if self._query is None:  # psycopg keeps none for a prepared statement
                self._query = _Logged(query)  # Django's query log reads it
            return self

    class _PreparedCursor(_Preparing, PreparingCursor):
        """For statements with the driver's placeholders (%s)."""

    class _NumberedCursor(_Preparing, RawCursor):
        """For statements with PostgreSQL's own placeholders ($1)."""

    class _Logged:
        __slots__ = ("query",)

        def __init__(self, query: str) -> None:
            self.query = query.encode()


def own_wrapper(connection):
    """The thread's own connection behind `django.db.connection`, whose every attribute
    is otherwise looked up again in the thread's connections."""
    if isinstance(connection, ConnectionProxy):
        return connections[connection._alias]
    return connection


def prepared_cursor(connection, *, numbered: bool = False):
    """A Django cursor (errors translated, queries logged) whose statements are prepared.

    For a statement a hot path runs on every call: PostgreSQL parses and plans
    it once per connection. Its parameters are bound on the server, so each
    placeholder must have a type PostgreSQL can infer (cast it if not). Where
    prepared statements are turned off (DATABASE_PREPARED_STATEMENTS) or on
    SQLite, this is an ordinary cursor. `numbered`: the statements' placeholders
    are `$1, $2…` (PostgreSQL only), prepared where prepared statements are on.
    """
    connection = own_wrapper(connection)
    connection.ensure_connection()
    raw = connection.connection
    if numbered:
        return connection._prepare_cursor(_NumberedCursor(raw))
    if connection.vendor != "postgresql" or raw.prepare_threshold is None:
        return connection.cursor()
    return connection._prepare_cursor(_PreparedCursor(raw))


def first_rows(connection, statements: list[tuple[str, list]]) -> list[tuple | None]:
    """Run `(sql, params)` statements in order; each one's first row.

    On PostgreSQL they travel together as one query, with the transaction's
    BEGIN when the transaction starts here: the statements a hot path must run
    before it can build its rows (a lock, a number) cost one wait for the
    server instead of one each. Elsewhere they run one after another.
    """
    with first_rows_later(connection, statements) as rows:
        return rows()


@contextlib.contextmanager
def first_rows_later(connection, statements: list[tuple[str, list]]):
    """As `first_rows`, but the caller works while the server runs the statements.

    The statements are sent on entering; the block gets `rows()`, which returns
    each one's first row (None for one that returns none). Between the two the
    caller builds what needs no answer from the server (its rows, codes, JSON)
    and must not use the connection. A failure in the block still reads the
    answers, so that the connection is free for the rollback. Elsewhere than
    on PostgreSQL the statements run on entering.

    On PostgreSQL they go as one simple query, their values merged in by the
    driver, with the transaction's BEGIN when it starts here: the server runs
    them and sends every answer at once, unasked, so that by the time the
    caller wants them they have usually arrived and `rows()` does not wait.
    (A pipeline would hold its answers until the client's Sync: one more
    round trip.) They are neither prepared nor parsed once per connection; the
    server does that while the caller builds. Django's execute wrappers see
    them as one statement, and its query log when it keeps one.
    """
    connection = own_wrapper(connection)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            done = []
            for sql, params in statements:
                cursor.execute(sql, params)
                done.append(cursor.fetchone())
        yield lambda: done
        return
    sent = _Sent(connection, statements)
    try:
        yield sent.rows
    finally:
        if sent.answers is None:  # the caller failed before reading them
            with contextlib.suppress(Exception):
                sent.rows()


class _Sent:
    """Statements sent to PostgreSQL as one simple query, their answers read when wanted."""

    def __init__(self, connection, statements: list[tuple[str, list]]) -> None:
        connection.ensure_connection()
        raw = connection.connection
        self.connection, self.raw, self.answers = connection, raw, None
        merge = ClientCursor(raw).mogrify
        text = "; ".join(merge(sql, params) for sql, params in statements)
        idle = not raw.autocommit and raw.info.transaction_status == TransactionStatus.IDLE
        if idle and not _plain_begin(raw):  # psycopg begins, with the connection's options
            raw.execute("SELECT 1")  # (one round trip more)
        self.with_begin = idle and _plain_begin(raw)
        if self.with_begin:
            text = "BEGIN; " + text

        def send(sql, params, many, context):
            with connection.wrap_database_errors:
                raw.pgconn.send_query(sql.encode(raw.info.encoding))
                raw.wait(generators.send(raw.pgconn))

        execute = send
        for wrapper in reversed(connection.execute_wrappers):
            execute = functools.partial(wrapper, execute)
        began = time.monotonic()
        execute(text, None, False, {"connection": connection, "cursor": None})
        if connection.queries_logged:
            connection.queries_log.append({"sql": text, "time": f"{time.monotonic() - began:.3f}"})

    def rows(self) -> list[tuple | None]:
        if self.answers is None:
            raw = self.raw
            with self.connection.wrap_database_errors:
                results = raw.wait(generators.fetch_many(raw.pgconn))
                self.answers = []
                for result in results[1:] if self.with_begin else results:
                    if result.status == ExecStatus.FATAL_ERROR:
                        raise error_from_result(result, encoding=raw.info.encoding)
                    first = result.status == ExecStatus.TUPLES_OK and result.ntuples
                    self.answers.append(_first_row(raw, result) if first else None)
        return self.answers


def _first_row(raw, result) -> tuple:
    """A result's first row, its values loaded as psycopg loads them (text format)."""
    values = []
    for column in range(result.nfields):
        data, oid = result.get_value(0, column), result.ftype(column)
        loader = raw.adapters.get_loader(oid, Format.TEXT)
        values.append(None if data is None else loader(oid, raw).load(data))
    return tuple(values)


@contextlib.contextmanager
def one_round_trip(connection, *, commit: bool = False, alone: bool = False):
    """Send the statements executed inside together, and wait for their results once.

    On PostgreSQL: a pipeline. When the transaction starts with these
    statements, its BEGIN goes first in the same pipeline: psycopg would
    otherwise send it in a round trip of its own, and wait for its answer
    before sending anything else. `commit`: the COMMIT goes last (see
    `Writes.flush`). `alone`: one statement, which needs no pipeline when
    there is neither a BEGIN nor a COMMIT to send with it. Elsewhere the
    statements simply run.

    BEGIN and COMMIT are queued as psycopg queues its own (`_exec_command`),
    its `_autocommit` flag set while the statements are sent so that it adds
    no BEGIN of its own. Both are psycopg's private names: where they are
    missing psycopg sends BEGIN as usual, and the COMMIT is an ordinary
    statement of the pipeline (tests count the round trips of a registry
    filing, and fail if they grow).
    """
    connection = own_wrapper(connection)
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    begin = _begins_here(raw)
    if alone and not (begin or commit):
        with connection.wrap_database_errors:
            yield
        return
    with connection.wrap_database_errors, raw.pipeline():
        if begin:
            raw._autocommit = True
            raw.wait(raw._exec_command(b"BEGIN"))
        try:
            yield
        finally:
            if begin:
                raw._autocommit = False  # the transaction is open: as psycopg would have it
        if commit:
            if hasattr(raw, "_exec_command"):
                raw.wait(raw._exec_command(b"COMMIT"))
            else:  # pragma: no cover - another psycopg
                raw.execute("COMMIT", prepare=False)


def _begins_here(raw) -> bool:
    """The connection's transaction has yet to begin, and a plain BEGIN is what psycopg
    would send, as it queues its own (its private names)."""
    return (
        not raw.autocommit
        and raw.info.transaction_status == TransactionStatus.IDLE
        and _plain_begin(raw)
        and isinstance(getattr(raw, "_autocommit", None), bool)
        and hasattr(raw, "_exec_command")
    )


def _plain_begin(raw) -> bool:
    """psycopg begins this connection's transactions with a plain BEGIN (no options)."""
    return raw.isolation_level is None and raw.read_only is None and raw.deferrable is None


def _record_source(
    fields: list[models.Field], connection, placeholder: str
) -> tuple[str, list[tuple[str, bool]]]:
    """`jsonb_to_recordset(<json>) AS r(...)` typed as the columns, and what each column holds.

    A JSON column travels as its JSON text, cast back by the select list, so
    that a JSON null stays a JSON null and not an SQL NULL.
    """
    quote = connection.ops.quote_name
    definitions, columns = [], []
    for f in fields:
        if hasattr(f, "get_placeholder"):  # a column that needs its own SQL around the value
            raise ValueError(f"{f.model._meta.label}.{f.name} cannot be written by Writes.")
        db_type = f.db_type(connection)
        is_json = db_type in ("jsonb", "json")
        definitions.append(f"{quote(f.column)} {'text' if is_json else db_type}")
        columns.append((f.column, is_json))
    source = f"jsonb_to_recordset({placeholder}::jsonb) AS r({', '.join(definitions)})"
    return source, columns


def _selected(column: str, is_json: bool, quote) -> str:
    return f"r.{quote(column)}::jsonb" if is_json else f"r.{quote(column)}"


def _insert_sql(item: _Insert, columns: list[tuple[str, bool]], source: str, quote) -> str:
    meta = item.model._meta
    names = ", ".join(quote(column) for column, _ in columns)
    values = ", ".join(_selected(column, is_json, quote) for column, is_json in columns)
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) SELECT {values} FROM {source}"  # noqa: S608
    return sql + f" RETURNING {quote(meta.pk.column)}" if item.returning else sql


def _update_sql(item: _Update, columns: list[tuple[str, bool]], source: str, quote) -> str:
    meta = item.model._meta
    assignments = ", ".join(
        f"{quote(column)} = {_selected(column, is_json, quote)}" for column, is_json in columns
    )
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    return f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{pk} = r.{pk}"  # noqa: S608


def _delete_sql(item: _Delete, column: tuple[str, bool], source: str, quote) -> str:
    table, name = quote(item.model._meta.db_table), quote(column[0])
    return f"DELETE FROM {table} USING {source} WHERE {table}.{name} = r.{name}"  # noqa: S608


def _records(item, layout, columns, connection, now) -> list[dict[str, Any]]:
    """The rows as JSON objects, values prepared as Django's compilers prepare them."""
    if isinstance(item, _Delete):
        key = item.model._meta.get_field(item.name)
        return [_record(columns, [key.get_db_prep_value(item.value, connection)])]
    if isinstance(item, _Update):
        meta = item.model._meta
        values = [
            meta.get_field(name).get_db_prep_save(value, connection)
            for name, value in item.values.items()
        ]
        values.append(meta.pk.get_db_prep_value(item.pk, connection))
        return [_record(columns, values)]
    rows = []
    for obj in item.objs:
        known = obj.__dict__
        record = {}
        for f, column, is_json, kind, plain in layout.plan:
            value = known.get(f.attname, _UNSET)
            if kind == _AS_IS and type(value) in plain:  # get_db_prep_save gives it back as it is
                record[column] = value if type(value) in _JSON_TYPES else str(value)
            elif kind == _AWARE and type(value) is dt.datetime and value.utcoffset() is not None:
                record[column] = value.isoformat()
            elif kind == _STAMP:  # as `auto_now` does
                value = now()
                setattr(obj, f.attname, value)
                record[column] = value.isoformat()
            else:
                value = f.pre_save(obj, True)
                if hasattr(value, "resolve_expression"):
                    raise ValueError(
                        f"{item.model._meta.label}.{f.name}: Writes takes plain values."
                    )
                value = f.get_db_prep_save(value, connection)
                record[column] = _json_text(value) if is_json else _json_value(value)
        rows.append(record)
    return rows


_UNSET = object()
_JSON_TYPES = (str, int, bool, type(None))  # as JSON, a plain value of any other type is text
# How `_records` prepares a field's value: as Django does (`pre_save`, then
# `get_db_prep_save`), as it is when of one of the field's plain types, as it is
# when an aware datetime, or with the current time (`auto_now`).
_DJANGO, _AS_IS, _AWARE, _STAMP = range(4)
_TEXT_FIELDS = (
    models.CharField, models.TextField, models.EmailField, models.SlugField, models.URLField,
)  # fmt: skip
_INTEGER_FIELDS = (
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
    models.PositiveIntegerField, models.PositiveBigIntegerField, models.PositiveSmallIntegerField,
    models.AutoField, models.BigAutoField, models.SmallAutoField,
)  # fmt: skip


def _plain_types(f: models.Field) -> tuple[type, ...]:
    """The types whose values this field (this very class, not a subclass, which may
    convert them) prepares for PostgreSQL unchanged."""
    cls = type(f)
    if cls in (models.ForeignKey, models.OneToOneField):
        return _plain_types(f.target_field)
    if cls in _TEXT_FIELDS:
        return (str, type(None))
    if cls in _INTEGER_FIELDS:
        return (int, type(None))
    if cls is models.BooleanField:
        return (bool, type(None))
    if cls is models.UUIDField:  # PostgreSQL has a native uuid type: Django passes it on
        return (uuid.UUID, type(None))
    return ()


@dataclass(frozen=True)
class _Layout:
    """The columns an insert into a model writes, and how each value is prepared."""

    fields: list[models.Field]
    names: tuple[str, ...]
    plan: list[tuple[models.Field, str, bool, int, tuple[type, ...]]]

    @classmethod
    def of(cls, fields: list[models.Field], connection) -> _Layout:
        plan = []
        for f in fields:
            plain = _plain_types(f)
            if type(f) is models.DateTimeField:
                kind = _STAMP if f.auto_now or f.auto_now_add else _AWARE
            else:
                kind = _AS_IS if plain else _DJANGO
            is_json = f.db_type(connection) in ("jsonb", "json")
            plan.append((f, f.column, is_json, kind, plain))
        return cls(fields, tuple(f.attname for f in fields), plan)


def _clock():
    """What `auto_now` would set: `django.utils.timezone.now`, without its settings lookup per row."""
    if settings.USE_TZ:
        return lambda: dt.datetime.now(dt.UTC)
    return dt.datetime.now


def _record(columns: list[tuple[str, bool]], values: list[Any]) -> dict[str, Any]:
    return {
        column: _json_text(value) if is_json else _json_value(value)
        for (column, is_json), value in zip(columns, values, strict=True)
    }


def _json_text(value: Any) -> str | None:
    """A JSON column's value (as the driver's JSON wrapper holds it) as JSON text."""
    if value is None:
        return None
    if isinstance(value, JSON_WRAPPERS):
        return (value.dumps or json.dumps)(value.obj)
    return json.dumps(value)


_ADDRESSES = (
    ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Interface,
    ipaddress.IPv6Interface, ipaddress.IPv4Network, ipaddress.IPv6Network,
)  # fmt: skip


def _json_value(value: Any) -> Any:
    """A prepared value as JSON that PostgreSQL reads back as the column's type."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (uuid.UUID, Decimal, *_ADDRESSES)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value // dt.timedelta(microseconds=1)} microseconds"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    raise ValueError(f"Writes cannot send a {type(value).__name__} value.")


_LAYOUTS: dict[tuple[type[models.Model], bool], _Layout] = {}


def _layout(item: _Insert, connection) -> _Layout:
    model, objs = item.model, item.objs
    meta = model._meta
    generated = meta.pk.db_returning  # an auto-increment key the database assigns
    keyless = generated and all(getattr(o, meta.pk.attname) is None for o in objs)
    layout = _LAYOUTS.get((model, keyless))
    if layout is None:
        fields = [f for f in meta.local_concrete_fields if not f.generated]
        if keyless:
            fields = [f for f in fields if f is not meta.pk]
        layout = _LAYOUTS[(model, keyless)] = _Layout.of(fields, connection)
    return layout


def _run_alone(item: _Insert | _Update | _Delete, using: str) -> None:
    if isinstance(item, _Delete):  # as on PostgreSQL: this table's rows only, no signals
        rows = item.model._base_manager.using(using).filter(**{item.name: item.value})
        rows._raw_delete(using)
    elif isinstance(item, _Update):
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
