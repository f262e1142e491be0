"""Writes of electronic documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, field_error, require_choice
from concejo.documents.models import (
    Document,
    DocumentStatus,
    DocumentType,
    DocumentVersion,
    ElaborationState,
    Origin,
)
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.registry.attachments import AttachmentInput, StoredFiles, check_attachments
from concejo.verification.services import document_issue

DOCUMENT_WRITERS = (Role.CASE_HANDLER, Role.REGISTRY_CLERK, Role.UNIT_HEAD)
COPIES = {
    ElaborationState.COPY_FORMAT_CHANGE,
    ElaborationState.COPY_OF_PAPER,
    ElaborationState.PARTIAL_COPY,
}


def eni_document_identifier(entity: Entity, year: int, document_id: uuid.UUID) -> str:
    """ES_<DIR3>_<YYYY>_<ID>, the ID being 30 characters derived from the document's UUID."""
    return f"ES_{entity.dir3_code}_{year}_{document_id.hex[:30].upper()}"


@audited_service("documents.document.create")
def document_create(
    *,
    actor: Actor,
    entity: Entity,
    title: str,
    file_name: str,
    content: bytes,
    document_type: str,
    origin: str = Origin.ADMINISTRATION,
    elaboration_state: str = ElaborationState.ORIGINAL,
    origin_document: str = "",
    organs: list[str] | None = None,
    captured_at: dt.datetime | None = None,
    document_id: uuid.UUID | None = None,
    eni_identifier: str = "",
) -> Document:
    """Store a new document (typed from its content, hashed, with ENI metadata).

    `eni_identifier` keeps the identifier of a document received from another
    administration; otherwise one is made from the entity and the document's id.
    """
    require_role(actor, entity, *DOCUMENT_WRITERS)
    title = (title or "").strip()
    if not title:
        raise field_error("title", _("Indique el título del documento."), code="required")
    require_choice(document_type, DocumentType, "document_type")
    require_choice(origin, Origin, "origin")
    require_choice(elaboration_state, ElaborationState, "elaboration_state")
    if elaboration_state in COPIES and not origin_document.strip():
        raise field_error(
            "origin_document",
            _("Una copia auténtica indica el identificador del documento origen."),
            code="required",
        )
    checked = check_attachments([AttachmentInput(file_name, content)])[0]
    document_id = document_id or uuid.uuid4()
    now = timezone.now()
    path = StoredFiles(entity.pk).save(checked)  # removed again if this call fails
    document = Document.objects.create(
        id=document_id,
        entity=entity,
        eni_identifier=eni_identifier
        or eni_document_identifier(entity, timezone.localtime(now).year, document_id),
        title=title[:250],
        file_name=checked.name,
        file=path,
        mime_type=checked.mime_type,
        size=checked.size,
        sha256=checked.sha256,
        organs=organs or [entity.dir3_code],
        captured_at=captured_at or now,
        origin=origin,
        elaboration_state=elaboration_state,
        origin_document=origin_document.strip(),
        document_type=document_type,
        created_by=actor.label,
    )
    audit_record(actor=actor, action="documents.document.create", entity=entity, target=document)
    return document


def _locked(document: Document) -> Document:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("entity")
        .get(pk=document.pk)
    )


def _ensure_editable(document: Document) -> None:
    if document.status != DocumentStatus.DRAFT:
        raise Conflict(
            _("El documento es definitivo y no se puede modificar."), code="document_final"
        )
    if document.issued_id is not None:
        raise Conflict(
            _("El documento ya tiene CSV: genere uno nuevo en lugar de cambiarlo."),
            code="document_issued",
        )
    from concejo.cases.models import CaseDocument

    if CaseDocument.objects.filter(document=document, case__index_closed_at__isnull=False).exists():
        raise Conflict(
            _("El documento forma parte del índice cerrado de un expediente."),
            code="document_final",
        )


@audited_service("documents.document.replace")
def document_replace_content(
    *, actor: Actor, document: Document, file_name: str, content: bytes
) -> Document:
    """A new version of a draft; the previous content is kept as a version."""
    document = _locked(document)
    require_role(actor, document.entity, *DOCUMENT_WRITERS)
    _ensure_editable(document)
    document_store_version(actor=actor, document=document, file_name=file_name, content=content)
    audit_record(
        actor=actor, action="documents.document.replace", entity=document.entity,
        target=document, details={"version": document.version},
    )  # fmt: skip
    return document


def document_store_version(
    *,
    actor: Actor,
    document: Document,
    file_name: str,
    content: bytes,
) -> Document:
    """Store `content` as the locked document's next version, keeping the current one.

    Callers (services) hold the row lock and have checked that the change is
    allowed (an edited draft, or a signature added to the document being
    signed). The new file is removed again if the calling service fails.
    """
    checked = check_attachments([AttachmentInput(file_name, content)])[0]
    path = StoredFiles(document.entity_id).save(checked)
    DocumentVersion.objects.create(
        document=document, version=document.version, file=document.file.name,
        file_name=document.file_name, sha256=document.sha256, size=document.size,
        replaced_by=actor.label,
    )  # fmt: skip
    document.version += 1
    document.file = path
    document.file_name = checked.name
    document.mime_type = checked.mime_type
    document.size = checked.size
    document.sha256 = checked.sha256
    document.save()
    from concejo.cases.models import CaseDocument

    # While the case is open its index follows the draft's current version.
    CaseDocument.objects.filter(document=document, case__index_closed_at__isnull=True).update(
        sha256=document.sha256
    )
    return document


@audited_service("documents.document.finalize")
def document_finalize(*, actor: Actor, document: Document) -> Document:
    """From now on the document never changes (signed, or part of a closed case)."""
    document = _locked(document)
    require_role(actor, document.entity, *DOCUMENT_WRITERS)
    if document.status == DocumentStatus.FINAL:
        raise Conflict(_("El documento ya era definitivo."), code="document_final")
    document_verify(document=document)
    document.status = DocumentStatus.FINAL
    document.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="documents.document.finalize", entity=document.entity, target=document
    )
    return document


def document_content(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def document_verify(*, document: Document) -> None:
    """The stored bytes must still have the recorded SHA-256."""
    try:
        content = document_content(document)
    except FileNotFoundError as exc:
        raise Conflict(
            _("El fichero del documento no está en el almacén."), code="document_missing"
        ) from exc
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise Conflict(
            _("La huella del documento no coincide: el fichero ha sido alterado."),
            code="hash_mismatch",
        )


@audited_service("documents.copy.create")
def authentic_copy_create(
    *,
    actor: Actor,
    entity: Entity,
    title: str,
    file_name: str,
    content: bytes,
    document_type: str,
    origin: str = Origin.CITIZEN,
    paper_reference: str = "",
) -> Document:
    """A scanned paper document becomes an authentic copy (EE03) with its own CSV."""
    require_role(actor, entity, Role.REGISTRY_CLERK)
    document = document_create(
        actor=actor, entity=entity, title=title, file_name=file_name, content=content,
        document_type=document_type, origin=origin,
        elaboration_state=ElaborationState.COPY_OF_PAPER,
        origin_document=(paper_reference or "").strip() or _("papel presentado en oficina"),
    )  # fmt: skip
    document.issued = document_issue(
        entity=entity,
        kind="documents.copy",
        title=_("Copia auténtica: %(t)s") % {"t": document.title},
        source_type=Document._meta.label_lower,
        source_id=str(document.pk),
        mime_type=document.mime_type,
    )
    document.status = DocumentStatus.FINAL
    document.save(update_fields=["issued", "status", "updated_at"])
    return document


@audited_service("documents.template.save")
def document_template_save(
    *,
    actor: Actor,
    entity: Entity,
    name: str,
    document_type: str,
    title: str,
    body: str,
    template=None,
    active: bool = True,
):
    """Create or change a template; its syntax is checked before saving."""
    from concejo.documents.models import DocumentTemplate
    from concejo.documents.templates import template_compile

    require_role(actor, entity, Role.ADMINISTRATOR)
    require_choice(document_type, DocumentType, "document_type")
    if not (name or "").strip() or not (title or "").strip() or not (body or "").strip():
        raise field_error("body", _("Nombre, título y texto son obligatorios."), code="required")
    template_compile(body)
    template_compile(title)
    template = template or DocumentTemplate(entity=entity)
    template.name, template.document_type = name.strip(), document_type
    template.title, template.body, template.active = title.strip(), body, active
    template.save()
    audit_record(actor=actor, action="documents.template.save", entity=entity, target=template)
    return template


def render_issued_document(issued) -> bytes:
    """The content behind a stored document's CSV is the document itself."""
    document = Document.objects.get(pk=issued.source_id)
    document_verify(document=document)
    return document_content(document)
