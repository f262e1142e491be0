"""The record of processing activities: kept by the DPO, published in the sede and the API."""

import pytest

from concejo.audit.models import AuditEntry
from concejo.core.actors import Actor
from concejo.core.errors import PermissionDenied, ValidationFailed
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UserFactory
from concejo.privacy.demo import ACTIVITIES, seed_privacy
from concejo.privacy.models import ProcessingActivity
from concejo.privacy.services import processing_activity_create, processing_activity_update

pytestmark = pytest.mark.django_db

INFO = "/{}/informacion/actividades-de-tratamiento/"


def activity_values(**overrides):
    values = {
        "name": "Padrón municipal de habitantes", "controller": "Ayuntamiento de Pruebas",
        "dpo_contact": "dpd@pruebas.example", "purposes": "Gestionar el padrón.",
        "legal_bases": ["6.1.c"], "data_subjects": "Vecinos empadronados.",
        "data_categories": "Nombre, domicilio, DNI.", "recipients": "Instituto Nacional de Estadística.",
        "international_transfers": "No hay.", "retention": "Permanente.",
        "security_measures": "Las del ENS.",
    }  # fmt: skip
    values.update(overrides)
    return values


@pytest.fixture
def dpo(council):
    return Actor(user=MembershipFactory(entity=council, role=Role.DPO).user)


def test_the_dpo_adds_an_activity_and_the_audit_trail_records_it(council, dpo):
    activity = processing_activity_create(actor=dpo, entity=council, **activity_values())
    assert (activity.code, activity.version, activity.active) == (
        "padron-municipal-de-habitantes",
        1,
        True,
    )
    row = AuditEntry.objects.get(action="privacy.activity.create")
    assert row.object_id == str(activity.pk)


def test_a_change_raises_the_version_and_records_what_changed_and_no_change_records_nothing(
    council, dpo
):
    activity = processing_activity_create(actor=dpo, entity=council, **activity_values())
    activity = processing_activity_update(
        actor=dpo, activity=activity, retention="Diez años.", legal_bases=["6.1.e", "6.1.c"]
    )
    assert activity.version == 2 and activity.legal_bases == ["6.1.c", "6.1.e"]
    assert AuditEntry.objects.get(action="privacy.activity.update").details == {
        "version": 2, "changed": ["legal_bases", "retention"],
    }  # fmt: skip
    processing_activity_update(actor=dpo, activity=activity, retention="Diez años.")
    activity.refresh_from_db()
    assert activity.version == 2
    assert AuditEntry.objects.filter(action="privacy.activity.update").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"legal_bases": []}, "legal_bases", "required"),
        ({"legal_bases": ["6.1.z"]}, "legal_bases", "invalid_choice"),
        ({"retention": " "}, "retention", "required"),
        ({"special_categories": "Salud"}, "special_category_bases", "required"),
        ({"special_category_bases": ["9.2.b"]}, "special_categories", "required"),
    ],
)
def test_an_incomplete_activity_is_refused_naming_the_field(council, dpo, overrides, field, code):
    with pytest.raises(ValidationFailed) as refused:
        processing_activity_create(actor=dpo, entity=council, **activity_values(**overrides))
    assert (refused.value.code, list(refused.value.fields)) == (code, [field])
    assert not ProcessingActivity.objects.exists()


def test_a_case_handler_may_not_edit_the_record_and_the_refusal_is_recorded(council):
    handler = Actor(user=MembershipFactory(entity=council, role=Role.CASE_HANDLER).user)
    with pytest.raises(PermissionDenied):
        processing_activity_create(actor=handler, entity=council, **activity_values())
    assert AuditEntry.objects.get(action="privacy.activity.create").outcome == "denied"


def test_the_admin_form_writes_through_the_service_and_shows_its_errors_in_spanish(client, council):
    client.force_login(UserFactory(username="super", is_superuser=True))
    data = activity_values(entity=council.pk, code="padron", active="on")
    response = client.post("/admin/privacy/processingactivity/add/", {**data, "legal_bases": []})
    assert "Este campo es requerido." in response.content.decode()
    data["special_categories"] = "Salud"
    response = client.post("/admin/privacy/processingactivity/add/", data)
    assert "indique la excepción del art. 9.2 RGPD" in response.content.decode()
    assert not ProcessingActivity.objects.exists()
    data["special_category_bases"] = ["9.2.h"]
    assert client.post("/admin/privacy/processingactivity/add/", data).status_code == 302
    activity = ProcessingActivity.objects.get()
    assert activity.special_category_bases == ["9.2.h"]
    assert AuditEntry.objects.filter(action="privacy.activity.create", object_id=str(activity.pk))


def test_the_sede_publishes_the_active_activities_of_the_entity_in_accessible_tables(
    client, council, other_entity, dpo
):
    processing_activity_create(
        actor=dpo, entity=council,
        **activity_values(special_categories="Salud", special_category_bases=["9.2.h"]),
    )  # fmt: skip
    old = processing_activity_create(
        actor=dpo, entity=council, **activity_values(name="Actividad antigua")
    )
    processing_activity_update(actor=dpo, activity=old, active=False)
    processing_activity_create(
        actor=Actor.system(), entity=other_entity, **activity_values(name="Del vecino")
    )
    html = client.get(INFO.format(council.dir3_code)).content.decode()
    assert '<h2 id="padron-municipal-de-habitantes">Padrón municipal de habitantes</h2>' in html
    assert '<th scope="row">Base jurídica</th>' in html
    assert "Cumplimiento de una obligación legal (art. 6.1.c RGPD)" in html
    assert "Medicina preventiva o laboral, asistencia sanitaria o social (art. 9.2.h RGPD)" in html
    assert "Actividad antigua" not in html and "Del vecino" not in html
    footer = client.get(f"/{council.dir3_code}/").content.decode()
    assert INFO.format(council.dir3_code) in footer


def test_the_public_api_lists_the_record_as_json(client, council, dpo):
    processing_activity_create(actor=dpo, entity=council, **activity_values())
    body = client.get("/api/v1/privacy/processing-activities", {"entity": council.dir3_code}).json()
    [activity] = body["results"]
    assert activity["legal_bases"] == ["6.1.c"] and activity["version"] == 1
    assert activity["legal_bases_display"] == [
        "Cumplimiento de una obligación legal (art. 6.1.c RGPD)"
    ]
    missing = client.get("/api/v1/privacy/processing-activities")
    assert missing.status_code == 400 and missing.json()["code"] == "required"


def test_the_demo_record_has_the_councils_main_activities_and_loading_it_twice_changes_nothing(
    council,
):
    seed_privacy(council)
    seed_privacy(council)
    names = set(ProcessingActivity.objects.filter(entity=council).values_list("name", flat=True))
    assert len(names) == len(ACTIVITIES)
    assert {"Registro Electrónico General", "Gestión tributaria y recaudación", "Policía Municipal",
            "Recursos humanos", "Avisos de limpieza viaria"} <= names  # fmt: skip
