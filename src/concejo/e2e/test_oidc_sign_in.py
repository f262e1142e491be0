"""A citizen signs in with Cl@ve (a loopback OpenID provider) and out again, in a real browser."""

import pytest

from concejo.people.models import Person
from concejo.sede.tests.oidc_provider import LoopbackOidcProvider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(live_server, settings):
    provider = LoopbackOidcProvider().start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = provider.client_id
    settings.OIDC_CLIENT_SECRET = provider.client_secret
    settings.SITE_URL = live_server.url
    settings.DEMO_IDENTITY = False
    yield provider
    provider.stop()


def test_a_citizen_signs_in_with_clave_and_signs_out_at_the_provider_too(
    live_server, page, council, provider, shot
):
    provider.claims = {"nif": "X1234567L", "given_name": "Andrei", "family_name": "Popescu"}
    page.goto(f"{live_server.url}/carpeta/entrar/")
    shot("oidc-sign-in")
    page.get_by_role("link", name="Entrar con Cl@ve").click()
    page.wait_for_url(f"{live_server.url}/carpeta/")
    assert page.get_by_text("Andrei Popescu (X1234567L)").is_visible()
    assert Person.objects.get().user is not None

    page.get_by_role("button", name="Salir", exact=True).click()
    page.wait_for_url(f"{live_server.url}/carpeta/entrar/")
    assert len(provider.logouts) == 1
    page.goto(f"{live_server.url}/carpeta/")
    assert page.url.startswith(f"{live_server.url}/carpeta/entrar/")
