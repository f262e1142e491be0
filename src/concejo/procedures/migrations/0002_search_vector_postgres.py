"""Spanish full-text search on PostgreSQL: a stored tsvector with a GIN index.

SQLite has no tsvector; there the catalog searches the normalised text column.
"""

from django.db import migrations

TABLE = "procedures_procedureversion"


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('spanish', search_text)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX procedures_version_search_gin ON {TABLE} USING gin (search_vector)"
    )


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS procedures_version_search_gin")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [migrations.RunPython(add_search_vector, drop_search_vector)]
