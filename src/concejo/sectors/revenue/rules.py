"""The legal and ordinance arithmetic of revenue, as pure functions.

Nothing here reads the database: rates, tariffs and coefficients come in as
the year's ordinance parameters (`TaxParameters.parameters`) and the dated
interest table, so each rule can be checked against worked examples.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

from concejo.deadlines.computation import add_months

_labels = threading.local()


@contextmanager
def label_cache():
    """Within it, each label is translated once: a roll prints the same labels 250,000 times."""
    previous = getattr(_labels, "cache", None)
    _labels.cache = {}
    try:
        yield
    finally:
        _labels.cache = previous


def _(text: str) -> str:
    cache = getattr(_labels, "cache", None)
    if cache is None:
        return gettext(text)
    found = cache.get(text)
    if found is None:
        found = cache[text] = gettext(text)
    return found


HUNDRED = Decimal(100)
ONE_DAY = dt.timedelta(days=1)


def cents(value: Decimal) -> int:
    """Round half up to whole cents."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euros(amount_cents: int) -> str:
    """1234567 → '12.345,67 €' (Spanish format)."""
    sign = "-" if amount_cents < 0 else ""
    whole, part = divmod(abs(int(amount_cents)), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{part:02d} €"


def percent_text(value: Decimal | str) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",") + " %"


@dataclass
class Quota:
    """What one object owes for a year, with the lines that explain it."""

    amount_cents: int
    lines: list[list[str]] = field(default_factory=list)

    def line(self, label: str, value: str) -> None:
        self.lines.append([label, value])


# --- IBI (RDL 2/2004 arts. 71-74) ---------------------------------------------------------


def ibi_quota(
    *, cadastral_value_cents: int, owner_share: Decimal, bonus: str, params: dict
) -> Quota:
    """Cadastral value × the year's rate, by the owner's share, less any granted bonus."""
    rate = Decimal(params["rate_percent"])
    gross = Decimal(cadastral_value_cents) * rate / HUNDRED
    quota = Quota(0)
    quota.line(_("Valor catastral (base liquidable)"), euros(cadastral_value_cents))
    quota.line(_("Tipo de gravamen"), percent_text(rate))
    if owner_share != HUNDRED:
        gross = gross * owner_share / HUNDRED
        quota.line(_("Porcentaje de titularidad"), percent_text(owner_share))
    gross_cents = cents(gross)
    quota.line(_("Cuota íntegra"), euros(gross_cents))
    net = gross_cents
    if bonus:
        spec = params.get("bonuses", {}).get(bonus)
        if spec is None:
            raise KeyError(bonus)
        reduction = cents(Decimal(gross_cents) * Decimal(spec["percent"]) / HUNDRED)
        net -= reduction
        quota.line(
            _("Bonificación: %(name)s (%(p)s)")
            % {"name": spec["name"], "p": percent_text(spec["percent"])},
            euros(-reduction),
        )
    quota.line(_("Cuota líquida"), euros(net))
    quota.amount_cents = net
    return quota


# --- IVTM (arts. 92-99) ----------------------------------------------------------------------

VEHICLE_MEASURES = {
    "car": "fiscal_hp",
    "bus": "seats",
    "truck": "payload_kg",
    "tractor": "fiscal_hp",
    "trailer": "payload_kg",
    "moped": None,
    "motorcycle": "engine_cc",
}
MEASURE_LABELS = {
    "fiscal_hp": "CVF",
    "seats": "plazas",
    "payload_kg": "kg de carga útil",
    "engine_cc": "cc",
}


def band_value(bands: Sequence[Sequence], measure: Decimal | None):
    """The value of the first band whose upper bound (exclusive) exceeds `measure`.

    Bands are [[upper, value], ..., [null, value]]; a measure below the first
    band's lower limit still takes the first band.
    """
    for upper, value in bands:
        if upper is None or measure is None or measure < Decimal(str(upper)):
            return value
    raise ValueError("bands must end with an open band")


def quarters_due(year: int, start: dt.date | None, end: dt.date | None) -> int:
    """Quarters of `year` owed by an object registered on `start` and removed on `end`.

    Art. 96.3: on first registration the quarters from the one of registration
    on; on permanent removal those up to and including the one of removal.
    """
    first = (start.month - 1) // 3 + 1 if start and start.year == year else 1
    last = (end.month - 1) // 3 + 1 if end and end.year == year else 4
    return max(0, last - first + 1)


def prorate(quota: Quota, quarters: int) -> None:
    if quarters < 4:
        prorated = cents(Decimal(quota.amount_cents) * quarters / 4)
        quota.line(_("Prorrateo por trimestres (%(n)d de 4)") % {"n": quarters}, euros(prorated))
        quota.amount_cents = prorated


def ivtm_quota(*, vehicle, year: int, params: dict) -> Quota:
    """The legal tariff for the vehicle's class and band × the council's coefficient."""
    measure_name = VEHICLE_MEASURES[vehicle.vehicle_class]
    measure = getattr(vehicle, measure_name) if measure_name else None
    if measure_name and measure is None:
        raise ValueError(measure_name)
    tariff = int(band_value(params["tariffs"][vehicle.vehicle_class], _decimal(measure)))
    coefficient = Decimal(params["coefficient"])
    quota = Quota(cents(Decimal(tariff) * coefficient))
    if measure_name:
        quota.line(
            _("Clase y potencia"),
            f"{vehicle.get_vehicle_class_display()}, {measure} {MEASURE_LABELS[measure_name]}",
        )
    else:
        quota.line(_("Clase"), vehicle.get_vehicle_class_display())
    quota.line(_("Cuota de tarifa (art. 95.1)"), euros(tariff))
    quota.line(_("Coeficiente de incremento"), f"{coefficient}".replace(".", ","))
    quota.line(_("Cuota anual"), euros(quota.amount_cents))
    prorate(quota, quarters_due(year, vehicle.first_registration, vehicle.removal))
    return quota


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- IAE (arts. 78-91) -------------------------------------------------------------------------


def iae_exempt(*, activity, holder_is_natural_person: bool, params: dict) -> bool:
    """Art. 82.1.c: natural persons, and others below the turnover threshold."""
    if holder_is_natural_person and params.get("exempt_natural_persons", True):
        return True
    threshold = params.get("exempt_below_turnover_cents")
    return bool(
        threshold is not None
        and activity.turnover_cents is not None
        and activity.turnover_cents < threshold
    )


def iae_quota(*, activity, year: int, params: dict) -> Quota:
    """Tariff quota × weighting coefficient (art. 86) × location coefficient (art. 87)."""
    if activity.turnover_cents is None:
        weighting = Decimal(params["weighting_without_turnover"])
    else:
        weighting = Decimal(
            band_value(params["weighting"], Decimal(activity.turnover_cents) / HUNDRED)
        )
    location = Decimal(params["location"][activity.street_category])
    amount = cents(Decimal(activity.tariff_quota_cents) * weighting * location)
    quota = Quota(amount)
    quota.line(_("Epígrafe"), f"{activity.epigraph} · {activity.description}")
    quota.line(_("Cuota de tarifa"), euros(activity.tariff_quota_cents))
    quota.line(_("Coeficiente de ponderación"), f"{weighting}".replace(".", ","))
    quota.line(
        _("Coeficiente de situación (categoría %(c)s)") % {"c": activity.street_category},
        f"{location}".replace(".", ","),
    )
    quota.line(_("Cuota anual"), euros(amount))
    prorate(quota, quarters_due(year, activity.started_on, activity.ended_on))
    return quota


# --- Waste collection fee -------------------------------------------------------------------


def waste_quota(*, use: str, params: dict) -> Quota:
    fees = params["fees"]
    fee = int(fees.get(use, fees["default"]))
    quota = Quota(fee)
    quota.line(_("Uso del inmueble"), use)
    quota.line(_("Tarifa de la ordenanza"), euros(fee))
    return quota


# --- Cuaderno 60 (AEB/CSB), modalidad 2 ------------------------------------------------------


def c60_identification(concept_code: str, year: int, due: dt.date, discriminant: int = 1) -> str:
    """Period discriminant (1: single period) + tributo (3) + ejercicio (2) + the last
    digit of the due date's year (1) + the due date's day of the year (3)."""
    return (
        f"{discriminant}{int(concept_code):03d}{year % 100:02d}{due.year % 10}"
        f"{due.timetuple().tm_yday:03d}"
    )


def c60_check_digits(issuer: str, reference10: str, identification: str, amount_cents: int) -> str:
    """The two check digits of a modalidad-2 reference.

    (issuer × 76 + reference × 9 + (identification + amount − 1) × 55) / 97:
    the first two decimals of that quotient, subtracted from 99 (00 becomes 99).
    """
    total = int(issuer) * 76 + int(reference10) * 9 + (int(identification) + amount_cents - 1) * 55
    decimals = (total % 97) * 100 // 97
    digits = 99 - decimals
    return f"{digits or 99:02d}"


def c60_reference(
    issuer: str, number: int, identification: str, amount_cents: int
) -> str:  # fmt: skip
    base = f"{number:010d}"
    return base + c60_check_digits(issuer, base, identification, amount_cents)


def c60_barcode(issuer: str, reference: str, identification: str, amount_cents: int) -> str:
    """The GS1-128 data of a modalidad-2 payment letter: 90521 + fields + 0 (42 digits)."""
    return f"90521{issuer}{reference}{identification}{amount_cents:08d}0"


# --- Voluntary and executive periods (LGT arts. 62, 26, 27, 28) -------------------------------


def assessment_due(
    notified_on: dt.date, next_business_day: Callable[[dt.date], dt.date]
) -> dt.date:
    """Art. 62.2: notified on days 1-15 → the 20th of the next month; on 16-end →
    the 5th of the second month; a non-business last day moves to the next one."""
    if notified_on.day <= 15:
        due = add_months(notified_on.replace(day=1), 1).replace(day=20)
    else:
        due = add_months(notified_on.replace(day=1), 2).replace(day=5)
    return next_business_day(due)


def enforcement_due(
    notified_on: dt.date, next_business_day: Callable[[dt.date], dt.date]
) -> dt.date:
    """Art. 62.5: after the providencia de apremio, days 1-15 → the 20th of that month;
    16-end → the 5th of the next month; moved to the next business day."""
    if notified_on.day <= 15:
        due = notified_on.replace(day=20)
    else:
        due = add_months(notified_on.replace(day=1), 1).replace(day=5)
    return next_business_day(due)


def interest_cents(
    principal_cents: int, first_day: dt.date, last_day: dt.date, rates: Sequence[tuple]
) -> int:
    """Late-payment interest accrued day by day from `first_day` to `last_day` inclusive.

    `rates` is [(valid_from, annual percent)] in date order; each day takes the
    rate in force that day over the days of its year (365 or 366).
    """
    if last_day < first_day or principal_cents <= 0:
        return 0
    total = Decimal(0)
    day = first_day
    index = -1
    while day <= last_day:
        while index + 1 < len(rates) and rates[index + 1][0] <= day:
            index += 1
        if index < 0:
            raise LookupError(day)
        year_end = dt.date(day.year, 12, 31)
        next_change = rates[index + 1][0] - ONE_DAY if index + 1 < len(rates) else last_day
        span_end = min(last_day, year_end, next_change)
        days = (span_end - day).days + 1
        year_days = 366 if _leap(day.year) else 365
        total += Decimal(principal_cents) * Decimal(rates[index][1]) / HUNDRED * days / year_days
        day = span_end + ONE_DAY
    return cents(total)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class ExecutiveCharge:
    """What a debt in the executive period costs on a given day (art. 28)."""

    percent: int
    label: str
    surcharge_cents: int
    interest_cents: int


def executive_charge(
    *,
    outstanding_cents: int,
    voluntary_due: dt.date,
    on: dt.date,
    enforcement_notified_on: dt.date | None,
    enforcement_due_on: dt.date | None,
    rates: Sequence[tuple],
) -> ExecutiveCharge | None:
    """None while in the voluntary period; else the art. 28 surcharge and any interest.

    5 % before the providencia de apremio is notified; 10 % after it, up to the
    art. 62.5 deadline; 20 % plus interest from the day after the voluntary period.
    """
    if on <= voluntary_due or outstanding_cents <= 0:
        return None
    if enforcement_notified_on is None or on < enforcement_notified_on:
        return ExecutiveCharge(
            5, _("Recargo ejecutivo (5 %)"), cents(Decimal(outstanding_cents) * 5 / HUNDRED), 0
        )
    if enforcement_due_on is not None and on <= enforcement_due_on:
        return ExecutiveCharge(
            10,
            _("Recargo de apremio reducido (10 %)"),
            cents(Decimal(outstanding_cents) * 10 / HUNDRED),
            0,
        )
    return ExecutiveCharge(
        20,
        _("Recargo de apremio ordinario (20 %)"),
        cents(Decimal(outstanding_cents) * 20 / HUNDRED),
        interest_cents(outstanding_cents, voluntary_due + ONE_DAY, on, rates),
    )


@dataclass(frozen=True)
class LateFiling:
    """Art. 27 LGT (Ley 11/2021): surcharge for a self-assessment filed late without a request."""

    months_late: int
    percent: int
    surcharge_cents: int
    interest_cents: int
    reduced_surcharge_cents: int


def full_months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(0, months)


def late_filing(
    *, principal_cents: int, due: dt.date, filed_on: dt.date, rates: Sequence[tuple]
) -> LateFiling:
    """1 % plus 1 % per full month late up to 12 months; after 12 months 15 % plus
    interest from the day after those 12 months; 25 % less when paid in full in time."""
    if filed_on <= due:
        return LateFiling(0, 0, 0, 0, 0)
    months = full_months_between(due, filed_on)
    if months < 12:
        percent, interest = 1 + months, 0
    else:
        percent = 15
        interest = interest_cents(principal_cents, add_months(due, 12) + ONE_DAY, filed_on, rates)
    surcharge = cents(Decimal(principal_cents) * percent / HUNDRED)
    reduced = surcharge - cents(Decimal(surcharge) * 25 / HUNDRED)
    return LateFiling(months, percent, surcharge, interest, reduced)
