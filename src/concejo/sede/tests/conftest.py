"""Fixtures of the sede's tests: a council with a published procedure and a citizen."""

import pytest

from concejo.core.actors import Actor
from concejo.organization.tests.factories import UserFactory
from concejo.people.tests.factories import PersonFactory
from concejo.procedures import services as procedures
from concejo.procedures.tests.factories import content

SCHEMA = {
    "type": "object",
    "required": ["emplazamiento", "presupuesto"],
    "properties": {
        "emplazamiento": {"type": "string", "title": "Emplazamiento de la obra"},
        "presupuesto": {"type": "number", "minimum": 0, "title": "Presupuesto (€)"},
        "elemento": {"enum": ["cocina", "baño"]},
    },
}


def publish_licence_procedure(entity, unit, **extra):
    """The minor works licence (SIA 2045001) with its form and two required documents."""
    version = procedures.procedure_create(
        actor=Actor.system(), entity=entity, sia_code="2045001",
        **content(entity, responsible_unit=unit, form_schema=SCHEMA,
                  required_documents=[
                      {"name": "Presupuesto detallado", "mandatory": True, "accepted_formats": ["pdf"]},
                      {"name": "Plano de situación", "mandatory": True, "accepted_formats": ["pdf"]},
                  ], **extra),
    )  # fmt: skip
    procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)
    return version


@pytest.fixture
def sede(council, registry_setup):
    version = publish_licence_procedure(council, registry_setup["licences"])
    user = UserFactory(username="lucia", is_staff=False)
    lucia = PersonFactory(entity=council, first_name="Lucía", last_name_1="Fernández", user=user)
    return {"entity": council, "procedure": version.procedure, "user": user, "lucia": lucia}


@pytest.fixture
def oidc_provider(settings):
    """A real OpenID provider on loopback, configured as the sede's identity provider."""
    from concejo.sede.tests.oidc_provider import LoopbackOidcProvider

    provider = LoopbackOidcProvider().start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = provider.client_id
    settings.OIDC_CLIENT_SECRET = provider.client_secret
    settings.OIDC_TIMEOUT = 5
    settings.SITE_URL = "http://testserver"  # where the provider sends the browser back
    yield provider
    provider.stop()
