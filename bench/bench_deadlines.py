"""Deadline computations per second: mixed units, random starts over 2020–2030."""

from __future__ import annotations

import datetime as dt
import random
import time

from bench.datasets import bench_entity
from bench.run import Result

UNITS = [
    ("business_days", 1, 30),
    ("natural_days", 1, 60),
    ("months", 1, 6),
    ("years", 1, 2),
    ("hours", 1, 24),
]


def deadline_rate(options) -> list[Result]:
    from concejo.core.actors import Actor
    from concejo.deadlines.computation import deadline_compute
    from concejo.deadlines.models import LocalCalendar
    from concejo.deadlines.selectors import calendar_for
    from concejo.deadlines.services import local_calendar_set
    from concejo.demo.catalog import valladolid_holidays

    entity = bench_entity()
    for year in range(2019, 2034):
        if not LocalCalendar.objects.filter(municipality_ine=entity.ine_code, year=year).exists():
            local_calendar_set(
                actor=Actor.system(),
                municipality_ine=entity.ine_code,
                municipality_name="Valladolid",
                year=year,
                holidays=valladolid_holidays(year),
            )
    rng = random.Random(30)
    count = int(20000 * options.scale)
    first, span = dt.date(2020, 1, 1), (dt.date(2030, 12, 31) - dt.date(2020, 1, 1)).days
    cases = []
    for _ in range(count):
        unit, low, high = rng.choice(UNITS)
        cases.append((first + dt.timedelta(days=rng.randrange(span)), rng.randint(low, high), unit))

    start = time.perf_counter()
    for day, amount, unit in cases:
        deadline_compute(start=day, amount=amount, unit=unit, calendar=calendar_for(entity))
    cold = time.perf_counter() - start

    calendar = calendar_for(entity)
    start = time.perf_counter()
    for day, amount, unit in cases:
        deadline_compute(start=day, amount=amount, unit=unit, calendar=calendar)
    warm = time.perf_counter() - start
    dataset = f"{count} mixed computations"
    return [
        Result("deadlines: compute, new calendar each (as the API)", dataset, count / cold, "computations/s"),
        Result("deadlines: compute, one calendar reused", dataset, count / warm, "computations/s"),
    ]  # fmt: skip


BENCHMARKS = [deadline_rate]
