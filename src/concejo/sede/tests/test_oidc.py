"""Citizens sign in through OpenID Connect (a Cl@ve bridge), against a real provider on loopback.

The browser's part is played by Django's test client on our side and by one
plain HTTP request to the provider's authorize endpoint on the other.
"""

import datetime as dt
import time
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from concejo.audit.models import AuditEntry
from concejo.core.actors import Actor
from concejo.notifications.tests.smtp import free_port
from concejo.organization.tests.factories import UserFactory
from concejo.people.models import Person
from concejo.people.services import representation_grant
from concejo.people.tests.factories import PersonFactory
from concejo.sede.tests.oidc_provider import browser_get, new_key

pytestmark = pytest.mark.django_db

MARIA = {
    "nif": "12345678Z", "given_name": "María", "family_name": "García López",
    "email": "maria.garcia@example.org",
}  # fmt: skip


def leave(client, next_url=None):
    """Click «Entrar con Cl@ve»: our redirect, then the provider's answer (where it sends back)."""
    response = client.get("/carpeta/entrar/oidc/", {"next": next_url} if next_url else {})
    assert response.status_code == 302, response.content
    return browser_get(response["Location"])


def come_back(client, location):
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "http://testserver/carpeta/entrar/oidc/vuelta/"
    )
    return client.get(parts.path, dict(parse_qsl(parts.query)))


def sign_in(client, provider, claims, next_url=None):
    provider.claims = claims
    return come_back(client, leave(client, next_url))


def signed_in(client) -> bool:
    return client.get("/carpeta/").status_code == 200


def refused(response, status, code):
    page = response.content.decode()
    assert response.status_code == status, page
    assert "No se ha podido entrar en su carpeta" in page and f"<code>{code}</code>" in page


def test_the_button_is_there_only_when_a_provider_is_configured(client, council, settings):
    settings.OIDC_ISSUER = ""
    assert "Entrar con Cl@ve" not in client.get("/carpeta/entrar/").content.decode()
    assert client.get("/carpeta/entrar/oidc/").status_code == 404
    settings.OIDC_ISSUER, settings.OIDC_BUTTON_LABEL = "https://clave.example", "Cl@ve"
    page = client.get("/carpeta/entrar/?next=/carpeta/notificaciones/").content.decode()
    assert "Entrar con Cl@ve" in page
    assert 'href="/carpeta/entrar/oidc/?next=/carpeta/notificaciones/"' in page


def test_a_first_sign_in_creates_the_interesado_and_the_account_and_the_next_reuses_them(
    client, council, oidc_provider
):
    response = sign_in(client, oidc_provider, MARIA)
    assert response.status_code == 302 and response["Location"] == "/carpeta/"
    person = Person.objects.get()
    assert (person.entity, person.id_type, person.id_number) == (council, "nif", "12345678Z")
    assert (person.first_name, person.last_name_1) == ("María", "García López")
    assert person.email == "maria.garcia@example.org"
    user = person.user
    assert user is not None and not user.is_staff and not user.has_usable_password()
    folder = client.get("/carpeta/").content.decode()
    assert "María García López (12345678Z)" in folder
    assert AuditEntry.objects.filter(
        action="accounts.citizen.sign_in", outcome="success", object_id=str(person.pk)
    ).exists()

    # Signing out ends the provider's session too (RP-initiated logout).
    out = client.post("/carpeta/salir/")
    assert out.status_code == 302 and out["Location"].startswith(f"{oidc_provider.issuer}/logout?")
    query = parse_qs(urlsplit(out["Location"]).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/carpeta/entrar/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert not signed_in(client)

    again = sign_in(client, oidc_provider, {**MARIA, "given_name": "Otro nombre"})
    assert again.status_code == 302 and signed_in(client)
    assert Person.objects.count() == 1 and get_user_model().objects.count() == 1
    assert Person.objects.get().first_name == "María"  # the provider does not rewrite the record


def test_without_end_session_signing_out_is_only_local(client, council, oidc_provider):
    oidc_provider.end_session = False
    sign_in(client, oidc_provider, MARIA)
    out = client.post("/carpeta/salir/")
    assert out["Location"] == "/carpeta/entrar/" and not signed_in(client)


def test_the_citizen_may_act_for_whoever_empowered_them(client, sede, other_entity, oidc_provider):
    juan = PersonFactory(entity=sede["entity"], id_number="71234567W", first_name="Juan")
    elsewhere = PersonFactory(entity=other_entity, id_number="71234567W", first_name="Juan")
    company = PersonFactory(
        entity=sede["entity"], kind="legal", id_type="cif", id_number="B47123450",
        business_name="Obras Pisuerga SL", first_name="", last_name_1="",
    )  # fmt: skip
    today = timezone.localdate()
    representation_grant(
        actor=Actor.system(), entity=sede["entity"], grantor=company, representative=juan,
        scope="general", valid_from=today, valid_to=today + dt.timedelta(days=365),
    )  # fmt: skip
    apply_url = f"/{sede['entity'].dir3_code}/procedimientos/2045001/solicitar/"
    response = sign_in(client, oidc_provider, {"nif": "71234567w", "given_name": "Juan"}, apply_url)
    assert response["Location"] == apply_url
    juan.refresh_from_db()
    elsewhere.refresh_from_db()
    assert juan.user is not None and elsewhere.user == juan.user  # every record of the document
    assert Person.objects.filter(id_number="71234567W").count() == 2  # nothing new
    draft = client.get(apply_url)["Location"]
    assert "Obras Pisuerga SL" in client.get(draft).content.decode()
    assert "Juan" in client.get("/carpeta/").content.decode()


def test_a_document_with_an_account_signs_in_to_that_account(client, sede, oidc_provider):
    sign_in(client, oidc_provider, {"nif": sede["lucia"].id_number})
    assert client.get("/carpeta/").wsgi_request.user == sede["user"]
    assert get_user_model().objects.count() == 1


def test_an_employees_account_is_not_opened_from_the_sede(client, council, oidc_provider):
    employee = UserFactory(username="tramitador", is_staff=True)
    PersonFactory(entity=council, id_number="12345678Z", user=employee)
    refused(sign_in(client, oidc_provider, MARIA), 403, "employee_account")
    assert not signed_in(client)


def _expired(provider):
    now = int(time.time())
    provider.tamper = {"iat": now - 4000, "exp": now - 3600}


@pytest.mark.parametrize(
    ("arrange", "code"),
    [
        (lambda p: setattr(p, "error", "access_denied"), "provider_error"),
        (lambda p: setattr(p, "tamper", {"nonce": "otro-nonce"}), "nonce_mismatch"),
        (_expired, "token_expired"),
        (lambda p: setattr(p, "signing_key", new_key()), "bad_token"),
        (lambda p: setattr(p, "tamper", {"aud": "otra-aplicacion"}), "bad_token"),
        (lambda p: setattr(p, "tamper", {"iss": "http://127.0.0.1:1"}), "bad_token"),
        (lambda p: setattr(p, "claims", {"given_name": "María"}), "missing_nif"),
        (lambda p: setattr(p, "claims", {**MARIA, "nif": "12345678A"}), "invalid_nif"),
        (lambda p: setattr(p, "claims", {"nif": "12345678Z"}), "invalid_person"),  # no name
    ],
    ids=["provider-error", "nonce", "expired", "other-key", "audience", "issuer",
         "no-nif", "bad-nif", "no-name"],
)  # fmt: skip
def test_an_answer_that_cannot_be_trusted_signs_no_one_in_and_creates_nothing(
    client, council, oidc_provider, arrange, code
):
    oidc_provider.claims = MARIA
    arrange(oidc_provider)
    refused(come_back(client, leave(client)), 400, code)
    assert not Person.objects.exists() and not get_user_model().objects.exists()
    assert not signed_in(client)
    assert AuditEntry.objects.filter(
        action="accounts.citizen.sign_in", outcome="rejected", details__code=code
    ).exists()


def test_a_callback_for_another_session_or_used_twice_is_refused(client, council, oidc_provider):
    oidc_provider.claims = MARIA
    location = leave(client)
    forged = location.replace("state=", "state=x")
    refused(come_back(client, forged), 400, "state_mismatch")
    # The pending sign-in was spent by that attempt: the genuine answer no longer fits either.
    refused(come_back(client, location), 400, "state_mismatch")
    assert not Person.objects.exists() and not get_user_model().objects.exists()
    # A fresh attempt works.
    assert sign_in(client, oidc_provider, MARIA).status_code == 302 and signed_in(client)


def test_an_unreachable_provider_gives_a_502_page(client, council, oidc_provider, settings):
    oidc_provider.claims = MARIA
    location = leave(client)
    oidc_provider.stop()  # down between the authorization and the token exchange
    refused(come_back(client, location), 502, "provider_unavailable")
    assert not Person.objects.exists() and not get_user_model().objects.exists()
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    refused(client.get("/carpeta/entrar/oidc/"), 502, "provider_unavailable")


def test_next_stays_on_this_site(client, council, oidc_provider):
    assert sign_in(client, oidc_provider, MARIA, "https://example.com/")["Location"] == "/carpeta/"


def test_the_pages_let_the_sign_out_form_reach_the_provider(client, council, oidc_provider):
    csp = client.get("/carpeta/entrar/")["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.issuer};" in csp


def test_a_nif_given_only_at_userinfo_is_read_there_for_the_same_subject(
    client, council, oidc_provider
):
    oidc_provider.userinfo = {"nif": "12345678Z", "given_name": "Otra"}
    response = sign_in(client, oidc_provider, {k: v for k, v in MARIA.items() if k != "nif"})
    assert response.status_code == 302 and signed_in(client)
    person = Person.objects.get()
    assert (person.id_number, person.first_name) == ("12345678Z", "María")  # the ID token wins
    client.logout()
    # An answer about another subject is not used: nobody signs in, nothing is created.
    oidc_provider.userinfo = {"nif": "00000000T", "given_name": "Otra", "family_name": "Persona"}
    oidc_provider.userinfo_sub = "otra-persona"
    refused(sign_in(client, oidc_provider, {"given_name": "María"}), 400, "userinfo_mismatch")
    assert Person.objects.count() == 1 and not signed_in(client)
