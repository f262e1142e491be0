"""Writes of the portafirmas: ask for signatures, sign, reject, cancel."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, NotFound, PermissionDenied, field_error
from concejo.documents.models import Document, DocumentStatus
from concejo.documents.services import (
    DOCUMENT_WRITERS,
    document_store_version,
    document_verify,
)
from concejo.organization.models import Entity, Membership
from concejo.organization.selectors import actor_has_role, require_role
from concejo.signatures.backends import SignerIdentity, signature_backend
from concejo.signatures.models import (
    DocumentSignature,
    RequestStatus,
    SignatureKind,
    SignatureRequest,
    SignatureRequestDocument,
    SignatureStep,
    SigningMode,
    StepStatus,
)

MAX_DOCUMENTS = 50
MAX_SIGNERS = 10


def _case_event(request: SignatureRequest, actor: Actor, kind: str, detail: str) -> None:
    if request.case_id is None:
        return
    from concejo.cases.models import CaseEvent

    CaseEvent.objects.create(case_id=request.case_id, kind=kind, detail=detail, author=actor.label)


@audited_service("signatures.request.create")
def signature_request_create(
    *,
    actor: Actor,
    entity: Entity,
    subject: str,
    documents: list[Document],
    signers: list,
    mode: str = SigningMode.SEQUENTIAL,
    case=None,
) -> SignatureRequest:
    """Ask one or more employees to sign one or more draft PDF documents."""
    require_role(actor, entity, *DOCUMENT_WRITERS)
    subject = (subject or "").strip()
    if not subject:
        raise field_error("subject", _("Indique el asunto de la petición."), code="required")
    if mode not in SigningMode.values:
        raise field_error("mode", _("Modo de firma no permitido."), code="invalid_choice")
    if not documents or len(documents) > MAX_DOCUMENTS:
        raise field_error(
            "documents",
            _("Indique entre 1 y %(n)d documentos.") % {"n": MAX_DOCUMENTS},
            code="required",
        )
    if not signers or len(signers) > MAX_SIGNERS:
        raise field_error(
            "signers", _("Indique entre 1 y %(n)d firmantes.") % {"n": MAX_SIGNERS}, code="required"
        )
    if len({s.pk for s in signers}) != len(signers):
        raise field_error("signers", _("Un firmante aparece dos veces."), code="duplicate_signer")
    if len({d.pk for d in documents}) != len(documents):
        raise field_error("documents", _("Un documento aparece dos veces."), code="duplicate")
    active = set(
        Membership.objects.filter(
            entity=entity, active=True, user__in=signers, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    for signer in signers:
        if signer.pk not in active:
            raise field_error(
                "signers",
                _("%(u)s no es empleado de esta entidad.") % {"u": signer.get_username()},
                code="unknown_signer",
            )
    locked = list(
        Document.objects.select_for_update().filter(pk__in=[d.pk for d in documents]).order_by("pk")
    )
    by_pk = {d.pk: d for d in locked}
    for document in documents:
        current = by_pk.get(document.pk)
        if current is None or current.entity_id != entity.pk:
            raise NotFound(_("No existe el documento o no tiene acceso a él."))
        if current.status != DocumentStatus.DRAFT:
            raise Conflict(
                _("«%(t)s» ya es definitivo (firmado): no se puede volver a pedir su firma.")
                % {"t": current.title},
                code="already_signed",
            )
        if current.mime_type != "application/pdf":
            raise field_error(
                "documents",
                _("«%(t)s» no es un PDF: solo se firman documentos PDF (PAdES).")
                % {"t": current.title},
                code="not_a_pdf",
            )
        _ensure_index_open(current)
        if SignatureRequestDocument.objects.filter(
            document=current, request__status=RequestStatus.PENDING
        ).exists():
            raise Conflict(
                _("«%(t)s» ya está pendiente de firma en otra petición.") % {"t": current.title},
                code="signature_pending",
            )
    if case is not None and case.entity_id != entity.pk:
        raise field_error("case", _("El expediente no es de esta entidad."), code="unknown_case")
    request = SignatureRequest.objects.create(
        entity=entity, subject=subject[:250], mode=mode, requested_by=actor.label, case=case
    )
    SignatureRequestDocument.objects.bulk_create(
        SignatureRequestDocument(request=request, document=by_pk[d.pk], position=i)
        for i, d in enumerate(documents, start=1)
    )
    SignatureStep.objects.bulk_create(
        SignatureStep(request=request, signer=s, order=i) for i, s in enumerate(signers, start=1)
    )
    _case_event(
        request, actor, "signature_requested",
        _("Petición de firma «%(s)s» a %(w)s")
        % {"s": request.subject, "w": ", ".join(s.get_username() for s in signers)},
    )  # fmt: skip
    audit_record(
        actor=actor, action="signatures.request.create", entity=entity, target=request,
        details={"documents": len(documents), "signers": len(signers), "mode": mode},
    )  # fmt: skip
    return request


def _ensure_index_open(document: Document) -> None:
    from concejo.cases.models import CaseDocument

    if CaseDocument.objects.filter(document=document, case__index_closed_at__isnull=False).exists():
        raise Conflict(
            _("«%(t)s» está en el índice cerrado de un expediente: ya no se firma.")
            % {"t": document.title},
            code="case_closed",
        )


def _locked_request(request: SignatureRequest) -> SignatureRequest:
    return (
        SignatureRequest.objects.select_for_update(of=("self",))
        .select_related("entity")
        .get(pk=request.pk)
    )


def _my_step(actor: Actor, request: SignatureRequest) -> SignatureStep:
    """The actor's own pending turn in the request, or a clear refusal."""
    if actor.user is None:
        raise PermissionDenied(
            _("Firma o rechaza el propio firmante: use su sesión o una clave personal."),
            code="signer_required",
        )
    step = request.steps.select_for_update().filter(signer=actor.user).first()
    if step is None:
        raise PermissionDenied(_("Usted no es firmante de esta petición."), code="not_a_signer")
    if request.status != RequestStatus.PENDING:
        raise Conflict(
            _("La petición ya está «%(s)s».") % {"s": RequestStatus(request.status).label},
            code="request_closed",
        )
    if step.status == StepStatus.SIGNED:
        raise Conflict(_("Ya firmó esta petición."), code="already_signed")
    if step.status != StepStatus.PENDING:
        raise Conflict(_("Su turno de firma ya no está pendiente."), code="request_closed")
    if (
        request.mode == SigningMode.SEQUENTIAL
        and request.steps.filter(order__lt=step.order).exclude(status=StepStatus.SIGNED).exists()
    ):
        raise Conflict(
            _("Aún no es su turno: antes firman quienes le preceden."), code="not_your_turn"
        )
    return step


def signer_identity(user) -> SignerIdentity:
    name = user.get_full_name().strip() or user.get_username()
    return SignerIdentity(name=name, identifier=user.get_username())


@audited_service("signatures.request.sign")
def signature_sign(*, actor: Actor, request: SignatureRequest) -> SignatureRequest:
    """The signer signs every document of the request; the last signature makes them final."""
    from concejo.verification.services import document_issue, document_rendering_reset

    request = _locked_request(request)
    step = _my_step(actor, request)
    backend = signature_backend()
    identity = signer_identity(actor.user)
    now = timezone.now()
    for line in request.documents.select_related("document").order_by("position"):
        document = (
            Document.objects.select_for_update(of=("self",)).select_related("entity", "issued")
            .get(pk=line.document_id)
        )  # fmt: skip
        if document.status != DocumentStatus.DRAFT:
            raise Conflict(
                _("«%(t)s» ya es definitivo: no se firma de nuevo.") % {"t": document.title},
                code="already_signed",
            )
        document_verify(document=document)
        _ensure_index_open(document)
        if document.issued is not None:
            document_rendering_reset(document.issued)  # its CSV shows the new version
        else:
            document.issued = document_issue(
                entity=request.entity, kind="documents.signed", title=document.title,
                source_type=Document._meta.label_lower, source_id=str(document.pk),
            )  # fmt: skip
        with document.file.open("rb") as handle:
            before = handle.read()
        applied = backend.sign_pdf(
            entity=request.entity, content=before, signer=identity,
            reason=_("Firma de «%(t)s»") % {"t": document.title},
            csv_display=document.issued.display_code,
        )  # fmt: skip
        sha_before, version = document.sha256, document.version
        document_store_version(
            actor=actor, document=document, file_name=document.file_name,
            content=applied.content,
        )  # fmt: skip
        DocumentSignature.objects.create(
            document=document, kind=SignatureKind.EMPLOYEE, field_name=applied.field_name,
            signer_name=identity.name, signer_identifier=identity.identifier,
            certificate_subject=applied.certificate_subject, backend=backend.name,
            signed_at=now, version=version, sha256_before=sha_before,
            sha256_after=document.sha256, step=step,
        )  # fmt: skip
    step.status, step.decided_at, step.ip = StepStatus.SIGNED, now, actor.ip
    step.save(update_fields=["status", "decided_at", "ip"])
    if not request.steps.exclude(status=StepStatus.SIGNED).exists():
        request.status, request.completed_at = RequestStatus.SIGNED, now
        request.save(update_fields=["status", "completed_at", "updated_at"])
        Document.objects.filter(signature_requests__request=request).update(
            status=DocumentStatus.FINAL, updated_at=now
        )
    _case_event(
        request, actor, "signed",
        _("Firmado por %(n)s: «%(s)s»") % {"n": identity.name, "s": request.subject},
    )  # fmt: skip
    audit_record(
        actor=actor, action="signatures.request.sign", entity=request.entity, target=request,
        details={"step": step.order, "complete": request.status == RequestStatus.SIGNED},
    )  # fmt: skip
    return request


@audited_service("signatures.request.reject")
def signature_reject(*, actor: Actor, request: SignatureRequest, reason: str) -> SignatureRequest:
    """The signer refuses with a reason; the request ends and the documents stay drafts."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Explique el motivo del rechazo."), code="required")
    request = _locked_request(request)
    step = _my_step(actor, request)
    now = timezone.now()
    step.status, step.decided_at, step.reason, step.ip = StepStatus.REJECTED, now, reason, actor.ip
    step.save(update_fields=["status", "decided_at", "reason", "ip"])
    request.steps.filter(status=StepStatus.PENDING).update(status=StepStatus.CANCELLED)
    request.status, request.completed_at = RequestStatus.REJECTED, now
    request.save(update_fields=["status", "completed_at", "updated_at"])
    _case_event(
        request, actor, "signature_rejected",
        _("Firma rechazada por %(u)s: %(r)s") % {"u": actor.user.get_username(), "r": reason},
    )  # fmt: skip
    audit_record(
        actor=actor, action="signatures.request.reject", entity=request.entity, target=request,
        details={"step": step.order},
    )  # fmt: skip
    return request


@audited_service("signatures.request.cancel")
def signature_request_cancel(*, actor: Actor, request: SignatureRequest) -> SignatureRequest:
    """Who asked (or a unit head) withdraws a pending request; signatures made stay."""
    from concejo.organization.models import Role

    request = _locked_request(request)
    if request.requested_by != actor.label and not actor_has_role(
        actor, request.entity, [Role.UNIT_HEAD]
    ):
        raise PermissionDenied(_("Solo quien pidió la firma puede anularla."))
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("La petición ya no está pendiente."), code="request_closed")
    request.steps.filter(status=StepStatus.PENDING).update(status=StepStatus.CANCELLED)
    request.status, request.completed_at = RequestStatus.CANCELLED, timezone.now()
    request.save(update_fields=["status", "completed_at", "updated_at"])
    _case_event(request, actor, "signature_cancelled", request.subject)
    audit_record(
        actor=actor, action="signatures.request.cancel", entity=request.entity, target=request
    )
    return request


def record_seal(document: Document, *, sha_before: str, entity) -> None:
    """Note that the entity's seal was applied when the document was made."""
    from concejo.signatures.seal import seal_signer

    signer = seal_signer(entity)
    if signer is None:
        return
    DocumentSignature.objects.create(
        document=document, kind=SignatureKind.SEAL, field_name="SelloEntidad",
        signer_name=entity.name, certificate_subject=signer.signing_cert.subject.human_friendly[:300],
        backend="seal", signed_at=document.created_at, version=document.version,
        sha256_before=sha_before, sha256_after=document.sha256,
    )  # fmt: skip


def users_by_username(entity: Entity, usernames: list[str]) -> list:
    """Employees of the entity named by username, in the order given."""
    users = {
        u.get_username(): u
        for u in get_user_model()
        .objects.filter(
            username__in=usernames, memberships__entity=entity, memberships__active=True
        )
        .distinct()
    }
    missing = [name for name in usernames if name not in users]
    if missing:
        raise field_error(
            "signers",
            _("No son empleados de esta entidad: %(u)s") % {"u": ", ".join(missing)},
            code="unknown_signer",
        )
    return [users[name] for name in usernames]
