import pytest

pytestmark = pytest.mark.django_db


def test_the_backoffice_asks_for_sign_in(client):
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
