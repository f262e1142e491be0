"""The admin sets up districts, categories, crews and routing rules through the services."""

import json

import pytest

from concejo.audit.models import AuditEntry
from concejo.core.actors import Actor
from concejo.core.errors import PermissionDenied
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory, UserFactory
from concejo.sectors.cleaning import services
from concejo.sectors.cleaning.models import (
    Crew,
    District,
    RoutingRule,
    ServiceCategory,
)
from concejo.sectors.cleaning.tests.conftest import CENTRO

pytestmark = pytest.mark.django_db

NORTE = [[41.660, -4.735], [41.660, -4.715], [41.675, -4.715], [41.675, -4.735]]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="super", is_superuser=True, is_staff=True))
    return client


def category_form(city, **changes):
    form = {
        "entity": city["entity"].pk, "code": "pintadas", "name": "Pintadas o grafitis",
        "description": "", "group": "Limpieza viaria", "keywords": "grafiti",
        "responsible_unit": city["unit"].pk, "crew": "", "sla_amount": "10",
        "sla_unit": "business_days", "attributes": "[]", "active": "on",
    }  # fmt: skip
    form.update(changes)
    return form


def test_every_setup_list_opens(admin_client, city):
    for model in ("district", "crew", "servicecategory", "routingrule", "streetaddress"):
        assert admin_client.get(f"/admin/cleaning/{model}/").status_code == 200
        if model != "streetaddress":
            assert admin_client.get(f"/admin/cleaning/{model}/add/").status_code == 200


def test_a_category_with_its_open311_attributes_is_created_and_listed(admin_client, city, client):
    attributes = [{"code": "superficie", "datatype": "singlevaluelist", "required": True,
                   "description": "Superficie", "values": [{"key": "fachada", "name": "Fachada"},
                                                           {"key": "mobiliario", "name": "Mobiliario"}]}]  # fmt: skip
    response = admin_client.post(
        "/admin/cleaning/servicecategory/add/",
        category_form(city, attributes=json.dumps(attributes)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    category = ServiceCategory.objects.get(code="pintadas")
    assert (category.sla_amount, category.attributes[0]["order"]) == (10, 1)
    assert AuditEntry.objects.filter(action="cleaning.category.save", outcome="success").exists()
    definition = client.get("/open311/v2/services/pintadas.json").json()
    assert [v["key"] for v in definition["attributes"][0]["values"]] == ["fachada", "mobiliario"]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"code": "contenedor_lleno"}, "Ya hay una categoría con ese código."),
        ({"code": "Pintadas y más"}, "Use de 1 a 40 minúsculas"),
        ({"attributes": '[{"code": "tipo", "datatype": "singlevaluelist", "values": []}]'},
         "El atributo «tipo» es una lista"),
        ({"attributes": '[{"code": "tipo", "datatype": "color"}]'}, "«datatype» desconocido"),
        ({"sla_amount": "0"}, "Indique un plazo entre 1 y 365."),
    ],
)  # fmt: skip
def test_service_refusals_show_on_the_category_form_in_spanish(admin_client, city, changes, words):
    response = admin_client.post(
        "/admin/cleaning/servicecategory/add/", category_form(city, **changes)
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert ServiceCategory.objects.count() == 2  # the two of the fixture


def test_a_unit_of_another_entity_is_refused(admin_client, city, other_entity):
    foreign = UnitFactory(entity=other_entity)
    response = admin_client.post(
        "/admin/cleaning/servicecategory/add/", category_form(city, responsible_unit=foreign.pk)
    )
    assert "Pertenece a otra entidad." in response.content.decode()
    assert not ServiceCategory.objects.filter(code="pintadas").exists()


def test_a_category_with_reports_is_not_deleted_but_can_be_deactivated(admin_client, city):
    litter = city["litter"]
    services.report_create(
        actor=Actor.system(), entity=city["entity"], source="sede",
        data=services.NewReport(category=litter, latitude="41.65", longitude="-4.72",
                                description="Bolsas en la acera"),
    )  # fmt: skip
    url = f"/admin/cleaning/servicecategory/{litter.pk}/delete/"
    assert admin_client.get(url).status_code == 200  # the confirmation page
    refused = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "tiene avisos y no se puede borrar: desactívela" in refused.content.decode()
    assert ServiceCategory.objects.filter(pk=litter.pk).exists()
    assert AuditEntry.objects.filter(action="cleaning.category.delete", outcome="rejected").exists()
    form = category_form(city, code="basura", name=litter.name, sla_amount="8",
                         sla_unit="hours", active="")  # fmt: skip
    assert (
        admin_client.post(f"/admin/cleaning/servicecategory/{litter.pk}/change/", form).status_code
        == 302
    )
    litter.refresh_from_db()
    assert not litter.active and litter.entity == city["entity"]


def test_an_unused_category_is_deleted_with_its_rules(admin_client, city):
    container = city["container"]
    response = admin_client.post(
        f"/admin/cleaning/servicecategory/{container.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ServiceCategory.objects.filter(pk=container.pk).exists()
    assert not RoutingRule.objects.filter(category_id=container.pk).exists()
    assert AuditEntry.objects.filter(action="cleaning.category.delete", outcome="success").exists()


def test_districts_need_a_real_boundary_and_a_free_code(admin_client, city):
    add = "/admin/cleaning/district/add/"
    form = {"entity": city["entity"].pk, "code": "03", "name": "Norte"}
    bad = admin_client.post(add, {**form, "boundary": "[[41.66, -4.735], [41.66]]"})
    assert "Indique una lista de al menos tres puntos" in bad.content.decode()
    taken = admin_client.post(add, {**form, "code": "01", "boundary": json.dumps(NORTE)})
    assert "Ya hay un distrito con ese código." in taken.content.decode()
    assert admin_client.post(add, {**form, "boundary": json.dumps(NORTE)}).status_code == 302
    norte = District.objects.get(code="03")
    assert services.district_at(city["entity"], 41.67, -4.72) == norte
    assert admin_client.get(f"/admin/cleaning/district/{norte.pk}/delete/").status_code == 403


def test_crews_and_routing_rules_route_new_reports(admin_client, city):
    entity = city["entity"]
    created = admin_client.post("/admin/cleaning/crew/add/", {
        "entity": entity.pk, "name": "Brigada Centro", "shift": "tarde",
        "district": city["centro"].pk, "active": "on",
    })  # fmt: skip
    assert created.status_code == 302
    crew = Crew.objects.get(name="Brigada Centro")
    rule = {"entity": entity.pk, "category": city["litter"].pk, "district": city["centro"].pk,
            "unit": city["unit"].pk, "crew": crew.pk}  # fmt: skip
    assert admin_client.post("/admin/cleaning/routingrule/add/", rule).status_code == 302
    again = admin_client.post("/admin/cleaning/routingrule/add/", rule)
    assert "Ya hay una regla para esa categoría y ese distrito." in again.content.decode()
    report = services.report_create(
        actor=Actor.system(), entity=entity, source="sede",
        data=services.NewReport(category=city["litter"], latitude="41.65", longitude="-4.72",
                                description="Papeles por el suelo"),
    )  # fmt: skip
    assert report.crew == crew
    saved = RoutingRule.objects.get(category=city["litter"])
    deleted = admin_client.post(f"/admin/cleaning/routingrule/{saved.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302 and not RoutingRule.objects.filter(pk=saved.pk).exists()
    assert report.__class__.objects.get(pk=report.pk).crew == crew  # routed reports keep it


def test_only_the_entity_administrator_sets_up_the_service(city):
    handler = Actor(user=MembershipFactory(entity=city["entity"], role=Role.CASE_HANDLER).user)
    with pytest.raises(PermissionDenied):
        services.district_save(
            actor=handler, entity=city["entity"], code="09", name="X", boundary=CENTRO
        )
    administrator = Actor(
        user=MembershipFactory(entity=city["entity"], role=Role.ADMINISTRATOR).user
    )
    crew = services.crew_save(actor=administrator, entity=city["entity"], name="Brigada Noche")
    assert crew.entity == city["entity"] and crew.active
