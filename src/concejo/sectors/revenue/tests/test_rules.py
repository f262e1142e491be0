"""The legal arithmetic, checked against worked examples computed by hand."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from concejo.sectors.revenue import rules, sepa

D = dt.date
RATES = [(D(2015, 1, 1), "4.375"), (D(2016, 1, 1), "3.75"), (D(2023, 1, 1), "4.0625")]


def weekdays_only(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# --- Cuaderno 60 ---------------------------------------------------------------------------


def test_identification_is_discriminant_concept_year_and_julian_due_date():
    # 20 November 2026 is day 324 of the year.
    assert rules.c60_identification("100", 2026, D(2026, 11, 20)) == "1100266324"
    assert rules.c60_identification("2", 2018, D(2018, 5, 1)) == "1002188121"


@pytest.mark.parametrize(
    ("issuer", "reference", "identification", "amount", "digits"),
    [
        # (123456×76 + 4711×9 + (1100266324 + 12345 − 1)×55) / 97 = …,35… → 99 − 35
        ("123456", "0000004711", "1100266324", 12345, "64"),
        ("481166", "1234567890", "1002188121", 1160, "16"),
    ],
)
def test_reference_check_digits(issuer, reference, identification, amount, digits):
    assert rules.c60_check_digits(issuer, reference, identification, amount) == digits
    assert rules.c60_reference(issuer, int(reference), identification, amount) == (
        reference + digits
    )


def test_check_digits_change_with_the_amount_so_a_letter_cannot_be_paid_short():
    a = rules.c60_check_digits("123456", "0000004711", "1100266324", 12345)
    b = rules.c60_check_digits("123456", "0000004711", "1100266324", 12344)
    assert a != b


def test_barcode_is_the_42_digit_gs1_128_modalidad_2_string():
    code = rules.c60_barcode("123456", "000000471164", "1100266324", 12345)
    assert code == "905211234560000004711641100266324000123450"
    assert len(code) == 42


# --- Quotas ----------------------------------------------------------------------------------

IBI = {"rate_percent": "0.585", "bonuses": {"familia_numerosa": {"name": "Familia numerosa",
                                                                   "percent": "50"}}}  # fmt: skip


def test_ibi_is_cadastral_value_by_rate_less_the_bonus():
    quota = rules.ibi_quota(
        cadastral_value_cents=8_500_000, owner_share=Decimal(100), bonus="", params=IBI
    )
    assert quota.amount_cents == 49_725  # 85.000,00 € × 0,585 %
    bonus = rules.ibi_quota(
        cadastral_value_cents=8_500_000, owner_share=Decimal(100), bonus="familia_numerosa",
        params=IBI,
    )  # fmt: skip
    assert bonus.amount_cents == 24_862  # 497,25 − 248,63 (half up)
    assert ["Cuota líquida", "248,62 €"] in bonus.lines


def test_ibi_by_owner_share():
    quota = rules.ibi_quota(
        cadastral_value_cents=10_000_000, owner_share=Decimal(25), bonus="", params=IBI
    )
    assert quota.amount_cents == 14_625  # 100.000 € × 0,585 % × 25 %


def test_unknown_bonus_is_refused():
    with pytest.raises(KeyError):
        rules.ibi_quota(cadastral_value_cents=1, owner_share=Decimal(100), bonus="x", params=IBI)


IVTM = {
    "coefficient": "1.5",
    "tariffs": {"car": [[8, 1262], [12, 3408], [16, 7194], [20, 8961], [None, 11200]],
                "moped": [[None, 442]]},
}  # fmt: skip


OLD = D(2010, 1, 1)


def _vehicle(cls="car", hp="12", registered=OLD, removed=None):
    return SimpleNamespace(
        vehicle_class=cls, fiscal_hp=Decimal(hp) if hp else None, seats=None, payload_kg=None,
        engine_cc=None, first_registration=registered, removal=removed,
        get_vehicle_class_display=lambda: cls,
    )  # fmt: skip


def test_ivtm_band_and_coefficient():
    # 12 CVF is in the 12–15,99 band: 71,94 € × 1,5 = 107,91 €
    assert rules.ivtm_quota(vehicle=_vehicle(), year=2026, params=IVTM).amount_cents == 10_791
    # 11,99 CVF is still in the 8–11,99 band: 34,08 × 1,5
    low = rules.ivtm_quota(vehicle=_vehicle(hp="11.99"), year=2026, params=IVTM)
    assert low.amount_cents == 5_112
    moped = rules.ivtm_quota(vehicle=_vehicle("moped", hp=None), year=2026, params=IVTM)
    assert moped.amount_cents == 663  # 4,42 × 1,5


def test_ivtm_prorated_by_quarters_on_registration_and_removal():
    new = rules.ivtm_quota(vehicle=_vehicle(registered=D(2026, 8, 10)), year=2026, params=IVTM)
    assert new.amount_cents == 5_396  # Q3: two quarters of 107,91
    gone = rules.ivtm_quota(vehicle=_vehicle(removed=D(2026, 2, 10)), year=2026, params=IVTM)
    assert gone.amount_cents == 2_698  # removed in Q1: one quarter
    assert rules.quarters_due(2026, D(2026, 4, 1), D(2026, 9, 30)) == 2
    assert rules.quarters_due(2026, D(2020, 1, 1), None) == 4


IAE = {
    "weighting": [[1_000_000, "1.29"], [5_000_000, "1.29"], [10_000_000, "1.30"],
                  [50_000_000, "1.32"], [100_000_000, "1.33"], [None, "1.35"]],
    "weighting_without_turnover": "1.31",
    "location": {"1": "3.0", "2": "2.5"},
    "exempt_natural_persons": True,
    "exempt_below_turnover_cents": 100_000_000,
}  # fmt: skip


def test_iae_tariff_by_weighting_and_location():
    activity = SimpleNamespace(
        epigraph="659.2", description="Comercio", tariff_quota_cents=100_000,
        turnover_cents=200_000_000, street_category="1", started_on=D(2015, 1, 1), ended_on=None,
    )  # fmt: skip
    assert rules.iae_quota(activity=activity, year=2026, params=IAE).amount_cents == 387_000
    assert not rules.iae_exempt(activity=activity, holder_is_natural_person=False, params=IAE)
    assert rules.iae_exempt(activity=activity, holder_is_natural_person=True, params=IAE)
    small = SimpleNamespace(turnover_cents=50_000_000)
    assert rules.iae_exempt(activity=small, holder_is_natural_person=False, params=IAE)


def test_waste_fee_by_use_with_a_default():
    params = {"fees": {"residential": 9_800, "commercial": 24_000, "default": 9_800}}
    assert rules.waste_quota(use="commercial", params=params).amount_cents == 24_000
    assert rules.waste_quota(use="garage", params=params).amount_cents == 9_800


# --- Periods, surcharges, interest ------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        (D(2025, 1, 10), D(2025, 2, 20)),  # 1-15 → 20th of next month
        (D(2025, 1, 16), D(2025, 3, 5)),  # 16-end → 5th of the second month
        (D(2025, 8, 10), D(2025, 9, 22)),  # 20/09/2025 is a Saturday → Monday
        (D(2025, 12, 31), D(2026, 2, 5)),
    ],
)
def test_assessment_due_art_62_2(notified, due):
    assert rules.assessment_due(notified, weekdays_only) == due


@pytest.mark.parametrize(
    ("notified", "due"),
    [(D(2025, 6, 3), D(2025, 6, 20)), (D(2025, 6, 20), D(2025, 7, 7))],  # 05/07 is Saturday
)
def test_enforcement_due_art_62_5(notified, due):
    assert rules.enforcement_due(notified, weekdays_only) == due


def test_interest_day_by_day_over_rate_changes_and_leap_years():
    # A whole leap year at 4,0625 % over 366 days.
    assert rules.interest_cents(100_000, D(2024, 1, 1), D(2024, 12, 31), RATES) == 4_063
    # December 2022 at 3,75 % and January 2023 at 4,0625 %, both over 365 days.
    expected = Decimal(100_000) * (Decimal("0.0375") * 31 / 365 + Decimal("0.040625") * 31 / 365)
    assert rules.interest_cents(100_000, D(2022, 12, 1), D(2023, 1, 31), RATES) == rules.cents(
        expected
    )
    assert rules.interest_cents(100_000, D(2024, 2, 1), D(2024, 1, 31), RATES) == 0
    with pytest.raises(LookupError):
        rules.interest_cents(100_000, D(2014, 12, 1), D(2015, 1, 5), RATES)


def test_executive_surcharges_5_10_20_art_28():
    common = {"outstanding_cents": 100_000, "voluntary_due": D(2025, 11, 20), "rates": RATES}
    assert rules.executive_charge(on=D(2025, 11, 20), enforcement_notified_on=None,
                                  enforcement_due_on=None, **common) is None  # fmt: skip
    five = rules.executive_charge(
        on=D(2025, 12, 1), enforcement_notified_on=None, enforcement_due_on=None, **common
    )
    assert (five.percent, five.surcharge_cents, five.interest_cents) == (5, 5_000, 0)
    ten = rules.executive_charge(
        on=D(2026, 1, 15), enforcement_notified_on=D(2026, 1, 8),
        enforcement_due_on=D(2026, 1, 20), **common,
    )  # fmt: skip
    assert (ten.percent, ten.surcharge_cents, ten.interest_cents) == (10, 10_000, 0)
    twenty = rules.executive_charge(
        on=D(2026, 1, 21), enforcement_notified_on=D(2026, 1, 8),
        enforcement_due_on=D(2026, 1, 20), **common,
    )  # fmt: skip
    assert twenty.percent == 20 and twenty.surcharge_cents == 20_000
    # Interest from 21/11/2025 to 21/01/2026: 62 days at 4,0625 % / 365.
    assert twenty.interest_cents == rules.cents(Decimal(100_000) * Decimal("0.040625") * 62 / 365)


def test_late_self_assessment_art_27():
    two_months = rules.late_filing(
        principal_cents=100_000, due=D(2025, 6, 30), filed_on=D(2025, 9, 15), rates=RATES
    )
    assert (two_months.months_late, two_months.percent, two_months.surcharge_cents) == (
        2, 3, 3_000,
    )  # fmt: skip
    assert two_months.reduced_surcharge_cents == 2_250
    late = rules.late_filing(
        principal_cents=100_000, due=D(2025, 6, 30), filed_on=D(2026, 8, 1), rates=RATES
    )
    assert (late.percent, late.surcharge_cents) == (15, 15_000)
    # Interest only from the day after the twelve months (01/07/2026) to filing: 32 days.
    assert late.interest_cents == rules.cents(Decimal(100_000) * Decimal("0.040625") * 32 / 365)
    on_time = rules.late_filing(
        principal_cents=100_000, due=D(2025, 6, 30), filed_on=D(2025, 6, 30), rates=RATES
    )
    assert on_time.surcharge_cents == 0


def test_euros_in_spanish_format():
    assert rules.euros(123_456_789) == "1.234.567,89 €"
    assert rules.euros(-5) == "-0,05 €"


# --- SEPA -----------------------------------------------------------------------------------------


def test_iban_validation():
    assert sepa.iban_clean("ES91 2100 0418 4502 0005 1332") == "ES9121000418450200051332"
    assert sepa.iban_clean("ES91 2100 0418 4502 0005 1333") is None
    assert sepa.iban_clean("no es un iban") is None


def test_creditor_identifier_mod_97_over_the_nif():
    assert sepa.creditor_identifier("B85626240") == "ES77000B85626240"
    assert sepa.creditor_identifier_valid("ES77000B85626240")
    assert not sepa.creditor_identifier_valid("ES78000B85626240")


def test_sepa_text_transliterates_and_cuts():
    assert sepa.sepa_text("Peñalba Ibáñez, José Mª", 70) == "Penalba Ibanez, Jose Ma"
    assert sepa.sepa_text("x" * 100, 70) == "x" * 70
