"""Reads of the portafirmas: a signer's boxes and one request with its trail."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from concejo.core.actors import Actor
from concejo.core.errors import NotFound
from concejo.documents.services import DOCUMENT_WRITERS
from concejo.organization.selectors import actor_has_role
from concejo.signatures.models import (
    DocumentSignature,
    RequestStatus,
    SignatureRequest,
    SignatureStep,
    SigningMode,
    StepStatus,
)

BOXES = ("pending", "signed", "rejected", "sent")


def _base(entity) -> QuerySet[SignatureRequest]:
    return SignatureRequest.objects.filter(entity=entity).prefetch_related(
        "steps__signer", "documents__document"
    )


def signature_inbox(actor: Actor, entity, box: str = "pending") -> QuerySet[SignatureRequest]:
    """The employee's portafirmas: waiting for me, signed by me, rejected, or asked by me."""
    if box == "sent":
        return _base(entity).filter(requested_by=actor.label)
    if actor.user is None:
        return SignatureRequest.objects.none()
    mine = SignatureStep.objects.filter(request=OuterRef("pk"), signer=actor.user)
    queryset = _base(entity)
    if box == "pending":
        return queryset.filter(
            status=RequestStatus.PENDING,
            pk__in=mine.filter(status=StepStatus.PENDING).values("request"),
        )
    if box == "signed":
        return queryset.filter(Exists(mine.filter(status=StepStatus.SIGNED)))
    if box == "rejected":
        return queryset.filter(status=RequestStatus.REJECTED).filter(Exists(mine))
    return queryset.filter(Exists(mine))


def awaiting(request: SignatureRequest, user) -> bool:
    """Is it `user`'s turn to sign now?"""
    steps = list(request.steps.all())
    mine = next((s for s in steps if s.signer_id == getattr(user, "pk", None)), None)
    if request.status != RequestStatus.PENDING or mine is None:
        return False
    if mine.status != StepStatus.PENDING:
        return False
    if request.mode == SigningMode.PARALLEL:
        return True
    return all(s.status == StepStatus.SIGNED for s in steps if s.order < mine.order)


def signature_request_get(actor: Actor, entity, pk) -> SignatureRequest:
    """A request, for its signers, whoever asked, document writers and API applications."""
    request = _base(entity).filter(pk=pk).first()
    if request is None:
        raise NotFound(_("No existe la petición de firma."))
    is_signer = actor.user is not None and any(
        s.signer_id == actor.user.pk for s in request.steps.all()
    )
    if not (
        is_signer
        or request.requested_by == actor.label
        or actor_has_role(actor, entity, DOCUMENT_WRITERS)
    ):
        raise NotFound(_("No existe la petición de firma."))
    return request


def document_signatures(document) -> QuerySet[DocumentSignature]:
    return DocumentSignature.objects.filter(document=document).order_by("signed_at", "id")


def documents_to_sign(actor: Actor, entity) -> QuerySet:
    """Documents of requests the employee signs or asked for (they may read them even
    without seeing the case)."""
    from concejo.documents.models import Document

    requests = SignatureRequest.objects.filter(entity=entity).filter(
        Q(requested_by=actor.label) | Q(steps__signer=actor.user)
    )
    return Document.objects.filter(entity=entity, signature_requests__request__in=requests)
