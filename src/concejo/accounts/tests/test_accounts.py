"""Employees' second factor (TOTP), idle timeout and sign-out everywhere."""

import time

import pytest
from django.test import Client
from django.utils import timezone

from concejo.accounts import totp
from concejo.accounts.models import AccountSecurity
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Una-clave-larga-1"


def test_totp_codes_follow_rfc_6238():
    # RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (base32), 8 digits there; 6 here.
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, 59 // 30) == "287082"
    assert totp.code_at(secret, 1111111109 // 30) == "081804"
    assert totp.matching_step(secret, "287082", now=59) == 1
    assert totp.matching_step(secret, "287082", now=59 + 300) is None
    assert totp.matching_step(secret, "abc", now=59) is None


def employee(role=Role.ADMINISTRATOR, username="ana"):
    return MembershipFactory(role=role, user__username=username).user


def sign_in(client, username):
    return client.post("/backoffice/entrar/", {"username": username, "password": PASSWORD})


def test_an_administrator_must_enrol_and_then_always_gives_a_code(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    user = employee()
    sign_in(client, "ana")
    # Signed in by password, but the desk asks for the second factor first.
    assert client.get("/backoffice/expedientes/")["Location"] == "/backoffice/doble-factor/"
    page = client.get("/backoffice/doble-factor/").content.decode()
    assert "Su puesto exige el doble factor" in page and "<svg" in page
    secret = AccountSecurity.objects.get(user=user).totp_secret
    wrong = client.post("/backoffice/doble-factor/", {"code": "000000"}, follow=True)
    assert "El código no es válido." in wrong.content.decode()
    client.post("/backoffice/doble-factor/", {"code": totp.code_at(secret, totp.current_step())})
    assert client.get("/backoffice/expedientes/").status_code == 200
    # Next time: password, then the code (a replayed code is refused).
    client.logout()
    response = sign_in(client, "ana")
    assert response["Location"] == "/backoffice/doble-factor/"
    assert client.get("/backoffice/expedientes/")["Location"].startswith("/backoffice/entrar/")
    # The step of the code already used (not "now": a 30-second boundary may have passed).
    last_step = AccountSecurity.objects.get(user=user).totp_last_step
    refused = client.post(
        "/backoffice/doble-factor/", {"code": totp.code_at(secret, last_step)}, follow=True
    )
    assert "El código no es válido." in refused.content.decode()
    later = totp.code_at(secret, last_step + 1)
    client.post("/backoffice/doble-factor/", {"code": later})
    assert client.get("/backoffice/expedientes/").status_code == 200


def test_a_clerk_is_not_forced_but_may_enrol(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    employee(Role.REGISTRY_CLERK, "rafa")
    sign_in(client, "rafa")
    assert client.get("/backoffice/expedientes/").status_code == 200
    assert "doble factor" in client.get("/backoffice/doble-factor/").content.decode().lower()


def test_idle_sessions_expire_and_sign_out_everywhere_closes_other_browsers(client, settings):
    employee(Role.CASE_HANDLER, "teo")
    other = Client()
    sign_in(client, "teo")
    sign_in(other, "teo")
    assert other.get("/backoffice/expedientes/").status_code == 200
    client.post("/backoffice/salir-de-todo/")
    assert other.get("/backoffice/expedientes/")["Location"].startswith("/backoffice/entrar/")
    sign_in(other, "teo")
    assert other.get("/backoffice/expedientes/").status_code == 200
    settings.SESSION_IDLE_SECONDS = 60
    session = other.session
    session["last_seen"] = int(time.time()) - 120
    session.save()
    assert other.get("/backoffice/expedientes/")["Location"].startswith("/backoffice/entrar/")


def test_activity_keeps_a_session_alive_writing_it_at_most_once_a_minute(client, settings):
    employee(Role.CASE_HANDLER, "teo")
    sign_in(client, "teo")
    settings.SESSION_IDLE_SECONDS = 120
    session = client.session
    session["last_seen"] = int(time.time()) - 90  # idle, but not for too long
    session.save()
    assert client.get("/backoffice/expedientes/").status_code == 200
    seen = client.session["last_seen"]
    assert seen >= int(time.time()) - 2  # the activity moved it forward
    session = client.session
    session["last_seen"] = seen - 10  # seen ten seconds ago: not written again
    session.save()
    assert client.get("/backoffice/expedientes/").status_code == 200
    assert client.session["last_seen"] == seen - 10


def test_another_sign_in_path_cannot_skip_the_code_and_guessing_is_locked_out(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    user = employee()
    security = AccountSecurity.objects.create(
        user=user, totp_secret=totp.new_secret(), totp_confirmed_at="2026-01-01T00:00:00Z"
    )
    client.force_login(user)  # as if signed in through another page (admin, carpeta)
    assert client.get("/backoffice/expedientes/")["Location"] == "/backoffice/doble-factor/"
    page = client.get("/backoffice/doble-factor/").content.decode()
    assert "código de seis cifras" in page
    assert client.get("/backoffice/expedientes/")["Location"] == "/backoffice/doble-factor/"
    for _ in range(settings.LOGIN_FAILURES_ALLOWED):
        client.post("/backoffice/doble-factor/", {"code": "000000"})
    good = totp.code_at(security.totp_secret, totp.current_step())
    locked = client.post("/backoffice/doble-factor/", {"code": good}, follow=True)
    assert "Demasiados intentos fallidos" in locked.content.decode()
    assert client.get("/backoffice/expedientes/")["Location"] == "/backoffice/doble-factor/"


def _enrolled(user):
    from concejo.accounts.services import security_of

    security = security_of(user)
    security.totp_secret = totp.new_secret()
    security.totp_confirmed_at = timezone.now()
    security.save()
    return security


def test_an_administrator_resets_a_lost_second_factor_and_the_sessions_end(client, settings):
    from concejo.audit.models import AuditEntry

    settings.TWO_FACTOR_REQUIRED = False
    clerk = MembershipFactory(role=Role.REGISTRY_CLERK, user__username="rafa").user
    admin = MembershipFactory(role=Role.ADMINISTRATOR, entity=clerk.memberships.get().entity,
                              user__username="jefa").user  # fmt: skip
    old_secret = _enrolled(clerk).totp_secret
    clerks_browser = Client()
    clerks_browser.force_login(clerk)
    # The clerk's browser is in use (asking for the code of the authenticator now lost).
    assert clerks_browser.get("/backoffice/doble-factor/").status_code == 200
    client.force_login(admin)
    page = client.get("/backoffice/empleados/doble-factor/").content.decode()
    assert "rafa" in page
    refused = client.post("/backoffice/empleados/doble-factor/", {"username": "rafa"}, follow=True)
    assert "Indique el motivo" in refused.content.decode()
    client.post("/backoffice/empleados/doble-factor/",
                {"username": "rafa", "reason": "Móvil perdido; identidad comprobada en persona"})  # fmt: skip
    security = AccountSecurity.objects.get(user=clerk)
    assert not security.two_factor and security.totp_secret != old_secret
    entry = AuditEntry.objects.get(action="accounts.totp.reset")
    assert entry.details["user"] == "rafa" and "Móvil perdido" in entry.details["reason"]
    # The clerk's open session is over; signing in again works with the password alone.
    assert clerks_browser.get("/backoffice/expedientes/")["Location"].startswith(
        "/backoffice/entrar/"
    )
    assert sign_in(Client(), "rafa")["Location"] == "/backoffice/"


def test_two_factor_reset_is_refused_to_others_and_to_oneself(client, settings):
    from concejo.accounts.services import two_factor_reset
    from concejo.core.actors import Actor
    from concejo.core.errors import PermissionDenied

    clerk = MembershipFactory(role=Role.REGISTRY_CLERK, user__username="rafa").user
    _enrolled(clerk)
    stranger_admin = MembershipFactory(role=Role.ADMINISTRATOR, user__username="otra").user
    colleague = MembershipFactory(role=Role.CASE_HANDLER, entity=clerk.memberships.get().entity,
                                  user__username="teresa").user  # fmt: skip
    for actor_user in (stranger_admin, colleague, clerk):
        with pytest.raises(PermissionDenied):
            two_factor_reset(actor=Actor(user=actor_user), user=clerk, reason="x")
    assert AccountSecurity.objects.get(user=clerk).two_factor
    client.force_login(colleague)
    assert client.get("/backoffice/empleados/doble-factor/").status_code == 403


def test_two_factor_reset_command_for_when_no_administrator_can_sign_in():
    from io import StringIO

    from django.core.management import call_command

    admin = MembershipFactory(role=Role.ADMINISTRATOR, user__username="ana").user
    _enrolled(admin)
    out = StringIO()
    call_command("two_factor_reset", "ana", reason="Único administrador sin móvil", stdout=out)
    assert "restablecido" in out.getvalue()
    assert not AccountSecurity.objects.get(user=admin).two_factor
