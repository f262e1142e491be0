import base64
import io
import json

import pytest

from concejo.registry.models import RegistryEntry
from concejo.registry.tests.conftest import PDF, PNG, stored_files

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def body(**overrides):
    values = {
        "subject": "Solicitud de licencia de obra menor",
        "expone": "Quiero reformar la cocina.",
        "solicita": "Licencia de obra menor.",
        "interested_parties": [
            {
                "id_type": "nif",
                "id_number": "12345678Z",
                "name": "María",
                "surname": "García",
                "municipality_ine": "47186",
            },
        ],
        "destination_unit": "LA0000031",
        "attachments": [{"name": "presupuesto.pdf", "content_base64": b64(PDF)}],
    }
    values.update(overrides)
    return values


@pytest.fixture
def writer(api_key_for, council, registry_setup):
    return api_key_for(council, "registry:read", "registry:write")


def test_filing_returns_the_documented_fields_and_a_receipt(
    writer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post("/api/v1/registry/entries", body(), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    for key in (
        "id",
        "number",
        "year",
        "direction",
        "registry_code",
        "filed_at",
        "effective_at",
        "csv",
        "receipt_url",
    ):
        assert key in created
    assert (created["number"], created["direction"], created["destination_unit"]) == (
        1,
        "in",
        "LA0000031",
    )
    assert created["attachments"][0]["mime_type"] == "application/pdf"
    receipt = writer.get(created["receipt_url"])
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_the_create_response_is_the_entry_as_stored(writer):
    # The response is built from what the service wrote, without reading it back:
    # it must say exactly what a later read of the entry says.
    parties = body()["interested_parties"] + [
        {"id_type": "nif", "id_number": "87654321X", "name": "Luis", "surname": "Pérez"}
    ]
    attachments = [{"name": "presupuesto.pdf", "content_base64": b64(PDF)},
                   {"name": "plano.png", "content_base64": b64(PNG)}]  # fmt: skip
    created = writer.post(
        "/api/v1/registry/entries",
        body(interested_parties=parties, attachments=attachments),
        format="json",
    ).json()
    stored = writer.get(f"/api/v1/registry/entries/{created['id']}").json()
    assert {key: stored[key] for key in created} == created
    assert [p["id_number"] for p in created["interested_parties"]] == ["12345678Z", "87654321X"]
    assert [p["role"] for p in created["interested_parties"]] == ["applicant", "interested"]
    assert [a["name"] for a in created["attachments"]] == ["presupuesto.pdf", "plano.png"]


def test_multipart_upload_with_a_scan(writer):
    data = body()
    data.pop("attachments")
    response = writer.post(
        "/api/v1/registry/entries",
        {"data": json.dumps({**data, "attachments_validity": ["simple_copy"]}),
         "attachments": [io.BytesIO(PNG)]},
        format="multipart",
    )  # fmt: skip
    # BytesIO has no name: DRF names it after the field; give it a real one instead.
    assert response.status_code in (201, 400)
    upload = io.BytesIO(PNG)
    upload.name = "escaneo.png"
    response = writer.post(
        "/api/v1/registry/entries",
        {
            "data": json.dumps({**data, "attachments_validity": ["simple_copy"]}),
            "attachments": [upload],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["attachments"][0]["validity"] == "simple_copy"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"interested_parties": []}, "interested_parties", "missing_interested"),
        ({"destination_unit": "LA9999999"}, "destination_unit", "unknown_unit"),
        ({"attachments": [{"name": "foto.jpg", "content_base64": b64(PDF)}]}, "attachments.0", "content_mismatch"),
        ({"attachments": [{"name": "a.pdf", "content_base64": "no es base64!"}]}, "attachments.0.content_base64", "malformed_base64"),
        ({"interested_parties": [{"id_type": "nif", "id_number": "12345678A", "name": "X", "surname": "Y"}]}, "interested_parties.0.id_number", "invalid_id_number"),
        ({"representative": {"id_type": "nif", "id_number": "71234567W", "name": "Juan", "surname": "Pérez"}}, "representative", "no_valid_representation"),
        ({"procedure": "NO-EXISTE"}, "procedure", "procedure_not_available"),
        ({"subject": ""}, "subject", "invalid"),
    ],
)  # fmt: skip
def test_bad_input_is_400_with_a_code_and_nothing_is_left(
    writer, isolated_media, overrides, field, code
):
    response = writer.post("/api/v1/registry/entries", body(**overrides), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["fields"]
    assert not RegistryEntry.objects.exists()
    assert stored_files(isolated_media) == []
    from concejo.people.models import Person

    assert not Person.objects.exists(), "persons created for a failed entry are rolled back"


def test_an_over_size_upload_is_rejected(writer, settings, isolated_media):
    settings.REGISTRY_MAX_FILE_BYTES = 1024
    big = PDF + b"x" * 2048
    response = writer.post(
        "/api/v1/registry/entries",
        body(attachments=[{"name": "big.pdf", "content_base64": b64(big)}]),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_too_large"
    assert stored_files(isolated_media) == []


def test_scopes_and_entity_boundaries(api_key_for, council, other_entity, registry_setup, writer):
    entry_id = writer.post("/api/v1/registry/entries", body(), format="json").json()["id"]
    reader = api_key_for(council, "registry:read")
    assert (
        reader.post("/api/v1/registry/entries", body(), format="json").json()["code"]
        == "missing_scope"
    )
    stranger = api_key_for(other_entity, "registry:read")
    assert stranger.get(f"/api/v1/registry/entries/{entry_id}").status_code == 404
    assert stranger.get(f"/api/v1/registry/entries/{entry_id}/receipt").status_code == 404
    assert stranger.get("/api/v1/registry/entries").json()["results"] == []
    assert api_key_for(council, "people:read").get("/api/v1/registry/entries").status_code == 403


def test_list_filters_and_keyset_pages(writer, django_assert_max_num_queries):
    writer.post("/api/v1/registry/entries", body(subject="Licencia de vado"), format="json")
    writer.post(
        "/api/v1/registry/entries",
        body(subject="Queja por ruido", interested_parties=[{"id_type": "nie", "id_number": "X1234567L", "name": "Andrei", "surname": "Popescu"}]),
        format="json",
    )  # fmt: skip
    writer.post(
        "/api/v1/registry/entries",
        body(subject="Licencia de obra", destination_unit="LA0000032"),
        format="json",
    )

    def subjects(**params):
        return [
            e["subject"] for e in writer.get("/api/v1/registry/entries", params).json()["results"]
        ]

    assert subjects(q="vado") == ["Licencia de vado"]
    assert subjects(q="LICENCIA ruido") == ["Queja por ruido"]
    assert subjects(interested="x1234567l") == ["Queja por ruido"]
    assert subjects(unit="LA0000032") == ["Licencia de obra"]
    assert subjects(direction="out") == []
    assert len(subjects(**{"from": "2000-01-01", "to": "2100-01-01"})) == 3
    assert writer.get("/api/v1/registry/entries", {"from": "ayer"}).json()["code"] == "invalid_date"
    seen, url = [], "/api/v1/registry/entries?page_size=2"
    while url:
        with django_assert_max_num_queries(12):
            page = writer.get(url).json()
        seen += [e["number"] for e in page["results"]]
        url = page["next"]
    assert seen == [1, 2, 3]


def test_distribution_over_the_api(writer):
    entry_id = writer.post("/api/v1/registry/entries", body(), format="json").json()["id"]
    accepted = writer.post(f"/api/v1/registry/entries/{entry_id}/accept")
    assert accepted.json()["distribution_status"] == "accepted"
    again = writer.post(f"/api/v1/registry/entries/{entry_id}/accept")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    forwarded = writer.post(
        f"/api/v1/registry/entries/{entry_id}/forward",
        {"to_unit": "LA0000032", "reason": "Es de obras"},
        format="json",
    )
    assert forwarded.json()["current_unit"] == "LA0000032"
    note = writer.post(
        f"/api/v1/registry/entries/{entry_id}/annotations",
        {"text": "Corrección del asunto"},
        format="json",
    )
    assert note.status_code == 201


def test_attachments_download_with_safe_headers(writer):
    entry_id = writer.post("/api/v1/registry/entries", body(), format="json").json()["id"]
    response = writer.get(f"/api/v1/registry/entries/{entry_id}/attachments/1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert writer.get(f"/api/v1/registry/entries/{entry_id}/attachments/9").status_code == 404


def test_sicres_export_and_import_over_the_api(writer, api_key_for, other_entity):
    from concejo.core.actors import Actor
    from concejo.organization.services import entity_update
    from concejo.organization.tests.factories import UnitFactory

    outgoing = body(
        direction="out",
        destination={"code": other_entity.dir3_code, "name": other_entity.name},
        destination_unit="",
    )
    created = writer.post("/api/v1/registry/entries", outgoing, format="json")
    assert created.status_code == 201, created.json()
    exported = writer.get(f"/api/v1/registry/entries/{created.json()['id']}/sicres")
    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/xml"
    assert b"Fichero_Intercambio_SICRES_3" in exported.content

    unit = UnitFactory(entity=other_entity, dir3_code="LA0000901")
    entity_update(
        actor=Actor.system(), entity=other_entity, name=other_entity.name, registry_unit=unit
    )
    receiver = api_key_for(other_entity, "registry:write", "registry:read")
    upload = io.BytesIO(exported.content)
    upload.name = "intercambio.xml"
    imported = receiver.post("/api/v1/registry/sicres", {"file": upload}, format="multipart")
    assert imported.status_code == 201, imported.json()
    assert (imported.json()["channel"], imported.json()["subject"]) == ("sir", body()["subject"])
    garbage = io.BytesIO(b"esto no es XML")
    garbage.name = "x.xml"
    refused = receiver.post("/api/v1/registry/sicres", {"file": garbage}, format="multipart")
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_sicres")


def test_form_data_must_satisfy_the_procedures_schema(writer, council, registry_setup):
    from concejo.core.actors import Actor
    from concejo.procedures import services as procedures
    from concejo.procedures.tests.factories import content

    version = procedures.procedure_create(
        actor=Actor.system(), entity=council, sia_code="2045003", **content(council)
    )
    procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)
    bad = writer.post(
        "/api/v1/registry/entries",
        body(procedure="2045003", form_data={"solicita": 5}),
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_form_data"
    fields = bad.json()["fields"]
    # Each field named, in Spanish: the missing one by its own name.
    assert "Debe ser un texto." in str(fields["form_data.solicita"])
    assert "Este dato es obligatorio." in str(fields["form_data.expone"])
    good = writer.post(
        "/api/v1/registry/entries",
        body(procedure="2045003", form_data={"expone": "Texto"}),
        format="json",
    )
    assert good.status_code == 201, good.json()
    detail = writer.get(f"/api/v1/registry/entries/{good.json()['id']}").json()
    assert detail["movements"][0]["action"] == "delivered"
    assert detail["annotations"] == []


def test_a_refused_filing_is_still_in_the_audit_trail(writer, council):
    from concejo.audit.models import AuditEntry

    writer.post("/api/v1/registry/entries", body(interested_parties=[]), format="json")
    refusal = AuditEntry.objects.get(action="registry.entry.file")
    assert (refusal.entity, refusal.outcome, refusal.details["code"]) == (
        council,
        "rejected",
        "missing_interested",
    )
