"""Writes to the general electronic registry."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import (
    audit_chain_lock_and_number_later,
    audit_flush_with,
    audit_record,
    audited_service,
)
from concejo.core.actors import Actor
from concejo.core.counters import give_back_number, next_number
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed, field_error
from concejo.core.reads import rows_known
from concejo.core.text import normalise
from concejo.core.writes import Writes
from concejo.deadlines.computation import filing_effective_time
from concejo.deadlines.selectors import calendar_for
from concejo.organization.models import Entity, Office, Role, Unit
from concejo.organization.selectors import actor_has_role, require_role, unit_ids_for_actor
from concejo.outbox.services import outbox_enqueue
from concejo.people.models import Person
from concejo.people.selectors import representation_valid
from concejo.people.services import person_find_or_create
from concejo.procedures.form_errors import form_errors
from concejo.procedures.models import Procedure, ProcedureVersion, VersionStatus
from concejo.registry.attachments import (
    AttachmentInput,
    CheckedAttachment,
    StoredFiles,
    check_attachments,
)
from concejo.registry.models import (
    Channel,
    Direction,
    InterestedRole,
    MovementAction,
    RegistryAnnotation,
    RegistryAttachment,
    RegistryCounter,
    RegistryEntry,
    RegistryInterested,
    RegistryMovement,
)
from concejo.registry.workflow import next_status
from concejo.verification.services import document_issue

RECEIPT_KIND = "registry.receipt"
REGISTRY_WRITERS = (Role.REGISTRY_CLERK,)
_DIRECTIONS, _CHANNELS = frozenset(Direction.values), frozenset(Channel.values)


def registry_code(direction: str, year: int, number: int) -> str:
    return f"{year}-{'E' if direction == Direction.IN else 'S'}-{number:08d}"


def _check_parties(entity, interested, representative, procedure_version) -> None:
    if not interested:
        raise field_error(
            "interested_parties",
            _("Indique al menos un interesado."),
            code="missing_interested",
        )
    for index, person in enumerate(interested):
        if person.entity_id != entity.pk:
            raise field_error(
                f"interested_parties.{index}", _("El interesado pertenece a otra entidad."),
                code="unknown_person",
            )  # fmt: skip
    if representative is None:
        return
    if representative.entity_id != entity.pk:
        raise field_error(
            "representative", _("El representante pertenece a otra entidad."), code="unknown_person"
        )
    if procedure_version is not None and not procedure_version.representation_required:
        return
    applicant = interested[0]
    power = representation_valid(
        representative_id_number=representative.id_number,
        grantor_id_number=applicant.id_number,
        entity=entity,
        procedure_code=procedure_version.procedure.sia_code if procedure_version else None,
    )
    if power is None:
        raise field_error(
            "representative",
            _(
                "%(rep)s no tiene un apoderamiento vigente para actuar en nombre de %(app)s "
                "en este trámite."
            )
            % {"rep": representative.display_name, "app": applicant.display_name},
            code="no_valid_representation",
        )


def _check_form_data(version: ProcedureVersion | None, form_data: dict[str, Any] | None) -> None:
    """The application form, when one is sent, must satisfy the procedure's JSON Schema.

    Filings without form data (paper at the office, interchange) carry their
    content in expone/solicita and the attachments instead.
    """
    if version is None or not version.form_schema or not form_data:
        return
    errors = form_errors(version.form_schema, form_data)
    if errors:
        fields = {f"form_data.{path}" if path else "form_data": m for path, m in errors.items()}
        raise ValidationFailed(
            _("El formulario no cumple lo que pide el procedimiento."),
            code="invalid_form_data",
            fields=fields,
        )


def _published_version(
    entity: Entity, procedure: Procedure | None, known: ProcedureVersion | None = None
) -> ProcedureVersion | None:
    if procedure is None:
        return None
    if known is not None and known.procedure_id == procedure.pk:
        version = known if known.status == VersionStatus.PUBLISHED else None
    else:
        version = procedure.versions.filter(status=VersionStatus.PUBLISHED).first()
    if procedure.entity_id != entity.pk or version is None:
        raise field_error(
            "procedure",
            _("El procedimiento no existe o no admite solicitudes."),
            code="procedure_not_available",
        )
    return version


@audited_service("registry.entry.create")
def registry_entry_create(
    *,
    actor: Actor,
    entity: Entity,
    direction: str = Direction.IN,
    subject: str,
    interested: list[Person],
    representative: Person | None = None,
    destination_unit: Unit | None = None,
    destination_code: str = "",
    destination_name: str = "",
    origin_code: str = "",
    origin_name: str = "",
    channel: str = Channel.API,
    office: Office | None = None,
    summary: str = "",
    expone: str = "",
    solicita: str = "",
    procedure: Procedure | None = None,
    attachments: list[AttachmentInput] | None = None,
    form_data: dict[str, Any] | None = None,
    filed_at: dt.datetime | None = None,
    procedure_version: ProcedureVersion | None = None,
    then: Callable[[RegistryEntry, Writes], None] | None = None,
) -> RegistryEntry:
    """Record a submission (entrada) or an outgoing communication (salida).

    `procedure_version`: the procedure's published version, when the caller
    has just read it in this transaction (it is checked, not read again).
    `then(entry, writes)`: the caller's own rows about the new entry (its
    outbox tasks, its audit rows), queued in `writes` to go out in the same
    statement as the entry's, while the entity's numbering is held.
    """
    require_role(actor, entity, *REGISTRY_WRITERS)
    if direction not in _DIRECTIONS:
        raise field_error("direction", _("Sentido no válido."), code="invalid_choice")
    if channel not in _CHANNELS:
        raise field_error("channel", _("Canal no válido."), code="invalid_choice")
    subject = (subject or "").strip()
    if not subject:
        raise field_error("subject", _("Indique el asunto."), code="required")
    if len(subject) > 250:
        raise field_error("subject", _("El asunto admite 250 caracteres."), code="too_long")
    version = _published_version(entity, procedure, procedure_version)
    _check_form_data(version, form_data)
    _check_parties(entity, interested, representative, version)
    if office is not None and office.entity_id != entity.pk:
        raise field_error(
            "office", _("La oficina pertenece a otra entidad."), code="unknown_office"
        )
    if direction == Direction.IN:
        destination_unit = destination_unit or entity.registry_unit
        if destination_unit is None:
            raise field_error(
                "destination_unit",
                _(
                    "Indique la unidad destinataria: la entidad no tiene registro general configurado."
                ),
                code="required",
            )
        if destination_unit.entity_id != entity.pk:
            raise field_error(
                "destination_unit", _("La unidad destinataria no es de esta entidad."),
                code="unknown_unit",
            )  # fmt: skip
    elif not (destination_code.strip() or destination_name.strip()):
        raise field_error(
            "destination_name", _("Indique a quién se dirige la salida."), code="required"
        )
    checked = check_attachments(attachments or [])

    applicant = interested[0]
    calendar = calendar_for(entity, residence_ine=applicant.municipality_ine or None, strict=False)
    stored = StoredFiles(entity.pk)  # its files go again if this call's rows do not commit
    # Small files are written while the server takes the locks and the number (below).
    # Bigger ones go to the file-writing threads now: they are written while the rows
    # are built and the lock is waited for, not while the entity's numbering is held.
    paths = [stored.save_soon(a) for a in checked] if _written_first(checked) else None
    entry_id = uuid.uuid4()
    # Begun here, the transaction sends two requests: BEGIN with the locks and the
    # number, answered while the rows are built (what depends on the number is set
    # after), then the rows with the COMMIT (ADR 0033, 0034).
    key = {"entity": entity, "direction": direction}
    zone = timezone.get_current_timezone()
    year = timezone.localtime(filed_at or timezone.now(), zone).year
    writes = Writes()
    with audit_chain_lock_and_number_later(entity, RegistryCounter, **key, year=year) as taken:
        if paths is None:
            paths = [stored.save(a) for a in checked]
        receipt = document_issue(
            entity=entity,
            kind=RECEIPT_KIND,
            title="",  # with the code, below
            source_type=RegistryEntry._meta.label_lower,
            source_id=str(entry_id),
            writes=writes,
        )
        entry = RegistryEntry(
            id=entry_id,
            receipt=receipt,
            entity=entity,
            direction=direction,
            subject=subject,
            summary=summary.strip(),
            expone=expone.strip(),
            solicita=solicita.strip(),
            channel=channel,
            office=office,
            origin_code=origin_code.strip(),
            origin_name=origin_name.strip(),
            destination_unit=destination_unit if direction == Direction.IN else None,
            destination_code=destination_code.strip(),
            destination_name=destination_name.strip(),
            procedure=procedure,
            procedure_version=version,
            representative=representative,
            form_data=form_data or {},
            registered_by=actor.label,
            current_unit=destination_unit if direction == Direction.IN else None,
            search_text=normalise(" ".join([subject, summary, expone, solicita])),
        )
        parties = [
            RegistryInterested(
                entry=entry,
                person=person,
                position=i,
                role=InterestedRole.APPLICANT if i == 1 else InterestedRole.INTERESTED,
            )
            for i, person in enumerate(interested, 1)
        ]
        files = [
            RegistryAttachment(
                entry=entry, position=i, name=a.name, size=a.size, mime_type=a.mime_type,
                sha256=a.sha256, validity=a.validity, file=path,
            )
            for i, (a, path) in enumerate(zip(checked, paths, strict=True), 1)
        ]  # fmt: skip
        number = taken()
    # The entity's writers are serialised from here on, so the filing time
    # is taken in the same order as the numbers (art. 16: order of arrival).
    filed_at = filed_at or timezone.now()
    if timezone.localtime(filed_at, zone).year != year:  # the year turned while we waited
        give_back_number(RegistryCounter, **key, year=year)
        year = timezone.localtime(filed_at, zone).year
        number = next_number(RegistryCounter, **key, year=year)
    code = registry_code(direction, year, number)
    receipt.title = _("Justificante de registro %(code)s") % {"code": code}
    entry.year, entry.number, entry.registry_code = year, number, code
    entry.filed_at = filed_at
    entry.effective_at = filing_effective_time(filed_at=filed_at, calendar=calendar)
    writes.insert(entry)
    writes.insert(*parties)
    writes.insert(*files)
    if direction == Direction.IN:
        writes.insert(
            RegistryMovement(
                entry=entry, action=MovementAction.DELIVERED, to_unit=destination_unit,
                author=actor.label,
            )
        )  # fmt: skip
    outbox_enqueue(kind="verification.render", payload={"document": str(receipt.pk)}, writes=writes)
    audit_record(
        actor=actor,
        action="registry.entry.create",
        entity=entity,
        target=entry,
        details={"registry_code": code, "attachments": len(checked)},
    )
    if then is not None:
        then(entry, writes)
    rows_known(entry, "interested", parties)  # the caller may show them: no query to read back
    rows_known(entry, "attachments", files)
    stored.wait()  # every file on disk before the entry can commit
    audit_flush_with(writes)  # with the COMMIT, when this call began the transaction
    return entry


# At most this many bytes of an entry's attachments are written while the server takes
# its number, where the entity's numbering may already be held (tens of microseconds
# into the page cache); more go to the file-writing threads before (ADR 0034).
WRITTEN_WHILE_NUMBERING = 64 * 1024


def _written_first(checked: list[CheckedAttachment]) -> bool:
    return sum(a.size for a in checked) > WRITTEN_WHILE_NUMBERING


def _party(actor: Actor, entity: Entity, data: dict[str, Any], field: str) -> Person:
    try:
        return person_find_or_create(actor=actor, entity=entity, data=data)
    except ValidationFailed as exc:
        raise ValidationFailed(
            exc.message, code=exc.code, fields={f"{field}.{k}": v for k, v in exc.fields.items()}
        ) from exc


@audited_service("registry.entry.file")
def registry_entry_file(
    *,
    actor: Actor,
    entity: Entity,
    interested_data: list[dict[str, Any]],
    representative_data: dict[str, Any] | None = None,
    **entry: Any,
) -> RegistryEntry:
    """File an entry for people given by their data: found by document or registered.

    All in one transaction: if the entry is refused, no new person remains (and
    the refusal itself is recorded in the audit trail after the rollback).
    """
    interested = [
        _party(actor, entity, data, f"interested_parties.{index}")
        for index, data in enumerate(interested_data)
    ]
    representative = (
        _party(actor, entity, representative_data, "representative")
        if representative_data
        else None
    )
    # A refusal ends this transaction too (the people found or created go with
    # it): the entry needs no savepoint of its own.
    return registry_entry_create.inline(
        actor=actor,
        entity=entity,
        interested=interested,
        representative=representative,
        **entry,
    )


def _locked_entry(entry: RegistryEntry) -> RegistryEntry:
    return (
        RegistryEntry.objects.select_for_update(of=("self",))
        .select_related("entity", "entity__registry_unit", "current_unit")
        .get(pk=entry.pk)
    )


def _require_unit_member(actor: Actor, entry: RegistryEntry) -> None:
    """The unit holding the entry (or the registry staff) may move it."""
    if actor_has_role(actor, entry.entity, REGISTRY_WRITERS):
        return
    if entry.current_unit_id in unit_ids_for_actor(actor, entry.entity):
        return
    raise PermissionDenied()


def _move(actor, entry, action, *, to_unit=None, reason="") -> RegistryEntry:
    entry = _locked_entry(entry)
    _require_unit_member(actor, entry)
    if entry.direction != Direction.IN:
        raise Conflict(_("Solo los asientos de entrada se distribuyen."), code="not_distributable")
    status = next_status(entry.distribution_status, action)
    if action in (MovementAction.FORWARDED, MovementAction.RETURNED) and not (reason or "").strip():
        raise field_error("reason", _("Indique el motivo."), code="required")
    if action == MovementAction.RETURNED:
        to_unit = entry.entity.registry_unit
        if to_unit is None:
            raise Conflict(
                _("La entidad no tiene registro general al que devolver."), code="no_registry_unit"
            )
    if action == MovementAction.FORWARDED:
        if to_unit is None or to_unit.entity_id != entry.entity_id:
            raise field_error("to_unit", _("Unidad de destino no válida."), code="unknown_unit")
        if to_unit.pk == entry.current_unit_id:
            raise field_error("to_unit", _("El asiento ya está en esa unidad."), code="same_unit")
    RegistryMovement.objects.create(
        entry=entry, action=action, from_unit=entry.current_unit,
        to_unit=to_unit if action != MovementAction.ACCEPTED else entry.current_unit,
        reason=(reason or "").strip(), author=actor.label,
    )  # fmt: skip
    if action != MovementAction.ACCEPTED:
        entry.current_unit = to_unit
    entry.distribution_status = status
    entry.save(update_fields=["current_unit", "distribution_status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"registry.entry.{action}",
        entity=entry.entity,
        target=entry,
        details={"to_unit": to_unit.dir3_code if to_unit else None},
    )
    return entry


@audited_service("registry.entry.accept")
def registry_entry_accept(*, actor: Actor, entry: RegistryEntry) -> RegistryEntry:
    return _move(actor, entry, MovementAction.ACCEPTED)


@audited_service("registry.entry.forward")
def registry_entry_forward(
    *, actor: Actor, entry: RegistryEntry, to_unit: Unit, reason: str
) -> RegistryEntry:
    return _move(actor, entry, MovementAction.FORWARDED, to_unit=to_unit, reason=reason)


@audited_service("registry.entry.return")
def registry_entry_return(*, actor: Actor, entry: RegistryEntry, reason: str) -> RegistryEntry:
    return _move(actor, entry, MovementAction.RETURNED, reason=reason)


@audited_service("registry.entry.annotate")
def registry_entry_annotate(*, actor: Actor, entry: RegistryEntry, text: str) -> RegistryAnnotation:
    """Corrections are annotations: the entry itself never changes."""
    entry = RegistryEntry.objects.select_related("entity").get(pk=entry.pk)
    require_role(actor, entry.entity, *REGISTRY_WRITERS)
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("Escriba la anotación."), code="required")
    if len(text) > 5000:
        raise ValidationFailed(code="too_long", fields={"text": _("Como máximo 5000 caracteres.")})
    annotation = RegistryAnnotation.objects.create(entry=entry, text=text, author=actor.label)
    audit_record(actor=actor, action="registry.entry.annotate", entity=entry.entity, target=entry)
    return annotation
