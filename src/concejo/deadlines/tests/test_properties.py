"""Properties that must hold for any start and amount (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concejo.deadlines.computation import add_months, deadline_compute
from concejo.deadlines.selectors import calendar_for

starts = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2029, 12, 31))
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@FAST
@given(start=starts, amount=st.integers(min_value=1, max_value=60))
def test_business_day_deadlines_end_on_business_days_and_grow(valladolid, start, amount):
    calendar = calendar_for(valladolid)
    n = deadline_compute(start=start, amount=amount, calendar=calendar)
    n1 = deadline_compute(start=start, amount=amount + 1, calendar=calendar)
    assert calendar.is_business_day(n.end)
    assert n.end > start
    assert n1.end > n.end


@pytest.mark.django_db
@FAST
@given(
    start=starts,
    amount=st.integers(min_value=1, max_value=24),
    unit=st.sampled_from(["months", "natural_days", "years"]),
)
def test_every_unit_ends_on_a_business_day_never_before_n_minus_one(
    valladolid, start, amount, unit
):
    calendar = calendar_for(valladolid)
    amount = min(amount, 3) if unit == "years" else amount
    end = deadline_compute(start=start, amount=amount, unit=unit, calendar=calendar).end
    assert calendar.is_business_day(end)
    if amount > 1:
        earlier = deadline_compute(start=start, amount=amount - 1, unit=unit, calendar=calendar).end
        assert earlier <= end


@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
    months=st.integers(min_value=0, max_value=1200),
)
def test_month_arithmetic_never_produces_an_invalid_date(day, months):
    result = add_months(day, months)
    assert isinstance(result, dt.date)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or result.day < day.day
