def test_healthz_reports_database_and_migrations(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_unknown_api_urls_answer_json_and_sede_urls_a_spanish_page(client, db):
    response = client.get("/api/v1/no-existe")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    page = client.get("/una/pagina/que/no/existe/")
    assert page.status_code == 404
    assert "Página no encontrada" in page.content.decode()


def test_client_ip_is_taken_from_trusted_proxies_only(rf, settings):
    from concejo.core.actors import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    settings.NUM_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"
    settings.NUM_PROXIES = 1
    assert client_ip(request) == "203.0.113.7"


def test_every_admin_list_page_opens(client, db):
    """Each registered model's changelist renders for a superuser (no broken admin)."""
    from django.contrib import admin

    from concejo.organization.tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True))
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
