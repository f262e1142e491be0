import pytest

from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in client.get("/backoffice/bandeja/")["Cache-Control"]
    assert "unsafe-inline" in client.get("/api/v1/docs/")["Content-Security-Policy"]


def test_repeated_failed_sign_ins_lock_the_account_with_backoff(client, council, settings):
    settings.LOGIN_FAILURES_ALLOWED = 3
    MembershipFactory(entity=council, role=Role.REGISTRY_CLERK, user__username="rafael")
    for _ in range(3):
        page = client.post("/backoffice/entrar/", {"username": "rafael", "password": "mala"})
        assert "Usuario o contraseña incorrectos." in page.content.decode()
    locked = client.post(
        "/backoffice/entrar/", {"username": "rafael", "password": "Una-clave-larga-1"}
    )
    assert "Demasiados intentos fallidos" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The admin's sign-in is guarded by the same backend.
    admin = client.post("/admin/login/", {"username": "rafael", "password": "Una-clave-larga-1"})
    assert "_auth_user_id" not in client.session
    assert admin.status_code == 200


def test_a_successful_sign_in_clears_earlier_failures(client, council, settings):
    settings.LOGIN_FAILURES_ALLOWED = 3
    MembershipFactory(entity=council, role=Role.REGISTRY_CLERK, user__username="teresa")
    for _ in range(2):
        client.post("/backoffice/entrar/", {"username": "teresa", "password": "mala"})
    client.post("/backoffice/entrar/", {"username": "teresa", "password": "Una-clave-larga-1"})
    assert "_auth_user_id" in client.session
    client.logout()
    client.post("/backoffice/entrar/", {"username": "teresa", "password": "mala"})
    ok = client.post("/backoffice/entrar/", {"username": "teresa", "password": "Una-clave-larga-1"})
    assert ok.status_code == 302


def test_bodies_over_the_limit_are_refused_before_being_read(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client.post(
        "/api/v1/registry/entries", data="x" * (1024 * 1024 + 10), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
