"""Writes to the local holiday calendars."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import PermissionDenied, ValidationFailed, field_error
from concejo.deadlines.business_calendar import clear_calendar_cache
from concejo.deadlines.models import LocalCalendar, LocalHoliday
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import actor_has_role
from concejo.organization.validation import clean_ine

MAX_LOCAL_HOLIDAYS = 2  # art. 46 RD 2001/1983: each municipality sets two local holidays a year


def _may_edit(actor: Actor, municipality_ine: str) -> bool:
    if actor.is_system or (actor.user is not None and actor.user.is_superuser):
        return True
    return any(
        actor_has_role(actor, entity, [Role.ADMINISTRATOR])
        for entity in Entity.objects.filter(ine_code=municipality_ine)
    )


@audited_service("deadlines.local_calendar.set")
def local_calendar_set(
    *,
    actor: Actor,
    municipality_ine: str,
    municipality_name: str,
    year: int,
    holidays: list[tuple[dt.date, str]],
) -> LocalCalendar:
    """Load or replace a municipality's local holidays for a year."""
    ine = clean_ine(municipality_ine)
    if not _may_edit(actor, ine):
        raise PermissionDenied(_("Solo la administración del municipio puede fijar sus fiestas."))
    if not 1900 <= year <= 2200:
        raise field_error("year", _("Año fuera de rango."), code="invalid_year")
    name = (municipality_name or "").strip()
    if not name:
        raise field_error("municipality_name", _("Este campo es obligatorio."), code="required")
    errors = []
    seen = set()
    for day, label in holidays:
        if day.year != year:
            errors.append(
                _("La fiesta del %(d)s no es del año %(y)s.")
                % {"d": day.strftime("%d/%m/%Y"), "y": year}
            )
        if day in seen:
            errors.append(_("El %(d)s está repetido.") % {"d": day.strftime("%d/%m/%Y")})
        if not (label or "").strip():
            errors.append(
                _("Falta el nombre de la fiesta del %(d)s.") % {"d": day.strftime("%d/%m/%Y")}
            )
        seen.add(day)
    if len(holidays) > MAX_LOCAL_HOLIDAYS:
        errors.append(_("Un municipio fija como máximo dos fiestas locales al año."))
    if errors:
        raise ValidationFailed(errors[0], code="invalid_holidays", fields={"holidays": errors})
    transaction.on_commit(clear_calendar_cache)
    clear_calendar_cache()
    calendar, _created = LocalCalendar.objects.update_or_create(
        municipality_ine=ine, year=year, defaults={"municipality_name": name}
    )
    before = sorted((d.isoformat(), n) for d, n in calendar.holidays.values_list("date", "name"))
    calendar.holidays.all().delete()
    LocalHoliday.objects.bulk_create(
        LocalHoliday(calendar=calendar, date=day, name=label.strip()) for day, label in holidays
    )
    audit_record(
        actor=actor,
        action="deadlines.local_calendar.set",
        entity=Entity.objects.filter(ine_code=ine, parent__isnull=True).first(),
        target=calendar,
        details={
            "before": before,
            "after": sorted((d.isoformat(), n.strip()) for d, n in holidays),
        },
    )
    return calendar
