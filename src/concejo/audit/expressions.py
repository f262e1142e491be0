"""SQL expressions that match audit rows against sets of objects, on PostgreSQL and SQLite.

Audit rows name their object as text: `object_id` holds `str(pk)` and the
list reads keep the ids of a page as strings in `details["ids"]`. A UUID
primary key is stored natively on PostgreSQL (its text form has dashes) but
as 32 hex digits on SQLite, so comparing them needs a different SQL per
database; so does looking inside the JSON list.
"""

from __future__ import annotations

from django.db.models import BooleanField, CharField, Func


class UuidText(Func):
    """A UUID column as the text `str(uuid)` gives: lower case, with dashes."""

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::text", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        parts = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        text = " || '-' || ".join(f"substr({sql}, {start}, {length})" for start, length in parts)
        return f"lower({text})", list(params) * len(parts)


class JsonIdsIn(Func):
    """True when the JSON list `column -> 'ids'` shares an element with a subquery of texts."""

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        listed = (
            f"CASE WHEN jsonb_typeof({column} -> 'ids') = 'array' "
            f"THEN {column} -> 'ids' ELSE '[]'::jsonb END"
        )
        return (
            f"EXISTS (SELECT 1 FROM jsonb_array_elements_text({listed}) AS listed(id) "  # noqa: S608 - compiled SQL
            f"WHERE listed.id IN {ids})",
            [*column_params, *column_params, *ids_params],
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        return (
            f"EXISTS (SELECT 1 FROM json_each({column}, '$.ids') AS listed "  # noqa: S608 - compiled SQL
            f"WHERE listed.type = 'text' AND listed.value IN {ids})",
            [*column_params, *ids_params],
        )
