import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from concejo.apikeys.models import ApiKey
from concejo.apikeys.services import api_key_revoke
from concejo.core.actors import Actor

pytestmark = pytest.mark.django_db


def create_key(*args) -> list[str]:
    out = io.StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_the_command_prints_the_key_alone_on_its_last_line_and_stores_only_a_hash(council):
    lines = create_key(
        "--name",
        "padrón",
        "--entity",
        council.dir3_code,
        "--scopes",
        "people:read,organization:read",
    )
    key = lines[-1]
    assert key.startswith("cj_") and " " not in key and len(key) > 40
    stored = ApiKey.objects.get()
    assert key not in (stored.key_hash, stored.prefix)
    assert stored.application.scopes == ["organization:read", "people:read"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/people/persons").status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_unknown_scopes_and_entities_are_refused(council):
    with pytest.raises(CommandError, match="Permisos desconocidos: people:delete"):
        create_key("--name", "x", "--entity", council.dir3_code, "--scopes", "people:delete")
    with pytest.raises(CommandError, match="No existe ninguna entidad"):
        create_key("--name", "x", "--entity", "L00000000", "--scopes", "people:read")
    assert not ApiKey.objects.exists()


def test_a_revoked_or_altered_key_is_401(council):
    key = create_key("--name", "x", "--entity", council.dir3_code, "--scopes", "people:read")[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key[:-1]}{'A' if key[-1] != 'A' else 'B'}")
    assert client.get("/api/v1/people/persons").status_code == 401
    api_key_revoke(actor=Actor.system(), key=ApiKey.objects.get())
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/people/persons")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize("header", ["Bearer abc", "Token", "Token a b"])
def test_malformed_authorization_headers_are_401(council, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/organization/entities").status_code == 401


def test_reissuing_under_a_name_cannot_change_its_scopes(council):
    create_key("--name", "padron", "--entity", council.dir3_code, "--scopes", "people:read")
    with pytest.raises(CommandError, match="ya existe con los permisos people:read"):
        create_key("--name", "padron", "--entity", council.dir3_code, "--scopes", "people:write")
    again = create_key("--name", "padron", "--entity", council.dir3_code, "--scopes", "people:read")
    assert again[-1].startswith("cj_")
    assert ApiKey.objects.count() == 2


def test_keys_of_an_inactive_entity_stop_working(council):
    key = create_key("--name", "x", "--entity", council.dir3_code, "--scopes", "people:read")[-1]
    council.active = False
    council.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/people/persons").status_code == 401


def test_an_over_long_application_name_is_a_clear_error(council):
    with pytest.raises(CommandError, match="100 caracteres"):
        create_key("--name", "x" * 101, "--entity", council.dir3_code, "--scopes", "people:read")


def test_a_key_is_read_with_its_application_entity_and_user_and_stops_with_its_application(
    council,
):
    from concejo.apikeys.services import api_key_authenticate, api_key_issue
    from concejo.organization.models import Role
    from concejo.organization.tests.factories import MembershipFactory

    signer = MembershipFactory(entity=council, role=Role.CASE_HANDLER).user
    issued = api_key_issue(
        actor=Actor.system(), entity=council, name="portafirmas", scopes=["people:read"],
        user=signer,
    )  # fmt: skip
    key = api_key_authenticate(issued.secret)
    assert (key.pk, key.user, key.application.entity) == (issued.key.pk, signer, council)
    assert key.application.entity.pk == council.pk and key.application.has_scope("people:read")
    assert (
        key.created_at == ApiKey.objects.get(pk=key.pk).created_at
    )  # read back as Django reads it
    shared = api_key_issue(actor=Actor.system(), entity=council, name="app", scopes=["people:read"])
    assert api_key_authenticate(shared.secret).user is None
    application = shared.key.application
    application.active = False
    application.save()
    assert api_key_authenticate(shared.secret) is None
    assert api_key_authenticate(issued.secret) is not None  # another application's key still works
