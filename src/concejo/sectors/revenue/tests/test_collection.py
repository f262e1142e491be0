"""Collecting: payments, the executive period, direct debits and bank files."""

import datetime as dt
from decimal import Decimal
from importlib import resources

import pytest
from lxml import etree

from concejo.core.errors import Conflict, ValidationFailed
from concejo.sectors.revenue import rules, sepa, services
from concejo.sectors.revenue.demo import cadastral_reference
from concejo.sectors.revenue.models import (
    BankFile,
    Mandate,
    Movement,
    MovementKind,
    Receipt,
    ReceiptStatus,
    RemittanceItem,
)
from concejo.sectors.revenue.selectors import debt
from concejo.sectors.revenue.tests.conftest import VOLUNTARY, YEAR

D = dt.date
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


@pytest.fixture
def approved(revenue):
    """An approved IBI roll: Ana owes 585,00 €, Luis 292,50 € and has a mandate."""
    officer, entity = revenue["officer"], revenue["entity"]
    for n, owner, value in ((1, revenue["ana"], 10_000_000), (2, revenue["luis"], 5_000_000)):
        services.property_register(
            officer, entity=entity, cadastral_reference=cadastral_reference(n), kind="urban",
            address=f"Calle {n}", owner=owner, cadastral_value_cents=value,
        )  # fmt: skip
    services.mandate_create(
        officer, entity=entity, debtor=revenue["luis"], iban="ES7620770024003102575766",
        account_holder="Luis Pérez", signed_on=D(2026, 1, 2),
    )  # fmt: skip
    roll = services.roll_generate(
        officer, entity=entity, tax="ibi_urban", year=YEAR, voluntary_start=VOLUNTARY[0],
        voluntary_end=VOLUNTARY[1],
    )  # fmt: skip
    services.roll_approve(officer, roll=roll)
    receipts = {r.taxpayer_id: r for r in Receipt.objects.filter(roll=roll)}
    return {**revenue, "ana_receipt": receipts[revenue["ana"].pk],
            "luis_receipt": receipts[revenue["luis"].pk]}  # fmt: skip


def _pay(data, receipt, amount, on, channel="desk"):
    return services.payment_record(
        data["officer"], receipt=receipt, amount_cents=amount, on=on, channel=channel
    )


def test_partial_then_full_payment_in_the_voluntary_period(approved):
    receipt = approved["ana_receipt"]
    assert receipt.principal_cents == 58_500
    _pay(approved, receipt, 20_000, D(2026, 9, 10))
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PENDING
    assert debt(receipt, on=D(2026, 9, 10)).outstanding_cents == 38_500
    _pay(approved, receipt, 38_500, D(2026, 9, 11))
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PAID and receipt.paid_on == D(2026, 9, 11)


def test_a_payment_that_exceeds_the_debt_is_refused_and_not_recorded(approved):
    receipt = approved["ana_receipt"]
    with pytest.raises(ValidationFailed) as exc:
        _pay(approved, receipt, 58_501, D(2026, 9, 10))
    assert exc.value.code == "payment_exceeds_debt" and "585,00 €" in exc.value.fields["amount"][0]
    assert not Movement.objects.exists()


def test_executive_period_5_percent_before_the_enforcement_order(approved):
    receipt = approved["ana_receipt"]
    on = D(2026, 12, 1)
    state = debt(receipt, on=on)
    assert state.period == "executive" and state.executive.percent == 5
    assert state.total_due_cents == 61_425
    with pytest.raises(ValidationFailed) as exc:
        _pay(approved, receipt, 58_500, on)
    assert exc.value.code == "executive_partial_payment"
    _pay(approved, receipt, 61_425, on)
    kinds = list(Movement.objects.filter(receipt=receipt).values_list("kind", "amount_cents"))
    assert kinds == [(MovementKind.SURCHARGE, 2_925), (MovementKind.PAYMENT, 61_425)]


def test_executive_period_10_then_20_percent_with_interest(approved):
    receipt = approved["ana_receipt"]
    services.enforcement_notified(approved["officer"], receipt=receipt, on=D(2027, 1, 11))
    receipt.refresh_from_db()
    ten = debt(receipt, on=D(2027, 1, 20))
    assert ten.executive.percent == 10 and ten.enforcement_due == D(2027, 1, 20)
    assert ten.total_due_cents == 64_350
    twenty = debt(receipt, on=D(2027, 1, 21))
    assert twenty.executive.percent == 20
    # Interest on 585,00 € from 21/11/2026 to 21/01/2027 (62 days) at 4,0625 %.
    interest = rules.cents(Decimal(58_500) * Decimal("0.040625") * 62 / 365)
    assert twenty.executive.interest_cents == interest
    assert twenty.total_due_cents == 58_500 + 11_700 + interest


def test_enforcement_order_only_after_the_voluntary_period(approved):
    with pytest.raises(ValidationFailed) as exc:
        services.enforcement_notified(
            approved["officer"], receipt=approved["ana_receipt"], on=VOLUNTARY[1]
        )
    assert exc.value.code == "still_voluntary"


def test_cancelled_receipt_keeps_its_account_and_takes_no_payment(approved):
    receipt = approved["ana_receipt"]
    _pay(approved, receipt, 8_500, D(2026, 9, 10))
    services.receipt_cancel(approved["officer"], receipt=receipt, reason="Error en el titular")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CANCELLED
    cancel = Movement.objects.get(receipt=receipt, kind=MovementKind.CANCELLATION)
    assert cancel.amount_cents == 50_000
    with pytest.raises(Conflict):
        _pay(approved, receipt, 100, D(2026, 9, 12))


def test_assessment_voluntary_period_follows_art_62_2(revenue):
    receipt = services.assessment_issue(
        revenue["officer"], entity=revenue["entity"], tax="ivtm", year=YEAR,
        taxpayer=revenue["ana"], object_label="Alta 1234ABC", principal_cents=5_000,
        notified_on=D(2026, 8, 10),
    )  # fmt: skip
    # Notified on the 10th: the 20th of the next month, 20/09/2026, is a Sunday.
    assert receipt.voluntary_due == D(2026, 9, 21)
    assert receipt.identification == "1003266264" and receipt.reference.startswith("2")
    unnotified = services.assessment_issue(
        revenue["officer"], entity=revenue["entity"], tax="ivtm", year=YEAR,
        taxpayer=revenue["ana"], object_label="Alta 9999ZZZ", principal_cents=5_000,
    )  # fmt: skip
    assert unnotified.voluntary_due is None and unnotified.number == receipt.number + 1
    services.assessment_notified(revenue["officer"], receipt=unnotified, on=D(2026, 10, 16))
    # 05/12/2026 is a Saturday; Monday 7 (Constitution Day moved in Castilla y León) and
    # Tuesday 8 are holidays: Wednesday 9.
    assert unnotified.voluntary_due == D(2026, 12, 9)


def test_late_self_assessment_carries_the_art_27_surcharge(revenue):
    receipt = services.late_self_assessment(
        revenue["officer"], entity=revenue["entity"], tax="ivtm", year=YEAR,
        taxpayer=revenue["ana"], object_label="Autoliquidación IVTM 1234ABC",
        principal_cents=10_000, due=D(2026, 3, 31), filed_on=D(2026, 6, 15),
    )  # fmt: skip
    assert receipt.principal_cents == 10_300  # two full months late: 3 %
    assert any("art. 27" in label for label, _value in receipt.breakdown)
    # Paid in full within the art. 62.2 period: the surcharge is 25 % less (art. 27.5).
    assert receipt.voluntary_due == D(2026, 7, 20)
    state = debt(receipt, on=D(2026, 7, 20))
    assert state.reduction_cents == 75 and state.total_due_cents == 10_225
    with pytest.raises(ValidationFailed):
        _pay(revenue, receipt, 10_300, D(2026, 7, 20))
    _pay(revenue, receipt, 10_225, D(2026, 7, 20))
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PAID
    kinds = list(Movement.objects.filter(receipt=receipt).values_list("kind", "amount_cents"))
    assert kinds == [(MovementKind.REDUCTION, 75), (MovementKind.PAYMENT, 10_225)]


def test_late_self_assessment_paid_after_its_period_loses_the_reduction(revenue):
    receipt = services.late_self_assessment(
        revenue["officer"], entity=revenue["entity"], tax="ivtm", year=YEAR,
        taxpayer=revenue["ana"], object_label="Autoliquidación IVTM 1234ABC",
        principal_cents=10_000, due=D(2026, 3, 31), filed_on=D(2026, 6, 15),
    )  # fmt: skip
    late = debt(receipt, on=D(2026, 7, 21))
    assert late.reduction_cents == 0 and late.executive.percent == 5


# --- Direct debit ------------------------------------------------------------------------------


def _schema():
    path = resources.files("sepaxml") / "schemas" / "pain.008.001.02.xsd"
    with resources.as_file(path) as xsd:
        return etree.XMLSchema(etree.parse(str(xsd)))


def test_invalid_iban_is_refused_naming_it(revenue):
    with pytest.raises(ValidationFailed) as exc:
        services.mandate_create(
            revenue["officer"], entity=revenue["entity"], debtor=revenue["ana"],
            iban="ES76 2077 0024 0031 0257 5767", account_holder="Ana",
            signed_on=D(2026, 1, 1),
        )  # fmt: skip
    assert exc.value.code == "invalid_iban" and "5767" in exc.value.fields["iban"][0]
    assert not Mandate.objects.exists()


def test_remittance_is_a_schema_valid_pain008_with_first_and_recurrent_debits(approved):
    officer, entity = approved["officer"], approved["entity"]
    old = Mandate.objects.get(debtor=approved["luis"])
    old.first_collected_on = D(2025, 10, 1)  # already debited last year: RCUR
    old.save()
    services.mandate_create(
        officer, entity=entity, debtor=approved["ana"], iban="ES9121000418450200051332",
        account_holder="Ana Peñalba Ibáñez", signed_on=D(2026, 9, 2),
    )  # fmt: skip

    remittance = services.remittance_generate(
        officer, entity=entity, collection_date=D(2026, 10, 1)
    )

    assert remittance.item_count == 2 and remittance.total_cents == 58_500 + 29_250
    with remittance.file.open("rb") as handle:
        content = handle.read()
    document = etree.fromstring(content)
    _schema().assertValid(document)
    assert document.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert document.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "877.50"
    blocks = {
        b.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS): b
        for b in document.findall(".//p:PmtInf", namespaces=NS)
    }
    assert set(blocks) == {"FRST", "RCUR"}
    assert blocks["FRST"].findtext(".//p:Dbtr/p:Nm", namespaces=NS) == "Ana Penalba Ibanez"
    assert blocks["RCUR"].findtext(".//p:InstdAmt", namespaces=NS) == "292.50"
    assert blocks["FRST"].findtext(".//p:ReqdColltnDt", namespaces=NS) == "2026-10-01"
    creditor_id = document.findtext(".//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS)
    assert sepa.creditor_identifier_valid(creditor_id)


def test_remittance_without_domiciled_receipts_is_refused_and_leaves_no_file(revenue, settings):
    from pathlib import Path

    with pytest.raises(Conflict) as exc:
        services.remittance_generate(
            revenue["officer"], entity=revenue["entity"], collection_date=D(2026, 10, 1)
        )
    assert exc.value.code == "nothing_to_remit"
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_settled_remittance_pays_and_a_returned_debit_reopens_the_receipt(approved):
    officer = approved["officer"]
    remittance = services.remittance_generate(
        officer, entity=approved["entity"], collection_date=D(2026, 10, 1)
    )
    services.remittance_settle(officer, remittance=remittance, on=D(2026, 10, 1))
    receipt = approved["luis_receipt"]
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PAID
    assert Mandate.objects.get(debtor=approved["luis"]).first_collected_on == D(2026, 10, 1)
    item = RemittanceItem.objects.get(remittance=remittance)

    with pytest.raises(ValidationFailed) as exc:
        services.remittance_returns(
            officer, remittance=remittance, on=D(2026, 10, 8),
            returns=[(item.end_to_end_id, "AM04"), ("NO-EXISTE", "MD01")],
        )  # fmt: skip
    assert "NO-EXISTE" in exc.value.fields["returns"][0]
    item.refresh_from_db()
    assert item.returned_on is None  # nothing applied

    services.remittance_returns(
        officer, remittance=remittance, on=D(2026, 10, 8), returns=[(item.end_to_end_id, "AM04")]
    )
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PENDING
    assert debt(receipt, on=D(2026, 10, 9)).outstanding_cents == 29_250


# --- Bank collection files ----------------------------------------------------------------------


def _bank_file(receipts, *, total=None, issuer="479999"):
    lines = [f"02100{issuer}20260915"]
    for receipt in receipts:
        lines.append(
            f"2{receipt.reference}{receipt.identification}{receipt.principal_cents:012d}"
            f"20260915OP{receipt.number:014d}"
        )
    declared = sum(r.principal_cents for r in receipts) if total is None else total
    lines.append(f"9{len(receipts):08d}{declared:014d}")
    return ("\n".join(lines) + "\n").encode()


def test_bank_file_is_applied_whole(approved):
    receipts = [approved["ana_receipt"], approved["luis_receipt"]]
    bank = services.bank_file_import(
        approved["officer"], entity=approved["entity"], name="c60.txt",
        content=_bank_file(receipts),
    )  # fmt: skip
    assert bank.payment_count == 2 and bank.total_cents == 87_750
    assert set(Receipt.objects.values_list("status", flat=True)) == {ReceiptStatus.PAID}
    with pytest.raises(Conflict):
        services.bank_file_import(
            approved["officer"], entity=approved["entity"], name="c60.txt",
            content=_bank_file(receipts),
        )  # fmt: skip


def test_bank_file_with_a_wrong_total_applies_nothing_and_names_the_record(approved):
    receipts = [approved["ana_receipt"], approved["luis_receipt"]]
    with pytest.raises(ValidationFailed) as exc:
        services.bank_file_import(
            approved["officer"], entity=approved["entity"], name="c60.txt",
            content=_bank_file(receipts, total=1),
        )  # fmt: skip
    assert "línea 4" in exc.value.fields["file"][0]
    assert not Movement.objects.exists() and not BankFile.objects.exists()


def test_bank_file_with_an_unknown_reference_applies_nothing(approved):
    ana = approved["ana_receipt"]
    stranger = Receipt(
        reference="199999999999", identification=ana.identification, principal_cents=100, number=9
    )
    with pytest.raises(ValidationFailed) as exc:
        services.bank_file_import(
            approved["officer"], entity=approved["entity"], name="c60.txt",
            content=_bank_file([ana, stranger]),
        )  # fmt: skip
    assert (
        "línea 3" in exc.value.fields["file"][0] and "199999999999" in exc.value.fields["file"][0]
    )
    assert not Movement.objects.exists()
    ana.refresh_from_db()
    assert ana.status == ReceiptStatus.PENDING


def test_a_remittance_for_a_receipt_without_mandate_is_refused_naming_it(approved):
    with pytest.raises(ValidationFailed) as exc:
        services.remittance_generate(
            approved["officer"], entity=approved["entity"], collection_date=D(2026, 10, 1),
            receipt_ids=[approved["luis_receipt"].pk, approved["ana_receipt"].pk],
        )  # fmt: skip
    message = exc.value.fields["receipts"][0]
    assert exc.value.code == "receipt_not_debitable"
    assert "Recibo 2" in message and "domiciliación" in message
    assert not RemittanceItem.objects.exists()
    chosen = services.remittance_generate(
        approved["officer"], entity=approved["entity"], collection_date=D(2026, 10, 1),
        receipt_ids=[approved["luis_receipt"].pk],
    )  # fmt: skip
    assert chosen.item_count == 1
