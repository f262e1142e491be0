"""Demo ordinances and tax objects of Valladolid (figures are illustrative, not the BOP's).

The IVTM tariffs are the legal ones of RDL 2/2004 art. 95.1; the rates,
coefficients, bonuses and fees are plausible values for a city of this size.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stdnum.es import referenciacatastral

# Codes of the tax concepts for the Cuaderno 60 identification (issuer's own list).
CONCEPTS = {"ibi_urban": "001", "ibi_rustic": "002", "ivtm": "003", "iae": "004", "waste": "005"}

IVTM_TARIFFS = {  # euro cents, upper bound exclusive
    "car": [[8, 1262], [12, 3408], [16, 7194], [20, 8961], [None, 11200]],
    "bus": [[21, 8330], [51, 11864], [None, 14830]],
    "truck": [[1000, 4228], [3000, 8330], [10000, 11864], [None, 14830]],
    "tractor": [[16, 1767], [26, 2777], [None, 8330]],
    "trailer": [[1000, 1767], [3000, 2777], [None, 8330]],
    "moped": [[None, 442]],
    "motorcycle": [[126, 442], [251, 757], [501, 1515], [1001, 3029], [None, 6058]],
}

PARAMETERS = {
    "ibi_urban": {
        "rate_percent": "0.585",
        "minimum_quota_cents": 600,
        "bonuses": {
            "familia_numerosa": {"name": "Familia numerosa (art. 74.4)", "percent": "50"},
            "vpo": {"name": "Vivienda de protección oficial (art. 73.2)", "percent": "50"},
        },
    },
    "ibi_rustic": {"rate_percent": "0.65", "minimum_quota_cents": 600, "bonuses": {}},
    "ivtm": {"coefficient": "1.68", "tariffs": IVTM_TARIFFS},
    "iae": {
        # Art. 86: by net turnover in euros (upper bound exclusive).
        "weighting": [
            [5_000_000, "1.29"],
            [10_000_000, "1.30"],
            [50_000_000, "1.32"],
            [100_000_000, "1.33"],
            [None, "1.35"],
        ],
        "weighting_without_turnover": "1.31",
        "location": {"1": "3.2", "2": "2.9", "3": "2.6", "4": "2.2"},
        "exempt_natural_persons": True,
        "exempt_below_turnover_cents": 100_000_000,
    },
    "waste": {
        "fees": {"residential": 7_480, "commercial": 19_850, "industrial": 32_400, "default": 7_480}
    },
}


def cadastral_reference(n: int, municipality: str = "47186") -> str:
    """A well-formed, unique urban cadastral reference for demo and benchmark data."""
    parcel = f"{n // 10000:07d}"
    base = f"{parcel}UM{municipality[-4:]}N{n % 10000:04d}"
    return base + referenciacatastral.calc_check_digits(base + "AA")


def voluntary_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """A two-month-and-a-bit period that is running on `today` (so the demo can be paid)."""
    from concejo.deadlines.computation import add_months

    start = today - dt.timedelta(days=20)
    return start, add_months(start, 2) + dt.timedelta(days=10)


DEMO_PROPERTIES = [
    # id_number, street, cadastral value (€), use, bonus
    ("12345678Z", "Calle Santiago, 10, 2º A", "98500.00", "residential", "familia_numerosa"),
    ("12345678Z", "Calle Santiago, 10, garaje 14", "8200.00", "garage", ""),
    ("71234567W", "Paseo de Zorrilla, 100, 5º B", "112300.00", "residential", ""),
    ("X1234567L", "Calle Gamazo, 7, 1º", "76400.00", "residential", ""),
    ("B47123450", "Polígono de Argales, nave 12", "412000.00", "industrial", ""),
]
DEMO_VEHICLES = [
    ("12345678Z", "1234KLM", "car", "11.50", dt.date(2019, 3, 12)),
    ("71234567W", "5678DFG", "car", "16.30", dt.date(2008, 6, 2)),
    ("B47123450", "9012HJK", "truck", None, dt.date(2021, 10, 5)),
]


def seed_revenue(council, today: dt.date) -> None:
    """Ordinances, settings, objects, the approved rolls of the year and one old debt."""
    from concejo.core.actors import Actor
    from concejo.people.models import Person
    from concejo.sectors.revenue import sepa, services
    from concejo.sectors.revenue.models import RevenueSettings, Roll, TaxParameters

    if RevenueSettings.objects.filter(entity=council).exists():
        return
    system = Actor.system()
    RevenueSettings.objects.create(
        entity=council, issuer_code="471860", creditor_name=council.name,
        creditor_identifier=sepa.creditor_identifier(council.nif),
        creditor_iban="ES9121000418450200051332", creditor_bic="CAIXESBB",
    )  # fmt: skip
    year = today.year
    for fiscal_year in (year - 1, year):
        for tax, params in PARAMETERS.items():
            TaxParameters.objects.create(
                entity=council, tax=tax, year=fiscal_year, concept_code=CONCEPTS[tax],
                parameters=params,
                ordinance=f"Ordenanza fiscal reguladora ({fiscal_year}), datos de demostración",
            )  # fmt: skip
    people = {p.id_number: p for p in Person.objects.filter(entity=council)}
    for n, (id_number, street, value, use, bonus) in enumerate(DEMO_PROPERTIES, start=1):
        services.property_register(
            system, entity=council, cadastral_reference=cadastral_reference(n), kind="urban",
            address=f"{street}, Valladolid", cadastral_value_cents=int(Decimal(value) * 100),
            owner=people[id_number], use=use, bonus=bonus,
        )  # fmt: skip
    for id_number, plate, cls, hp, registered in DEMO_VEHICLES:
        services.vehicle_register(
            system, entity=council, plate=plate, vehicle_class=cls, owner=people[id_number],
            first_registration=registered, fiscal_hp=Decimal(hp) if hp else None,
            payload_kg=2500 if cls == "truck" else None,
        )  # fmt: skip
    services.activity_register(
        system, entity=council, holder=people["B47123450"], epigraph="922.1",
        description="Servicios de limpieza de edificios", address="Polígono de Argales, nave 12",
        tariff_quota_cents=41_326, turnover_cents=185_000_000, street_category="3",
        started_on=dt.date(2012, 4, 1),
    )  # fmt: skip
    services.mandate_create(
        system, entity=council, debtor=people["71234567W"], iban="ES7620770024003102575766",
        account_holder="Juan Pérez Martín", signed_on=dt.date(year, 1, 15),
    )  # fmt: skip
    start, end = voluntary_period(today)
    for tax in ("ibi_urban", "ivtm", "iae", "waste"):
        roll = services.roll_generate(
            system, entity=council, tax=tax, year=year, voluntary_start=start,
            voluntary_end=end, direct_debit_date=today + dt.timedelta(days=10),
        )  # fmt: skip
        services.roll_approve(system, roll=Roll.objects.get(pk=roll.pk))
    # An unpaid assessment of last year: in the executive period, with its surcharge.
    services.assessment_issue(
        system, entity=council, tax="ivtm", year=year - 1, taxpayer=people["X1234567L"],
        object_label="Liquidación por alta del vehículo 3456LMN", principal_cents=9_870,
        notified_on=today - dt.timedelta(days=200),
    )  # fmt: skip
