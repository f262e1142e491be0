"""A resolved case with a signed resolution, ready to be notified to its interesados."""

import pytest

from concejo.cases import services as cases
from concejo.cases.models import CaseStatus, PartyRole
from concejo.cases.tests.factories import case_for
from concejo.core.actors import Actor
from concejo.notifications.services import IssueRequest
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory, UserFactory
from concejo.people.tests.factories import PersonFactory
from concejo.signatures import services as signatures
from concejo.signatures.tests.test_portafirmas import draft_pdf, employee

APPEALS = (
    "Recurso potestativo de reposición ante la Alcaldía en el plazo de un mes, o recurso "
    "contencioso-administrativo ante los Juzgados de Valladolid en el de dos meses."
)


@pytest.fixture
def resolved(sealed_council, fresh_calendars):
    entity = sealed_council
    unit = UnitFactory(entity=entity)
    handler = MembershipFactory(entity=entity, unit=unit, role=Role.CASE_HANDLER).user
    actor = Actor(user=handler)
    maria_user = UserFactory(username="maria", is_staff=False)
    maria = PersonFactory(
        entity=entity, first_name="María", last_name_1="García", email="maria@example.org",
        phone="600111222", user=maria_user, address="Calle Santiago, 10", postal_code="47001",
        municipality="Valladolid", province="Valladolid",
    )  # fmt: skip
    company = PersonFactory(
        entity=entity, kind="legal", id_type="cif", id_number="B47123450",
        business_name="Obras Pisuerga SL", email="obras@example.org", obliged_reason="legal_person",
    )  # fmt: skip
    case = case_for(
        entity, handler=handler, unit=unit,
        parties=[(maria, PartyRole.APPLICANT), (company, PartyRole.INTERESTED)],
    )  # fmt: skip
    resolution = draft_pdf(entity, actor, "Resolución de concesión")
    cases.case_document_add(actor=actor, case=case, document=resolution)
    mayor = employee(entity)
    request = signatures.signature_request_create(
        actor=actor, entity=entity, subject="Resolución", documents=[resolution], signers=[mayor],
    )  # fmt: skip
    signatures.signature_sign(actor=Actor(user=mayor), request=request)
    resolution.refresh_from_db()
    for status in (CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED):
        case = cases.case_transition(actor=actor, case=case, to_status=status)
    return {"entity": entity, "case": case, "actor": actor, "resolution": resolution,
            "maria": maria, "maria_user": maria_user, "company": company, "unit": unit}  # fmt: skip


def issue_request(resolved, person=None, **overrides) -> IssueRequest:
    values = {
        "case": resolved["case"], "document": resolved["resolution"],
        "addressee": person or resolved["maria"], "subject": "Concesión de licencia de obra menor",
        "appeals": APPEALS, "ends_administrative_route": True, "appeal_amount": 1,
        "appeal_unit": "months",
    }  # fmt: skip
    values.update(overrides)
    return IssueRequest(**values)
