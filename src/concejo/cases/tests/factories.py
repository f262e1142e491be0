"""Cases for tests of the apps that build on them, opened through the real service."""

from concejo.cases.services import case_open
from concejo.core.actors import Actor
from concejo.organization.tests.factories import UnitFactory
from concejo.people.tests.factories import PersonFactory


def case_for(entity, *, handler=None, unit=None, subject="Expediente de prueba", parties=None):
    from concejo.cases.models import PartyRole

    case = case_open(
        actor=Actor.system(), entity=entity, subject=subject,
        parties=parties or [(PersonFactory(entity=entity), PartyRole.APPLICANT)],
        responsible_unit=unit or UnitFactory(entity=entity), handler=handler,
    )  # fmt: skip
    return case
