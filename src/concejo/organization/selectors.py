"""Reads of the organisation, already filtered by what the actor may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from concejo.core.actors import Actor
from concejo.core.errors import NotFound, PermissionDenied, field_error
from concejo.organization.models import Entity, Membership, Office, Role, Unit


def entity_list() -> QuerySet[Entity]:
    """Entities are public information (name, DIR3, NIF)."""
    return Entity.objects.filter(active=True).select_related("parent")


def entity_get_by_dir3(dir3_code: str, *, field: str = "entity") -> Entity:
    entity = Entity.objects.filter(dir3_code=(dir3_code or "").strip().upper(), active=True).first()
    if entity is None:
        raise field_error(
            field,
            _("No existe ninguna entidad con el código DIR3 «%(code)s».") % {"code": dir3_code},
            code="unknown_entity",
        )
    return entity


def entity_main() -> Entity | None:
    """The oldest active top-level entity (the council, where there is one)."""
    return entity_list().filter(parent__isnull=True).order_by("created_at", "id").first()


def unit_list(*, entity: Entity) -> QuerySet[Unit]:
    return Unit.objects.filter(entity=entity).select_related("parent", "entity")


def unit_get_by_dir3(*, entity: Entity, dir3_code: str, field: str = "unit") -> Unit:
    unit = Unit.objects.filter(entity=entity, dir3_code=(dir3_code or "").strip().upper()).first()
    if unit is None:
        raise field_error(
            field,
            _("La entidad no tiene ninguna unidad con el código «%(code)s».") % {"code": dir3_code},
            code="unknown_unit",
        )
    return unit


def office_list(*, entity: Entity) -> QuerySet[Office]:
    return Office.objects.filter(entity=entity, active=True)


def entities_for_actor(actor: Actor) -> QuerySet[Entity]:
    """The entities whose internal data the actor may work with."""
    if actor.is_system or (actor.user is not None and actor.user.is_superuser):
        return Entity.objects.all()
    if actor.api_application is not None:
        return Entity.objects.filter(pk=actor.api_application.entity_id)
    if actor.user is not None:
        return Entity.objects.filter(
            memberships__user=actor.user, memberships__active=True
        ).distinct()
    return Entity.objects.none()


def actor_has_role(actor: Actor, entity: Entity, roles: Iterable[str]) -> bool:
    if actor.is_system:
        return True
    if actor.api_application is not None:
        # Scopes are checked by the API layer; the entity boundary is checked here.
        return actor.api_application.entity_id == entity.pk
    user = actor.user
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, entity=entity, active=True, role__in=[*roles, Role.ADMINISTRATOR]
    ).exists()


def require_role(actor: Actor, entity: Entity, *roles: str) -> None:
    if not actor_has_role(actor, entity, roles):
        raise PermissionDenied()


def entity_for_actor(actor: Actor, dir3_code: str) -> Entity:
    """An entity the actor may work in; others look as if they did not exist."""
    entity = entities_for_actor(actor).filter(dir3_code=(dir3_code or "").upper()).first()
    if entity is None:
        raise NotFound(_("No existe la entidad o no tiene acceso a ella."))
    return entity


def memberships_for_user(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, active=True).select_related("entity", "unit")


def unit_ids_for_actor(actor: Actor, entity: Entity, roles=None) -> set:
    """The units (with their subtrees) where an employee holds a role (optionally one of `roles`)."""
    if actor.user is None:
        return set()
    memberships = Membership.objects.filter(
        user=actor.user, entity=entity, active=True, unit__isnull=False
    )
    if roles:
        memberships = memberships.filter(role__in=roles)
    ids: set = set()
    for membership in memberships.select_related("unit"):
        ids |= set(units_in_subtree(membership.unit).values_list("pk", flat=True))
    return ids


def units_in_subtree(unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit below it (trees are shallow: área → servicio → sección)."""
    ids = {unit.pk}
    frontier = {unit.pk}
    while frontier:
        frontier = (
            set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        )
        ids |= frontier
    return Unit.objects.filter(Q(pk__in=ids))


def employees_of(entity: Entity):
    """Active employees of the entity (signers, handlers to choose from), by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__entity=entity, memberships__active=True, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
