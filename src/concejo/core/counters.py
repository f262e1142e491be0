"""Gapless counters: one row per key whose UPDATE both locks and increments it."""

from __future__ import annotations

from django.db import connection, models


def next_number(model: type[models.Model], **key) -> int:
    """Increment `last_number` of the counter row for `key` and return it.

    The row stays locked until the transaction ends, so numbers are handed out
    in commit order without gaps: a rollback gives the number back. The first
    use of a key creates its row.
    """
    meta = model._meta
    columns, values = [], []
    for name, value in key.items():
        field = meta.get_field(name)
        columns.append(f"{field.column} = %s")
        raw = value.pk if isinstance(value, models.Model) else value
        target = field.target_field if field.is_relation else field
        values.append(target.get_db_prep_value(raw, connection))
    sql = (
        f"UPDATE {meta.db_table} SET last_number = last_number + 1 "  # noqa: S608 - names from the model
        f"WHERE {' AND '.join(columns)} RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    model.objects.get_or_create(**key)
    return next_number(model, **key)
