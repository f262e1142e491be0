"""Gapless counters: one row per key whose upsert both locks and increments it."""

from __future__ import annotations

from functools import cache

from django.db import connection, models

from concejo.core.writes import first_rows


def counter_statement(model: type[models.Model], **key) -> tuple[str, list]:
    """The statement that takes the next number of the counter row for `key`.

    `INSERT ... ON CONFLICT DO UPDATE SET last_number = last_number + 1
    RETURNING last_number`: the first use of a key creates its row with 1, any
    later use increments it. Either way the row stays locked until the
    transaction ends, so numbers are handed out in commit order without gaps:
    a rollback gives the number back.
    """
    sql = _upsert_sql(model, tuple(key))
    return sql, _key_values(model, key)


def next_number(model: type[models.Model], **key) -> int:
    """Increment `last_number` of the counter row for `key` and return it."""
    return first_rows(connection, [counter_statement(model, **key)])[0][0]


def give_back_number(model: type[models.Model], **key) -> None:
    """Undo this transaction's last `next_number` for `key` (its row is still locked by us)."""
    meta = model._meta
    where = " AND ".join(f"{meta.get_field(name).column} = %s" for name in key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {meta.db_table} SET last_number = last_number - 1 WHERE {where}",  # noqa: S608 - names from the model
            _key_values(model, key),
        )


def _key_values(model: type[models.Model], key: dict) -> list:
    meta = model._meta
    values = []
    for name, value in key.items():
        field = meta.get_field(name)
        raw = value.pk if isinstance(value, models.Model) else value
        target = field.target_field if field.is_relation else field
        values.append(target.get_db_prep_value(raw, connection))
    return values


@cache
def _upsert_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    meta = model._meta
    table = meta.db_table
    columns = ", ".join(meta.get_field(name).column for name in names)
    placeholders = ", ".join(["%s"] * len(names))
    return (
        f"INSERT INTO {table} ({columns}, last_number) VALUES ({placeholders}, 1) "  # noqa: S608 - names from the model
        f"ON CONFLICT ({columns}) DO UPDATE SET last_number = {table}.last_number + 1 "
        "RETURNING last_number"
    )
