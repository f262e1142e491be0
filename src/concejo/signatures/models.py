"""Portafirmas: signature requests over documents, their signers and the signatures made."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import BaseModel, EntityScopedModel


class SigningMode(models.TextChoices):
    SEQUENTIAL = "sequential", _("En cascada (por orden)")
    PARALLEL = "parallel", _("En paralelo")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SIGNED = "signed", _("Firmada")
    REJECTED = "rejected", _("Rechazada")
    CANCELLED = "cancelled", _("Anulada")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SIGNED = "signed", _("Firmado")
    REJECTED = "rejected", _("Rechazado")
    CANCELLED = "cancelled", _("Anulado")


class SignatureRequest(EntityScopedModel):
    """A petition of signature over one or more documents to one or more employees."""

    subject = models.CharField(_("asunto"), max_length=250)
    mode = models.CharField(_("modo"), max_length=10, choices=SigningMode.choices)
    status = models.CharField(
        _("estado"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.CharField(_("solicitada por"), max_length=200)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("expediente"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    completed_at = models.DateTimeField(_("terminada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("petición de firma")
        verbose_name_plural = _("peticiones de firma")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["entity", "status", "created_at"])]

    def __str__(self) -> str:
        return self.subject


class SignatureRequestDocument(models.Model):
    request = models.ForeignKey(
        SignatureRequest, on_delete=models.PROTECT, related_name="documents"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="signature_requests"
    )
    position = models.PositiveSmallIntegerField(_("orden"))

    class Meta:
        verbose_name = _("documento a firmar")
        verbose_name_plural = _("documentos a firmar")
        ordering = ("request", "position")
        constraints = [
            models.UniqueConstraint(fields=["request", "document"], name="sigreq_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} #{self.position}"


class SignatureStep(models.Model):
    """One signer of a request: in sequence, only the lowest pending order may act."""

    request = models.ForeignKey(SignatureRequest, on_delete=models.PROTECT, related_name="steps")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("firmante"), on_delete=models.PROTECT,
        related_name="signature_steps",
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("orden"))
    status = models.CharField(
        _("estado"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    decided_at = models.DateTimeField(_("fecha"), null=True, blank=True)
    reason = models.TextField(_("motivo del rechazo"), blank=True)
    ip = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("firmante")
        verbose_name_plural = _("firmantes")
        ordering = ("request", "order")
        constraints = [
            models.UniqueConstraint(fields=["request", "signer"], name="sigstep_signer_once"),
            models.UniqueConstraint(fields=["request", "order"], name="sigstep_order_once"),
        ]
        indexes = [models.Index(fields=["signer", "status"])]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.order}"


class SignatureKind(models.TextChoices):
    SEAL = "seal", _("Sello de entidad")
    EMPLOYEE = "employee", _("Firma de empleado público")


class DocumentSignature(BaseModel):
    """A signature applied to a document's content: append-only proof of who signed what."""

    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="signatures"
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=SignatureKind.choices)
    signature_format = models.CharField(_("formato (NTI)"), max_length=4, default="TF06")
    field_name = models.CharField(_("campo de firma"), max_length=40)
    signer_name = models.CharField(_("firmante"), max_length=200)
    signer_identifier = models.CharField(_("identificador del firmante"), max_length=40, blank=True)
    certificate_subject = models.CharField(_("certificado"), max_length=300)
    backend = models.CharField(_("servicio de firma"), max_length=100)
    signed_at = models.DateTimeField(_("fecha de firma"))
    version = models.PositiveIntegerField(_("versión firmada"))
    sha256_before = models.CharField(_("huella antes"), max_length=64)
    sha256_after = models.CharField(_("huella después"), max_length=64)
    step = models.ForeignKey(
        SignatureStep, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )

    class Meta:
        verbose_name = _("firma del documento")
        verbose_name_plural = _("firmas del documento")
        ordering = ("document", "signed_at", "id")

    def __str__(self) -> str:
        return f"{self.signer_name} · {self.document_id}"
