"""The citizen's "my taxes", the tax office's desk and the revenue API."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from concejo.organization.tests.factories import UserFactory
from concejo.people.services import representation_grant
from concejo.people.tests.factories import PersonFactory
from concejo.sectors.revenue import services
from concejo.sectors.revenue.demo import cadastral_reference, voluntary_period
from concejo.sectors.revenue.models import (
    Mandate,
    Movement,
    Property,
    Receipt,
    ReceiptStatus,
    Remittance,
    Roll,
)
from concejo.verification.models import IssuedDocument


@pytest.fixture
def city(revenue):
    """This year's approved IBI roll (in its voluntary period today) and an old unpaid debt."""
    officer, entity = revenue["officer"], revenue["entity"]
    today = timezone.localdate()
    for person in (revenue["ana"], revenue["luis"]):
        person.user = UserFactory(is_staff=False)
        person.save()
    for n, owner in ((1, revenue["ana"]), (2, revenue["luis"])):
        services.property_register(
            officer, entity=entity, cadastral_reference=cadastral_reference(n), kind="urban",
            address=f"Calle {n}", owner=owner, cadastral_value_cents=10_000_000,
        )  # fmt: skip
    from concejo.sectors.revenue.models import TaxParameters

    for tax, params in TaxParameters.objects.filter(year=2026).values_list("tax", "parameters"):
        TaxParameters.objects.get_or_create(
            entity=entity, tax=tax, year=today.year,
            defaults={"parameters": params, "concept_code": "001"},
        )  # fmt: skip
    start, end = voluntary_period(today)
    roll = services.roll_generate(
        officer, entity=entity, tax="ibi_urban", year=today.year, voluntary_start=start,
        voluntary_end=end,
    )  # fmt: skip
    services.roll_approve(officer, roll=roll)
    old = services.assessment_issue(
        officer, entity=entity, tax="ivtm", year=2025, taxpayer=revenue["luis"],
        object_label="Alta del vehículo 3456LMN", principal_cents=10_000,
        notified_on=today - dt.timedelta(days=200),
    )  # fmt: skip
    receipts = {r.taxpayer_id: r for r in Receipt.objects.filter(roll=roll)}
    return {**revenue, "today": today, "ana_ibi": receipts[revenue["ana"].pk], "old": old}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_citizen_sees_only_her_receipts_and_downloads_a_verifiable_payment_letter(client, city):
    client.force_login(city["ana"].user)
    page = client.get("/carpeta/tributos/").content.decode()
    assert "585,00 €" in page and "Calle 1" in page
    assert "Calle 2" not in page and "3456LMN" not in page

    response = client.get(f"/carpeta/tributos/recibos/{city['ana_ibi'].pk}/carta/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(_body(response))
    receipt = city["ana_ibi"]
    assert receipt.reference in text and "Carta de pago" in text and "585,00 €" in text
    assert f"(90)521479999{receipt.reference}{receipt.identification}" in text.replace(" ", "")
    issued = IssuedDocument.objects.get(kind="revenue.payment_letter")
    assert client.get(f"/verificar/{issued.display_code}/").status_code == 200


def test_a_citizen_cannot_reach_another_taxpayers_receipt(client, city):
    client.force_login(city["luis"].user)
    for suffix in ("carta/", "pagar/"):
        assert (
            client.get(f"/carpeta/tributos/recibos/{city['ana_ibi'].pk}/{suffix}").status_code
            == 404
        )
    posted = client.post(f"/carpeta/tributos/{city['ana'].pk}/domiciliacion/", {"iban": "x"})
    assert posted.status_code == 404
    assert not IssuedDocument.objects.exists()


def test_representative_sees_the_grantors_taxes(client, city, system):
    grantor = PersonFactory(entity=city["entity"], first_name="Otorgante")
    services.property_register(
        city["officer"], entity=city["entity"], cadastral_reference=cadastral_reference(7),
        kind="urban", address="Calle Otorgante", owner=grantor, cadastral_value_cents=1_000_000,
    )  # fmt: skip
    representation_grant(
        actor=system, entity=city["entity"], grantor=grantor, representative=city["ana"],
        scope="general", valid_from=city["today"],
        valid_to=city["today"] + dt.timedelta(days=365),
    )  # fmt: skip
    services.assessment_issue(
        city["officer"], entity=city["entity"], tax="ibi_urban", year=city["today"].year,
        taxpayer=grantor, object_label="Liquidación Calle Otorgante", principal_cents=4_321,
        notified_on=city["today"],
    )  # fmt: skip
    client.force_login(city["ana"].user)
    page = client.get("/carpeta/tributos/").content.decode()
    assert "Otorgante" in page and "43,21 €" in page


def test_paying_online_with_the_demo_gateway(client, city):
    client.force_login(city["ana"].user)
    receipt = city["ana_ibi"]
    page = client.get(f"/carpeta/tributos/recibos/{receipt.pk}/pagar/").content.decode()
    assert "demostración" in page and "585,00 €" in page
    client.post(f"/carpeta/tributos/recibos/{receipt.pk}/pagar/")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PAID
    payment = Movement.objects.get(receipt=receipt)
    assert payment.channel == "online" and payment.amount_cents == 58_500
    assert payment.operation.startswith("demo:DEMO-")


def test_an_overdue_debt_is_paid_with_its_surcharge(client, city):
    client.force_login(city["luis"].user)
    page = client.get("/carpeta/tributos/").content.decode()
    assert "En periodo ejecutivo" in page and "105,00 €" in page  # 100 € + 5 %
    client.post(f"/carpeta/tributos/recibos/{city['old'].pk}/pagar/")
    kinds = list(Movement.objects.filter(receipt=city["old"]).values_list("kind", "amount_cents"))
    assert kinds == [("surcharge", 500), ("payment", 10_500)]


def test_direct_debit_from_the_sede_refuses_a_bad_iban(client, city):
    client.force_login(city["ana"].user)
    url = f"/carpeta/tributos/{city['ana'].pk}/domiciliacion/"
    response = client.post(url, {"iban": "ES00 1234", "account_holder": "Ana"}, follow=True)
    assert "no es válido" in response.content.decode()
    assert not Mandate.objects.exists()
    client.post(url, {"iban": "ES91 2100 0418 4502 0005 1332", "account_holder": "Ana"})
    mandate = Mandate.objects.get(debtor=city["ana"])
    city["ana_ibi"].refresh_from_db()
    assert city["ana_ibi"].mandate == mandate  # this year's receipt will be debited


def test_certificate_of_being_up_to_date(client, city):
    client.force_login(city["luis"].user)
    refused = client.get(f"/carpeta/tributos/{city['luis'].pk}/certificado/", follow=True)
    assert "periodo ejecutivo" in refused.content.decode()
    assert not IssuedDocument.objects.filter(kind="revenue.certificate").exists()
    client.force_login(city["ana"].user)
    response = client.get(f"/carpeta/tributos/{city['ana'].pk}/certificado/")
    assert response.status_code == 200
    text = _text(_body(response))
    assert "al corriente" in text and city["ana"].id_number in text
    assert IssuedDocument.objects.filter(kind="revenue.certificate").count() == 1


# --- Backoffice -------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, city):
    client.force_login(city["officer"].user)
    return client


def test_officer_generates_and_approves_a_roll_from_the_desk(officer_client, city):
    start, end = voluntary_period(city["today"])
    officer_client.post("/backoffice/tributos/", {
        "action": "generate", "tax": "waste", "year": str(city["today"].year),
        "voluntary_start": start.isoformat(), "voluntary_end": end.isoformat(),
    })  # fmt: skip
    roll = Roll.objects.get(tax="waste")
    assert roll.receipt_count == 2 and roll.status == "draft"
    page = officer_client.get("/backoffice/tributos/").content.decode()
    assert "Tasa de recogida de basuras" in page
    officer_client.post("/backoffice/tributos/", {"action": "approve", "roll": str(roll.pk)})
    roll.refresh_from_db()
    assert roll.status == "approved"


def test_desk_refuses_a_short_voluntary_period_with_a_clear_message(officer_client, city):
    response = officer_client.post("/backoffice/tributos/", {
        "action": "generate", "tax": "waste", "year": str(city["today"].year),
        "voluntary_start": "2026-09-01", "voluntary_end": "2026-09-30",
    }, follow=True)  # fmt: skip
    assert "inferior a dos meses" in response.content.decode()
    assert not Roll.objects.filter(tax="waste").exists()


def test_desk_payment_and_overpayment(officer_client, city):
    receipt = city["ana_ibi"]
    url = f"/backoffice/tributos/recibos/{receipt.pk}/"
    today = city["today"].isoformat()
    too_much = officer_client.post(
        url, {"action": "pay", "amount": "585,01", "on": today, "channel": "desk"}, follow=True
    )
    assert "supera la deuda" in too_much.content.decode()
    officer_client.post(url, {"action": "pay", "amount": "585,00", "on": today, "channel": "desk"})
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.PAID
    page = officer_client.get(url).content.decode()
    assert "caja municipal" in page and "pagado" in page


def test_remittance_from_the_desk_and_its_file(officer_client, city):
    services.mandate_create(
        city["officer"], entity=city["entity"], debtor=city["ana"],
        iban="ES9121000418450200051332", account_holder="Ana", signed_on=city["today"],
    )  # fmt: skip
    collect = (city["today"] + dt.timedelta(days=5)).isoformat()
    officer_client.post("/backoffice/tributos/", {"action": "remit", "collection_date": collect})
    remittance = Remittance.objects.get()
    assert remittance.item_count == 1
    response = officer_client.post(
        f"/backoffice/tributos/remesas/{remittance.pk}/", {"action": "download"}
    )
    assert b"pain.008.001.02" in _body(response)


def test_desk_bank_file_with_a_wrong_total_changes_nothing(officer_client, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    receipt = city["ana_ibi"]
    content = (
        f"02100479999{city['today']:%Y%m%d}\n"
        f"2{receipt.reference}{receipt.identification}{58_500:012d}{city['today']:%Y%m%d}\n"
        f"9{1:08d}{99:014d}\n"
    ).encode()
    response = officer_client.post(
        "/backoffice/tributos/",
        {"action": "bank_file", "file": SimpleUploadedFile("c60.txt", content)},
        follow=True,
    )
    assert "línea 3" in response.content.decode()
    assert not Movement.objects.exists()


def test_desk_registers_objects_and_refuses_a_bad_reference(officer_client, city):
    officer_client.post("/backoffice/tributos/objetos/", {
        "action": "property", "cadastral_reference": "9872023VH5797S0001WY", "kind": "urban",
        "address": "Calle Mala", "cadastral_value": "1000", "owner": city["ana"].id_number,
    })  # fmt: skip
    assert not Property.objects.filter(address="Calle Mala").exists()
    officer_client.post("/backoffice/tributos/objetos/", {
        "action": "vehicle", "plate": "7777 XYZ", "vehicle_class": "car", "fiscal_hp": "11,5",
        "first_registration": "2020-05-05", "owner": city["ana"].id_number,
    })  # fmt: skip
    page = officer_client.get("/backoffice/tributos/objetos/?q=7777").content.decode()
    assert "7777XYZ" in page


def test_collection_report_sums_by_tax_and_channel(officer_client, city):
    services.payment_record(
        city["officer"], receipt=city["ana_ibi"], amount_cents=58_500, on=city["today"],
        channel="desk",
    )  # fmt: skip
    page = officer_client.get("/backoffice/tributos/recaudacion/").content.decode()
    assert "IBI urbana" in page and "585,00 €" in page


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_receipts_and_records_a_payment(api_key_for, city):
    client = api_key_for(city["entity"], "revenue:read", "revenue:write")
    listed = client.get("/api/v1/revenue/receipts", {"taxpayer": city["ana"].id_number})
    assert listed.status_code == 200
    assert [r["reference"] for r in listed.json()["results"]] == [city["ana_ibi"].reference]
    url = f"/api/v1/revenue/receipts/{city['ana_ibi'].pk}/payments"
    too_much = client.post(url, {"amount_cents": 58_501, "on": city["today"].isoformat()},
                           format="json")  # fmt: skip
    assert too_much.status_code == 400 and too_much.json()["code"] == "payment_exceeds_debt"
    paid = client.post(url, {"amount_cents": 58_500, "on": city["today"].isoformat()},
                       format="json")  # fmt: skip
    assert paid.status_code == 201 and paid.json()["status"] == "paid"
    assert paid.json()["account"][-1]["balance"] == 0


def test_api_refuses_an_invalid_cadastral_reference(api_key_for, city):
    client = api_key_for(city["entity"], "revenue:write")
    response = client.post("/api/v1/revenue/properties", {
        "cadastral_reference": "9872023VH5797S0001WY", "kind": "urban", "address": "x",
        "cadastral_value_cents": 100, "owner": city["ana"].id_number,
    }, format="json")  # fmt: skip
    assert response.status_code == 400 and response.json()["code"] == "invalid_cadastral_reference"


def test_api_read_scope_cannot_pay(api_key_for, city):
    client = api_key_for(city["entity"], "revenue:read")
    response = client.post(
        f"/api/v1/revenue/receipts/{city['ana_ibi'].pk}/payments",
        {"amount_cents": 1, "on": city["today"].isoformat()}, format="json",
    )  # fmt: skip
    assert response.status_code == 403
    assert not Movement.objects.exists()


def test_desk_and_api_register_business_activities(officer_client, api_key_for, city):
    officer_client.post("/backoffice/tributos/objetos/", {
        "action": "activity", "epigraph": "659.2", "description": "Comercio de muebles",
        "address": "Calle Mayor 1", "tariff_quota": "300,50", "turnover": "1.500.000,00",
        "street_category": "1", "started_on": "2020-01-01", "owner": city["ana"].id_number,
    })  # fmt: skip
    page = officer_client.get("/backoffice/tributos/objetos/").content.decode()
    assert "Comercio de muebles" in page and "300,50 €" in page
    client = api_key_for(city["entity"], "revenue:read", "revenue:write")
    created = client.post("/api/v1/revenue/activities", {
        "holder": city["luis"].id_number, "epigraph": "xx", "description": "Bar",
        "address": "Calle 2", "tariff_quota_cents": 100, "street_category": "2",
        "started_on": "2021-01-01",
    }, format="json")  # fmt: skip
    assert created.status_code == 400 and "epigraph" in created.json()["fields"]
    listed = client.get("/api/v1/revenue/activities").json()["results"]
    assert [a["epigraph"] for a in listed] == ["659.2"]


def test_online_payment_is_off_without_a_gateway_and_demo_never_runs_in_production(
    client, city, settings
):
    from django.core.exceptions import ImproperlyConfigured

    from concejo.sectors.revenue.gateways import DemoGateway

    settings.PAYMENT_GATEWAY = ""
    client.force_login(city["ana"].user)
    assert "Pagar en línea" not in client.get("/carpeta/tributos/").content.decode()
    assert client.get(f"/carpeta/tributos/recibos/{city['ana_ibi'].pk}/pagar/").status_code == 404
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        DemoGateway()
