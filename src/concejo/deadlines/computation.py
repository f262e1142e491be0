"""Deadlines (art. 30 Ley 39/2015) and the effective time of a filing (art. 31).

Pure reads: nothing here writes to the database.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concejo.core.errors import ValidationFailed, field_error
from concejo.deadlines.business_calendar import (
    ONE_DAY,
    BusinessCalendar,
    CalendarNotLoaded,
    NonBusinessDay,
)


class DeadlineUnit(TextChoices):
    BUSINESS_DAYS = "business_days", gettext_lazy("días hábiles")
    NATURAL_DAYS = "natural_days", gettext_lazy("días naturales")
    MONTHS = "months", gettext_lazy("meses")
    YEARS = "years", gettext_lazy("años")
    HOURS = "hours", gettext_lazy("horas")


# Anything beyond these is a typo, not a legal deadline.
MAX_AMOUNT = {
    DeadlineUnit.BUSINESS_DAYS: 1000,
    DeadlineUnit.NATURAL_DAYS: 3650,
    DeadlineUnit.MONTHS: 120,
    DeadlineUnit.YEARS: 10,
    DeadlineUnit.HOURS: 24,  # art. 30.1: longer ones are expressed in days
}


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Deadline:
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    unit: str
    amount: int
    non_business_days_skipped: list[NonBusinessDay] = field(default_factory=list)


def add_months(day: dt.date, months: int) -> dt.date:
    """Date to date, clamped to the last day of a shorter month (art. 30.4)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=local_zone())
    return moment.astimezone(local_zone())


def _check_amount(amount: int, unit: str) -> None:
    if unit not in DeadlineUnit.values:
        raise field_error(
            "unit",
            _("Unidad no válida. Use: %(u)s.") % {"u": ", ".join(DeadlineUnit.values)},
            code="invalid_unit",
        )
    limit = MAX_AMOUNT[DeadlineUnit(unit)]
    if not 1 <= amount <= limit:
        message = _("La cantidad debe estar entre 1 y %(max)s para %(unit)s.") % {
            "max": limit,
            "unit": DeadlineUnit(unit).label,
        }
        if unit == DeadlineUnit.HOURS and amount > limit:
            message += " " + _("Los plazos de más de 24 horas se expresan en días (art. 30.1).")
        raise field_error("amount", message, code="invalid_amount")


def _not_loaded(exc: CalendarNotLoaded, start_year: int) -> ValidationFailed:
    field_name = "start" if exc.year == start_year else "amount"
    return field_error(
        field_name,
        _(
            "No hay calendario de días inhábiles cargado para el año %(year)s "
            "en el municipio %(ine)s."
        )
        % {"year": exc.year, "ine": exc.municipality},
        code="calendar_not_loaded",
    )


def deadline_compute(
    *,
    start: dt.date | dt.datetime,
    amount: int,
    unit: str = DeadlineUnit.BUSINESS_DAYS,
    calendar: BusinessCalendar,
) -> Deadline:
    """When a deadline ends, counted from the notification or publication at `start`."""
    _check_amount(amount, unit)
    start_day = _local(start).date() if isinstance(start, dt.datetime) else start
    try:
        if unit == DeadlineUnit.HOURS:
            moment = (
                start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
            )
            end, skipped = _add_business_hours(_local(moment), amount, calendar)
            return Deadline(start, end, unit, amount, skipped)
        skipped: list[NonBusinessDay] = []
        if unit == DeadlineUnit.BUSINESS_DAYS:
            day, counted = start_day, 0
            while counted < amount:
                day += ONE_DAY
                why = calendar.reason(day)
                if why is None:
                    counted += 1
                else:
                    skipped.append(why)
            return Deadline(start, day, unit, amount, skipped)
        if unit == DeadlineUnit.NATURAL_DAYS:
            nominal = start_day + dt.timedelta(days=amount)
        elif unit == DeadlineUnit.MONTHS:
            nominal = add_months(start_day, amount)
        else:
            nominal = add_months(start_day, 12 * amount)
        end = calendar.next_business_day(nominal, skipped)
        return Deadline(start, end, unit, amount, skipped)
    except CalendarNotLoaded as exc:
        raise _not_loaded(exc, start_day.year) from exc
    except OverflowError as exc:  # beyond year 9999
        raise field_error(
            "amount", _("El plazo se sale del calendario."), code="invalid_amount"
        ) from exc


def _add_business_hours(
    moment: dt.datetime, hours: int, calendar: BusinessCalendar
) -> tuple[dt.datetime, list[NonBusinessDay]]:
    """Hour by hour and minute by minute, counting only hours of business days."""
    remaining = dt.timedelta(hours=hours)
    skipped: list[NonBusinessDay] = []
    zone = local_zone()
    while True:
        day = moment.date()
        if not calendar.is_business_day(day):
            day = calendar.next_business_day(day, skipped)
            moment = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        midnight = dt.datetime.combine(day + ONE_DAY, dt.time(), tzinfo=zone)
        available = midnight - moment
        if remaining <= available:
            return moment + remaining, skipped
        remaining -= available
        moment = midnight


def filing_effective_time(*, filed_at: dt.datetime, calendar: BusinessCalendar) -> dt.datetime:
    """Art. 31.2.b: a filing on a non-business day counts from 00:00 of the next business day."""
    local = _local(filed_at)
    try:
        if calendar.is_business_day(local.date()):
            return local
        day = calendar.next_business_day(local.date())
    except CalendarNotLoaded as exc:
        raise _not_loaded(exc, local.year) from exc
    return dt.datetime.combine(day, dt.time(), tzinfo=local_zone())


def business_days_between(*, start: dt.date, end: dt.date, calendar: BusinessCalendar) -> int:
    """Business days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    try:
        while day < end:
            day += ONE_DAY
            if calendar.is_business_day(day):
                count += 1
    except CalendarNotLoaded as exc:
        raise _not_loaded(exc, start.year) from exc
    return count


def is_business_day(*, day: dt.date, calendar: BusinessCalendar) -> NonBusinessDay | None:
    """None for a business day; otherwise why it is not."""
    try:
        return calendar.reason(day)
    except CalendarNotLoaded as exc:
        raise _not_loaded(exc, day.year) from exc


def non_business_days(*, year: int, calendar: BusinessCalendar) -> list[NonBusinessDay]:
    """The holidays of a year (weekends are not listed one by one)."""
    try:
        return calendar.year_holidays(year)
    except CalendarNotLoaded as exc:
        raise field_error(
            "year",
            _("No hay calendario de días inhábiles cargado para el año %(year)s.") % {"year": year},
            code="calendar_not_loaded",
        ) from exc
