"""Reads about interesados, filtered by what the actor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record_read
from concejo.core.actors import Actor
from concejo.core.errors import NotFound
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import entities_for_actor, require_role
from concejo.people.models import Person, Representation, RepresentationScope

PERSON_READERS = (
    Role.REGISTRY_CLERK,
    Role.CASE_HANDLER,
    Role.UNIT_HEAD,
    Role.SIGNER,
    Role.AUDITOR,
)


def person_list(*, actor: Actor, entity: Entity) -> QuerySet[Person]:
    require_role(actor, entity, *PERSON_READERS)
    return Person.objects.filter(entity=entity)


def person_get(*, actor: Actor, person_id, purpose: str = "") -> Person:
    """One person's data; the read is written to the audit trail."""
    person = (
        Person.objects.filter(pk=person_id, entity__in=entities_for_actor(actor))
        .select_related("entity")
        .first()
    )
    if person is None:
        raise NotFound(_("No existe el interesado o no tiene acceso a él."))
    require_role(actor, person.entity, *PERSON_READERS)
    audit_record_read(actor=actor, entity=person.entity, target=person, purpose=purpose)
    return person


def compact_id(id_number: str) -> str:
    """A document number as stored: upper case, without spaces, dots or dashes."""
    return "".join(c for c in (id_number or "").upper() if c not in " .-")


def person_find(*, entity: Entity, id_number: str) -> QuerySet[Person]:
    return Person.objects.filter(entity=entity, id_number=compact_id(id_number))


def representation_list(*, actor: Actor, entity: Entity) -> QuerySet[Representation]:
    require_role(actor, entity, *PERSON_READERS)
    return (
        Representation.objects.filter(entity=entity)
        .select_related("grantor", "representative")
        .prefetch_related("procedures")
    )


def representation_valid(
    *,
    representative_id_number: str,
    grantor_id_number: str,
    entity: Entity,
    procedure_code: str | None = None,
    on: dt.date | None = None,
) -> Representation | None:
    """The representation that lets X act for Y before this entity (in procedure P) on a day.

    General powers count before any entity of the platform; entity-wide ones
    only before the entity where they were granted; procedure ones only for
    the listed procedures of that entity.
    """
    day = on or timezone.localdate()
    representative_id_number = compact_id(representative_id_number)
    grantor_id_number = compact_id(grantor_id_number)
    scope_filter = Q(scope=RepresentationScope.GENERAL) | Q(
        scope=RepresentationScope.ENTITY, entity=entity
    )
    if procedure_code:
        scope_filter |= Q(
            scope=RepresentationScope.PROCEDURES,
            entity=entity,
            procedures__procedure_code=procedure_code,
        )
    return (
        Representation.objects.filter(
            scope_filter,
            representative__id_number=representative_id_number,
            grantor__id_number=grantor_id_number,
            revoked_at__isnull=True,
            valid_from__lte=day,
            valid_to__gte=day,
        )
        .order_by("valid_from", "id")
        .first()
    )
