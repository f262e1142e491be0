import pytest

from concejo.organization.tests.factories import UserFactory
from concejo.people.models import Person

pytestmark = pytest.mark.django_db


def test_admin_rejects_a_wrong_dni_letter_in_spanish(client, council):
    client.force_login(UserFactory(username="super", is_superuser=True))
    response = client.post(
        "/admin/people/person/add/",
        {
            "entity": council.pk, "kind": "natural", "id_type": "nif", "id_number": "12345678A",
            "first_name": "María", "last_name_1": "García", "country": "ES",
            "preferred_channel": "electronic", "obliged_reason": "none",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "La letra o el dígito de control del DNI no es correcto." in response.content.decode()
    assert not Person.objects.exists()
