"""Building the calendar that applies to an entity (and, optionally, a citizen's home)."""

from __future__ import annotations

from django.db.models import QuerySet

from concejo.deadlines.business_calendar import BusinessCalendar
from concejo.deadlines.models import LocalCalendar
from concejo.organization.models import Entity


def calendar_for(
    entity: Entity, *, residence_ine: str | None = None, strict: bool = True
) -> BusinessCalendar:
    """The body's seat is the entity's municipality; the citizen's home adds its holidays."""
    return BusinessCalendar(
        entity.ine_code, [residence_ine] if residence_ine else [], strict=strict
    )


def local_calendars(*, municipality_ine: str) -> QuerySet[LocalCalendar]:
    return LocalCalendar.objects.filter(municipality_ine=municipality_ine).prefetch_related(
        "holidays"
    )


def loaded_years(*, municipality_ine: str) -> list[int]:
    return list(
        LocalCalendar.objects.filter(municipality_ine=municipality_ine)
        .order_by("year")
        .values_list("year", flat=True)
    )
