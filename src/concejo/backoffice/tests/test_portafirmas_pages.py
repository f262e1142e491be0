"""The portafirmas, the signature panel and the ENI buttons as employees use them."""

import pytest

from concejo.cases.models import CaseStatus
from concejo.cases.tests.factories import case_for
from concejo.cases.tests.test_eni import closed_case  # noqa: F401  (fixture)
from concejo.core.actors import Actor
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory
from concejo.signatures.models import RequestStatus, SignatureRequest
from concejo.signatures.tests.test_portafirmas import draft_pdf, employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(sealed_council, client):
    unit = UnitFactory(entity=sealed_council)
    handler = MembershipFactory(
        entity=sealed_council, unit=unit, role=Role.CASE_HANDLER,
        user__first_name="Hugo", user__last_name="Tramita",
    ).user  # fmt: skip
    mayor = employee(sealed_council, first="Jesús", last="Alcalde")
    case = case_for(sealed_council, handler=handler, unit=unit)
    from concejo.cases.services import case_document_add

    document = draft_pdf(sealed_council, Actor(user=handler), "Decreto de concesión")
    case_document_add(actor=Actor(user=handler), case=case, document=document)
    return {"handler": handler, "mayor": mayor, "case": case, "document": document}


def test_a_handler_asks_the_mayor_who_signs_from_the_portafirmas(office, client):
    case = office["case"]
    client.force_login(office["handler"])
    page = client.get(f"/backoffice/expedientes/{case.pk}/").content.decode()
    assert "Enviar al portafirmas" in page and "Jesús Alcalde" in page
    response = client.post(
        f"/backoffice/expedientes/{case.pk}/",
        {"action": "request_signature", "documents": ["1"], "signers": [office["mayor"].username],
         "mode": "sequential", "subject": "Decreto"},
        follow=True,
    )  # fmt: skip
    assert "Hecho." in response.content.decode()
    request = SignatureRequest.objects.get()
    assert request.case_id == case.pk
    sent = client.get("/backoffice/portafirmas/?bandeja=sent").content.decode()
    assert "Decreto" in sent and "Anular" in sent

    client.force_login(office["mayor"])
    inbox = client.get("/backoffice/portafirmas/").content.decode()
    assert "Decreto de concesión" in inbox and "Firmar" in inbox
    # The mayor does not work in the case's unit, yet reads what he is asked to sign.
    assert client.get(f"/backoffice/expedientes/{case.pk}/").status_code == 404
    assert client.get(f"/backoffice/documentos/{office['document'].pk}/").content.startswith(
        b"%PDF"
    )
    done = client.post(
        f"/backoffice/portafirmas/{request.pk}/", {"action": "sign"}, follow=True
    ).content.decode()
    assert "Documentos firmados." in done
    request.refresh_from_db()
    assert request.status == RequestStatus.SIGNED
    signed_box = client.get("/backoffice/portafirmas/?bandeja=signed").content.decode()
    assert "Decreto" in signed_box

    client.force_login(office["handler"])
    panel = client.get(f"/backoffice/expedientes/{case.pk}/").content.decode()
    assert "Firma de empleado público: Jesús Alcalde" in panel
    office["document"].refresh_from_db()
    assert f"CSV <code>{office['document'].issued.display_code}</code>" in panel
    download = client.get(f"/backoffice/documentos/{office['document'].pk}/")
    assert download.content.startswith(b"%PDF") and len(download.content) == office["document"].size


def test_a_rejection_with_its_reason_is_shown_to_whoever_asked(office, client):
    client.force_login(office["handler"])
    client.post(
        f"/backoffice/expedientes/{office['case'].pk}/",
        {"action": "request_signature", "documents": ["1"], "signers": [office["mayor"].username]},
    )
    request = SignatureRequest.objects.get()
    client.force_login(office["mayor"])
    empty = client.post(f"/backoffice/portafirmas/{request.pk}/", {"action": "reject"}, follow=True)
    assert "Explique el motivo del rechazo." in empty.content.decode()
    client.post(
        f"/backoffice/portafirmas/{request.pk}/",
        {"action": "reject", "reason": "Falta el informe"},
    )
    client.force_login(office["handler"])
    sent = client.get("/backoffice/portafirmas/?bandeja=sent").content.decode()
    assert "«Falta el informe»" in sent and "Rechazada" in sent


def test_export_and_import_buttons(closed_case, client, other_entity):  # noqa: F811
    case = closed_case["case"]
    client.force_login(closed_case["actor"].user)
    page = client.get(f"/backoffice/expedientes/{case.pk}/").content.decode()
    assert "Exportar en formato ENI" in page
    bundle = client.get(f"/backoffice/expedientes/{case.pk}/eni")
    assert bundle["Content-Type"] == "application/zip"
    unit = UnitFactory(entity=other_entity)
    receiver = MembershipFactory(entity=other_entity, unit=unit, role=Role.CASE_HANDLER).user
    client.force_login(receiver)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/backoffice/expedientes/importar-eni",
        {"bundle": SimpleUploadedFile("exp.zip", bundle.content), "unit": unit.dir3_code},
        follow=True,
    )
    html = response.content.decode()
    assert "importado" in html and case.eni_identifier in html
    wrong = client.post(
        "/backoffice/expedientes/importar-eni",
        {"bundle": SimpleUploadedFile("exp.zip", b"nada"), "unit": unit.dir3_code},
        follow=True,
    )
    assert "no es un paquete ENI" in wrong.content.decode()
    assert case.status == CaseStatus.CLOSED


def test_signers_sign_in_the_order_chosen_not_alphabetically(office, client, sealed_council):
    zoe = employee(sealed_council, first="Zoe", last="Zapata")
    client.force_login(office["handler"])
    page = client.get(f"/backoffice/expedientes/{office['case'].pk}/").content.decode()
    assert "Firmante 1" in page and "Firmante 4" in page
    client.post(
        f"/backoffice/expedientes/{office['case'].pk}/",
        {"action": "request_signature", "documents": ["1"],
         "signers": [zoe.username, office["mayor"].username, "", ""]},
    )  # fmt: skip
    steps = SignatureRequest.objects.get().steps.order_by("order")
    assert [s.signer for s in steps] == [zoe, office["mayor"]]


def test_the_desk_gathers_what_waits_for_each_employee(office, client):
    """The desk's first page: signatures waiting for me, my tasks, my units' cases."""
    from concejo.cases.services import task_create

    case = office["case"]
    handler, mayor = office["handler"], office["mayor"]
    task_create(
        actor=Actor(user=handler), case=case, title="Pedir informe técnico", business_days=5,
        assigned_user=handler,
    )  # fmt: skip
    client.force_login(handler)
    client.post(
        f"/backoffice/expedientes/{case.pk}/",
        {"action": "request_signature", "documents": ["1"], "signers": [mayor.username],
         "mode": "sequential", "subject": "Decreto de la obra"},
    )  # fmt: skip
    desk = client.get("/backoffice/").content.decode()
    assert 'Mis tareas</a> <span class="count">(1)' in desk
    assert "Pedir informe técnico" in desk and case.case_code in desk
    assert "No tiene documentos esperando su firma." in desk  # the handler asked, not signs

    client.force_login(mayor)
    desk = client.get("/backoffice/").content.decode()
    assert 'Firmas pendientes</a> <span class="count">(1)' in desk
    assert "Decreto de la obra" in desk
    assert "Pedir informe técnico" not in desk  # another employee's task
