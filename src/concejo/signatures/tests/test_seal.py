"""Seals made with pyHanko, checked by an independent verifier (poppler's pdfsig)."""

import pytest

from concejo.core.actors import Actor
from concejo.core.errors import ValidationFailed
from concejo.organization.services import entity_seal_set
from concejo.signatures.pki import create_test_pki
from concejo.signatures.tests.helpers import pdfsig
from concejo.verification.services import document_content

pytestmark = pytest.mark.django_db


def test_receipts_are_sealed_and_pdfsig_finds_a_valid_signature(
    sealed_council, registry_setup, api_key_for, tmp_path, django_capture_on_commit_callbacks
):
    from concejo.registry.tests.test_api import body

    writer = api_key_for(sealed_council, "registry:write", "registry:read")
    with django_capture_on_commit_callbacks(execute=True):
        created = writer.post("/api/v1/registry/entries", body(), format="json").json()
    content = writer.get(created["receipt_url"]).content
    report = pdfsig(content, tmp_path)
    assert "Signature #1" in report
    assert "Signature is Valid" in report
    assert f"SELLO DE PRUEBAS {sealed_council.name.upper()}" in report
    assert "adbe.pkcs7.detached" in report or "ETSI.CAdES.detached" in report


def test_a_tampered_sealed_pdf_fails_verification(
    sealed_council, registry_setup, api_key_for, tmp_path, django_capture_on_commit_callbacks
):
    from concejo.registry.models import RegistryEntry
    from concejo.registry.tests.test_api import body

    writer = api_key_for(sealed_council, "registry:write", "registry:read")
    with django_capture_on_commit_callbacks(execute=True):
        writer.post("/api/v1/registry/entries", body(), format="json")
    content = document_content(RegistryEntry.objects.get().receipt)
    tampered = content.replace(b"Justificante", b"Justificanto", 1)
    assert tampered != content
    report = pdfsig(tampered, tmp_path)
    assert "Signature is Valid" not in report


def test_a_seal_that_cannot_be_opened_or_has_expired_is_refused(council, settings, tmp_path):
    settings.SEAL_PASSWORD = "otra"
    _ca, seal = create_test_pki(
        directory=tmp_path, entity_name=council.name, nif=council.nif, password="correcta"
    )
    with pytest.raises(ValidationFailed) as err:
        entity_seal_set(actor=Actor.system(), entity=council, path=str(seal))
    assert err.value.code == "seal_unavailable"
    settings.SEAL_PASSWORD = "correcta"
    _ca, old = create_test_pki(
        directory=tmp_path / "old",
        entity_name=council.name,
        nif=council.nif,
        password="correcta",
        days=-1,
    )
    with pytest.raises(ValidationFailed) as err:
        entity_seal_set(actor=Actor.system(), entity=council, path=str(old))
    assert "caducó" in err.value.message
    with pytest.raises(ValidationFailed):
        entity_seal_set(actor=Actor.system(), entity=council, path=str(tmp_path / "no-existe.p12"))
    council.refresh_from_db()
    assert council.seal_certificate_path == ""


def test_documents_generated_from_templates_are_sealed(sealed_council, registry_setup, tmp_path):
    from concejo.cases import services as cases
    from concejo.demo.catalog import TEMPLATES
    from concejo.documents.services import document_content as stored
    from concejo.documents.services import document_template_save

    case = cases.case_open(
        actor=Actor.system(),
        entity=sealed_council,
        subject="Licencia",
        parties=[],
        responsible_unit=registry_setup["licences"],
    )
    template = document_template_save(actor=Actor.system(), entity=sealed_council, **TEMPLATES[2])
    document = cases.case_document_generate(actor=Actor.system(), case=case, template=template)
    report = pdfsig(stored(document), tmp_path)
    assert "Signature is Valid" in report
    assert document_content(document.issued) == stored(document)  # the CSV gives the sealed file


def test_anyone_checks_the_signatures_of_a_pdf(
    sealed_council, registry_setup, api_key_for, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from concejo.registry.models import RegistryEntry
    from concejo.registry.tests.test_api import body

    writer = api_key_for(sealed_council, "registry:write")
    with django_capture_on_commit_callbacks(execute=True):
        writer.post("/api/v1/registry/entries", body(), format="json")
    sealed = document_content(RegistryEntry.objects.get().receipt)

    report = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("j.pdf", sealed)}
    ).json()
    (signature,) = report["signatures"]
    assert (signature["intact"], signature["trusted"], signature["covers_whole_file"]) == (
        True,
        True,
        True,
    )
    assert "SELLO DE PRUEBAS" in signature["signer"]
    assert signature["signed_at"]

    tampered = sealed.replace(b"Justificante", b"Justificanto", 1)
    bad = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("j.pdf", tampered)}
    ).json()
    assert bad["signatures"][0]["intact"] is False

    from reportlab.platypus import Paragraph

    from concejo.core.pdf import BODY, build_pdf

    plain = build_pdf(
        [Paragraph("Sin firmar", BODY)], title="x", author="x", footer=lambda c, d: None
    )
    unsigned = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("a.pdf", plain)}
    )
    assert (unsigned.status_code, unsigned.json()["code"]) == (400, "no_signatures")
    not_pdf = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("a.pdf", b"hola")}
    )
    assert not_pdf.json()["code"] == "not_a_pdf"

    page = client.post(
        "/verificar/firma/", {"fichero": SimpleUploadedFile("justificante.pdf", sealed)}
    )
    assert "Firma válida." in page.content.decode()
    page = client.post("/verificar/firma/", {"fichero": SimpleUploadedFile("x.pdf", b"hola")})
    assert page.status_code == 400 and "El fichero no es un PDF." in page.content.decode()
