"""Creating interesados through the service layer (validation + insert + audit link)."""

from __future__ import annotations

import time

from bench.datasets import bench_entity, persons
from bench.run import Result


def person_create_rate(options) -> list[Result]:
    from concejo.core.actors import Actor
    from concejo.people.models import Person
    from concejo.people.services import person_create

    entity = bench_entity()
    count = int(2000 * options.scale)
    data = list(persons(count, offset=Person.objects.count()))
    actor = Actor.system()
    start = time.perf_counter()
    for values in data:
        person_create(actor=actor, entity=entity, **values)
    elapsed = time.perf_counter() - start
    return [
        Result("people: person_create (service, audited)", f"{count} persons, 1 writer",
               count / elapsed, "persons/s"),
    ]  # fmt: skip


BENCHMARKS = [person_create_rate]
