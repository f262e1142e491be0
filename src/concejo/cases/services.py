"""Writes on case files: open, move through the lifecycle, incorporate documents, tasks."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_chain_lock_and_number, audit_record, audited_service
from concejo.cases.models import (
    Case,
    CaseCounter,
    CaseDocument,
    CaseEvent,
    CaseParty,
    CaseStatus,
    Confidentiality,
    EniState,
    Initiation,
    PartyRole,
    Resolution,
    ResolutionCounter,
    Task,
    TaskStatus,
)
from concejo.cases.workflow import FINISHED, TRANSITIONS, check_transition
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, field_error
from concejo.core.text import normalise
from concejo.deadlines.computation import deadline_compute
from concejo.deadlines.selectors import calendar_for
from concejo.documents.models import Document, ElaborationState, Origin
from concejo.documents.services import document_create, document_verify
from concejo.organization.models import Entity, Membership, Role, Unit
from concejo.organization.selectors import actor_has_role, require_role
from concejo.people.models import Person
from concejo.people.services import person_find_or_create
from concejo.procedures.models import Procedure, VersionStatus
from concejo.registry.models import Direction, RegistryEntry, Validity

CASE_OPENERS = (Role.CASE_HANDLER, Role.REGISTRY_CLERK, Role.UNIT_HEAD)
CASE_WORKERS = (Role.CASE_HANDLER, Role.UNIT_HEAD)
CORRECTION_DAYS = 10  # art. 68.1 Ley 39/2015


def case_code(year: int, number: int) -> str:
    return f"{year}/{number:06d}"


def eni_case_identifier(entity: Entity, year: int, number: int) -> str:
    return f"ES_{entity.dir3_code}_{year}_EXP_{number:06d}"


def _resolution_due(case: Case) -> dt.date | None:
    """Maximum date to resolve and notify, moved by the days the case was suspended."""
    version = case.procedure_version
    if version is None:
        return None
    calendar = calendar_for(case.entity, strict=False)
    due = deadline_compute(
        start=case.started_at,
        amount=version.max_resolution_amount,
        unit=version.max_resolution_unit,
        calendar=calendar,
    ).end
    if case.paused_days:
        due = calendar.next_business_day(due + dt.timedelta(days=case.paused_days))
    return due


def _event(
    case: Case, actor: Actor, kind: str, *, before: str = "", after: str = "", detail: str = ""
):
    CaseEvent.objects.create(
        case=case, kind=kind, from_status=before, to_status=after, detail=detail, author=actor.label
    )


@audited_service("cases.case.open")
def case_open(
    *,
    actor: Actor,
    entity: Entity,
    subject: str,
    parties: list[tuple[Person, str]],
    responsible_unit: Unit | None = None,
    procedure: Procedure | None = None,
    handler=None,
    confidentiality: str = Confidentiality.RESTRICTED,
    origin_entry: RegistryEntry | None = None,
) -> Case:
    """Open a case on request (from an incoming entry) or ex officio."""
    require_role(actor, entity, *CASE_OPENERS)
    subject = (subject or "").strip()
    if not subject:
        raise field_error("subject", _("Indique el asunto del expediente."), code="required")
    if confidentiality not in Confidentiality.values:
        raise field_error("confidentiality", _("Valor no permitido."), code="invalid_choice")
    version = None
    if origin_entry is not None and origin_entry.procedure_version_id:
        version = origin_entry.procedure_version  # the version the citizen applied under
    elif procedure is not None:
        version = procedure.versions.filter(status=VersionStatus.PUBLISHED).first()
        if procedure.entity_id != entity.pk or version is None:
            raise field_error(
                "procedure", _("El procedimiento no existe o no está publicado."),
                code="procedure_not_available",
            )  # fmt: skip
    responsible_unit = responsible_unit or (version.responsible_unit if version else None)
    if responsible_unit is None or responsible_unit.entity_id != entity.pk:
        raise field_error(
            "responsible_unit",
            _("Indique una unidad responsable de la entidad."),
            code="unknown_unit",
        )
    for index, (person, role) in enumerate(parties):
        if person.entity_id != entity.pk or role not in PartyRole.values:
            raise field_error(f"parties.{index}", _("Interesado no válido."), code="unknown_person")
    if handler is not None and not actor_has_role(Actor(user=handler), entity, CASE_WORKERS):
        raise field_error(
            "handler", _("El tramitador no trabaja en esta entidad."), code="unknown_user"
        )
    now = timezone.now()
    started_at = origin_entry.effective_at if origin_entry is not None else now
    year = timezone.localtime(now).year
    number = audit_chain_lock_and_number(entity, CaseCounter, entity=entity, year=year)
    case = Case(
        entity=entity,
        year=year,
        number=number,
        case_code=case_code(year, number),
        eni_identifier=eni_case_identifier(entity, year, number),
        subject=subject[:250],
        procedure=version.procedure if version else None,
        procedure_version=version,
        classification=version.procedure.sia_code if version else "",
        responsible_unit=responsible_unit,
        handler=handler,
        confidentiality=confidentiality,
        initiation=Initiation.ON_REQUEST if origin_entry is not None else Initiation.EX_OFFICIO,
        origin_entry=origin_entry,
        started_at=started_at,
        silence_effect=version.silence_effect if version else "",
        search_text=normalise(
            " ".join([subject, *[p.display_name + " " + p.id_number for p, _r in parties]])
        ),
    )
    case.resolution_due = _resolution_due(case)
    case.save(force_insert=True)
    CaseParty.objects.bulk_create(
        [CaseParty(case=case, person=p, role=r) for p, r in dict.fromkeys(parties)]
    )
    _event(case, actor, "opened", after=CaseStatus.OPEN, detail=case.get_initiation_display())
    audit_record(actor=actor, action="cases.case.open", entity=entity, target=case)
    return case


@audited_service("cases.case.open_from_entry")
def case_open_from_entry(
    *, actor: Actor, entry: RegistryEntry, responsible_unit: Unit | None = None, handler=None
) -> Case:
    """A case on request: its parties, procedure, start and documents come from the entry."""
    entry = RegistryEntry.objects.select_related(
        "entity", "procedure_version", "destination_unit"
    ).get(pk=entry.pk)
    if entry.direction != Direction.IN:
        raise field_error(
            "registry_entry",
            _("Solo un asiento de entrada abre un expediente."),
            code="invalid_entry",
        )
    if Case.objects.filter(origin_entry=entry).exists():
        raise Conflict(_("Ese asiento ya abrió un expediente."), code="entry_already_opened")
    parties = [
        (i.person, PartyRole.APPLICANT if i.role == "applicant" else PartyRole.INTERESTED)
        for i in entry.interested.select_related("person")
    ]
    if entry.representative:
        parties.append((entry.representative, PartyRole.REPRESENTATIVE))
    case = case_open(
        actor=actor,
        entity=entry.entity,
        subject=entry.subject,
        parties=parties,
        responsible_unit=responsible_unit
        or (None if entry.procedure_version_id else entry.destination_unit),
        handler=handler,
        origin_entry=entry,
    )
    written: list[str] = []
    try:
        for attachment in entry.attachments.all():
            with attachment.file.open("rb") as handle:
                content = handle.read()
            document = document_create(
                actor=actor,
                entity=entry.entity,
                title=attachment.name,
                file_name=attachment.name,
                content=content,
                document_type="TD99",
                origin=Origin.CITIZEN,
                elaboration_state=(
                    ElaborationState.ORIGINAL
                    if attachment.validity == Validity.ORIGINAL
                    else ElaborationState.OTHER
                ),
                captured_at=entry.filed_at,
            )
            written.append(document.file.name)
            _incorporate(actor, case, document)
    except BaseException:
        for path in written:  # the copies of a case that is not opened go too
            default_storage.delete(path)
        raise
    return case


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("entity", "procedure_version", "responsible_unit")
        .get(pk=case.pk)
    )


def _require_worker(actor: Actor, case: Case, roles=CASE_WORKERS) -> None:
    """Who sees the case (handler, unit staff...) and holds one of `roles` may act on it."""
    from concejo.cases.selectors import cases_visible

    if not cases_visible(actor=actor, entity=case.entity).filter(pk=case.pk).exists():
        raise PermissionDenied()
    if actor.is_system or actor.api_application is not None:
        return
    if not actor_has_role(actor, case.entity, roles):
        raise PermissionDenied()


@audited_service("cases.case.transition")
def case_transition(*, actor: Actor, case: Case, to_status: str, reason: str = "") -> Case:
    case = _locked(case)
    _require_worker(actor, case)
    if to_status not in CaseStatus.values:
        raise field_error("to", _("Estado desconocido."), code="invalid_choice")
    if to_status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED):
        raise Conflict(_("Para cerrar o archivar use la acción de cierre."), code="use_close")
    check_transition(case.status, to_status)
    if to_status == CaseStatus.SUSPENDED and not (reason or "").strip():
        raise field_error(
            "reason", _("Indique la causa de la suspensión (art. 22)."), code="required"
        )
    before = case.status
    now = timezone.now()
    detail = (reason or "").strip()
    if to_status == CaseStatus.SUSPENDED:
        case.paused_since = now
    if before == CaseStatus.SUSPENDED and case.paused_since is not None:
        case.paused_days += (timezone.localdate(now) - timezone.localdate(case.paused_since)).days
        case.paused_since = None
        case.resolution_due = _resolution_due(case)
    if to_status == CaseStatus.AWAITING_CORRECTION:
        calendar = calendar_for(case.entity, strict=False)
        due = deadline_compute(start=now, amount=CORRECTION_DAYS, calendar=calendar).end
        detail = f"{detail} · plazo de subsanación hasta {due:%d/%m/%Y}".strip(" ·")
    case.status = to_status
    case.save()
    _event(case, actor, "transition", before=before, after=to_status, detail=detail)
    audit_record(
        actor=actor, action="cases.case.transition", entity=case.entity, target=case,
        details={"from": before, "to": to_status},
    )  # fmt: skip
    return case


def _ensure_open_index(case: Case) -> None:
    if case.index_closed_at is not None:
        raise Conflict(
            _("El expediente está cerrado: su índice no admite documentos."), code="case_closed"
        )


def _incorporate(actor: Actor, case: Case, document: Document) -> CaseDocument:
    _ensure_open_index(case)
    if document.entity_id != case.entity_id:
        raise field_error(
            "document", _("El documento es de otra entidad."), code="unknown_document"
        )
    document_verify(document=document)
    last = (
        CaseDocument.objects.filter(case=case)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    line = CaseDocument.objects.create(
        case=case, document=document, position=(last or 0) + 1, sha256=document.sha256,
        added_by=actor.label,
    )  # fmt: skip
    _event(case, actor, "document", detail=f"{line.position}. {document.title}")
    return line


@audited_service("cases.document.add")
def case_document_add(*, actor: Actor, case: Case, document: Document) -> CaseDocument:
    case = _locked(case)
    _require_worker(actor, case)
    line = _incorporate(actor, case, document)
    audit_record(
        actor=actor, action="cases.document.add", entity=case.entity, target=case,
        details={"document": str(document.pk), "position": line.position},
    )  # fmt: skip
    return line


@audited_service("cases.case.close")
def case_close(*, actor: Actor, case: Case) -> Case:
    """Close a notified case: its index is frozen (ENI E02) with every hash checked."""
    case = _locked(case)
    _require_worker(actor, case)
    check_transition(case.status, CaseStatus.CLOSED)
    for line in case.index.select_related("document"):
        document_verify(document=line.document)
        if line.document.sha256 != line.sha256:
            raise Conflict(
                _("El documento %(n)s cambió después de incorporarse.") % {"n": line.position},
                code="hash_mismatch",
            )
    before = case.status
    case.status = CaseStatus.CLOSED
    case.eni_state = EniState.CLOSED
    case.index_closed_at = timezone.now()
    case.save()
    _event(
        case,
        actor,
        "transition",
        before=before,
        after=CaseStatus.CLOSED,
        detail=_("Índice cerrado"),
    )
    audit_record(actor=actor, action="cases.case.close", entity=case.entity, target=case)
    return case


@audited_service("cases.case.index_for_sending")
def case_index_close_for_sending(*, actor: Actor, case: Case) -> Case:
    case = _locked(case)
    _require_worker(actor, case)
    if case.eni_state != EniState.CLOSED:
        raise Conflict(
            _("Solo un expediente cerrado se prepara para su remisión."), code="invalid_transition"
        )
    case.eni_state = EniState.INDEX_CLOSED
    case.save(update_fields=["eni_state", "updated_at"])
    _event(case, actor, "eni", detail=EniState.INDEX_CLOSED.label)
    audit_record(
        actor=actor, action="cases.case.index_for_sending", entity=case.entity, target=case
    )
    return case


@audited_service("cases.case.archive")
def case_archive(*, actor: Actor, case: Case) -> Case:
    case = _locked(case)
    _require_worker(actor, case)
    check_transition(case.status, CaseStatus.ARCHIVED)
    case.status = CaseStatus.ARCHIVED
    case.save(update_fields=["status", "updated_at"])
    _event(case, actor, "transition", before=CaseStatus.CLOSED, after=CaseStatus.ARCHIVED)
    audit_record(actor=actor, action="cases.case.archive", entity=case.entity, target=case)
    return case


@audited_service("cases.task.create")
def task_create(
    *,
    actor: Actor,
    case: Case,
    title: str,
    business_days: int,
    assigned_user=None,
    assigned_unit: Unit | None = None,
) -> Task:
    case = _locked(case)
    _require_worker(actor, case)
    if case.status in FINISHED:
        raise Conflict(_("El expediente ya está resuelto."), code="case_finished")
    if not (title or "").strip():
        raise field_error("title", _("Describa el trámite."), code="required")
    if (assigned_user is None) == (assigned_unit is None):
        raise field_error(
            "assigned_to", _("Asigne el trámite a una persona o a una unidad."), code="required"
        )
    if assigned_unit is not None and assigned_unit.entity_id != case.entity_id:
        raise field_error("assigned_to", _("La unidad es de otra entidad."), code="unknown_unit")
    due = deadline_compute(
        start=timezone.now(), amount=business_days, calendar=calendar_for(case.entity, strict=False)
    ).end
    task = Task.objects.create(
        case=case, title=title.strip()[:250], assigned_user=assigned_user,
        assigned_unit=assigned_unit, due_date=due,
    )  # fmt: skip
    _event(case, actor, "task", detail=f"{task.title} · vence {due:%d/%m/%Y}")
    audit_record(actor=actor, action="cases.task.create", entity=case.entity, target=task)
    return task


@audited_service("cases.task.complete")
def task_complete(*, actor: Actor, task: Task) -> Task:
    task = (
        Task.objects.select_for_update(of=("self",)).select_related("case__entity").get(pk=task.pk)
    )
    _require_worker(actor, task.case)
    if task.status != TaskStatus.OPEN:
        raise Conflict(_("El trámite ya no está pendiente."), code="invalid_transition")
    task.status = TaskStatus.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor.label
    task.save()
    _event(task.case, actor, "task_done", detail=task.title)
    audit_record(actor=actor, action="cases.task.complete", entity=task.case.entity, target=task)
    return task


def silence_applies(case: Case, today: dt.date | None = None) -> bool:
    """Derived on read: the maximum time passed without a resolution (arts. 24-25)."""
    today = today or timezone.localdate()
    return (
        case.resolution_due is not None
        and case.status not in FINISHED
        and case.status != CaseStatus.SUSPENDED
        and today > case.resolution_due
    )


@audited_service("cases.case.open_ex_officio")
def case_open_ex_officio(
    *,
    actor: Actor,
    entity: Entity,
    subject: str,
    parties_data: list[dict],
    procedure: Procedure | None = None,
    responsible_unit: Unit | None = None,
    confidentiality: str = Confidentiality.RESTRICTED,
) -> Case:
    """An ex officio case for people given by their data (found by document or registered)."""
    parties = []
    for data in parties_data:
        values = dict(data)
        role = values.pop("role", PartyRole.APPLICANT)
        parties.append((person_find_or_create(actor=actor, entity=entity, data=values), role))
    return case_open(
        actor=actor, entity=entity, subject=subject, parties=parties, procedure=procedure,
        responsible_unit=responsible_unit, confidentiality=confidentiality,
    )  # fmt: skip


@audited_service("cases.document.upload")
def case_document_upload(
    *, actor: Actor, case: Case, title: str, file_name: str, content: bytes, **metadata
) -> Document:
    """Store a new document and incorporate it into the case's index."""
    case = _locked(case)
    _require_worker(actor, case)
    _ensure_open_index(case)
    document = document_create(
        actor=actor,
        entity=case.entity,
        title=title,
        file_name=file_name,
        content=content,
        **metadata,
    )
    _incorporate(actor, case, document)
    return document


@audited_service("cases.resolution.register")
def resolution_register(
    *, actor: Actor, case: Case, document: Document, summary: str
) -> Resolution:
    """Enter a final (signed) resolution in the book and mark the case resolved.

    The number is gapless per entity and year; the document must be part of the
    case's index and can no longer change.
    """
    case = _locked(case)
    _require_worker(actor, case, roles=(Role.SIGNER, Role.UNIT_HEAD))
    if case.status not in (
        CaseStatus.IN_PROGRESS,
        CaseStatus.AWAITING_CORRECTION,
        CaseStatus.RESOLVED,
    ):
        raise Conflict(
            _("Solo se resuelve un expediente en tramitación (está «%(s)s»).")
            % {"s": case.get_status_display()},
            code="invalid_transition",
        )
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.document_type not in ("TD01", "TD02"):
        raise field_error(
            "document", _("Solo se inscriben resoluciones y acuerdos."), code="not_a_resolution"
        )
    if document.status != "final":
        raise Conflict(
            _("La resolución debe estar firmada (documento definitivo)."), code="document_not_final"
        )
    if not case.index.filter(document=document).exists():
        raise field_error(
            "document",
            _("El documento no está en el índice del expediente."),
            code="unknown_document",
        )
    if Resolution.objects.filter(document=document).exists():
        raise Conflict(_("Esa resolución ya está inscrita."), code="already_registered")
    summary = (summary or "").strip()
    if not summary:
        raise field_error("summary", _("Escriba el extracto de la resolución."), code="required")
    now = timezone.now()
    year = timezone.localtime(now).year
    number = audit_chain_lock_and_number(
        case.entity, ResolutionCounter, entity=case.entity, year=year
    )
    resolution = Resolution.objects.create(
        entity=case.entity, year=year, number=number, book_code=f"{year}/{number:06d}",
        case=case, document=document, summary=summary[:500], signed_by=actor.label,
        registered_at=now,
    )  # fmt: skip
    _event(
        case, actor, "resolution", detail=f"Resolución {resolution.book_code}: {resolution.summary}"
    )
    if CaseStatus.RESOLVED in TRANSITIONS[CaseStatus(case.status)]:
        before = case.status
        case.status = CaseStatus.RESOLVED
        case.save(update_fields=["status", "updated_at"])
        _event(case, actor, "transition", before=before, after=CaseStatus.RESOLVED)
    audit_record(
        actor=actor, action="cases.resolution.register", entity=case.entity, target=resolution
    )
    return resolution


@audited_service("cases.document.generate")
def case_document_generate(
    *, actor: Actor, case: Case, template, extra: dict | None = None
) -> Document:
    """Fill a template with the case's data: a PDF with its CSV, incorporated into the index."""
    import hashlib
    import uuid

    from concejo.documents.templates import render_template_pdf, render_title
    from concejo.signatures.seal import seal_pdf
    from concejo.signatures.services import record_seal
    from concejo.verification.services import document_issue, verification_url

    case = _locked(case)
    _require_worker(actor, case)
    _ensure_open_index(case)
    if template.entity_id != case.entity_id or not template.active:
        raise field_error("template", _("Plantilla no disponible."), code="unknown_template")
    document_id = uuid.uuid4()
    issued = document_issue(
        entity=case.entity,
        kind="documents.generated",
        title=template.name,
        source_type=Document._meta.label_lower,
        source_id=str(document_id),
    )
    pdf = render_template_pdf(
        template=template, case=case, extra=extra, csv_display=issued.display_code,
        url=verification_url(issued),
    )  # fmt: skip
    unsealed = hashlib.sha256(pdf).hexdigest()
    pdf = seal_pdf(case.entity, pdf, reason=template.name, csv_display=issued.display_code)
    document = document_create(
        actor=actor, entity=case.entity, title=render_title(template, case, extra),
        file_name=f"{template.document_type.lower()}-{case.number}.pdf", content=pdf,
        document_type=template.document_type, document_id=document_id,
    )  # fmt: skip
    document.issued = issued
    document.save(update_fields=["issued", "updated_at"])
    if document.sha256 != unsealed:
        record_seal(document, sha_before=unsealed, entity=case.entity)
    issued.title = document.title
    issued.save(update_fields=["title", "updated_at"])
    _incorporate(actor, case, document)
    return document


@audited_service("cases.case.assign")
def case_assign(*, actor: Actor, case: Case, handler) -> Case:
    """Give the case to a handler of the entity (unit heads, or a handler taking it)."""
    case = _locked(case)
    _require_worker(actor, case)
    taking_it = actor.user is not None and handler is not None and handler.pk == actor.user.pk
    if not taking_it and not actor_has_role(actor, case.entity, [Role.UNIT_HEAD]):
        raise PermissionDenied(_("Solo la jefatura de la unidad reparte expedientes."))
    if handler is not None and not actor_has_role(Actor(user=handler), case.entity, CASE_WORKERS):
        raise field_error(
            "handler", _("Esa persona no tramita en esta entidad."), code="unknown_user"
        )
    before = case.handler.get_username() if case.handler else ""
    case.handler = handler
    case.save(update_fields=["handler", "updated_at"])
    _event(
        case,
        actor,
        "assigned",
        detail=f"{before or '—'} → {handler.get_username() if handler else '—'}",
    )
    audit_record(actor=actor, action="cases.case.assign", entity=case.entity, target=case)
    return case


@audited_service("cases.case.grant_access")
def case_grant_access(*, actor: Actor, case: Case, user) -> Case:
    """Name a user who may see a confidential case."""
    from concejo.cases.models import CaseAccess

    case = _locked(case)
    _require_worker(actor, case, roles=(Role.UNIT_HEAD,))
    if not Membership.objects.filter(user=user, entity=case.entity, active=True).exists():
        raise field_error("user", _("Esa persona no trabaja en esta entidad."), code="unknown_user")
    CaseAccess.objects.get_or_create(case=case, user=user)
    _event(case, actor, "access", detail=user.get_username())
    audit_record(
        actor=actor,
        action="cases.case.grant_access",
        entity=case.entity,
        target=case,
        details={"user": user.get_username()},
    )
    return case
