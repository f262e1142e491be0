"""Writes of the sede: drafts of applications, submitting them, answering a requirement."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.cases.models import Case, CaseStatus
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, NotFound, ValidationFailed, field_error
from concejo.core.filetypes import extension_of
from concejo.core.reads import columns, prepared_value, read_models, read_where, row_lock
from concejo.core.writes import Writes
from concejo.organization.models import Entity, Unit
from concejo.outbox.services import outbox_enqueue
from concejo.people.models import Person
from concejo.procedures.form_errors import form_errors
from concejo.procedures.models import (
    Initiation,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    VersionStatus,
)
from concejo.registry.attachments import AttachmentInput, check_attachments
from concejo.registry.models import Channel, RegistryEntry
from concejo.sede.citizens import acting_options, my_persons
from concejo.sede.models import ApplicationDraft, DraftAttachment

MAX_DRAFT_FILES = 20
# Extensions that name the same format in a required document's list.
_SAME_FORMAT = {"jpeg": "jpg", "tiff": "tif"}


@cache
def _published_version_sql() -> str:
    v, p, u = ProcedureVersion, Procedure, Unit
    return (
        f"SELECT {columns(v, 'v')}, {columns(p, 'p')}, {columns(u, 'u')} "  # noqa: S608 - names from the models
        f"FROM {v._meta.db_table} v JOIN {p._meta.db_table} p ON p.id = v.procedure_id "
        f"LEFT JOIN {u._meta.db_table} u ON u.id = v.responsible_unit_id "
        "WHERE v.procedure_id = %s AND v.status = %s ORDER BY v.number LIMIT 1"
    )


def published_version(draft: ApplicationDraft) -> ProcedureVersion:
    """The draft's procedure's published version, with the procedure and its unit:
    every page of a draft and every submission reads it (one prepared statement)."""
    rows = read_models(
        _published_version_sql(),
        [
            prepared_value(ProcedureVersion, "procedure", draft.procedure_id),
            VersionStatus.PUBLISHED,
        ],
        [(ProcedureVersion, "v"), (Procedure, "p"), (Unit, "u")],
    )
    if not rows:
        raise Conflict(_("El procedimiento ya no admite solicitudes."), code="procedure_withdrawn")
    version, procedure, unit = rows[0]
    version.procedure, version.responsible_unit = procedure, unit
    return version


def draft_for(*, user, procedure) -> ApplicationDraft:
    """The citizen's open draft for the procedure (resumed), or a new one."""
    draft = ApplicationDraft.objects.filter(user=user, procedure=procedure).first()
    if draft is None:
        own = my_persons(user).filter(entity=procedure.entity).first()
        draft = ApplicationDraft.objects.create(
            entity=procedure.entity, user=user, procedure=procedure,
            acting_for=own.id_number if own else "",
        )  # fmt: skip
    return draft


def coerce_form(schema: dict, raw: dict) -> dict:
    """Typed values from the posted strings, following the schema's property types."""
    data = {}
    for name, spec in (schema.get("properties") or {}).items():
        value = (raw.get(f"f-{name}") or "").strip()  # form inputs are named f-<property>
        if value == "":
            continue
        kind = spec.get("type")
        try:
            if kind == "number":
                data[name] = float(value.replace(",", "."))
            elif kind == "integer":
                data[name] = int(value)
            elif kind == "boolean":
                data[name] = value in ("1", "true", "on", "sí")
            else:
                data[name] = value
        except ValueError:
            data[name] = value  # the schema check names the field
    return data


def draft_save(*, draft: ApplicationDraft, values: dict) -> ApplicationDraft:
    """Keep what the citizen typed so far (nothing is checked until the review)."""
    version = published_version(draft)
    draft.form_data = coerce_form(version.form_schema or {}, values)
    draft.expone = (values.get("expone") or "")[:10000]
    draft.solicita = (values.get("solicita") or "")[:10000]
    draft.acting_for = (values.get("acting_for") or draft.acting_for)[:20]
    draft.notification_channel = (values.get("notification_channel") or "")[:10]
    draft.save()
    return draft


def draft_attach(
    *, draft: ApplicationDraft, slot: int, name: str, content: bytes
) -> DraftAttachment:
    """Store one uploaded file at once (checked like a registry attachment)."""
    version = published_version(draft)
    documents = list(version.required_documents.all())
    if slot < 0 or slot > len(documents):
        raise field_error("slot", _("Documento no previsto."), code="invalid_choice")
    if draft.files.count() >= MAX_DRAFT_FILES:
        raise field_error("file", _("Demasiados ficheros."), code="too_many_attachments")
    checked = check_attachments([AttachmentInput(name, content)])[0]
    accepted = (
        {_SAME_FORMAT.get(f, f) for f in documents[slot - 1].accepted_formats} if slot else set()
    )
    extension = extension_of(checked.name)
    if accepted and _SAME_FORMAT.get(extension, extension) not in accepted:
        raise field_error(
            f"slot-{slot}",
            _("«%(d)s» se presenta en %(f)s; «%(n)s» no tiene uno de esos formatos.")
            % {"d": documents[slot - 1].name, "f": ", ".join(documents[slot - 1].accepted_formats),
               "n": checked.name},
            code="format_not_accepted",
        )  # fmt: skip
    path = default_storage.save(f"drafts/{draft.pk}/{checked.sha256[:16]}", ContentFile(content))
    try:
        return DraftAttachment.objects.create(
            draft=draft, slot=slot, name=checked.name, file=path, size=checked.size
        )
    except BaseException:
        default_storage.delete(path)
        raise


def draft_detach(*, draft: ApplicationDraft, attachment_id: int) -> None:
    attachment = draft.files.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("Ese fichero no está en el borrador."))
    path = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(path))


@cache
def _locked_draft_sql() -> str:
    d, e = ApplicationDraft, Entity
    return (
        f"SELECT {columns(d, 'd')}, {columns(e, 'e')} FROM {d._meta.db_table} d "  # noqa: S608 - names from the models
        f"JOIN {e._meta.db_table} e ON e.id = d.entity_id WHERE d.id = %s AND d.user_id = %s"
        + row_lock("d")
    )


def _locked_draft(user, draft_id) -> ApplicationDraft | None:
    """The citizen's draft with its entity, its row locked until the commit; None if
    there is no such draft of theirs. One prepared statement: every submission runs it."""
    rows = read_models(
        _locked_draft_sql(),
        [
            prepared_value(ApplicationDraft, "id", draft_id),
            prepared_value(ApplicationDraft, "user", user.pk),
        ],
        [(ApplicationDraft, "d"), (Entity, "e")],
    )
    if not rows:
        return None
    draft, draft.entity = rows[0]
    return draft


def _discard(draft: ApplicationDraft, files: list[DraftAttachment], writes: Writes) -> None:
    """Queue the draft's deletion with the entry's rows; its files go after the commit."""
    paths = [f.file.name for f in files]
    writes.delete(DraftAttachment, draft=draft.pk)
    writes.delete(ApplicationDraft, pk=draft.pk)
    transaction.on_commit(lambda: [default_storage.delete(p) for p in paths])


def draft_problems(draft: ApplicationDraft) -> dict[str, str]:
    """What stops the draft from being submitted, by field (empty: ready)."""
    return _review(draft).problems


@dataclass(frozen=True)
class _Review:
    version: ProcedureVersion
    problems: dict[str, str]
    acting: Person | None  # on whose behalf, when the citizen may act for them
    own: list[Person]  # the citizen's own person(s) before this entity
    files: list[DraftAttachment]  # in the order they are filed


def _review(draft: ApplicationDraft) -> _Review:
    version = published_version(draft)
    problems: dict[str, str] = {}
    if version.form_schema:
        for path, message in form_errors(version.form_schema, draft.form_data).items():
            problems[path or "form"] = message
    files = read_where(DraftAttachment, draft=draft.pk, order_by=("slot", "uploaded_at", "id"))
    slots = {f.slot for f in files}
    documents = read_where(RequiredDocument, version=version.pk, order_by=("position",))
    for position, document in enumerate(documents, start=1):
        if document.mandatory and position not in slots:
            problems[f"slot-{position}"] = _("Adjunte «%(d)s».") % {"d": document.name}
    own = read_where(
        Person, user=draft.user_id, entity=draft.entity_id, order_by=("created_at", "id")
    )
    acting = next((p for p in own if p.id_number == draft.acting_for), None)
    if acting is None:  # on someone else's behalf: only with a valid representation
        options = acting_options(draft.user_id, draft.entity, version.procedure.sia_code)
        acting = next((p for p in options if p.id_number == draft.acting_for), None)
    if acting is None:
        problems["acting_for"] = _("Elija en nombre de quién presenta la solicitud.")
    elif draft.notification_channel == "postal" and acting.obliged_electronic:
        problems["notification_channel"] = _(
            "%(n)s está obligado a relacionarse electrónicamente (art. 14.2): no puede elegir papel."
        ) % {"n": acting.display_name}
    return _Review(version, problems, acting, own, files)


@audited_service("sede.application.submit")
def application_submit(*, actor: Actor, draft_id) -> RegistryEntry:
    """File the citizen's draft in the registry; a procedure started on request gets its case.

    The case is opened by an outbox task right after the commit (inline mode:
    in the same request; deferred: by the next worker), so the entry, the
    legal act, never waits for nor depends on it. The task and this call's
    audit row go out with the entry's rows, in one statement.
    """
    from concejo.registry.services import registry_entry_create

    draft = _locked_draft(actor.user, draft_id)
    if draft is None:
        raise NotFound(_("No existe ese borrador."))
    review = _review(draft)
    if review.problems:
        raise ValidationFailed(
            _("La solicitud está incompleta: revise los datos marcados."),
            code="incomplete_application", fields=review.problems,
        )  # fmt: skip
    version, acting = review.version, review.acting
    own = review.own[0] if review.own else None
    representative = own if own is not None and own.pk != acting.pk else None
    if draft.notification_channel in ("electronic", "postal") and (
        acting.preferred_channel != draft.notification_channel
    ):
        Person.objects.filter(pk=acting.pk).update(preferred_channel=draft.notification_channel)
        audit_record(
            actor=actor, action="people.person.channel", entity=draft.entity, target=acting,
            details={"from": acting.preferred_channel, "to": draft.notification_channel},
        )  # fmt: skip
    attachments = []
    for stored in review.files:
        with stored.file.open("rb") as handle:
            attachments.append(AttachmentInput(stored.name, handle.read()))

    def about_the_entry(entry: RegistryEntry, writes: Writes) -> None:
        # The draft goes in the entry's statement: no round trip of its own
        # while the numbering holds the entity's other submissions.
        _discard(draft, review.files, writes)
        if version.initiation == Initiation.ON_REQUEST:
            outbox_enqueue(kind=OPEN_CASE, payload={"entry": str(entry.pk)}, writes=writes)
        audit_record(
            actor=actor, action="sede.application.submit", entity=draft.entity, target=entry
        )

    # A refusal ends the submission's transaction too: no savepoint of its own.
    return registry_entry_create.inline(
        actor=actor, entity=draft.entity, subject=version.name[:250], interested=[acting],
        representative=representative, channel=Channel.SEDE, procedure=version.procedure,
        expone=draft.expone, solicita=draft.solicita, form_data=draft.form_data or None,
        attachments=attachments, destination_unit=version.responsible_unit,
        procedure_version=version, then=about_the_entry,
    )  # fmt: skip


OPEN_CASE = "sede.open_case"


def open_case_task(payload: dict) -> None:
    """Open the case of a filed application (once: a clerk may have opened it already)."""
    from concejo.cases.services import case_open_from_entry

    entry = RegistryEntry.objects.get(pk=payload["entry"])
    if Case.objects.filter(origin_entry=entry).exists():
        return
    try:
        case_open_from_entry(actor=Actor.system(), entry=entry)
    except Conflict as exc:
        if exc.code != "entry_already_opened":  # opened meanwhile by someone else: done
            raise


@audited_service("sede.correction.answer")
def correction_answer(
    *, actor: Actor, case: Case, text: str, files: list[AttachmentInput]
) -> RegistryEntry:
    """Answer a requirement to correct (art. 68): a new entry whose documents join the case."""
    from concejo.cases.services import case_document_add, case_transition
    from concejo.documents.services import document_create
    from concejo.registry.services import registry_entry_create

    case = Case.objects.select_for_update(of=("self",)).select_related("entity").get(pk=case.pk)
    mine = set(my_persons(actor.user).values_list("pk", flat=True))
    party = case.parties.filter(person_id__in=mine).select_related("person").first()
    if party is None:
        raise NotFound(_("No existe el expediente."))
    if case.status != CaseStatus.AWAITING_CORRECTION:
        raise Conflict(_("El expediente no espera ninguna subsanación."), code="no_requirement")
    if not files and not (text or "").strip():
        raise field_error(
            "files", _("Adjunte documentos o explique la subsanación."), code="required"
        )
    entry = registry_entry_create(
        actor=actor, entity=case.entity,
        subject=_("Subsanación · expediente %(c)s") % {"c": case.case_code},
        interested=[party.person], channel=Channel.SEDE, expone=(text or "").strip(),
        solicita=_("Que se tenga por subsanada la solicitud."), attachments=files,
        destination_unit=case.responsible_unit,
    )  # fmt: skip
    for item in files:
        document = document_create(
            actor=Actor.system(), entity=case.entity, title=item.name, file_name=item.name,
            content=item.content, document_type="TD18", origin="citizen",
        )  # fmt: skip
        case_document_add(actor=Actor.system(), case=case, document=document)
    case_transition(
        actor=Actor.system(), case=case, to_status=CaseStatus.IN_PROGRESS,
        reason=_("Subsanación presentada: asiento %(n)s") % {"n": entry.registry_code},
    )  # fmt: skip
    audit_record(actor=actor, action="sede.correction.answer", entity=case.entity, target=entry)
    return entry
