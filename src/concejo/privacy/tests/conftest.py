"""A council with an interesada whose data several employees have read."""

import pytest

from concejo.cases.models import PartyRole
from concejo.cases.selectors import case_get
from concejo.cases.tests.factories import case_for
from concejo.core.actors import Actor
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory
from concejo.people.selectors import person_get
from concejo.people.tests.factories import PersonFactory
from concejo.registry.selectors import registry_entry_get
from concejo.registry.services import registry_entry_create


@pytest.fixture
def maria_read(council, registry_setup):
    """María's person row, an entry where she is interesada and her case, each read once."""
    unit = UnitFactory(entity=council)
    handler = MembershipFactory(
        entity=council, unit=unit, role=Role.CASE_HANDLER,
        user__username="tramitadora", user__first_name="Tere", user__last_name="Tramita",
    ).user  # fmt: skip
    clerk = MembershipFactory(entity=council, role=Role.REGISTRY_CLERK, user__username="ana").user
    maria = PersonFactory(
        entity=council, id_number="12345678Z", first_name="María", last_name_1="García"
    )
    other = PersonFactory(entity=council, first_name="Pedro", last_name_1="Ajeno")
    entry = registry_entry_create(
        actor=Actor.system(), entity=council, subject="Solicitud de vado", interested=[maria]
    )
    case = case_for(
        council, handler=handler, unit=unit, subject="Licencia de vado",
        parties=[(maria, PartyRole.APPLICANT)],
    )  # fmt: skip
    person_get(
        actor=Actor(user=handler, ip="10.0.0.7"), person_id=maria.pk, purpose="Comprobar domicilio"
    )
    registry_entry_get(actor=Actor(user=clerk, ip="10.0.0.8"), entity=council, entry_id=entry.pk)
    case_get(actor=Actor(user=handler, ip="10.0.0.7"), entity=council, case_id=case.pk)
    person_get(actor=Actor(user=handler, ip="10.0.0.7"), person_id=other.pk)
    return {
        "maria": maria, "other": other, "entry": entry, "case": case,
        "handler": handler, "clerk": clerk, "unit": unit,
    }  # fmt: skip


@pytest.fixture
def dpo_client(client, council):
    dpo = MembershipFactory(entity=council, role=Role.DPO, user__username="delegada").user
    client.force_login(dpo)
    return client
