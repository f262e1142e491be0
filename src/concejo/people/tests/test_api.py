import pytest

from concejo.audit.models import AuditEntry, Outcome
from concejo.people.models import Person
from concejo.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "kind": "natural",
    "id_type": "nif",
    "id_number": "12345678Z",
    "first_name": "María",
    "last_name_1": "García",
    "email": "maria@example.org",
}


def test_creating_a_person_with_a_wrong_letter_is_400_naming_the_field(api_key_for, council):
    client = api_key_for(council, "people:write")
    response = client.post(
        "/api/v1/people/persons", {**NEW_PERSON, "id_number": "12345678A"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_id_number",
        "message": "La letra o el dígito de control del DNI no es correcto.",
        "fields": {"id_number": ["La letra o el dígito de control del DNI no es correcto."]},
    }
    assert Person.objects.count() == 0


def test_a_person_is_created_read_and_updated_with_scopes(api_key_for, council):
    writer = api_key_for(council, "people:read", "people:write")
    created = writer.post("/api/v1/people/persons", NEW_PERSON, format="json")
    assert created.status_code == 201
    person_id = created.json()["id"]
    assert created.json()["entity"] == "L01479999"

    detail = writer.get(f"/api/v1/people/persons/{person_id}")
    assert detail.json()["display_name"] == "María García"
    assert AuditEntry.objects.filter(object_id=person_id, outcome=Outcome.READ).count() == 1

    patched = writer.patch(
        f"/api/v1/people/persons/{person_id}", {"phone": "983 000 000"}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["phone"] == "983 000 000"

    reader = api_key_for(council, "people:read")
    assert (
        reader.post("/api/v1/people/persons", NEW_PERSON, format="json").json()["code"]
        == "missing_scope"
    )


def test_a_key_only_sees_its_own_entitys_people(api_key_for, council, other_entity):
    mine = PersonFactory(entity=council)
    theirs = PersonFactory(entity=other_entity)
    client = api_key_for(council, "people:read")
    listed = client.get("/api/v1/people/persons").json()["results"]
    assert [p["id"] for p in listed] == [str(mine.pk)]
    response = client.get(f"/api/v1/people/persons/{theirs.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_person_list_query_count_does_not_grow_with_rows(
    api_key_for, council, django_assert_max_num_queries
):
    PersonFactory.create_batch(30, entity=council)
    client = api_key_for(council, "people:read")
    # Auth, the page itself, and one audit row naming the persons shown.
    with django_assert_max_num_queries(10):
        page = client.get("/api/v1/people/persons?page_size=25").json()
    assert len(page["results"]) == 25
    assert page["next"]


def test_representations_over_the_api(api_key_for, council):
    grantor = PersonFactory(entity=council)
    rep = PersonFactory(entity=council)
    client = api_key_for(council, "people:read", "people:write")
    too_long = client.post(
        "/api/v1/people/representations",
        {"grantor": str(grantor.pk), "representative": str(rep.pk), "scope": "entity",
         "valid_from": "2025-01-01", "valid_to": "2030-01-02"},
        format="json",
    )  # fmt: skip
    assert too_long.status_code == 400
    assert too_long.json()["code"] == "representation_too_long"

    created = client.post(
        "/api/v1/people/representations",
        {"grantor": str(grantor.pk), "representative": str(rep.pk), "scope": "procedures",
         "procedure_codes": ["2045821"], "valid_from": "2025-01-01", "valid_to": "2029-12-31"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201
    assert created.json()["procedure_codes"] == ["2045821"]

    check = {"representative": rep.id_number, "grantor": grantor.id_number, "date": "2026-03-01"}
    assert client.get(
        "/api/v1/people/representations/check", {**check, "procedure": "2045821"}
    ).json()["may_act"]
    assert not client.get("/api/v1/people/representations/check", check).json()["may_act"]

    revoked = client.post(
        f"/api/v1/people/representations/{created.json()['id']}/revoke",
        {"reason": "Renuncia"},
        format="json",
    )
    assert revoked.json()["status"] == "revoked"
    again = client.post(
        f"/api/v1/people/representations/{created.json()['id']}/revoke", {}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_revoked"


def test_unknown_person_in_a_representation_is_400(api_key_for, council, other_entity):
    foreign = PersonFactory(entity=other_entity)
    mine = PersonFactory(entity=council)
    response = api_key_for(council, "people:write").post(
        "/api/v1/people/representations",
        {"grantor": str(foreign.pk), "representative": str(mine.pk), "scope": "general",
         "valid_from": "2025-01-01", "valid_to": "2026-01-01"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_person"
    assert "grantor" in response.json()["fields"]
