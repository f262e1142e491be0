import base64

import pytest

from concejo.cases.models import Case
from concejo.registry.tests.conftest import PDF
from concejo.registry.tests.test_api import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(api_key_for, council, registry_setup):
    return api_key_for(
        council, "registry:write", "cases:read", "cases:write", "documents:read", "documents:write"
    )


def test_open_from_an_entry_add_a_document_and_move_it_over_the_api(client_for):
    entry = client_for.post("/api/v1/registry/entries", body(), format="json").json()
    created = client_for.post("/api/v1/cases", {"registry_entry": entry["id"]}, format="json")
    assert created.status_code == 201, created.json()
    case = created.json()
    assert (case["initiation"], case["status"], case["responsible_unit"]) == (
        "on_request",
        "open",
        "LA0000031",
    )
    assert case["index"][0]["title"] == "presupuesto.pdf"
    assert case["parties"][0]["id_number"] == "12345678Z"

    doc = client_for.post(
        f"/api/v1/cases/{case['id']}/documents",
        {"title": "Informe técnico", "file_name": "informe.pdf", "content_base64": base64.b64encode(PDF).decode(),
         "document_type": "TD13"},
        format="json",
    )  # fmt: skip
    assert doc.status_code == 201, doc.json()
    assert doc.json()["eni_identifier"].startswith("ES_L01479999_")
    content = client_for.get(f"/api/v1/documents/{doc.json()['id']}/content")
    assert content.content == PDF

    bad = client_for.post(
        f"/api/v1/cases/{case['id']}/transitions", {"to": "notified"}, format="json"
    )
    assert (bad.status_code, bad.json()["code"]) == (409, "invalid_transition")
    moved = client_for.post(
        f"/api/v1/cases/{case['id']}/transitions", {"to": "in_progress"}, format="json"
    )
    assert moved.json()["status"] == "in_progress"
    detail = client_for.get(f"/api/v1/cases/{case['id']}").json()
    assert [h["to"] for h in detail["history"] if h["kind"] == "transition"] == ["in_progress"]


def test_ex_officio_cases_list_filters_and_scopes(client_for, api_key_for, council, other_entity):
    created = client_for.post(
        "/api/v1/cases",
        {"subject": "Inspección de terraza", "responsible_unit": "LA0000031",
         "parties": [{"id_type": "nif", "id_number": "71234567W", "first_name": "Juan", "last_name_1": "Pérez"}]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["initiation"] == "ex_officio"
    assert [
        c["subject"] for c in client_for.get("/api/v1/cases", {"q": "terraza"}).json()["results"]
    ] == ["Inspección de terraza"]
    assert client_for.get("/api/v1/cases", {"interested": "71234567W"}).json()["results"]
    stranger = api_key_for(other_entity, "cases:read")
    assert stranger.get(f"/api/v1/cases/{created.json()['id']}").status_code == 404
    reader = api_key_for(council, "cases:read")
    assert (
        reader.post(
            "/api/v1/cases", {"subject": "X", "responsible_unit": "LA0000031"}, format="json"
        ).status_code
        == 403
    )
    missing = client_for.post(
        "/api/v1/cases", {"subject": "X", "responsible_unit": "LA9999999"}, format="json"
    )
    assert (missing.status_code, missing.json()["code"]) == (400, "unknown_unit")
    assert Case.objects.count() == 1


def test_the_resolution_book_lists_and_exports(client_for, council, registry_setup):
    from concejo.cases import services
    from concejo.core.actors import Actor
    from concejo.documents.services import document_create, document_finalize

    system = Actor.system()
    case = services.case_open(
        actor=system,
        entity=council,
        subject="Licencia",
        parties=[],
        responsible_unit=registry_setup["licences"],
    )
    services.case_transition(actor=system, case=case, to_status="in_progress")
    document = document_create(
        actor=system,
        entity=council,
        title="Resolución",
        file_name="r.pdf",
        content=PDF,
        document_type="TD01",
    )
    services.case_document_add(actor=system, case=case, document=document)
    document_finalize(actor=system, document=document)
    created = client_for.post(
        f"/api/v1/cases/{case.pk}/resolutions",
        {"document": str(document.pk), "summary": "Conceder la licencia"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    year = created.json()["year"]
    listed = client_for.get("/api/v1/resolutions", {"year": year}).json()["results"]
    assert [r["book_code"] for r in listed] == [f"{year}/000001"]
    exported = client_for.get("/api/v1/resolutions/export", {"year": year})
    assert exported["Content-Type"].startswith("text/csv")
    assert "Conceder la licencia" in exported.content.decode()


def test_assigning_a_handler_over_the_api(client_for, council, registry_setup):
    from concejo.organization.models import Role
    from concejo.organization.tests.factories import MembershipFactory

    handler = MembershipFactory(
        entity=council,
        unit=registry_setup["licences"],
        role=Role.CASE_HANDLER,
        user__username="teresa",
    )
    case_id = client_for.post(
        "/api/v1/cases", {"subject": "X", "responsible_unit": "LA0000031"}, format="json"
    ).json()["id"]
    assigned = client_for.post(
        f"/api/v1/cases/{case_id}/assign", {"handler": "teresa"}, format="json"
    )
    assert assigned.json()["handler"] == handler.user.username
    unknown = client_for.post(
        f"/api/v1/cases/{case_id}/assign", {"handler": "nadie"}, format="json"
    )
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_user")


def test_lists_keep_a_bounded_number_of_queries(
    client_for, council, registry_setup, django_assert_max_num_queries
):
    for i in range(12):
        client_for.post(
            "/api/v1/cases",
            {"subject": f"Expediente {i}", "responsible_unit": "LA0000031"},
            format="json",
        )
    with django_assert_max_num_queries(6):
        page = client_for.get("/api/v1/cases?page_size=10").json()
    assert len(page["results"]) == 10
    with django_assert_max_num_queries(6):
        client_for.get("/api/v1/resolutions")
