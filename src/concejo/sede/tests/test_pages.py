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
