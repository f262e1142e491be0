import datetime as dt

import pytest

from concejo.audit.models import AuditEntry, Outcome
from concejo.core.actors import Actor
from concejo.core.errors import PermissionDenied, ValidationFailed
from concejo.organization import services
from concejo.organization.models import Role, Unit
from concejo.organization.selectors import actor_has_role, entities_for_actor
from concejo.organization.tests.factories import (
    EntityFactory,
    MembershipFactory,
    OfficeFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def admin_of(entity):
    return Actor(user=MembershipFactory(entity=entity, role=Role.ADMINISTRATOR).user, ip="10.0.0.1")


def test_an_administrator_creates_a_unit_and_it_is_audited(council):
    actor = admin_of(council)
    area = services.unit_create(
        actor=actor,
        entity=council,
        name="Concejalía de Hacienda",
        dir3_code="la0000001",
        level="area",
    )
    service = services.unit_create(
        actor=actor,
        entity=council,
        name="Servicio de Recaudación",
        dir3_code="LA0000002",
        level="service",
        parent=area,
    )
    assert area.dir3_code == "LA0000001"
    assert service.parent == area
    entry = AuditEntry.objects.get(action="organization.unit.create", object_id=str(service.pk))
    assert entry.entity == council
    assert entry.actor == f"user:{actor.user.username}"
    assert entry.ip == "10.0.0.1"
    assert entry.outcome == Outcome.SUCCESS


@pytest.mark.parametrize("taken_by", ["unit", "entity", "office"])
def test_a_unit_code_already_used_anywhere_is_rejected_and_nothing_written(council, taken_by):
    code = {"unit": "LA0000009", "entity": council.dir3_code, "office": "O00000009"}[taken_by]
    if taken_by == "unit":
        UnitFactory(entity=council, dir3_code=code)
    if taken_by == "office":
        OfficeFactory(entity=council, code=code)
    before = Unit.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.unit_create(
            actor=admin_of(council), entity=council, name="Otra", dir3_code=code, level="service"
        )
    assert err.value.code == "duplicate_code"
    assert "dir3_code" in err.value.fields
    assert Unit.objects.count() == before


@pytest.mark.parametrize("code", ["", "LA00", "LA00000001", "la-000001", "1A0000001"])
def test_malformed_dir3_codes_are_rejected(council, code):
    with pytest.raises(ValidationFailed) as err:
        services.unit_create(
            actor=admin_of(council), entity=council, name="X", dir3_code=code, level="service"
        )
    assert err.value.code == "invalid_dir3"


def test_a_parent_from_another_entity_is_rejected(council, other_entity):
    foreign = UnitFactory(entity=other_entity)
    with pytest.raises(ValidationFailed) as err:
        services.unit_create(
            actor=admin_of(council),
            entity=council,
            name="X",
            dir3_code="LA0000003",
            level="service",
            parent=foreign,
        )
    assert err.value.fields == {"parent": ["La unidad superior pertenece a otra entidad."]}


def test_end_before_start_is_rejected(council):
    with pytest.raises(ValidationFailed) as err:
        services.unit_create(
            actor=admin_of(council),
            entity=council,
            name="X",
            dir3_code="LA0000004",
            level="service",
            valid_from=dt.date(2025, 5, 1),
            valid_to=dt.date(2025, 4, 1),
        )
    assert err.value.code == "invalid_dates"


def test_a_unit_cannot_hang_from_its_own_subtree(council):
    actor = admin_of(council)
    top = services.unit_create(
        actor=actor, entity=council, name="A", dir3_code="LA0000010", level="area"
    )
    child = services.unit_create(
        actor=actor, entity=council, name="B", dir3_code="LA0000011", level="service", parent=top
    )
    with pytest.raises(ValidationFailed) as err:
        services.unit_update(
            actor=actor,
            unit=top,
            name="A",
            dir3_code="LA0000010",
            level="area",
            parent=child,
            valid_from=top.valid_from,
            valid_to=None,
        )
    assert err.value.code == "unit_cycle"
    top.refresh_from_db()
    assert top.parent is None


def test_a_case_handler_may_not_create_units_and_the_refusal_is_audited(council):
    handler = Actor(user=MembershipFactory(entity=council, role=Role.CASE_HANDLER).user)
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=handler, entity=council, name="X", dir3_code="LA0000005", level="service"
        )
    assert not Unit.objects.filter(dir3_code="LA0000005").exists()
    denied = AuditEntry.objects.get(action="organization.unit.create")
    assert denied.outcome == Outcome.DENIED
    assert denied.details["code"] == "permission_denied"


def test_an_administrator_of_one_entity_cannot_act_in_another(council, other_entity):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=admin_of(other_entity),
            entity=council,
            name="X",
            dir3_code="LA0000006",
            level="service",
        )


def test_roles_are_scoped_to_their_entity_in_sql(council, other_entity):
    membership = MembershipFactory(entity=council, role=Role.REGISTRY_CLERK)
    actor = Actor(user=membership.user)
    assert list(entities_for_actor(actor)) == [council]
    assert actor_has_role(actor, council, [Role.REGISTRY_CLERK])
    assert not actor_has_role(actor, council, [Role.SIGNER])
    assert not actor_has_role(actor, other_entity, [Role.REGISTRY_CLERK])
    services.membership_revoke(actor=Actor.system(), membership=membership)
    assert not actor_has_role(actor, council, [Role.REGISTRY_CLERK])
    assert list(entities_for_actor(actor)) == []


def test_entities_need_a_valid_nif_and_a_free_dir3(system):
    parent = EntityFactory()
    with pytest.raises(ValidationFailed) as err:
        services.entity_create(
            actor=system,
            name="Fundación X",
            entity_type="foundation",
            nif="G47123459",
            dir3_code="LA0099999",
            ine_code="47186",
            parent=parent,
        )
    assert err.value.code == "invalid_nif"
    with pytest.raises(ValidationFailed) as err:
        services.entity_create(
            actor=system,
            name="Fundación X",
            entity_type="foundation",
            nif="G47123450",
            dir3_code=parent.dir3_code,
            ine_code="47186",
            parent=parent,
        )
    assert err.value.code == "duplicate_code"
    created = services.entity_create(
        actor=system,
        name="Fundación X",
        entity_type="foundation",
        nif="G47123450",
        dir3_code="LA0099999",
        ine_code="47186",
        parent=parent,
    )
    assert created.parent == parent
    assert created.sede_title == "Fundación X"
