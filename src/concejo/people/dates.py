"""Calendar arithmetic the people app needs (date to date, clamped to month end)."""

import calendar
import datetime as dt


def add_years(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))
