"""A mayor signs a decree from the portafirmas, in a real browser."""

import pytest

from concejo.cases.services import case_document_add
from concejo.cases.tests.factories import case_for
from concejo.core.actors import Actor
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.signatures.models import RequestStatus, SignatureRequest
from concejo.signatures.services import signature_request_create
from concejo.signatures.tests.test_portafirmas import draft_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_mayor_signs_a_decree_from_the_portafirmas(live_server, page, sealed_council):
    handler = MembershipFactory(entity=sealed_council, role=Role.CASE_HANDLER).user
    mayor = MembershipFactory(
        entity=sealed_council, role=Role.UNIT_HEAD, user__username="alcalde",
        user__first_name="Jesús", user__last_name="Alcalde",
    ).user  # fmt: skip
    case = case_for(sealed_council, handler=handler)
    decree = draft_pdf(sealed_council, Actor(user=handler), "Decreto de la Alcaldía")
    case_document_add(actor=Actor(user=handler), case=case, document=decree)
    signature_request_create(
        actor=Actor(user=handler), entity=sealed_council, subject="Decreto de la Alcaldía",
        documents=[decree], signers=[mayor], case=case,
    )  # fmt: skip

    page.goto(f"{live_server.url}/backoffice/portafirmas/")
    page.get_by_label("Usuario").fill("alcalde")
    page.get_by_label("Contraseña").fill("Una-clave-larga-1")
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.wait_for_url("**/backoffice/portafirmas/")
    assert page.get_by_role("link", name="Decreto de la Alcaldía").is_visible()

    page.get_by_role("button", name="Firmar").click()
    page.wait_for_load_state()
    assert page.get_by_text("Documentos firmados.").is_visible()
    assert page.get_by_text("No hay peticiones en esta bandeja.").is_visible()
    assert SignatureRequest.objects.get().status == RequestStatus.SIGNED
    page.get_by_role("link", name="Firmadas").click()
    assert page.get_by_text("Firmado", exact=False).first.is_visible()
