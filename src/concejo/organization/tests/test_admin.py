import pytest

from concejo.organization.models import Unit
from concejo.organization.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="super", is_superuser=True)
    client.force_login(user)
    return client


def test_the_admin_shows_the_service_error_in_spanish_and_writes_nothing(superuser_client, council):
    UnitFactory(entity=council, dir3_code="LA0000600")
    response = superuser_client.post(
        "/admin/organization/unit/add/",
        {
            "entity": council.pk,
            "name": "Repetida",
            "dir3_code": "LA0000600",
            "level": "service",
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "ya está asignado a otra entidad, unidad u oficina" in response.content.decode()
    assert Unit.objects.filter(dir3_code="LA0000600").count() == 1


def test_the_admin_creates_units_through_the_service(superuser_client, council):
    response = superuser_client.post(
        "/admin/organization/unit/add/",
        {
            "entity": council.pk,
            "name": "Servicio de Archivo",
            "dir3_code": "la0000601",
            "level": "service",
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(dir3_code="LA0000601")
    assert unit.name == "Servicio de Archivo"
