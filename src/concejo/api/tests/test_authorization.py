"""Table-driven: every API endpoint refuses strangers and shows nothing of other entities."""

import uuid

import pytest
from django.urls import URLPattern, get_resolver

from concejo.apikeys.scopes import SCOPES

pytestmark = pytest.mark.django_db

# Public by design (Ley 39/2015 art. 30-31 calendar, catalog, CSV and signature checks).
PUBLIC = {
    "api:schema", "api:docs", "api:redoc", "api:deadline-compute", "api:deadline-calendar",
    "api:deadline-business-days", "api:procedure-list", "api:procedure-detail", "api:csv",
    "api:csv-content", "api:signatures-verify",
    # The record of processing activities is published by law (art. 31.2 LOPDGDD).
    "api:processing-activity-list",
}  # fmt: skip


def api_routes():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["api"][1]
    for pattern in namespace.url_patterns:
        if isinstance(pattern, URLPattern):
            yield f"api:{pattern.name}", pattern


def path_for(pattern, object_id=None) -> str:
    route = str(pattern.pattern)
    for converter in ("uuid:", "int:", "str:"):
        while f"<{converter}" in route:
            start = route.index(f"<{converter}")
            end = route.index(">", start)
            value = {
                "uuid:": str(uuid.uuid4()),
                "int:": "1",
                "str:": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF",
            }[converter]
            route = route[:start] + value + route[end + 1 :]
    return "/api/v1/" + route


ROUTES = sorted(api_routes())


def methods_of(pattern) -> list[str]:
    view = pattern.callback.view_class
    allowed = [
        m.upper()
        for m in view.http_method_names
        if hasattr(view, m) and m not in ("options", "head")
    ]
    return [m for m in allowed if m in ("GET", "POST", "PATCH")]


@pytest.mark.parametrize(("name", "pattern"), ROUTES, ids=[r[0] for r in ROUTES])
def test_anonymous_callers_get_401_on_every_private_endpoint(client, name, pattern):
    if name in PUBLIC:
        pytest.skip("public by design")
    for method in methods_of(pattern):
        response = getattr(client, method.lower())(
            path_for(pattern), content_type="application/json"
        )
        assert response.status_code == 401, (method, name, response.status_code)
        assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("name", "pattern"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_key_of_another_entity_sees_nothing_of_ours(
    api_key_for, council, other_entity, registry_setup, name, pattern
):
    """With every scope, a stranger's key gets 4xx or empty lists for our objects."""
    from concejo.cases.services import case_open
    from concejo.core.actors import Actor
    from concejo.people.tests.factories import PersonFactory

    if name in PUBLIC:
        pytest.skip("public by design")
    mine = case_open(
        actor=Actor.system(),
        entity=council,
        subject="Nuestro",
        parties=[(PersonFactory(entity=council), "applicant")],
        responsible_unit=registry_setup["licences"],
    )
    stranger = api_key_for(other_entity, *SCOPES)
    for method in methods_of(pattern):
        if method != "GET":
            continue
        path = path_for(pattern, object_id=mine.pk)
        response = stranger.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            body = response.json()
            text = str(body)
            assert str(mine.pk) not in text and "Nuestro" not in text, name
            assert council.dir3_code not in text or name in ("api:entity-list",), name
        else:
            assert response.status_code in (400, 403, 404, 429), (name, response.status_code)


def test_every_endpoint_is_in_the_table():
    assert len(ROUTES) >= 30
    assert {name for name, _ in ROUTES} >= PUBLIC
