import pytest

from concejo.organization.tests.factories import UnitFactory
from concejo.procedures.models import Procedure

pytestmark = pytest.mark.django_db

FORM = {"type": "object", "properties": {"expone": {"type": "string"}}}


@pytest.fixture
def unit(council):
    return UnitFactory(entity=council, dir3_code="LA0007031")


def payload(**overrides):
    values = {
        "sia_code": "2045001",
        "name": "Licencia de obra menor",
        "responsible_unit": "LA0007031",
        "silence_effect": "approval",
        "max_resolution_amount": 3,
        "max_resolution_unit": "months",
        "audience": ["citizens", "companies"],
        "form_schema": FORM,
        "fees": [{"concept": "Tasa", "amount": "60.00"}],
        "required_documents": [
            {"name": "Presupuesto", "mandatory": True, "accepted_formats": ["pdf"]}
        ],
    }
    values.update(overrides)
    return values


def test_administrators_create_publish_and_the_public_reads(api_key_for, client, council, unit):
    admin = api_key_for(council, "procedures:write")
    created = admin.post("/api/v1/procedures", payload(), format="json")
    assert created.status_code == 201, created.json()
    procedure_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert client.get(f"/api/v1/procedures/{procedure_id}").status_code == 404

    published = admin.post(f"/api/v1/procedures/{procedure_id}/publish")
    assert published.json()["status"] == "published"
    listed = client.get("/api/v1/procedures", {"entity": council.dir3_code}).json()
    assert [p["sia_code"] for p in listed["results"]] == ["2045001"]
    detail = client.get(f"/api/v1/procedures/{procedure_id}").json()
    assert detail["required_documents"] == [
        {"name": "Presupuesto", "mandatory": True, "accepted_formats": ["pdf"]}
    ]
    assert detail["silence_effect"] == "approval"

    edited = admin.patch(
        f"/api/v1/procedures/{procedure_id}", {"max_resolution_amount": 2}, format="json"
    )
    assert (edited.json()["version"], edited.json()["status"]) == (2, "draft")
    assert client.get(f"/api/v1/procedures/{procedure_id}").json()["max_resolution_amount"] == 3
    versions = admin.get(f"/api/v1/procedures/{procedure_id}/versions").json()["results"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "published"), (2, "draft")]


def test_writing_needs_the_scope(api_key_for, client, council, unit):
    assert (
        client.post("/api/v1/procedures", payload(), content_type="application/json").status_code
        == 401
    )
    reader = api_key_for(council, "people:read")
    response = reader.post("/api/v1/procedures", payload(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"responsible_unit": "LA9999999"}, "responsible_unit", "unknown_unit"),
        (
            {"form_schema": {"type": "object", "required": "expone"}},
            "form_schema",
            "invalid_json_schema",
        ),
        (
            {"max_resolution_amount": 10000, "max_resolution_unit": "years"},
            "max_resolution_amount",
            "invalid_amount",
        ),
        ({"max_resolution_amount": -3}, "max_resolution_amount", "invalid_amount"),
        ({"silence_effect": "sí"}, "silence_effect", "invalid"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(
    api_key_for, council, unit, override, field, code
):
    response = api_key_for(council, "procedures:write").post(
        "/api/v1/procedures", payload(**override), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert field in response.json()["fields"]
    assert not Procedure.objects.exists()


def test_the_catalog_requires_an_entity_and_is_paginated(
    client, council, api_key_for, unit, django_assert_max_num_queries
):
    admin = api_key_for(council, "procedures:write")
    for i in range(5):
        pid = admin.post(
            "/api/v1/procedures",
            payload(sia_code=f"P{i}", name=f"Procedimiento {i}"),
            format="json",
        ).json()["id"]
        admin.post(f"/api/v1/procedures/{pid}/publish")
    assert client.get("/api/v1/procedures").json()["code"] == "required"
    names = []
    url = f"/api/v1/procedures?entity={council.dir3_code}&page_size=2"
    while url:
        with django_assert_max_num_queries(4):
            page = client.get(url).json()
        names += [p["name"] for p in page["results"]]
        url = page["next"]
    assert names == [f"Procedimiento {i}" for i in range(5)]


def test_undeclared_writes_are_refused_even_with_a_valid_key(api_key_for, council, unit):
    admin = api_key_for(council, "procedures:write")
    pid = admin.post("/api/v1/procedures", payload(), format="json").json()["id"]
    other = api_key_for(council, "people:read")
    for path in (f"/api/v1/procedures/{pid}/publish", f"/api/v1/procedures/{pid}/versions"):
        response = other.patch(path, {"name": "Cambiado"}, format="json")
        assert response.status_code in (403, 405)
    assert (
        admin.get(f"/api/v1/procedures/{pid}/versions").json()["results"][0]["name"]
        == "Licencia de obra menor"
    )
