"""Writes to the procedure catalog. Published versions are frozen; edits make new drafts."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, ValidationFailed, field_error
from concejo.core.text import normalise
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.procedures.models import (
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    VersionStatus,
)
from concejo.procedures.validation import CONTENT_FIELDS, clean_content
from concejo.procedures.workflow import check_transition

EDITABLE = (*CONTENT_FIELDS, "required_documents")


def _search_text(content: dict[str, Any]) -> str:
    parts = [content[f] for f in ("name", "summary", "description", "category", "legal_basis")]
    parts += [d["name"] for d in content.get("required_documents", [])]
    return normalise(" ".join(parts))


def _write_version(version: ProcedureVersion, content: dict[str, Any]) -> ProcedureVersion:
    documents = content.pop("required_documents")
    for field, value in content.items():
        setattr(version, field, value)
    version.search_text = _search_text({**content, "required_documents": documents})
    version.save()
    version.required_documents.all().delete()
    RequiredDocument.objects.bulk_create(
        RequiredDocument(version=version, position=i, **doc) for i, doc in enumerate(documents, 1)
    )
    return version


def _unknown(data: dict[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(
            code="unknown_fields", fields=dict.fromkeys(sorted(unknown), _("Campo desconocido."))
        )


def _content_of(version: ProcedureVersion) -> dict[str, Any]:
    content = {f: getattr(version, f) for f in CONTENT_FIELDS}
    content["required_documents"] = [
        {"name": d.name, "mandatory": d.mandatory, "accepted_formats": d.accepted_formats}
        for d in version.required_documents.all()
    ]
    return content


@audited_service("procedures.procedure.create")
def procedure_create(
    *, actor: Actor, entity: Entity, sia_code: str, **data: Any
) -> ProcedureVersion:
    """A new procedure with its first draft version."""
    require_role(actor, entity, Role.ADMINISTRATOR)
    _unknown(data)
    code = (sia_code or "").strip()
    if not code or len(code) > 40:
        raise field_error(
            "sia_code", _("Indique el código SIA (hasta 40 caracteres)."), code="required"
        )
    if Procedure.objects.filter(entity=entity, sia_code=code).exists():
        raise field_error(
            "sia_code",
            _("Ya existe un procedimiento con ese código SIA."),
            code="duplicate_procedure",
        )
    content = clean_content(entity=entity, data=data)
    try:
        procedure = Procedure.objects.create(entity=entity, sia_code=code)
    except IntegrityError as exc:
        raise field_error(
            "sia_code",
            _("Ya existe un procedimiento con ese código SIA."),
            code="duplicate_procedure",
        ) from exc
    version = _write_version(
        ProcedureVersion(procedure=procedure, entity=entity, number=1), content
    )
    audit_record(actor=actor, action="procedures.procedure.create", entity=entity, target=version)
    return version


def _locked(procedure: Procedure) -> Procedure:
    return (
        Procedure.objects.select_for_update(of=("self",))
        .select_related("entity")
        .get(pk=procedure.pk)
    )


@audited_service("procedures.procedure.update")
def procedure_update(*, actor: Actor, procedure: Procedure, **changes: Any) -> ProcedureVersion:
    """Edit the draft; if there is none, start one from the latest version."""
    procedure = _locked(procedure)
    require_role(actor, procedure.entity, Role.ADMINISTRATOR)
    _unknown(changes)
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        latest = procedure.versions.order_by("-number").first()
        data = {**_content_of(latest), **changes}
        content = clean_content(entity=procedure.entity, data=data)
        draft = ProcedureVersion(
            procedure=procedure, entity=procedure.entity, number=latest.number + 1
        )
    else:
        content = clean_content(entity=procedure.entity, data={**_content_of(draft), **changes})
    draft = _write_version(draft, content)
    audit_record(
        actor=actor,
        action="procedures.procedure.update",
        entity=procedure.entity,
        target=draft,
        details={"changed": sorted(changes)},
    )
    return draft


@audited_service("procedures.procedure.publish")
def procedure_publish(*, actor: Actor, procedure: Procedure) -> ProcedureVersion:
    """Freeze the draft as the published version; the previous one is superseded."""
    procedure = _locked(procedure)
    require_role(actor, procedure.entity, Role.ADMINISTRATOR)
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise Conflict(_("No hay ningún borrador que publicar."), code="no_draft")
    check_transition(draft.status, VersionStatus.PUBLISHED)
    current = procedure.versions.filter(status=VersionStatus.PUBLISHED).first()
    if current is not None:
        check_transition(current.status, VersionStatus.SUPERSEDED)
        current.status = VersionStatus.SUPERSEDED
        current.save(update_fields=["status", "updated_at"])
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="procedures.procedure.publish",
        entity=procedure.entity,
        target=draft,
        details={"version": draft.number},
    )
    return draft


@audited_service("procedures.procedure.withdraw")
def procedure_withdraw(*, actor: Actor, procedure: Procedure) -> ProcedureVersion:
    procedure = _locked(procedure)
    require_role(actor, procedure.entity, Role.ADMINISTRATOR)
    current = procedure.versions.filter(status=VersionStatus.PUBLISHED).first()
    if current is None:
        raise Conflict(_("El procedimiento no está publicado."), code="not_published")
    check_transition(current.status, VersionStatus.WITHDRAWN)
    current.status = VersionStatus.WITHDRAWN
    current.withdrawn_at = timezone.now()
    current.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_record(
        actor=actor, action="procedures.procedure.withdraw", entity=procedure.entity, target=current
    )
    return current
