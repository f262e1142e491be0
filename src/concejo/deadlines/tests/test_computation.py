"""Deadlines as art. 30 Ley 39/2015 counts them, on Valladolid's real calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from concejo.core.actors import Actor
from concejo.core.errors import ValidationFailed
from concejo.deadlines.computation import (
    business_days_between,
    deadline_compute,
    filing_effective_time,
    is_business_day,
    non_business_days,
)
from concejo.deadlines.selectors import calendar_for
from concejo.deadlines.services import local_calendar_set

MADRID = ZoneInfo("Europe/Madrid")
D = dt.date


def compute(entity, start, amount, unit="business_days", **kw):
    return deadline_compute(
        start=start, amount=amount, unit=unit, calendar=calendar_for(entity, **kw)
    )


def test_one_month_from_31_january_ends_28_february(valladolid):
    assert compute(valladolid, D(2025, 1, 31), 1, "months").end == D(2025, 2, 28)


def test_one_month_in_a_leap_year_ends_29_february(valladolid):
    assert compute(valladolid, D(2024, 1, 31), 1, "months").end == D(2024, 2, 29)


def test_a_month_ending_on_a_saturday_moves_to_monday(valladolid):
    result = compute(valladolid, D(2025, 4, 5), 1, "months")  # 5 May 2025 is a Monday
    assert result.end == D(2025, 5, 5)
    result = compute(valladolid, D(2025, 9, 13), 1, "months")  # 13 Oct 2025: CyL holiday
    assert result.end == D(2025, 10, 14)
    assert [(d.date, d.level) for d in result.non_business_days_skipped] == [
        (D(2025, 10, 13), "regional")
    ]


def test_business_days_skip_weekends_and_the_local_holiday(valladolid):
    # Notified Friday 9 May 2025: Sat 10, Sun 11 and Tue 13 (San Pedro Regalado) do not count.
    result = compute(valladolid, D(2025, 5, 9), 3)
    assert result.end == D(2025, 5, 15)
    assert [(d.date, d.level) for d in result.non_business_days_skipped] == [
        (D(2025, 5, 10), "weekend"),
        (D(2025, 5, 11), "weekend"),
        (D(2025, 5, 13), "local"),
    ]


def test_ten_business_days_over_christmas(valladolid):
    result = compute(valladolid, D(2025, 12, 19), 10)
    # 22,23,24,26,29,30,31 Dec, 2 Jan, 5 Jan, 7 Jan (25 Dec, 1 and 6 Jan are holidays).
    assert result.end == D(2026, 1, 7)


def test_counting_starts_the_day_after_even_from_a_datetime(valladolid):
    late_friday = dt.datetime(2025, 5, 9, 23, 59, tzinfo=MADRID)
    assert compute(valladolid, late_friday, 1).end == D(2025, 5, 12)
    utc = dt.datetime(2025, 5, 9, 22, 30, tzinfo=dt.UTC)  # already Saturday in Madrid
    assert compute(valladolid, utc, 1).end == D(2025, 5, 12)


def test_natural_days_end_moves_to_next_business_day(valladolid):
    result = compute(valladolid, D(2025, 5, 3), 10, "natural_days")  # 13 May, local holiday
    assert result.end == D(2025, 5, 14)


def test_years_run_date_to_date(valladolid):
    assert compute(valladolid, D(2024, 2, 29), 1, "years").end == D(2025, 2, 28)


def test_hours_count_minute_by_minute_only_on_business_days(valladolid):
    start = dt.datetime(2025, 5, 9, 10, 30, tzinfo=MADRID)  # a Friday
    result = compute(valladolid, start, 24, "hours")
    assert result.end == dt.datetime(2025, 5, 12, 10, 30, tzinfo=MADRID)
    assert [d.date for d in result.non_business_days_skipped] == [D(2025, 5, 10), D(2025, 5, 11)]
    sunday = dt.datetime(2025, 5, 11, 9, 15, tzinfo=MADRID)
    assert compute(valladolid, sunday, 2, "hours").end == dt.datetime(
        2025, 5, 12, 2, 0, tzinfo=MADRID
    )


def test_hours_beyond_24_must_be_days(valladolid):
    with pytest.raises(ValidationFailed) as err:
        compute(valladolid, D(2025, 5, 9), 25, "hours")
    assert err.value.code == "invalid_amount"
    assert "24 horas" in err.value.fields["amount"][0]


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(0, "business_days"), (-3, "months"), (10000, "years"), (5000, "business_days")],
)
def test_absurd_amounts_are_rejected(valladolid, amount, unit):
    with pytest.raises(ValidationFailed) as err:
        compute(valladolid, D(2025, 5, 9), amount, unit)
    assert err.value.code == "invalid_amount"
    assert "amount" in err.value.fields


def test_an_unknown_unit_is_rejected(valladolid):
    with pytest.raises(ValidationFailed) as err:
        compute(valladolid, D(2025, 5, 9), 1, "fortnights")
    assert err.value.code == "invalid_unit"


def test_a_start_outside_the_loaded_calendars_is_rejected(valladolid):
    with pytest.raises(ValidationFailed) as err:
        compute(valladolid, D(2040, 1, 10), 1)
    assert err.value.code == "calendar_not_loaded"
    assert "start" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        compute(valladolid, D(2032, 12, 1), 2, "months")  # ends in 2033, not loaded
    assert "amount" in err.value.fields


def test_the_citizens_home_holidays_count_too(valladolid):
    """Art. 30.6: a day non-business where the citizen lives is non-business for them."""
    local_calendar_set(
        actor=Actor.system(), municipality_ine="47161", municipality_name="Simancas",
        year=2025, holidays=[(D(2025, 5, 12), "Fiesta local de Simancas")],
    )  # fmt: skip
    assert compute(valladolid, D(2025, 5, 9), 1).end == D(2025, 5, 12)
    with_home = compute(valladolid, D(2025, 5, 9), 1, residence_ine="47161")
    assert with_home.end == D(2025, 5, 14)
    # A citizen in Madrid (2 May is a Madrid regional holiday) adds it.
    assert compute(valladolid, D(2025, 5, 1), 1, residence_ine="28079").end == D(2025, 5, 5)
    assert compute(valladolid, D(2025, 5, 1), 1).end == D(2025, 5, 2)


def test_a_filing_on_a_non_business_day_takes_effect_at_midnight_of_the_next(valladolid):
    calendar = calendar_for(valladolid)
    saturday = dt.datetime(2025, 5, 10, 18, 45, tzinfo=MADRID)
    assert filing_effective_time(filed_at=saturday, calendar=calendar) == dt.datetime(
        2025, 5, 12, 0, 0, tzinfo=MADRID
    )
    monday = dt.datetime(2025, 5, 12, 9, 0, tzinfo=MADRID)
    assert filing_effective_time(filed_at=monday, calendar=calendar) == monday
    holiday_eve = dt.datetime(2025, 5, 12, 22, 30, tzinfo=dt.UTC)  # 00:30 on 13 May in Madrid
    assert filing_effective_time(filed_at=holiday_eve, calendar=calendar) == dt.datetime(
        2025, 5, 14, 0, 0, tzinfo=MADRID
    )


def test_business_days_between_and_single_days(valladolid):
    calendar = calendar_for(valladolid)
    assert business_days_between(start=D(2025, 5, 1), end=D(2025, 5, 31), calendar=calendar) == 20
    assert business_days_between(start=D(2025, 5, 31), end=D(2025, 5, 1), calendar=calendar) == 0
    assert is_business_day(day=D(2025, 5, 12), calendar=calendar) is None
    assert (
        is_business_day(day=D(2025, 9, 8), calendar=calendar).name
        == "Nuestra Señora de San Lorenzo"
    )


def test_the_yearly_calendar_lists_every_level(valladolid):
    days = non_business_days(year=2025, calendar=calendar_for(valladolid))
    by_date = {d.date: d for d in days}
    assert by_date[D(2025, 1, 1)].level == "national"
    assert by_date[D(2025, 4, 23)].level == "regional"  # Fiesta de Castilla y León
    assert by_date[D(2025, 5, 13)].level == "local"
    assert [d.date for d in days] == sorted(by_date)
