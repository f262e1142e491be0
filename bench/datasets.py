"""Deterministic dataset generators for the benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator

from stdnum.es import dni

FIRST = ["María", "José", "Lucía", "Antonio", "Carmen", "Manuel", "Laura", "David", "Ana", "Javier"]
LAST = ["García", "Martín", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Herrero", "Calvo"]
STREETS = ["Calle Santiago", "Paseo de Zorrilla", "Calle Mayor", "Avenida de Salamanca"]


def persons(count: int, *, seed: int = 47186, offset: int = 0) -> Iterator[dict]:
    """Natural persons with valid DNIs, unique within the generated range."""
    rng = random.Random(seed)
    for i in range(offset, offset + count):
        number = f"{20000000 + i:08d}"
        yield {
            "kind": "natural",
            "id_type": "nif",
            "id_number": number + dni.calc_check_digit(number),
            "first_name": rng.choice(FIRST),
            "last_name_1": rng.choice(LAST),
            "last_name_2": rng.choice(LAST),
            "email": f"persona{i}@example.org",
            "address": f"{rng.choice(STREETS)}, {rng.randint(1, 200)}",
            "postal_code": f"470{rng.randint(1, 20):02d}",
            "municipality": "Valladolid",
            "municipality_ine": "47186",
        }


def bench_entity():
    """The entity every benchmark writes into (created on first use)."""
    from concejo.organization.models import Entity

    entity, _ = Entity.objects.get_or_create(
        dir3_code="L01470001",
        defaults={"name": "Entidad de benchmark", "entity_type": "council", "nif": "P4700000E",
                  "ine_code": "47186"},
    )  # fmt: skip
    return entity
