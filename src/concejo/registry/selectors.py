"""Reads of the registry, filtered in SQL by what the actor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record_read
from concejo.core.actors import Actor
from concejo.core.errors import NotFound, PermissionDenied
from concejo.core.text import normalise
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import actor_has_role, unit_ids_for_actor
from concejo.people.selectors import compact_id
from concejo.registry.models import DistributionStatus, RegistryEntry

# Who sees the whole registry of their entity; others see their units' entries.
WHOLE_REGISTRY = (Role.REGISTRY_CLERK, Role.AUDITOR)


def registry_entries(*, actor: Actor, entity: Entity) -> QuerySet[RegistryEntry]:
    entries = RegistryEntry.objects.filter(entity=entity)
    if actor_has_role(actor, entity, WHOLE_REGISTRY):
        return entries
    units = unit_ids_for_actor(actor, entity)
    if not units:
        raise PermissionDenied()
    return entries.filter(Q(current_unit_id__in=units) | Q(destination_unit_id__in=units))


def registry_entry_search(
    entries: QuerySet[RegistryEntry],
    *,
    direction: str = "",
    year: int | None = None,
    unit_code: str = "",
    filed_from: dt.datetime | None = None,
    filed_to: dt.datetime | None = None,
    id_number: str = "",
    text: str = "",
) -> QuerySet[RegistryEntry]:
    if direction:
        entries = entries.filter(direction=direction)
    if year:
        entries = entries.filter(year=year)
    if unit_code:
        code = unit_code.strip().upper()
        entries = entries.filter(
            Q(destination_unit__dir3_code=code) | Q(current_unit__dir3_code=code)
        )
    if filed_from:
        entries = entries.filter(filed_at__gte=filed_from)
    if filed_to:
        entries = entries.filter(filed_at__lt=filed_to)
    if id_number:
        number = compact_id(id_number)
        entries = entries.filter(
            Q(interested__person__id_number=number) | Q(representative__id_number=number)
        ).distinct()
    for word in normalise(text)[:200].split():
        entries = entries.filter(search_text__contains=word)
    return entries


def unit_inbox(*, actor: Actor, entity: Entity) -> QuerySet[RegistryEntry]:
    """Entries waiting in the actor's units (registry staff: also the general registry's)."""
    units = unit_ids_for_actor(actor, entity)
    if actor_has_role(actor, entity, WHOLE_REGISTRY) and entity.registry_unit_id:
        units.add(entity.registry_unit_id)
    return RegistryEntry.objects.filter(
        entity=entity,
        current_unit_id__in=units,
        distribution_status__in=[DistributionStatus.PENDING, DistributionStatus.RETURNED],
    ).select_related("current_unit")


def registry_entry_get(
    *, actor: Actor, entity: Entity, entry_id, purpose: str = ""
) -> RegistryEntry:
    """One entry with its parties; reading personal data is audited."""
    entry = (
        registry_entries(actor=actor, entity=entity)
        .filter(pk=entry_id)
        .select_related(
            "entity", "office", "destination_unit", "current_unit", "procedure_version",
            "representative", "receipt",
        )
        .prefetch_related("interested__person", "attachments", "annotations", "movements__to_unit")
        .first()
    )  # fmt: skip
    if entry is None:
        raise NotFound(_("No existe el asiento o no tiene acceso a él."))
    audit_record_read(actor=actor, entity=entity, target=entry, purpose=purpose)
    return entry
