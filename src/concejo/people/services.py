"""Writes about interesados and their representations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, ValidationFailed, field_error, require_choice
from concejo.core.reads import read_where
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.people.dates import add_years
from concejo.people.identifiers import clean_identifier
from concejo.people.models import (
    Channel,
    IdType,
    ObligedReason,
    Person,
    PersonKind,
    Representation,
    RepresentationProcedure,
    RepresentationScope,
)

PERSON_WRITERS = (Role.REGISTRY_CLERK, Role.CASE_HANDLER)

# Fields a caller may set on a person, besides kind and identifier.
PERSON_FIELDS = (
    "first_name",
    "last_name_1",
    "last_name_2",
    "business_name",
    "email",
    "phone",
    "address",
    "postal_code",
    "municipality",
    "municipality_ine",
    "province",
    "country",
    "preferred_channel",
    "obliged_reason",
)


def person_clean(
    *, kind: str, id_type: str, id_number: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Validate and normalise a person's data; raises ValidationFailed naming the fields."""
    require_choice(kind, PersonKind, "kind")
    require_choice(id_type, IdType, "id_type")
    clean: dict[str, Any] = {f: (data.get(f) or "").strip() for f in PERSON_FIELDS}
    clean["kind"] = kind
    clean["id_type"] = id_type
    clean["id_number"] = clean_identifier(kind, id_type, id_number)
    errors: dict[str, str] = {}
    if kind == PersonKind.NATURAL:
        if not clean["first_name"]:
            errors["first_name"] = _("El nombre es obligatorio.")
        if not clean["last_name_1"]:
            errors["last_name_1"] = _("El primer apellido es obligatorio.")
        clean["business_name"] = ""
    else:
        if not clean["business_name"]:
            errors["business_name"] = _("La razón social es obligatoria.")
        clean["first_name"] = clean["last_name_1"] = clean["last_name_2"] = ""
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except DjangoValidationError:
            errors["email"] = _("La dirección de correo electrónico no es válida.")
        clean["email"] = clean["email"].lower()
    if clean["phone"] and not clean["phone"].replace("+", "").replace(" ", "").isdigit():
        errors["phone"] = _("El teléfono solo puede tener cifras, espacios y el prefijo +.")
    if clean["postal_code"] and not (
        len(clean["postal_code"]) == 5 and clean["postal_code"].isdigit()
    ):
        errors["postal_code"] = _("El código postal tiene 5 cifras.")
    if clean["municipality_ine"] and not (
        len(clean["municipality_ine"]) == 5 and clean["municipality_ine"].isdigit()
    ):
        errors["municipality_ine"] = _("El código INE del municipio tiene 5 cifras.")
    clean["country"] = (clean["country"] or "ES").upper()
    if len(clean["country"]) != 2 or not clean["country"].isalpha():
        errors["country"] = _("El país se indica con su código ISO de dos letras (ES).")
    clean["preferred_channel"] = clean["preferred_channel"] or Channel.ELECTRONIC
    clean["obliged_reason"] = clean["obliged_reason"] or ObligedReason.NONE
    for field, choices in (("preferred_channel", Channel), ("obliged_reason", ObligedReason)):
        if clean[field] not in choices.values:
            errors[field] = _("Valor no permitido: «%(v)s».") % {"v": clean[field]}
    if kind == PersonKind.LEGAL and clean["obliged_reason"] == ObligedReason.NONE:
        # Art. 14.2.a: legal persons must always deal electronically.
        clean["obliged_reason"] = ObligedReason.LEGAL_PERSON
    if (
        clean["obliged_reason"] != ObligedReason.NONE
        and clean["preferred_channel"] == Channel.POSTAL
    ):
        errors["preferred_channel"] = _(
            "Quien está obligado a relacionarse electrónicamente con la Administración "
            "no puede elegir la notificación en papel (art. 14.2 Ley 39/2015)."
        )
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(first, code="invalid_person", fields=errors)
    return clean


def _ensure_unique(entity: Entity, id_type: str, id_number: str, exclude_pk=None) -> None:
    qs = Person.objects.filter(entity=entity, id_type=id_type, id_number=id_number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise field_error(
            "id_number",
            _("Ya existe un interesado con el documento %(n)s.") % {"n": id_number},
            code="duplicate_person",
        )


@audited_service("people.person.create")
def person_create(
    *, actor: Actor, entity: Entity, kind: str, id_type: str, id_number: str, **data: Any
) -> Person:
    require_role(actor, entity, *PERSON_WRITERS)
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationFailed(
            code="unknown_fields", fields=dict.fromkeys(unknown, _("Campo desconocido."))
        )
    clean = person_clean(kind=kind, id_type=id_type, id_number=id_number, data=data)
    _ensure_unique(entity, id_type, clean["id_number"])
    try:
        person = Person.objects.create(entity=entity, **clean)
    except IntegrityError as exc:  # a concurrent insert of the same identifier
        raise field_error(
            "id_number", _("Ya existe un interesado con ese documento."), code="duplicate_person"
        ) from exc
    audit_record(actor=actor, action="people.person.create", entity=entity, target=person)
    return person


@audited_service("people.person.update")
def person_update(*, actor: Actor, person: Person, **changes: Any) -> Person:
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("entity").get(pk=person.pk)
    )
    require_role(actor, person.entity, *PERSON_WRITERS)
    unknown = set(changes) - set(PERSON_FIELDS) - {"kind", "id_type", "id_number"}
    if unknown:
        raise ValidationFailed(
            code="unknown_fields", fields=dict.fromkeys(unknown, _("Campo desconocido."))
        )
    current = {f: getattr(person, f) for f in PERSON_FIELDS}
    current.update({k: v for k, v in changes.items() if k in PERSON_FIELDS})
    clean = person_clean(
        kind=changes.get("kind", person.kind),
        id_type=changes.get("id_type", person.id_type),
        id_number=changes.get("id_number", person.id_number),
        data=current,
    )
    _ensure_unique(person.entity, clean["id_type"], clean["id_number"], exclude_pk=person.pk)
    changed = sorted(f for f, v in clean.items() if getattr(person, f) != v)
    if not changed:
        return person
    for field, value in clean.items():
        setattr(person, field, value)
    person.save()
    audit_record(
        actor=actor,
        action="people.person.update",
        entity=person.entity,
        target=person,
        details={"changed": changed},
    )
    return person


@audited_service("people.representation.grant")
def representation_grant(
    *,
    actor: Actor,
    entity: Entity,
    grantor: Person,
    representative: Person,
    scope: str,
    valid_from: dt.date,
    valid_to: dt.date,
    procedure_codes: list[str] | None = None,
) -> Representation:
    require_role(actor, entity, *PERSON_WRITERS)
    require_choice(scope, RepresentationScope, "scope")
    for field, person in (("grantor", grantor), ("representative", representative)):
        if person.entity_id != entity.pk:
            raise field_error(
                field, _("El interesado pertenece a otra entidad."), code="unknown_person"
            )
    if grantor.pk == representative.pk:
        raise field_error(
            "representative",
            _("Nadie puede ser representante de sí mismo."),
            code="self_representation",
        )
    if valid_to < valid_from:
        raise field_error(
            "valid_to",
            _("La fecha de fin no puede ser anterior a la de inicio."),
            code="invalid_dates",
        )
    limit = add_years(valid_from, settings.REPRESENTATION_MAX_YEARS)
    if valid_to > limit:
        raise field_error(
            "valid_to",
            _("Un apoderamiento puede durar como máximo %(n)s años (hasta el %(d)s).")
            % {"n": settings.REPRESENTATION_MAX_YEARS, "d": limit.strftime("%d/%m/%Y")},
            code="representation_too_long",
        )
    codes = sorted({c.strip() for c in (procedure_codes or []) if c and c.strip()})
    if scope == RepresentationScope.PROCEDURES and not codes:
        raise field_error(
            "procedure_codes",
            _("Indique al menos un procedimiento para un apoderamiento de ese ámbito."),
            code="required",
        )
    if scope != RepresentationScope.PROCEDURES and codes:
        raise field_error(
            "procedure_codes",
            _("Solo los apoderamientos para procedimientos concretos llevan procedimientos."),
            code="invalid",
        )
    representation = Representation.objects.create(
        entity=entity,
        grantor=grantor,
        representative=representative,
        scope=scope,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    RepresentationProcedure.objects.bulk_create(
        RepresentationProcedure(representation=representation, procedure_code=c) for c in codes
    )
    audit_record(
        actor=actor,
        action="people.representation.grant",
        entity=entity,
        target=representation,
        details={"scope": scope, "procedures": codes},
    )
    return representation


@audited_service("people.representation.revoke")
def representation_revoke(
    *, actor: Actor, representation: Representation, reason: str = ""
) -> Representation:
    representation = (
        Representation.objects.select_for_update(of=("self",))
        .select_related("entity")
        .get(pk=representation.pk)
    )
    require_role(actor, representation.entity, *PERSON_WRITERS)
    if representation.revoked_at is not None:
        raise Conflict(_("El apoderamiento ya estaba revocado."), code="already_revoked")
    representation.revoked_at = timezone.now()
    representation.revocation_reason = (reason or "").strip()
    representation.save(update_fields=["revoked_at", "revocation_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="people.representation.revoke",
        entity=representation.entity,
        target=representation,
        details={"reason": representation.revocation_reason},
    )
    return representation


@audited_service("people.person.link_user")
def persons_link_user(*, actor: Actor, id_type: str, id_number: str, user) -> list[Person]:
    """Give every interesado with this document (in any entity) and no account yet to `user`.

    Only a sign-in that proved who holds the document (an identity provider) calls it.
    """
    found = list(
        Person.objects.select_for_update(of=("self",))
        .select_related("entity")
        .filter(id_type=id_type, id_number=id_number, user__isnull=True)
        .order_by("created_at", "id")
    )
    for person in found:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        audit_record(
            actor=actor, action="people.person.link_user", entity=person.entity, target=person
        )
    return found


def person_find_or_create(*, actor: Actor, entity: Entity, data: dict[str, Any]) -> Person:
    """The entity's interesado with that document, created from `data` if new.

    An existing record is not changed here: updating a person's data is a
    deliberate act (person_update), not a side effect of filing something.
    """
    id_type = data.get("id_type", "")
    kind = PersonKind.LEGAL if id_type == IdType.CIF else PersonKind.NATURAL
    number = clean_identifier(kind, id_type, data.get("id_number", ""))
    # Every filing by data looks its parties up: one prepared statement.
    existing = read_where(
        Person, order_by=("id",), entity=entity.pk, id_type=id_type, id_number=number
    )
    if existing:
        return existing[0]
    values = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    try:
        return person_create(
            actor=actor, entity=entity, kind=kind, id_type=id_type, id_number=number, **values
        )
    except ValidationFailed as exc:
        # Two filings for the same new citizen at once: the other one created it.
        if exc.code != "duplicate_person":
            raise
        return Person.objects.get(entity=entity, id_type=id_type, id_number=number)
