"""Revenue at city scale: the IBI roll of 250,000 properties and the SEPA remittance of
the 40 % that pay by direct debit.

The prefill (persons, properties, mandates) is written with bulk inserts and not
measured. Each measured step runs through its service (`roll_generate`,
`roll_approve`, `remittance_generate`) in a forked child process, so its peak
memory (VmHWM − VmRSS at the start, from /proc) is its own. The same roll is
also generated for a 25,000-property entity to show that memory does not grow
with the roll. The remittance file is then validated against the ISO 20022
pain.008.001.02 schema (not timed as part of the remittance).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import time

from bench.datasets import persons
from bench.run import Result

LARGE = 250_000
SMALL = 25_000
DEBIT_SHARE = 0.4
YEAR = 2026


def _entity(dir3: str, nif: str, ine: str, name: str):
    from concejo.organization.models import Entity

    entity, _ = Entity.objects.get_or_create(
        dir3_code=dir3,
        defaults={"name": name, "entity_type": "council", "nif": nif, "ine_code": ine},
    )
    return entity


def _prefill(entity, count: int, offset: int) -> None:
    from django.utils import timezone

    from concejo.people.models import Person
    from concejo.sectors.revenue import sepa
    from concejo.sectors.revenue.demo import CONCEPTS, PARAMETERS, cadastral_reference
    from concejo.sectors.revenue.models import (
        Mandate,
        Property,
        RevenueSettings,
        TaxParameters,
    )

    if Property.objects.filter(entity=entity).exists():
        return
    RevenueSettings.objects.create(
        entity=entity, issuer_code=f"{entity.ine_code}0", creditor_name=entity.name,
        creditor_identifier=sepa.creditor_identifier(entity.nif),
        creditor_iban="ES9121000418450200051332", creditor_bic="CAIXESBB",
    )  # fmt: skip
    TaxParameters.objects.create(
        entity=entity, tax="ibi_urban", year=YEAR, concept_code=CONCEPTS["ibi_urban"],
        parameters=PARAMETERS["ibi_urban"],
    )  # fmt: skip
    now = timezone.now()
    batch = 5_000
    debit_every = round(1 / DEBIT_SHARE * 2)  # 2 of every 5 owners
    for start in range(0, count, batch):
        size = min(batch, count - start)
        people = Person.objects.bulk_create(
            [Person(entity=entity, **data) for data in persons(size, offset=offset + start)]
        )
        Property.objects.bulk_create(
            [
                Property(
                    entity=entity, cadastral_reference=cadastral_reference(start + i + 1),
                    kind="urban", address=f"Calle del benchmark {start + i + 1}",
                    cadastral_value_cents=4_000_000 + ((start + i) * 7919) % 30_000_000,
                    owner=person, bonus="familia_numerosa" if (start + i) % 17 == 0 else "",
                    created_at=now, updated_at=now,
                )
                for i, person in enumerate(people)
            ]
        )  # fmt: skip
        Mandate.objects.bulk_create(
            [
                Mandate(
                    entity=entity, debtor=person, account_holder=person.display_name,
                    iban="ES7620770024003102575766", reference=f"BENCH-{offset + start + i}",
                    signed_on=dt.date(2025, 1, 1),
                    first_collected_on=dt.date(2025, 10, 1) if i % 2 else None,
                )
                for i, person in enumerate(people)
                if i % debit_every in (0, 1)
            ]
        )  # fmt: skip


def _in_child(step):
    """Run `step()` in a forked process: (its result, seconds, peak extra memory in MiB)."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        try:
            start_rss = _status_kib("VmRSS")
            began = time.perf_counter()
            result = step()
            seconds = time.perf_counter() - began
            peak = (_status_kib("VmHWM") - start_rss) / 1024
            payload = pickle.dumps((result, seconds, peak))
        except BaseException as exc:  # report, never hang the parent
            payload = pickle.dumps((repr(exc), -1.0, -1.0))
        with os.fdopen(write, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as source:
        data = source.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)  # our own child's output


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _roll(entity):
    from concejo.core.actors import Actor
    from concejo.sectors.revenue import services

    def step():
        roll = services.roll_generate(
            Actor.system(), entity=entity, tax="ibi_urban", year=YEAR,
            voluntary_start=dt.date(YEAR, 9, 1), voluntary_end=dt.date(YEAR, 11, 20),
        )  # fmt: skip
        services.roll_approve(Actor.system(), roll=roll)
        return roll.receipt_count

    return _in_child(step)


def bench_revenue_roll_and_remittance(options) -> list[Result]:
    from lxml import etree

    from concejo.core.actors import Actor
    from concejo.sectors.revenue import services
    from concejo.sectors.revenue.models import Remittance

    large_n, small_n = int(LARGE * options.scale), int(SMALL * options.scale)
    large = _entity("L01470002", "P4700002A", "47002", "Benchmark tributos (grande)")
    small = _entity("L01470003", "P4700003B", "47003", "Benchmark tributos (pequeño)")
    began = time.perf_counter()
    _prefill(large, large_n, offset=3_000_000)
    _prefill(small, small_n, offset=3_500_000)
    prefill = time.perf_counter() - began

    small_count, small_seconds, small_peak = _roll(small)
    count, seconds, peak = _roll(large)

    def remit():
        remittance = services.remittance_generate(
            Actor.system(), entity=large, collection_date=dt.date(YEAR, 10, 1)
        )
        return remittance.item_count

    items, remit_seconds, remit_peak = _in_child(remit)
    if not isinstance(count, int) or not isinstance(items, int):
        raise RuntimeError(f"benchmark step failed: roll={count!r} remittance={items!r}")
    remittance = Remittance.objects.filter(entity=large).latest("number")
    from importlib import resources

    checked = time.perf_counter()
    xsd = resources.files("sepaxml") / "schemas" / "pain.008.001.02.xsd"
    with resources.as_file(xsd) as path:
        schema = etree.XMLSchema(etree.parse(str(path)))
    with remittance.file.open("rb") as handle:
        valid = schema.validate(etree.parse(handle))
    validation = time.perf_counter() - checked
    size_mib = remittance.file.size / 2**20
    roll_set = f"{count:,} receipts"
    return [
        Result("revenue prefill (not measured as a target)", f"{large_n + small_n:,} properties",
               prefill, "s"),
        Result("IBI roll: generate + approve", roll_set, seconds, "s"),
        Result("IBI roll: throughput", roll_set, count / seconds, "receipts/s"),
        Result("IBI roll: peak extra memory", roll_set, peak, "MiB"),
        Result("IBI roll: generate + approve", f"{small_count:,} receipts", small_seconds, "s"),
        Result("IBI roll: peak extra memory", f"{small_count:,} receipts", small_peak, "MiB"),
        Result("SEPA remittance pain.008: generate", f"{items:,} debits", remit_seconds, "s"),
        Result("SEPA remittance: peak extra memory", f"{items:,} debits", remit_peak, "MiB"),
        Result("SEPA remittance: file size", f"{items:,} debits", size_mib, "MiB"),
        Result("SEPA remittance: XSD validation (lxml)", f"{items:,} debits", validation, "s"),
        Result("SEPA remittance: schema errors", f"{items:,} debits", 0 if valid else 1,
               "errors"),
    ]  # fmt: skip


BENCHMARKS = [bench_revenue_roll_and_remittance]
