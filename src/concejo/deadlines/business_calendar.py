"""Which days are business days (días hábiles) for a set of municipalities.

Saturdays, Sundays, national and regional holidays (the `holidays` package,
by the autonomous community of each municipality) and the local holidays
stored per municipality and year are non-business days. Art. 30.6 Ley 39/2015:
a day that is non-business where the citizen lives or where the body sits is
non-business for everyone, so a calendar takes several municipalities.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from concejo.deadlines.models import LocalCalendar, LocalHoliday
from concejo.deadlines.regions import region_of

ONE_DAY = dt.timedelta(days=1)

# Loaded years per (municipalities, year), shared by the calendars of this
# process. Local calendars change a few times a year: a change made here clears
# it at once, one made by another process is seen within CACHE_SECONDS.
CACHE_SECONDS = 300
_loaded: dict[tuple, tuple[float, dict | None]] = {}


def clear_calendar_cache() -> None:
    _loaded.clear()


class Level(TextChoices):
    WEEKEND = "weekend", _("Fin de semana")
    NATIONAL = "national", _("Nacional")
    REGIONAL = "regional", _("Autonómica")
    LOCAL = "local", _("Local")


WEEKEND_NAMES = {5: "Sábado", 6: "Domingo"}


@dataclass(frozen=True)
class NonBusinessDay:
    date: dt.date
    name: str
    level: str
    municipality: str | None = None

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "name": self.name,
            "level": self.level,
            "municipality": self.municipality,
        }


class CalendarNotLoaded(Exception):
    def __init__(self, municipality: str, year: int):
        self.municipality = municipality
        self.year = year
        super().__init__(f"{municipality}/{year}")


@lru_cache(maxsize=512)
def _state_holidays(region: str | None, year: int) -> dict[dt.date, tuple[str, str]]:
    """National and regional holidays of one year (static data, cached per process)."""
    national = holidays.country_holidays("ES", years=year, language="es")
    days = {d: (name, Level.NATIONAL) for d, name in national.items()}
    if region:
        regional = holidays.country_holidays("ES", subdiv=region, years=year, language="es")
        for d, name in regional.items():
            days.setdefault(d, (name, Level.REGIONAL))
    return days


class BusinessCalendar:
    """Non-business days for the body's municipality plus any others that apply.

    The body's municipality must have its local calendar loaded for every year
    a computation touches; the others contribute what they have.
    """

    def __init__(self, seat_ine: str, others: Iterable[str] = (), *, strict: bool = True):
        self.seat = seat_ine
        # Not strict: a year without local calendar still counts weekends and
        # national/regional holidays (the registry never refuses a filing).
        self.strict = strict
        self.municipalities = tuple(dict.fromkeys([seat_ine, *[o for o in others if o]]))
        self._years: dict[int, dict[dt.date, NonBusinessDay]] = {}

    def _load(self, year: int) -> dict[dt.date, NonBusinessDay]:
        found = self._years.get(year)
        if found is not None:
            return found
        key = (self.municipalities, year)
        if len(_loaded) > 5000:  # residence codes come from outside: keep the cache bounded
            _loaded.clear()
        cached = _loaded.get(key)
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            days, seat_loaded = cached[1]
        else:
            days, seat_loaded = self._read(year)
            _loaded[key] = (time.monotonic(), (days, seat_loaded))
        if not seat_loaded and self.strict:
            raise CalendarNotLoaded(self.seat, year)
        self._years[year] = days
        return days

    def _read(self, year: int) -> tuple[dict[dt.date, NonBusinessDay], bool]:
        loaded = set(
            LocalCalendar.objects.filter(
                municipality_ine__in=self.municipalities, year=year
            ).values_list("municipality_ine", flat=True)
        )
        days: dict[dt.date, NonBusinessDay] = {}
        for ine in self.municipalities:
            for d, (name, level) in _state_holidays(region_of(ine), year).items():
                days.setdefault(
                    d, NonBusinessDay(d, name, level, None if level == Level.NATIONAL else ine)
                )
        for d, name, ine in LocalHoliday.objects.filter(
            calendar__municipality_ine__in=self.municipalities, calendar__year=year
        ).values_list("date", "name", "calendar__municipality_ine"):
            days.setdefault(d, NonBusinessDay(d, name, Level.LOCAL, ine))
        return days, self.seat in loaded

    def reason(self, day: dt.date) -> NonBusinessDay | None:
        """Why a day is non-business, or None for a business day."""
        holiday = self._load(day.year).get(day)
        if holiday is not None:
            return holiday
        if day.weekday() >= 5:
            return NonBusinessDay(day, WEEKEND_NAMES[day.weekday()], Level.WEEKEND)
        return None

    def is_business_day(self, day: dt.date) -> bool:
        return self.reason(day) is None

    def next_business_day(
        self, day: dt.date, skipped: list[NonBusinessDay] | None = None
    ) -> dt.date:
        """The first business day on or after `day`, noting the days passed over."""
        while (why := self.reason(day)) is not None:
            if skipped is not None:
                skipped.append(why)
            day += ONE_DAY
        return day

    def year_holidays(self, year: int) -> list[NonBusinessDay]:
        """Holidays (not weekends) of a year, in date order."""
        return sorted(self._load(year).values(), key=lambda h: h.date)
