"""Abstract bases every Concejo model builds on."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Public UUID id plus creation and modification times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modificado"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ("created_at", "id")


class YearCounter(models.Model):
    """The last number handed out per entity and year (see core.counters.next_number)."""

    entity = models.ForeignKey("organization.Entity", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.entity_id} {self.year}: {self.last_number}"


class EntityScopedModel(BaseModel):
    """A row that belongs to one entity (council, foundation, ...).

    The entity column is the tenant key: selectors always filter on it, and it
    keeps the schema ready for sharding by entity.
    """

    entity = models.ForeignKey(
        "organization.Entity",
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ("created_at", "id")
