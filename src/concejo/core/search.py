"""Full-text search: PostgreSQL's Spanish configuration over a stored tsvector,
and a word-by-word fallback on the normalised text in the embedded SQLite mode.

A searchable table has a `search_text` column (lower case, no accents, see
procedures.text.normalise) and, on PostgreSQL only, a generated `search_vector`
column with a GIN index added by `search_vector_migration`.
"""

from __future__ import annotations

from django.db import connection, migrations
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from concejo.core.text import normalise

MAX_QUERY_LENGTH = 200


def full_text_filter(queryset: QuerySet, text: str) -> QuerySet:
    words = normalise(text)[:MAX_QUERY_LENGTH]
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        return queryset.filter(
            RawSQL(  # noqa: S611 - table name from the model; the text is a parameter
                f"{table}.search_vector @@ websearch_to_tsquery('spanish', %s)",
                (words,),
                output_field=BooleanField(),
            )
        )
    condition = Q()
    for word in words.split():
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition)


def search_vector_migration(table: str) -> migrations.RunPython:
    """The migration operation that adds the stored tsvector and its GIN index (PostgreSQL)."""
    index = f"{table}_search_gin"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('spanish', search_text)) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")

    return migrations.RunPython(forwards, backwards)
