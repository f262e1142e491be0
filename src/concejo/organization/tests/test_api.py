import pytest

from concejo.organization.models import Unit
from concejo.organization.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_listing_entities_without_a_token_is_401_with_a_stable_code(client, council):
    response = client.get("/api/v1/organization/entities")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_401(client, council):
    response = client.get(
        "/api/v1/organization/entities", HTTP_AUTHORIZATION="Token cj_deadbeef_nope"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_any_valid_token_reads_entities_and_units(api_key_for, council, other_entity):
    area = UnitFactory(entity=council, dir3_code="LA0000100", level="area")
    UnitFactory(entity=council, dir3_code="LA0000101", parent=area)
    UnitFactory(entity=other_entity, dir3_code="LA0000200")
    client = api_key_for(other_entity, "people:read")

    entities = client.get("/api/v1/organization/entities").json()
    assert {e["dir3_code"] for e in entities["results"]} == {"L01479999", "L01478888"}

    units = client.get("/api/v1/organization/units", {"entity": "L01479999"}).json()
    assert [(u["dir3_code"], u["parent"]) for u in units["results"]] == [
        ("LA0000100", None),
        ("LA0000101", "LA0000100"),
    ]
    assert {"dir3_code", "name", "parent"} <= set(units["results"][0])


def test_unit_listing_is_keyset_paginated_with_bounded_queries(
    api_key_for, council, django_assert_max_num_queries
):
    for i in range(7):
        UnitFactory(entity=council, dir3_code=f"LA00003{i:02d}")
    client = api_key_for(council, "organization:read")
    seen = []
    url = "/api/v1/organization/units?entity=L01479999&page_size=3"
    while url:
        with django_assert_max_num_queries(5):
            page = client.get(url).json()
        seen += [u["dir3_code"] for u in page["results"]]
        url = page["next"]
        assert url is None or "cursor=" in url
    assert seen == [f"LA00003{i:02d}" for i in range(7)]


def test_unknown_or_missing_entity_is_400_naming_the_field(api_key_for, council):
    client = api_key_for(council, "organization:read")
    response = client.get("/api/v1/organization/units", {"entity": "L09999999"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_entity"
    assert "entity" in body["fields"]
    assert client.get("/api/v1/organization/units").json()["code"] == "required"


def test_creating_a_unit_needs_the_write_scope(api_key_for, council):
    payload = {
        "entity": "L01479999",
        "dir3_code": "LA0000400",
        "name": "Sección",
        "level": "section",
    }
    response = api_key_for(council, "organization:read").post(
        "/api/v1/organization/units", payload, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"
    assert not Unit.objects.filter(dir3_code="LA0000400").exists()

    response = api_key_for(council, "organization:write").post(
        "/api/v1/organization/units", payload, format="json"
    )
    assert response.status_code == 201
    assert response.json()["dir3_code"] == "LA0000400"


def test_a_key_of_one_entity_cannot_create_units_in_another(api_key_for, council, other_entity):
    response = api_key_for(other_entity, "organization:write").post(
        "/api/v1/organization/units",
        {"entity": "L01479999", "dir3_code": "LA0000401", "name": "X", "level": "section"},
        format="json",
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(dir3_code="LA0000401").exists()


def test_overlapping_unit_code_is_400_and_nothing_written(api_key_for, council):
    UnitFactory(entity=council, dir3_code="LA0000500")
    client = api_key_for(council, "organization:write")
    response = client.post(
        "/api/v1/organization/units",
        {"entity": "L01479999", "dir3_code": "LA0000500", "name": "Duplicada", "level": "service"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_code"
    assert response.json()["fields"]["dir3_code"]
    assert Unit.objects.filter(dir3_code="LA0000500").count() == 1


def test_shape_errors_come_in_the_same_body(api_key_for, council):
    response = api_key_for(council, "organization:write").post(
        "/api/v1/organization/units", {"entity": "L01479999", "level": "nivel"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"dir3_code", "name", "level"}
