import pytest

from concejo.organization.tests.factories import EntityFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def test_the_sede_lists_entities_with_official_time(client, council):
    foundation = EntityFactory(
        name="Fundación de Pruebas", parent=council, entity_type="foundation"
    )
    OfficeFactory(entity=council, name="Oficina de la Plaza Mayor", address="Plaza Mayor, 1")
    home = client.get("/").content.decode()
    assert "Ayuntamiento de Pruebas" in home and "Fecha y hora oficial" in home
    page = client.get(f"/{council.dir3_code}/").content.decode()
    assert "Oficina de la Plaza Mayor" in page
    assert "Fundación de Pruebas" in page
    sub = client.get(f"/{foundation.dir3_code}/").content.decode()
    assert "Subsede dependiente de" in sub
    assert client.get("/L00000000/").status_code == 404


def test_the_sede_shows_this_and_next_years_non_business_days(client, council):
    import datetime as dt

    from django.utils import timezone

    from concejo.core.actors import Actor
    from concejo.deadlines.services import local_calendar_set

    year = timezone.localdate().year
    local_calendar_set(
        actor=Actor.system(), municipality_ine=council.ine_code, municipality_name="Pruebas",
        year=year, holidays=[(dt.date(year, 5, 13), "Fiesta patronal de Pruebas")],
    )  # fmt: skip
    page = client.get(f"/{council.dir3_code}/calendario/").content.decode()
    assert f"Año {year}" in page and f"Año {year + 1}" in page
    assert "Fiesta patronal de Pruebas" in page
    assert "Año Nuevo" in page
    assert f"El calendario de fiestas locales de {year + 1} todavía no se ha publicado." in page


def _publish(entity, sia_code: str, name: str, category: str):
    from concejo.core.actors import Actor
    from concejo.procedures import services as procedures
    from concejo.procedures.tests.factories import content

    version = procedures.procedure_create(
        actor=Actor.system(), entity=entity, sia_code=sia_code,
        **content(entity, name=name, category=category),
    )  # fmt: skip
    procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)


def test_the_catalog_search_answers_htmx_with_the_list_alone(client, council):
    _publish(council, "2045001", "Licencia de obra menor", "Urbanismo y vivienda")
    _publish(council, "2046001", "Ayuda al alquiler", "Vivienda")
    url = f"/{council.dir3_code}/procedimientos/"
    page = client.get(url, {"q": "alquiler"})
    html = page.content.decode()
    assert "<form" in html and "htmx-2.min.js" in html and 'id="resultados"' in html
    assert "Ayuda al alquiler" in html and "Licencia de obra menor" not in html
    assert "HX-Request" in page["Vary"]
    typed = client.get(url, {"q": "licencia"}, HTTP_HX_REQUEST="true")
    part = typed.content.decode()
    assert "<form" not in part and "<html" not in part
    assert "Licencia de obra menor" in part and "Ayuda al alquiler" not in part
    assert "HX-Request" in typed["Vary"]
    none = client.get(url, {"q": "zzz"}, HTTP_HX_REQUEST="true").content.decode()
    assert "No hay procedimientos que coincidan" in none
    # Back in history without htmx's copy of the page: the whole page again.
    restored = client.get(
        url, {"q": "licencia"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert "<form" in restored and "Licencia de obra menor" in restored
