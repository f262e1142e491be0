"""Writes to the organisation: entities, units, offices and staff roles."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.es import nif as es_nif

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import PermissionDenied, ValidationFailed, field_error, require_choice
from concejo.organization.models import (
    Entity,
    EntityType,
    Membership,
    Office,
    Role,
    Unit,
    UnitLevel,
)
from concejo.organization.selectors import require_role
from concejo.organization.validation import clean_dir3, clean_ine, ensure_code_free


def _clean_name(value: str, field: str = "name") -> str:
    name = (value or "").strip()
    if not name:
        raise field_error(field, _("Este campo es obligatorio."), code="required")
    return name


@audited_service("organization.entity.create")
def entity_create(
    *,
    actor: Actor,
    name: str,
    entity_type: str,
    nif: str,
    dir3_code: str,
    ine_code: str,
    parent: Entity | None = None,
    short_name: str = "",
    sede_title: str = "",
) -> Entity:
    if not (actor.is_system or (actor.user is not None and actor.user.is_superuser)):
        raise PermissionDenied(_("Solo un superadministrador puede dar de alta entidades."))
    name = _clean_name(name)
    require_choice(entity_type, EntityType, "entity_type")
    code = clean_dir3(dir3_code)
    ensure_code_free(code)
    if not es_nif.is_valid(nif or ""):
        raise field_error("nif", _("El NIF de la entidad no es válido."), code="invalid_nif")
    nif = es_nif.compact(nif)
    if Entity.objects.filter(nif=nif).exists():
        raise field_error("nif", _("Ya existe una entidad con ese NIF."), code="duplicate_nif")
    entity = Entity.objects.create(
        name=name,
        short_name=short_name.strip(),
        entity_type=entity_type,
        nif=nif,
        dir3_code=code,
        ine_code=clean_ine(ine_code),
        parent=parent,
        sede_title=sede_title.strip() or name,
    )
    audit_record(actor=actor, action="organization.entity.create", entity=entity, target=entity)
    return entity


@audited_service("organization.unit.create")
def unit_create(
    *,
    actor: Actor,
    entity: Entity,
    name: str,
    dir3_code: str,
    level: str,
    parent: Unit | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Unit:
    require_role(actor, entity, Role.ADMINISTRATOR)
    name = _clean_name(name)
    require_choice(level, UnitLevel, "level")
    code = clean_dir3(dir3_code)
    ensure_code_free(code)
    if parent is not None and parent.entity_id != entity.pk:
        raise field_error(
            "parent", _("La unidad superior pertenece a otra entidad."), code="unknown_unit"
        )
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        raise field_error(
            "valid_to",
            _("La fecha de fin no puede ser anterior a la de inicio."),
            code="invalid_dates",
        )
    unit = Unit.objects.create(
        entity=entity,
        name=name,
        dir3_code=code,
        level=level,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit_record(actor=actor, action="organization.unit.create", entity=entity, target=unit)
    return unit


@audited_service("organization.unit.update")
def unit_update(
    *,
    actor: Actor,
    unit: Unit,
    name: str,
    dir3_code: str,
    level: str,
    parent: Unit | None,
    valid_from: dt.date,
    valid_to: dt.date | None,
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_role(actor, unit.entity, Role.ADMINISTRATOR)
    code = clean_dir3(dir3_code)
    ensure_code_free(code, exclude_pk=unit.pk)
    if parent is not None:
        if parent.entity_id != unit.entity_id:
            raise field_error(
                "parent", _("La unidad superior pertenece a otra entidad."), code="unknown_unit"
            )
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise field_error(
                    "parent",
                    _("Una unidad no puede depender de sí misma ni de sus subunidades."),
                    code="unit_cycle",
                )
            ancestor = ancestor.parent
    if valid_to is not None and valid_to < valid_from:
        raise field_error(
            "valid_to",
            _("La fecha de fin no puede ser anterior a la de inicio."),
            code="invalid_dates",
        )
    before = {"name": unit.name, "dir3_code": unit.dir3_code, "valid_to": str(unit.valid_to)}
    unit.name = _clean_name(name)
    unit.dir3_code = code
    unit.level = require_choice(level, UnitLevel, "level")
    unit.parent = parent
    unit.valid_from = valid_from
    unit.valid_to = valid_to
    unit.save()
    audit_record(
        actor=actor,
        action="organization.unit.update",
        entity=unit.entity,
        target=unit,
        details={"before": before},
    )
    return unit


@audited_service("organization.office.create")
def office_create(
    *,
    actor: Actor,
    entity: Entity,
    name: str,
    code: str,
    address: str = "",
    opening_hours: str = "",
    is_registry_office: bool = True,
) -> Office:
    require_role(actor, entity, Role.ADMINISTRATOR)
    code = clean_dir3(code, field="code")
    ensure_code_free(code, field="code")
    office = Office.objects.create(
        entity=entity,
        name=_clean_name(name),
        code=code,
        address=address.strip(),
        opening_hours=opening_hours.strip(),
        is_registry_office=is_registry_office,
    )
    audit_record(actor=actor, action="organization.office.create", entity=entity, target=office)
    return office


@audited_service("organization.membership.grant")
def membership_grant(
    *, actor: Actor, user, entity: Entity, role: str, unit: Unit | None = None
) -> Membership:
    require_role(actor, entity, Role.ADMINISTRATOR)
    require_choice(role, Role, "role")
    if unit is not None and unit.entity_id != entity.pk:
        raise field_error("unit", _("La unidad pertenece a otra entidad."), code="unknown_unit")
    membership, created = Membership.objects.get_or_create(
        user=user, entity=entity, unit=unit, role=role, defaults={"active": True}
    )
    if not created and not membership.active:
        membership.active = True
        membership.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        action="organization.membership.grant",
        entity=entity,
        target=membership,
        details={"user": user.get_username(), "role": role},
    )
    return membership


@audited_service("organization.membership.revoke")
def membership_revoke(*, actor: Actor, membership: Membership) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require_role(actor, membership.entity, Role.ADMINISTRATOR)
    membership.active = False
    membership.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        action="organization.membership.revoke",
        entity=membership.entity,
        target=membership,
    )
    return membership


@audited_service("organization.employee.create")
def employee_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    email: str,
    entity: Entity,
    role: str,
    unit: Unit | None = None,
):
    """Create a staff user with a first role (demo data and the admin use it)."""
    require_role(actor, entity, Role.ADMINISTRATOR)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise field_error("username", _("Ese nombre de usuario ya existe."), code="duplicate_user")
    try:
        validate_password(password, user_model(username=username, email=email))
    except DjangoValidationError as exc:
        raise ValidationFailed(
            exc.messages[0], code="weak_password", fields={"password": exc.messages}
        ) from exc
    user = user_model.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role != Role.CITIZEN,
    )
    audit_record(
        actor=actor,
        action="organization.employee.create",
        entity=entity,
        target=user,
        details={"username": username},
    )
    membership_grant(actor=actor, user=user, entity=entity, role=role, unit=unit)
    return user


@audited_service("organization.entity.update")
def entity_update(
    *,
    actor: Actor,
    entity: Entity,
    name: str,
    short_name: str = "",
    sede_title: str = "",
    primary_color: str = "#6d1a36",
    active: bool = True,
    registry_unit: Unit | None = None,
) -> Entity:
    """Names, branding, activity and registry unit; identifiers (NIF, DIR3, INE) never change."""
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    require_role(actor, entity, Role.ADMINISTRATOR)
    if registry_unit is not None and registry_unit.entity_id != entity.pk:
        raise field_error(
            "registry_unit", _("La unidad pertenece a otra entidad."), code="unknown_unit"
        )
    color = (primary_color or "").strip()
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
        raise field_error(
            "primary_color", _("El color se indica como #RRGGBB."), code="invalid_color"
        )
    entity.name = _clean_name(name)
    entity.short_name = short_name.strip()
    entity.sede_title = sede_title.strip() or entity.name
    entity.primary_color = color
    entity.active = active
    entity.registry_unit = registry_unit
    entity.save()
    audit_record(actor=actor, action="organization.entity.update", entity=entity, target=entity)
    return entity


@audited_service("organization.office.update")
def office_update(
    *,
    actor: Actor,
    office: Office,
    name: str,
    address: str = "",
    opening_hours: str = "",
    is_registry_office: bool = True,
    active: bool = True,
) -> Office:
    office = Office.objects.select_for_update().get(pk=office.pk)
    require_role(actor, office.entity, Role.ADMINISTRATOR)
    office.name = _clean_name(name)
    office.address = address.strip()
    office.opening_hours = opening_hours.strip()
    office.is_registry_office = is_registry_office
    office.active = active
    office.save()
    audit_record(
        actor=actor, action="organization.office.update", entity=office.entity, target=office
    )
    return office


@audited_service("organization.entity.seal")
def entity_seal_set(*, actor: Actor, entity: Entity, path: str) -> Entity:
    """Point the entity at its seal certificate (PKCS#12; the password is a setting)."""
    from concejo.signatures.seal import seal_signer

    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    require_role(actor, entity, Role.ADMINISTRATOR)
    entity.seal_certificate_path = (path or "").strip()
    seal_signer(entity)  # refuses a file that cannot be opened or has expired
    entity.save(update_fields=["seal_certificate_path", "updated_at"])
    audit_record(actor=actor, action="organization.entity.seal", entity=entity, target=entity)
    return entity
