"""Writes of data protection: the record of processing activities, data-subject requests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, NotFound, field_error, require_choice
from concejo.core.writes import entity_row_save
from concejo.documents.models import DocumentType
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.privacy.models import (
    LegalBasis,
    LegalHold,
    ProcessingActivity,
    RetentionAction,
    RetentionRule,
    SpecialCategoryBasis,
    SubjectAccessExport,
    SubjectRequestExtension,
)

ACTIVITY_EDITORS = (Role.DPO,)  # and administrators
ACTIVITY_TEXTS = (
    "name", "controller", "dpo_contact", "purposes", "data_subjects", "data_categories",
    "recipients", "international_transfers", "retention", "security_measures",
)  # fmt: skip
ACTIVITY_OPTIONAL_TEXTS = ("legal_basis_detail", "special_categories")
ACTIVITY_FIELDS = (
    *ACTIVITY_TEXTS, *ACTIVITY_OPTIONAL_TEXTS, "legal_bases", "special_category_bases", "active"
)  # fmt: skip


def _codes(values, choices, field: str) -> list[str]:
    codes = sorted({str(v) for v in values or []})
    unknown = [c for c in codes if c not in choices.values]
    if unknown:
        raise field_error(
            field, _("Valor no permitido: «%(v)s».") % {"v": unknown[0]}, code="invalid_choice"
        )
    return codes


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check a whole activity; the values as they will be stored."""
    clean: dict[str, Any] = {}
    for field in ACTIVITY_TEXTS:
        text = (values.get(field) or "").strip()
        if not text:
            raise field_error(field, _("Este dato es obligatorio en el registro."), code="required")
        clean[field] = text
    if len(clean["name"]) > 200:
        raise field_error("name", _("El nombre admite 200 caracteres."), code="too_long")
    for field in ACTIVITY_OPTIONAL_TEXTS:
        clean[field] = (values.get(field) or "").strip()
    clean["legal_bases"] = _codes(values.get("legal_bases"), LegalBasis, "legal_bases")
    if not clean["legal_bases"]:
        raise field_error(
            "legal_bases", _("Indique al menos una base jurídica del art. 6 RGPD."),
            code="required",
        )  # fmt: skip
    clean["special_category_bases"] = _codes(
        values.get("special_category_bases"), SpecialCategoryBasis, "special_category_bases"
    )
    if clean["special_categories"] and not clean["special_category_bases"]:
        raise field_error(
            "special_category_bases",
            _(
                "Si se tratan categorías especiales de datos, indique la excepción del art. 9.2 RGPD."
            ),
            code="required",
        )
    if clean["special_category_bases"] and not clean["special_categories"]:
        raise field_error(
            "special_categories",
            _("Indique qué categorías especiales de datos se tratan."),
            code="required",
        )
    clean["active"] = bool(values.get("active", True))
    return clean


@audited_service("privacy.activity.create")
def processing_activity_create(
    *, actor: Actor, entity: Entity, code: str = "", **values: Any
) -> ProcessingActivity:
    """Add an activity to the entity's record of processing activities."""
    require_role(actor, entity, *ACTIVITY_EDITORS)
    clean = _clean(values)
    code = slugify(code or clean["name"])[:60]
    if ProcessingActivity.objects.filter(entity=entity, code=code).exists():
        raise field_error(
            "code", _("Ya hay una actividad con el código «%(c)s».") % {"c": code},
            code="duplicate_code",
        )  # fmt: skip
    activity = ProcessingActivity.objects.create(entity=entity, code=code, **clean)
    audit_record(
        actor=actor, action="privacy.activity.create", entity=entity, target=activity,
        details={"version": activity.version},
    )  # fmt: skip
    return activity


@audited_service("privacy.activity.update")
def processing_activity_update(
    *, actor: Actor, activity: ProcessingActivity, **values: Any
) -> ProcessingActivity:
    """Change an activity; the record keeps its version and the audit trail what changed."""
    activity = (
        ProcessingActivity.objects.select_for_update(of=("self",))
        .select_related("entity")
        .filter(pk=activity.pk)
        .first()
    )
    if activity is None:
        raise NotFound(_("No existe la actividad de tratamiento."))
    require_role(actor, activity.entity, *ACTIVITY_EDITORS)
    merged = {f: getattr(activity, f) for f in ACTIVITY_FIELDS} | values
    clean = _clean(merged)
    changed = sorted(f for f, v in clean.items() if getattr(activity, f) != v)
    if not changed:
        return activity
    for field in changed:
        setattr(activity, field, clean[field])
    activity.version += 1
    activity.save()
    audit_record(
        actor=actor, action="privacy.activity.update", entity=activity.entity, target=activity,
        details={"version": activity.version, "changed": changed},
    )  # fmt: skip
    return activity


# --- Data-subject requests --------------------------------------------------

REQUEST_WORKERS = (Role.DPO, Role.CASE_HANDLER, Role.UNIT_HEAD)


def _request(actor: Actor, case):
    """The request (a case of the data-rights procedure) if the actor may work on it."""
    from concejo.privacy.selectors import subject_request_get

    found = subject_request_get(actor=actor, entity=case.entity, case_id=case.pk)
    require_role(actor, found.entity, *REQUEST_WORKERS)
    return found


@audited_service("privacy.subject_request.extend")
def subject_request_extend(
    *, actor: Actor, case, months: int, reason: str
) -> SubjectRequestExtension:
    """Extend the month to answer by one or two months (art. 12.3 GDPR), once, with a reason.

    The data subject must be told within the first month, so the extension is
    refused once that month has passed. The new date is counted by the
    deadlines app from the same start: date to date, to the next business day.
    """
    from concejo.cases.models import Case, CaseEvent
    from concejo.cases.workflow import FINISHED
    from concejo.deadlines.computation import DeadlineUnit, deadline_compute
    from concejo.deadlines.selectors import calendar_for

    case = _request(actor, case)
    case = Case.objects.select_for_update(of=("self",)).select_related("entity").get(pk=case.pk)
    if case.status in FINISHED:
        raise Conflict(_("La solicitud ya está resuelta."), code="request_closed")
    if months not in (1, 2):
        raise field_error("months", _("La prórroga es de uno o dos meses."), code="invalid_amount")
    reason = (reason or "").strip()
    if not reason:
        raise field_error(
            "reason", _("Indique el motivo de la prórroga (complejidad o número de solicitudes)."),
            code="required",
        )  # fmt: skip
    if SubjectRequestExtension.objects.filter(case=case).exists():
        raise Conflict(_("La solicitud ya se prorrogó."), code="already_extended")
    if case.resolution_due is None or timezone.localdate() > case.resolution_due:
        raise Conflict(
            _("El plazo de un mes ya ha vencido: la prórroga debía comunicarse dentro de él."),
            code="extension_too_late",
        )
    new_due = deadline_compute(
        start=case.started_at, amount=1 + months, unit=DeadlineUnit.MONTHS,
        calendar=calendar_for(case.entity, strict=False),
    ).end  # fmt: skip
    extension = SubjectRequestExtension.objects.create(
        case=case, months=months, original_due=case.resolution_due, new_due=new_due,
        reason=reason, extended_at=timezone.now(), extended_by=actor.label,
    )  # fmt: skip
    CaseEvent.objects.create(
        case=case, kind="privacy_extension", author=actor.label,
        detail=_("Plazo del art. 12.3 RGPD prorrogado hasta el %(d)s: %(r)s")
        % {"d": f"{new_due:%d/%m/%Y}", "r": reason},
    )  # fmt: skip
    audit_record(
        actor=actor, action="privacy.subject_request.extend", entity=case.entity, target=case,
        details={"months": months, "new_due": new_due.isoformat()},
    )  # fmt: skip
    return extension


def _data_subject(case) -> str:
    from concejo.cases.models import PartyRole

    party = (
        case.parties.filter(role=PartyRole.APPLICANT).select_related("person").first()
        or case.parties.select_related("person").first()
    )
    if party is None:
        raise Conflict(_("El expediente no tiene interesados."), code="no_data_subject")
    return party.person.id_number


@audited_service("privacy.access_export.create")
def subject_access_export(*, actor: Actor, case) -> SubjectAccessExport:
    """Gather what the entity holds about the request's applicant; issue its PDF summary."""
    from concejo.privacy.exports import access_export_data
    from concejo.privacy.selectors import person_objects, persons_by_id_number
    from concejo.verification.services import document_issue

    case = _request(actor, case)
    id_number = _data_subject(case)
    persons = persons_by_id_number(entity=case.entity, id_number=id_number)
    data = access_export_data(entity=case.entity, persons=persons, objects=person_objects(persons))
    export = SubjectAccessExport.objects.create(
        entity=case.entity, case=case, id_number=id_number, data=data, created_by=actor.label,
        truncated=any(isinstance(v, dict) and v.get("truncated") for v in data.values()),
    )  # fmt: skip
    export.issued = document_issue(
        entity=case.entity, kind="privacy.access_summary",
        title=f"Derecho de acceso · expediente {case.case_code}",
        source_type="privacy.subjectaccessexport", source_id=str(export.pk),
    )  # fmt: skip
    export.save(update_fields=["issued", "updated_at"])
    audit_record(
        actor=actor, action="privacy.access_export.create", entity=case.entity, target=export,
        details={"case": str(case.pk), "truncated": export.truncated},
    )  # fmt: skip
    return export


@audited_service("privacy.access_export.attach")
def subject_access_export_attach(*, actor: Actor, export: SubjectAccessExport):
    """Put the export's PDF summary into the case's index (once)."""
    from concejo.cases.services import case_document_upload
    from concejo.verification.services import document_content

    export = (
        SubjectAccessExport.objects.select_for_update(of=("self",))
        .select_related("issued")
        .get(pk=export.pk)
    )
    case = _request(actor, export.case)
    if export.document_id is not None:
        raise Conflict(_("La exportación ya está en el expediente."), code="already_attached")
    export.document = case_document_upload(
        actor=actor, case=case, title=export.issued.title,
        file_name=f"derecho-de-acceso-{export.issued.csv_code}.pdf",
        content=document_content(export.issued), document_type="TD11",
    )  # fmt: skip
    export.save(update_fields=["document", "updated_at"])
    return export.document


# --- Retention --------------------------------------------------------------


@audited_service("privacy.retention_rule.save")
def retention_rule_save(
    *, actor: Actor, entity: Entity, years: int, action: str, document_type: str = "",
    procedure=None, legal_reference: str = "", rule: RetentionRule | None = None,
) -> RetentionRule:  # fmt: skip
    """Create or change the rule for one document type or one procedure (case class)."""
    require_role(actor, entity, *ACTIVITY_EDITORS)
    if bool(document_type) == (procedure is not None):
        raise field_error(
            "document_type", _("Indique un tipo documental o un procedimiento, no los dos."),
            code="one_target",
        )  # fmt: skip
    if document_type:
        require_choice(document_type, DocumentType, "document_type")
    if procedure is not None and procedure.entity_id != entity.pk:
        raise field_error("procedure", _("El procedimiento es de otra entidad."), code="unknown")
    require_choice(action, RetentionAction, "action")
    if not isinstance(years, int) or not 1 <= years <= 100:
        raise field_error("years", _("Indique entre 1 y 100 años."), code="invalid_amount")
    same = RetentionRule.objects.filter(
        entity=entity,
        **({"document_type": document_type} if document_type else {"procedure": procedure}),
    ).exclude(pk=rule.pk if rule else None)
    if same.exists():
        raise field_error(
            "document_type" if document_type else "procedure",
            _("Ya hay una regla para ese tipo documental o procedimiento."), code="duplicate",
        )  # fmt: skip
    values = {"document_type": document_type, "procedure": procedure, "years": years,
              "action": action, "legal_reference": (legal_reference or "").strip()}  # fmt: skip
    rule = entity_row_save(RetentionRule, entity=entity, obj=rule, values=values)
    audit_record(
        actor=actor, action="privacy.retention_rule.save", entity=entity, target=rule,
        details={"years": years, "action": action},
    )  # fmt: skip
    return rule


@audited_service("privacy.legal_hold.place")
def legal_hold_place(
    *, actor: Actor, entity: Entity, reason: str, case=None, document=None
) -> LegalHold:
    """Keep a case or a document out of any destruction (a claim, an inquiry, a court order)."""
    require_role(actor, entity, *ACTIVITY_EDITORS)
    if (case is None) == (document is None):
        raise field_error("case", _("Indique un expediente o un documento."), code="one_target")
    target = case or document
    if target.entity_id != entity.pk:
        raise field_error("case", _("Es de otra entidad."), code="unknown")
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Indique el motivo de la retención."), code="required")
    hold = LegalHold.objects.create(
        entity=entity, case=case, document=document, reason=reason[:300], placed_by=actor.label
    )
    audit_record(actor=actor, action="privacy.legal_hold.place", entity=entity, target=hold)
    return hold


@audited_service("privacy.legal_hold.release")
def legal_hold_release(*, actor: Actor, hold: LegalHold) -> LegalHold:
    hold = (
        LegalHold.objects.select_for_update(of=("self",)).select_related("entity").get(pk=hold.pk)
    )
    require_role(actor, hold.entity, *ACTIVITY_EDITORS)
    if hold.released_at is not None:
        raise Conflict(_("La retención ya estaba levantada."), code="already_released")
    hold.released_at = timezone.now()
    hold.released_by = actor.label
    hold.save(update_fields=["released_at", "released_by", "updated_at"])
    audit_record(actor=actor, action="privacy.legal_hold.release", entity=hold.entity, target=hold)
    return hold
