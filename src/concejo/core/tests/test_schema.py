"""The migrated schema has one index per purpose (ADR 0030).

Every index costs a write on every insert. An index whose columns begin
another index of the same table answers nothing that one does not, so none
may exist; and every foreign key must still lead some index, so that joins
and the PROTECT checks on delete never scan a whole table.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

from concejo.core.indexes import leading_fields
from concejo.registry.models import RegistryEntry, RegistryInterested

pytestmark = pytest.mark.django_db


def _concejo_models():
    return [m for m in apps.get_models() if m.__module__.startswith("concejo.") and m._meta.managed]


def _indexes(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: c for name, c in found.items() if c["index"] or c["unique"] or c["primary_key"]}


def _partial_names() -> set[str]:
    """Indexes and unique constraints with a condition: they cover only some rows."""
    return {
        rule.name
        for model in _concejo_models()
        for rule in (*model._meta.indexes, *model._meta.constraints)
        if getattr(rule, "condition", None) is not None
    }


def redundant_indexes(tables, partial: set[str] = frozenset()) -> list[str]:
    """Non-unique indexes whose columns are the leading columns of another, whole index."""
    redundant = []
    for table in tables:
        indexes = _indexes(table)
        for name, index in indexes.items():
            if index["unique"] or index["primary_key"]:
                continue
            columns = index["columns"]
            for other_name, other in indexes.items():
                if other_name in partial:
                    continue
                if (
                    other_name != name
                    and len(other["columns"]) > len(columns)
                    and other["columns"][: len(columns)] == columns
                ):
                    redundant.append(
                        f"{table}.{name} {columns} is covered by {other_name} {other['columns']}"
                    )
                    break
    return redundant


def unindexed_keys(models_) -> list[str]:
    """Foreign keys whose column leads no index of its table."""
    missing = []
    for model in models_:
        leading = {tuple(i["columns"][:1]) for i in _indexes(model._meta.db_table).values()}
        for field in model._meta.local_fields:
            if isinstance(field, models.ForeignKey) and (field.column,) not in leading:
                missing.append(f"{model._meta.db_table}.{field.column}")
    return missing


def test_no_index_is_covered_by_another():
    tables = sorted({m._meta.db_table for m in _concejo_models()})
    assert redundant_indexes(tables, _partial_names()) == []


def test_every_foreign_key_leads_an_index():
    assert unindexed_keys(_concejo_models()) == []


def test_the_checks_find_what_they_look_for():
    """Both checks above fail on a table that breaks their rule."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE schema_probe (a integer, b integer, c integer)")
        cursor.execute("CREATE INDEX schema_probe_a ON schema_probe (a)")
        cursor.execute("CREATE INDEX schema_probe_ab ON schema_probe (a, b)")
    try:
        assert redundant_indexes(["schema_probe"]) == [
            "schema_probe.schema_probe_a ['a'] is covered by schema_probe_ab ['a', 'b']"
        ]
        probe = type("Probe", (), {"_meta": type("Meta", (), {
            "db_table": "schema_probe",
            "local_fields": [RegistryInterested._meta.get_field("entry"), RegistryInterested._meta.get_field("person")],
        })})  # fmt: skip
        assert unindexed_keys([probe]) == ["schema_probe.entry_id", "schema_probe.person_id"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE schema_probe")


def test_a_key_that_leads_a_composite_index_has_no_index_of_its_own():
    assert "entry" in leading_fields(RegistryInterested)
    assert RegistryInterested._meta.get_field("entry").db_index is False
    assert RegistryInterested._meta.get_field("person").db_index is True
    assert RegistryEntry._meta.get_field("entity").db_index is False
    # The abstract base keeps its own index for models without a composite one.
    from concejo.core.models import EntityScopedModel

    assert EntityScopedModel._meta.get_field("entity").db_index is True


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pattern-matching indexes are PostgreSQL's"
)
def test_sparse_keys_and_csv_codes_cost_no_index_writes_they_do_not_need():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (%s, %s)",
            ["verification_issueddocument", "registry_registryentry"],
        )
        definitions = dict(cursor.fetchall())
    assert not [d for d in definitions.values() if "pattern_ops" in d]
    for key in ("office", "procedure", "procedure_version", "representative"):
        assert definitions[f"registry_{key}_set"].endswith(
            f"({key}_id) WHERE ({key}_id IS NOT NULL)"
        )
