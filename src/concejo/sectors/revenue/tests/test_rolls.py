"""Tax objects, yearly rolls and their receipts, through the services."""

import datetime as dt
from decimal import Decimal

import pytest

from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.organization.tests.factories import MembershipFactory
from concejo.sectors.revenue import rules, services
from concejo.sectors.revenue.demo import cadastral_reference
from concejo.sectors.revenue.models import (
    Property,
    Receipt,
    ReceiptStatus,
    Roll,
    RollStatus,
)
from concejo.sectors.revenue.tests.conftest import VOLUNTARY, YEAR


def _property(revenue, n, owner, value="100000.00", **extra):
    return services.property_register(
        revenue["officer"], entity=revenue["entity"], cadastral_reference=cadastral_reference(n),
        kind="urban", address=f"Calle Mayor {n}", owner=owner,
        cadastral_value_cents=int(Decimal(value) * 100), **extra,
    )  # fmt: skip


def _generate(revenue, tax="ibi_urban", **extra):
    return services.roll_generate(
        revenue["officer"], entity=revenue["entity"], tax=tax, year=YEAR,
        voluntary_start=VOLUNTARY[0], voluntary_end=VOLUNTARY[1], **extra,
    )  # fmt: skip


def test_ibi_roll_has_one_receipt_per_object_with_amount_breakdown_and_reference(revenue):
    _property(revenue, 1, revenue["ana"], "85000.00", bonus="familia_numerosa")
    _property(revenue, 2, revenue["luis"], "120000.00")
    _property(revenue, 3, revenue["luis"], "90000.00", exempt=True)
    _property(revenue, 4, revenue["luis"], "50.00")  # 0,29 € is under the 6 € minimum

    roll = _generate(revenue)

    receipts = list(Receipt.objects.filter(roll=roll).order_by("number"))
    assert [r.principal_cents for r in receipts] == [24_862, 70_200]
    assert roll.receipt_count == 2 and roll.total_cents == 95_062
    first = receipts[0]
    assert first.status == ReceiptStatus.DRAFT and first.taxpayer == revenue["ana"]
    assert ["Cuota líquida", "248,62 €"] in first.breakdown
    # identification: discriminant 1, concept 001, year 26, due 20/11/2026 (day 324)
    assert first.identification == "1001266324"
    expected = rules.c60_check_digits("479999", first.reference[:10], first.identification,
                                      24_862)  # fmt: skip
    assert first.reference[10:] == expected and first.reference.startswith("1")


def test_generating_again_a_draft_roll_gives_the_same_receipts(revenue):
    _property(revenue, 1, revenue["ana"])
    _property(revenue, 2, revenue["luis"])
    first = list(
        Receipt.objects.filter(roll=_generate(revenue)).values_list("number", "reference",
                                                                    "principal_cents")
    )  # fmt: skip
    roll = _generate(revenue)
    again = list(Receipt.objects.filter(roll=roll).values_list("number", "reference",
                                                               "principal_cents"))  # fmt: skip
    assert again == first and Receipt.objects.count() == 2
    assert Roll.objects.count() == 1


def test_an_approved_roll_cannot_be_generated_again(revenue):
    _property(revenue, 1, revenue["ana"])
    roll = services.roll_approve(revenue["officer"], roll=_generate(revenue))
    assert roll.status == RollStatus.APPROVED
    assert set(Receipt.objects.values_list("status", flat=True)) == {ReceiptStatus.PENDING}
    with pytest.raises(Conflict) as exc:
        _generate(revenue)
    assert exc.value.code == "roll_approved"
    assert Receipt.objects.count() == 1


def test_voluntary_period_of_a_roll_lasts_at_least_two_months(revenue):
    with pytest.raises(ValidationFailed) as exc:
        services.roll_generate(
            revenue["officer"], entity=revenue["entity"], tax="ibi_urban", year=YEAR,
            voluntary_start=dt.date(2026, 9, 1), voluntary_end=dt.date(2026, 10, 30),
        )  # fmt: skip
    assert exc.value.code == "voluntary_period_too_short"
    assert not Roll.objects.exists()
    # Exactly two months (1 September to 31 October) is enough.
    services.roll_generate(
        revenue["officer"], entity=revenue["entity"], tax="ibi_urban", year=YEAR,
        voluntary_start=dt.date(2026, 9, 1), voluntary_end=dt.date(2026, 10, 31),
    )  # fmt: skip


def test_a_roll_without_the_years_ordinance_is_refused(revenue):
    with pytest.raises(Conflict) as exc:
        services.roll_generate(
            revenue["officer"], entity=revenue["entity"], tax="ibi_urban", year=2031,
            voluntary_start=dt.date(2031, 9, 1), voluntary_end=dt.date(2031, 11, 20),
        )  # fmt: skip
    assert exc.value.code == "parameters_missing"


def test_invalid_cadastral_reference_is_refused_naming_it(revenue):
    good = cadastral_reference(5)
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    with pytest.raises(ValidationFailed) as exc:
        services.property_register(
            revenue["officer"], entity=revenue["entity"], cadastral_reference=bad, kind="urban",
            address="Calle", cadastral_value_cents=1, owner=revenue["ana"],
        )  # fmt: skip
    assert exc.value.code == "invalid_cadastral_reference" and bad in exc.value.fields[
        "cadastral_reference"][0]  # fmt: skip
    assert not Property.objects.exists()


def test_ivtm_roll_prorates_new_and_removed_vehicles_and_skips_old_removals(revenue):
    officer, entity = revenue["officer"], revenue["entity"]
    common = {"entity": entity, "vehicle_class": "car", "fiscal_hp": Decimal("12")}
    services.vehicle_register(officer, plate="1111AAA", owner=revenue["ana"],
                              first_registration=dt.date(2015, 1, 1), **common)  # fmt: skip
    services.vehicle_register(officer, plate="2222BBB", owner=revenue["ana"],
                              first_registration=dt.date(2026, 8, 10), **common)  # fmt: skip
    removed = services.vehicle_register(officer, plate="3333CCC", owner=revenue["luis"],
                                        first_registration=dt.date(2012, 1, 1), **common)  # fmt: skip
    services.vehicle_remove(officer, vehicle=removed, on=dt.date(2026, 2, 10))
    gone = services.vehicle_register(officer, plate="4444DDD", owner=revenue["luis"],
                                     first_registration=dt.date(2012, 1, 1), **common)  # fmt: skip
    services.vehicle_remove(officer, vehicle=gone, on=dt.date(2025, 6, 1))

    roll = _generate(revenue, tax="ivtm")

    full = 12_086  # 71,94 € × 1,68
    amounts = dict(Receipt.objects.filter(roll=roll).values_list("object_label", "principal_cents"))
    assert amounts == {
        "1111AAA (turismo)": full,
        "2222BBB (turismo)": rules.cents(Decimal(full) * 2 / 4),
        "3333CCC (turismo)": rules.cents(Decimal(full) / 4),
    }


def test_vehicle_needs_the_measure_of_its_class(revenue):
    with pytest.raises(ValidationFailed) as exc:
        services.vehicle_register(
            revenue["officer"], entity=revenue["entity"], plate="5555EEE", vehicle_class="truck",
            owner=revenue["ana"], first_registration=dt.date(2020, 1, 1),
        )  # fmt: skip
    assert exc.value.code == "missing_measure" and "payload_kg" in exc.value.fields


def test_only_tax_officers_of_the_entity_generate_rolls(revenue, other_entity):
    handler = MembershipFactory(entity=revenue["entity"], role="case_handler").user
    foreign = MembershipFactory(entity=other_entity, role="tax_officer").user
    for user in (handler, foreign):
        with pytest.raises(PermissionDenied):
            services.roll_generate(
                Actor(user=user), entity=revenue["entity"], tax="ibi_urban", year=YEAR,
                voluntary_start=VOLUNTARY[0], voluntary_end=VOLUNTARY[1],
            )  # fmt: skip
    assert not Roll.objects.exists()


def test_roll_receipts_of_a_taxpayer_with_a_mandate_are_domiciled(revenue):
    _property(revenue, 1, revenue["ana"])
    _property(revenue, 2, revenue["luis"])
    mandate = services.mandate_create(
        revenue["officer"], entity=revenue["entity"], debtor=revenue["luis"],
        iban="ES76 2077 0024 0031 0257 5766", account_holder="Luis", signed_on=dt.date(2026, 1, 2),
    )  # fmt: skip
    roll = _generate(revenue)
    by_owner = dict(Receipt.objects.filter(roll=roll).values_list("taxpayer_id", "mandate_id"))
    assert by_owner == {revenue["ana"].pk: None, revenue["luis"].pk: mandate.pk}


def test_iae_roll_charges_companies_over_the_threshold_only(revenue):
    from concejo.people.tests.factories import PersonFactory

    officer, entity = revenue["officer"], revenue["entity"]
    company = PersonFactory(entity=entity, kind="legal", id_type="cif", id_number="B47123450",
                            business_name="Limpiezas, S.L.", first_name="")  # fmt: skip
    small = PersonFactory(entity=entity, kind="legal", id_type="cif", id_number="B47000006",
                          business_name="Pequeña, S.L.", first_name="")  # fmt: skip
    common = {"entity": entity, "epigraph": "922.1", "description": "Limpieza",
              "address": "Nave 1", "tariff_quota_cents": 41_326, "street_category": "3",
              "started_on": dt.date(2012, 4, 1)}  # fmt: skip
    services.activity_register(officer, holder=company, turnover_cents=185_000_000, **common)
    services.activity_register(officer, holder=small, turnover_cents=50_000_000, **common)
    services.activity_register(officer, holder=revenue["ana"], turnover_cents=None, **common)

    roll = _generate(revenue, tax="iae")

    receipts = list(Receipt.objects.filter(roll=roll))
    assert [r.taxpayer_id for r in receipts] == [company.pk]
    # 413,26 € × 1,29 (1 to 5 million €) × 2,6 (category 3)
    assert receipts[0].principal_cents == rules.cents(Decimal(41_326) * Decimal("1.29")
                                                      * Decimal("2.6"))  # fmt: skip


def test_activity_needs_a_well_formed_epigraph(revenue):
    with pytest.raises(ValidationFailed) as exc:
        services.activity_register(
            revenue["officer"], entity=revenue["entity"], holder=revenue["ana"],
            epigraph="abc", description="x", address="y", tariff_quota_cents=1,
            street_category="1", started_on=dt.date(2020, 1, 1),
        )  # fmt: skip
    assert "epigraph" in exc.value.fields
