"""Table-driven: every backoffice page refuses strangers and citizens, and shows them nothing."""

import re
import uuid

import pytest
from django.urls import URLPattern, get_resolver

from concejo.organization.tests.factories import UserFactory
from concejo.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# Sign-in and sign-out steps: reachable by design, they act only on the caller's own session.
OPEN = {
    "backoffice:login",
    "backoffice:logout",
    "backoffice:two-factor",
    "backoffice:logout-everywhere",
}


def desk_routes():
    resolver = get_resolver()
    for namespace, prefix in (
        ("backoffice", "/backoffice/"),
        ("cleaning_desk", "/backoffice/limpieza/"),
        ("revenue_desk", "/backoffice/tributos/"),
        ("privacy_desk", "/backoffice/proteccion-datos/"),
    ):
        for pattern in resolver.namespace_dict[namespace][1].url_patterns:
            if isinstance(pattern, URLPattern):
                yield (
                    f"{namespace}:{pattern.name}",
                    prefix
                    + re.sub(
                        r"<(uuid|str):[a-z_]+>",
                        lambda m: str(uuid.uuid4()) if m.group(1) == "uuid" else "AV-2026-000001",
                        str(pattern.pattern),
                    ),
                )


ROUTES = sorted(desk_routes())


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[r[0] for r in ROUTES])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, path):
    if name in OPEN:
        pytest.skip("a sign-in step")
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/backoffice/entrar/")
    posted = client.post(path, {})
    assert posted.status_code in (302, 403, 405)
    if posted.status_code == 302:
        assert posted["Location"].startswith("/backoffice/entrar/")


@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_citizen_account_gets_nothing_from_the_desk(client, council, name, path):
    if name in OPEN:
        pytest.skip("a sign-in step")
    user = UserFactory(username="vecina", is_staff=False)
    PersonFactory(entity=council, user=user, first_name="Vecina", last_name_1="Curiosa")
    client.force_login(user)
    response = client.get(path)
    assert response.status_code in (403, 404), response.status_code
    assert "Vecina" not in response.content.decode()
