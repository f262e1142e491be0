import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_served_and_lists_our_endpoints(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/organization/entities", "/api/v1/people/persons"} <= set(schema["paths"])
    assert "ApiKey" in schema["components"]["securitySchemes"]


def test_browsable_docs_use_locally_installed_assets(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
