"""The entity's cleaning set-up, read once and kept for a short while.

Every new report needs the category (with its unit, crew and SLA), the
district under its point and the routing rule for both. These rows change
rarely, when an administrator edits them, but they were read with four or
five queries on every report. Each process keeps one snapshot per entity:

- for at most `CLEANING_CONFIG_SECONDS` (30 s by default), so that an edit
  made through another server process reaches this one within that time;
- and it drops every snapshot as soon as this process saves or deletes one
  of those rows (services, admin, fixtures), again when that transaction
  commits.

The snapshot's objects are shared between threads and must only be read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from concejo.organization.models import Entity, Unit
from concejo.sectors.cleaning.models import Crew, District, RoutingRule, ServiceCategory


@dataclass
class Snapshot:
    loaded_at: float
    categories: dict[str, ServiceCategory]  # active ones, by code
    districts: list[District]
    rules: dict[tuple, RoutingRule] = field(default_factory=dict)  # (category, district or None)


_SNAPSHOTS: dict = {}


def snapshot(entity_id) -> Snapshot:
    """The entity's categories, districts and routing rules (fresh or at most a few seconds old)."""
    kept = _SNAPSHOTS.get(entity_id)
    if kept is not None and time.monotonic() - kept.loaded_at < settings.CLEANING_CONFIG_SECONDS:
        return kept
    loaded = _load(entity_id)
    _SNAPSHOTS[entity_id] = loaded  # one assignment: atomic, no lock needed
    return loaded


def route(category: ServiceCategory, district: District | None) -> tuple[Unit, Crew | None]:
    """The district's rule for the category, else its rule for any district, else its own unit."""
    rules = snapshot(category.entity_id).rules
    rule = rules.get((category.pk, district.pk if district else None)) or rules.get(
        (category.pk, None)
    )
    if rule is not None:
        return rule.unit, rule.crew
    return category.responsible_unit, category.crew


def _load(entity_id) -> Snapshot:
    loaded_at = time.monotonic()  # before reading: a change made meanwhile is not older than this
    categories = {
        c.code: c
        for c in ServiceCategory.objects.filter(entity_id=entity_id, active=True).select_related(
            "entity", "responsible_unit", "crew"
        )
    }
    districts = list(District.objects.filter(entity_id=entity_id).order_by("code"))
    rules = {
        (r.category_id, r.district_id): r
        for r in RoutingRule.objects.filter(entity_id=entity_id).select_related("unit", "crew")
    }
    return Snapshot(loaded_at, categories, districts, rules)


def forget(**_kwargs) -> None:
    """Drop every snapshot now and when the current transaction commits."""
    _SNAPSHOTS.clear()
    transaction.on_commit(_SNAPSHOTS.clear)


for _model in (ServiceCategory, District, RoutingRule, Crew, Unit, Entity):
    post_save.connect(forget, sender=_model, dispatch_uid=f"cleaning-config-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"cleaning-config-{_model.__name__}-d")
