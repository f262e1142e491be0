"""One index per purpose: a foreign key that leads a composite index has no index of its own.

Django gives every foreign key its own index. When the model also declares an
index or a unique constraint whose first column is that key, the single-column
index answers nothing the composite one does not, and it still costs a write on
every insert (ADR 0030). The handler below switches those single-column indexes
off as each Concejo model class is built, so a model only has to declare its
composite index. `core/tests/test_schema.py` checks the resulting schema.
"""

from django.db import models
from django.db.models.signals import class_prepared


def leading_fields(model) -> set[str]:
    """Names of the fields that lead an unconditional index or unique constraint of `model`."""
    opts = model._meta
    leading: set[str] = set()
    for index in opts.indexes:
        if index.fields and index.condition is None:
            leading.add(index.fields[0].lstrip("-"))
    for constraint in opts.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            leading.add(constraint.fields[0])
    for together in opts.unique_together:
        leading.add(together[0])
    return leading


def drop_covered_key_indexes(sender, **kwargs) -> None:
    """class_prepared: no own index for a foreign key that leads a composite one."""
    if not sender.__module__.startswith("concejo.") or sender._meta.abstract:
        return
    leading = leading_fields(sender)
    for field in sender._meta.local_fields:
        if isinstance(field, models.ForeignKey) and field.name in leading and not field.unique:
            field.db_index = False


class_prepared.connect(drop_covered_key_indexes, dispatch_uid="concejo.core.indexes")
