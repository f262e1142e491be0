import datetime as dt

import pytest

from concejo.audit.models import AuditEntry, Outcome
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.people import selectors, services
from concejo.people.models import Person, Representation, RepresentationStatus
from concejo.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(council):
    return Actor(
        user=MembershipFactory(entity=council, role=Role.REGISTRY_CLERK).user, ip="127.0.0.1"
    )


def test_a_clerk_registers_a_natural_person(clerk, council):
    person = services.person_create(
        actor=clerk,
        entity=council,
        kind="natural",
        id_type="nif",
        id_number=" 12345678z ",
        first_name="María",
        last_name_1="García",
        email="Maria@Example.org",
    )
    assert person.id_number == "12345678Z"
    assert person.email == "maria@example.org"
    assert person.display_name == "María García"
    assert not person.obliged_electronic
    assert AuditEntry.objects.filter(
        action="people.person.create", object_id=str(person.pk)
    ).exists()


def test_a_wrong_check_letter_is_rejected_and_nothing_written(clerk, council):
    with pytest.raises(ValidationFailed) as err:
        services.person_create(
            actor=clerk,
            entity=council,
            kind="natural",
            id_type="nif",
            id_number="12345678A",
            first_name="María",
            last_name_1="García",
        )
    assert err.value.fields == {
        "id_number": ["La letra o el dígito de control del DNI no es correcto."]
    }
    assert Person.objects.count() == 0
    assert AuditEntry.objects.get().outcome == Outcome.REJECTED


def test_legal_persons_must_deal_electronically_and_cannot_choose_paper(clerk, council):
    company = services.person_create(
        actor=clerk,
        entity=council,
        kind="legal",
        id_type="cif",
        id_number="B47123450",
        business_name="Limpiezas del Pisuerga, S.L.",
    )
    assert company.obliged_electronic
    assert company.obliged_reason == "legal_person"
    with pytest.raises(ValidationFailed) as err:
        services.person_update(actor=clerk, person=company, preferred_channel="postal")
    assert err.value.code == "invalid_person"
    assert "preferred_channel" in err.value.fields
    company.refresh_from_db()
    assert company.preferred_channel == "electronic"


def test_required_names_and_formats_are_reported_together(clerk, council):
    with pytest.raises(ValidationFailed) as err:
        services.person_create(
            actor=clerk,
            entity=council,
            kind="natural",
            id_type="nif",
            id_number="12345678Z",
            email="no-es-un-correo",
            postal_code="470",
        )
    assert set(err.value.fields) == {"first_name", "last_name_1", "email", "postal_code"}


def test_the_same_document_cannot_be_registered_twice_in_an_entity(clerk, council, other_entity):
    PersonFactory(entity=council, id_number="12345678Z")
    PersonFactory(entity=other_entity, id_number="71234567W")
    with pytest.raises(ValidationFailed) as err:
        services.person_create(
            actor=clerk,
            entity=council,
            kind="natural",
            id_type="nif",
            id_number="12345678Z",
            first_name="Otra",
            last_name_1="Persona",
        )
    assert err.value.code == "duplicate_person"
    # Another entity's interesado with that number does not count.
    services.person_create(
        actor=clerk,
        entity=council,
        kind="natural",
        id_type="nif",
        id_number="71234567W",
        first_name="Juan",
        last_name_1="Pérez",
    )


def test_an_auditor_reads_but_does_not_write_people(council):
    auditor = Actor(user=MembershipFactory(entity=council, role=Role.AUDITOR).user)
    person = PersonFactory(entity=council)
    assert selectors.person_get(actor=auditor, person_id=person.pk) == person
    with pytest.raises(PermissionDenied):
        services.person_update(actor=auditor, person=person, first_name="Cambio")


def test_reading_a_person_is_audited_and_other_entities_are_invisible(clerk, council, other_entity):
    mine = PersonFactory(entity=council)
    theirs = PersonFactory(entity=other_entity)
    selectors.person_get(actor=clerk, person_id=mine.pk, purpose="consulta")
    read = AuditEntry.objects.get(outcome=Outcome.READ)
    assert (read.object_id, read.details) == (str(mine.pk), {"purpose": "consulta"})
    with pytest.raises(Exception) as err:
        selectors.person_get(actor=clerk, person_id=theirs.pk)
    assert getattr(err.value, "status", None) == 404


def grant(actor, entity, grantor, representative, **kw):
    values = {
        "scope": "general",
        "valid_from": dt.date(2025, 1, 1),
        "valid_to": dt.date(2026, 1, 1),
        **kw,
    }
    return services.representation_grant(
        actor=actor, entity=entity, grantor=grantor, representative=representative, **values
    )


def test_a_representation_may_last_exactly_five_years_but_not_a_day_more(clerk, council):
    grantor, rep = PersonFactory(entity=council), PersonFactory(entity=council)
    ok = grant(
        clerk, council, grantor, rep, valid_from=dt.date(2024, 2, 29), valid_to=dt.date(2029, 2, 28)
    )
    assert ok.valid_to == dt.date(2029, 2, 28)
    with pytest.raises(ValidationFailed) as err:
        grant(
            clerk,
            council,
            grantor,
            rep,
            valid_from=dt.date(2025, 3, 1),
            valid_to=dt.date(2030, 3, 2),
        )
    assert err.value.code == "representation_too_long"
    assert "valid_to" in err.value.fields
    assert Representation.objects.count() == 1


def test_nobody_represents_themselves(clerk, council):
    person = PersonFactory(entity=council)
    with pytest.raises(ValidationFailed) as err:
        grant(clerk, council, person, person)
    assert err.value.code == "self_representation"


def test_procedure_scope_needs_procedures(clerk, council):
    grantor, rep = PersonFactory(entity=council), PersonFactory(entity=council)
    with pytest.raises(ValidationFailed) as err:
        grant(clerk, council, grantor, rep, scope="procedures")
    assert err.value.code == "required"


def test_may_act_follows_scope_dates_and_revocation(clerk, council, other_entity):
    grantor, rep = PersonFactory(entity=council), PersonFactory(entity=council)
    args = {"representative_id_number": rep.id_number, "grantor_id_number": grantor.id_number}
    day = dt.date(2025, 6, 1)

    by_procedure = grant(
        clerk, council, grantor, rep, scope="procedures", procedure_codes=["SIA-1"]
    )
    assert (
        selectors.representation_valid(entity=council, procedure_code="SIA-1", on=day, **args)
        == by_procedure
    )
    assert (
        selectors.representation_valid(entity=council, procedure_code="SIA-2", on=day, **args)
        is None
    )
    assert selectors.representation_valid(entity=council, on=day, **args) is None

    entity_wide = grant(clerk, council, grantor, rep, scope="entity")
    assert (
        selectors.representation_valid(entity=council, procedure_code="SIA-2", on=day, **args)
        == entity_wide
    )
    assert selectors.representation_valid(entity=other_entity, on=day, **args) is None
    assert selectors.representation_valid(entity=council, on=dt.date(2026, 1, 2), **args) is None
    assert selectors.representation_valid(entity=council, on=dt.date(2024, 12, 31), **args) is None

    services.representation_revoke(
        actor=clerk, representation=entity_wide, reason="Fin del encargo"
    )
    assert (
        selectors.representation_valid(entity=council, procedure_code="SIA-2", on=day, **args)
        is None
    )
    entity_wide.refresh_from_db()
    assert entity_wide.status == RepresentationStatus.REVOKED
    with pytest.raises(Conflict):
        services.representation_revoke(actor=clerk, representation=entity_wide)

    general = grant(clerk, council, grantor, rep, scope="general")
    assert selectors.representation_valid(entity=other_entity, on=day, **args) == general
