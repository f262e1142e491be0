"""Spanish full-text search over a case's subject and interesados (PostgreSQL only)."""

from django.db import migrations

from concejo.core.search import search_vector_migration


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [search_vector_migration("cases_case")]
