"""ENI export and import of closed cases, validated against the official schemas."""

import base64
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from concejo.cases import services
from concejo.cases.eni import NS, case_eni_export, case_eni_import
from concejo.cases.models import Case, CaseStatus
from concejo.cases.tests.factories import case_for
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, ValidationFailed
from concejo.documents.models import Document
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory
from concejo.signatures import services as signatures
from concejo.signatures.tests.test_portafirmas import draft_pdf, employee

pytestmark = pytest.mark.django_db

XSD = Path(settings.REPO_ROOT).parent / "shared" / "reference" / "xsd" / "eni"


def schema(name: str) -> etree.XMLSchema:
    if not (XSD / name).exists():
        pytest.skip(f"The official ENI schemas are not in {XSD} (../shared/reference)")
    return etree.XMLSchema(etree.parse(str(XSD / name)))


@pytest.fixture
def closed_case(sealed_council):
    unit = UnitFactory(entity=sealed_council)
    handler = MembershipFactory(entity=sealed_council, unit=unit, role=Role.CASE_HANDLER).user
    actor = Actor(user=handler)
    case = case_for(sealed_council, handler=handler, unit=unit)
    signed = draft_pdf(sealed_council, actor, "Resolución")
    services.case_document_add(actor=actor, case=case, document=signed)
    services.case_document_upload(
        actor=actor, case=case, title="Informe técnico", file_name="informe.txt",
        content=b"Informe favorable.", document_type="TD13",
    )  # fmt: skip
    boss = employee(sealed_council)
    request = signatures.signature_request_create(
        actor=actor, entity=sealed_council, subject="Resolución", documents=[signed],
        signers=[boss], case=case,
    )  # fmt: skip
    signatures.signature_sign(actor=Actor(user=boss), request=request)
    for status in (CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.NOTIFIED):
        case = services.case_transition(actor=actor, case=case, to_status=status)
    case = services.case_close(actor=actor, case=case)
    return {"case": case, "actor": actor, "entity": sealed_council}


def test_the_exported_bundle_validates_against_the_official_eni_schemas(closed_case):
    bundle = zipfile.ZipFile(
        io.BytesIO(case_eni_export(actor=closed_case["actor"], case=closed_case["case"]))
    )
    case = closed_case["case"]
    expediente = etree.fromstring(bundle.read("expediente.xml"))
    schema("expedienteEni.xsd").assertValid(expediente)
    assert expediente.tag == f"{{{NS['eniexp']}}}expediente"
    assert (
        expediente.findtext("eniexpmeta:metadatosExp/eniexpmeta:Identificador", namespaces=NS)
        == case.eni_identifier
    )
    assert expediente.findtext("eniexpmeta:metadatosExp/eniexpmeta:Estado", namespaces=NS) == "E02"
    entries = expediente.findall(".//eniconexpind:DocumentoIndizado", NS)
    lines = list(case.index.select_related("document"))
    assert len(entries) == len(lines) == 2
    document_schema = schema("documentoEni.xsd")
    for entry, line in zip(entries, lines, strict=True):
        identifier = entry.findtext("eniconexpind:IdentificadorDocumento", namespaces=NS)
        assert identifier == line.document.eni_identifier
        assert entry.findtext("eniconexpind:FuncionResumen", namespaces=NS) == "SHA256"
        assert (
            base64.b64decode(entry.findtext("eniconexpind:ValorHuella", namespaces=NS)).hex()
            == line.sha256
        )
        document = etree.fromstring(bundle.read(f"documentos/{identifier}.xml"))
        document_schema.assertValid(document)
        content = base64.b64decode(
            document.findtext("enifile:contenido/enifile:ValorBinario", namespaces=NS)
        )
        assert hashlib.sha256(content).hexdigest() == line.sha256
    # The signed resolution says so: PAdES inside its content, plus its CSV.
    types = [
        t.text
        for t in etree.fromstring(
            bundle.read(f"documentos/{lines[0].document.eni_identifier}.xml")
        ).iter(f"{{{NS['enids']}}}TipoFirma")
    ]
    assert types == ["TF06", "TF01"]
    index_signature = expediente.find(".//eniexpind:indice/enids:firmas/enids:firma", NS)
    assert index_signature.findtext("enids:TipoFirma", namespaces=NS) == "TF04"


def test_an_imported_bundle_recreates_the_case_with_the_same_identifiers_and_hashes(
    closed_case, other_entity
):
    raw = case_eni_export(actor=closed_case["actor"], case=closed_case["case"])
    original = closed_case["case"]
    unit = UnitFactory(entity=other_entity)
    clerk = Actor(
        user=MembershipFactory(entity=other_entity, unit=unit, role=Role.CASE_HANDLER).user
    )
    imported = case_eni_import(actor=clerk, entity=other_entity, raw=raw, responsible_unit=unit)
    assert imported.eni_identifier == original.eni_identifier
    assert (imported.status, imported.eni_state) == (CaseStatus.CLOSED, "E02")
    assert [
        (line.position, line.document.eni_identifier, line.sha256)
        for line in imported.index.select_related("document")
    ] == [
        (line.position, line.document.eni_identifier, line.sha256)
        for line in original.index.select_related("document")
    ]
    for line in imported.index.select_related("document"):
        assert line.document.entity_id == other_entity.pk and line.document.status == "final"
    assert "índice firmado por" in imported.events.get(kind="eni_import").detail
    # Importing it again into the same entity is refused.
    with pytest.raises(Conflict) as err:
        case_eni_import(actor=clerk, entity=other_entity, raw=raw, responsible_unit=unit)
    assert err.value.code == "already_imported"


def rebuild(raw: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
    return out.getvalue()


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        # a document's content swapped: its hash no longer matches the index
        (
            lambda n, d: (
                d.replace(b"<enifile:ValorBinario>", b"<enifile:ValorBinario>QUJD")
                if n.startswith("documentos/")
                else d
            ),
            "hash_mismatch",
        ),
        # the index edited after signing (another order number)
        (
            lambda n, d: (
                d.replace(
                    b"<eniconexpind:OrdenDocumentoExpediente>2<",
                    b"<eniconexpind:OrdenDocumentoExpediente>7<",
                )
                if n == "expediente.xml"
                else d
            ),
            "index_signature_invalid",
        ),
        # XML that breaks the schema (an unknown ENI state)
        (
            lambda n, d: (
                d.replace(b"<eniexpmeta:Estado>E02<", b"<eniexpmeta:Estado>E09<")
                if n == "expediente.xml"
                else d
            ),
            "eni_schema_invalid",
        ),
        # not even XML
        (lambda n, d: b"<expediente" if n == "expediente.xml" else d, "invalid_xml"),
    ],
)
def test_a_bundle_that_does_not_check_out_is_refused_and_nothing_is_written(
    closed_case, other_entity, settings, tamper, code
):
    import os

    raw = rebuild(case_eni_export(actor=closed_case["actor"], case=closed_case["case"]), tamper)
    unit = UnitFactory(entity=other_entity)
    clerk = Actor(
        user=MembershipFactory(entity=other_entity, unit=unit, role=Role.CASE_HANDLER).user
    )
    files_before = sum(len(f) for _, _, f in os.walk(settings.MEDIA_ROOT))
    if code == "eni_schema_invalid":
        schema("expedienteEni.xsd")
    with pytest.raises(ValidationFailed) as err:
        case_eni_import(actor=clerk, entity=other_entity, raw=raw, responsible_unit=unit)
    assert err.value.code == code
    assert not Case.objects.filter(entity=other_entity).exists()
    assert not Document.objects.filter(entity=other_entity).exists()
    assert sum(len(f) for _, _, f in os.walk(settings.MEDIA_ROOT)) == files_before


def test_only_closed_cases_are_exported(sealed_council):
    handler = MembershipFactory(entity=sealed_council, role=Role.CASE_HANDLER).user
    case = case_for(sealed_council, handler=handler)
    with pytest.raises(Conflict) as err:
        case_eni_export(actor=Actor(user=handler), case=case)
    assert err.value.code == "case_not_closed"


def test_the_api_exports_and_imports_bundles(closed_case, other_entity, api_key_for):
    reader = api_key_for(closed_case["entity"], "cases:read")
    response = reader.get(f"/api/v1/cases/{closed_case['case'].pk}/eni")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    UnitFactory(entity=other_entity, dir3_code="LA0099999")
    writer = api_key_for(other_entity, "cases:write", "cases:read")
    created = writer.post(
        "/api/v1/cases/eni",
        {"bundle": io.BytesIO(raw), "responsible_unit": "LA0099999"},
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["eni_identifier"] == closed_case["case"].eni_identifier
    assert len(created.json()["index"]) == 2
    broken = writer.post(
        "/api/v1/cases/eni",
        {"bundle": io.BytesIO(b"no es un zip"), "responsible_unit": "LA0099999"},
        format="multipart",
    )
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_bundle"
    assert reader.post("/api/v1/cases/eni", {}, format="multipart").status_code == 403


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        (
            lambda n, d: (
                d.replace(b"<enifile:ValorBinario>", b"<enifile:ValorBinario>%%")
                if n.startswith("documentos/")
                else d
            ),
            "invalid_xml",
        ),
        (
            lambda n, d: (
                d.replace(b"enidocmeta:metadatos", b"enidocmeta:otros")
                if n.startswith("documentos/")
                else d
            ),
            "eni_incomplete",
        ),
    ],
)
def test_without_the_schemas_a_broken_bundle_is_still_a_clear_400(
    closed_case, other_entity, settings, tamper, code
):
    settings.ENI_XSD_DIR = "/nonexistent"
    raw = rebuild(case_eni_export(actor=closed_case["actor"], case=closed_case["case"]), tamper)
    unit = UnitFactory(entity=other_entity)
    clerk = Actor(
        user=MembershipFactory(entity=other_entity, unit=unit, role=Role.CASE_HANDLER).user
    )
    with pytest.raises(ValidationFailed) as err:
        case_eni_import(actor=clerk, entity=other_entity, raw=raw, responsible_unit=unit)
    assert err.value.code == code


def test_documents_the_entity_already_holds_are_refused(closed_case, other_entity):
    raw = case_eni_export(actor=closed_case["actor"], case=closed_case["case"])
    unit = UnitFactory(entity=other_entity)
    clerk = Actor(
        user=MembershipFactory(entity=other_entity, unit=unit, role=Role.CASE_HANDLER).user
    )
    held = closed_case["case"].index.first().document
    Document.objects.create(
        entity=other_entity, eni_identifier=held.eni_identifier, title="x", file_name="x.pdf",
        file="x", mime_type="application/pdf", size=1, sha256="0" * 64, captured_at=held.captured_at,
        origin="administration", elaboration_state="EE01", document_type="TD99", created_by="t",
    )  # fmt: skip
    with pytest.raises(Conflict) as err:
        case_eni_import(actor=clerk, entity=other_entity, raw=raw, responsible_unit=unit)
    assert err.value.code == "document_exists"
    assert not Case.objects.filter(entity=other_entity).exists()
