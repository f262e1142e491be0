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
