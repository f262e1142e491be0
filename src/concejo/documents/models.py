"""Electronic documents with their ENI metadata (NTI de Documento electrónico)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import EntityScopedModel


class Origin(models.TextChoices):
    CITIZEN = "citizen", _("Ciudadano")
    ADMINISTRATION = "administration", _("Administración")


class ElaborationState(models.TextChoices):
    ORIGINAL = "EE01", _("Original")
    COPY_FORMAT_CHANGE = "EE02", _("Copia electrónica auténtica con cambio de formato")
    COPY_OF_PAPER = "EE03", _("Copia electrónica auténtica de documento papel")
    PARTIAL_COPY = "EE04", _("Copia electrónica parcial auténtica")
    OTHER = "EE99", _("Otros")


class DocumentType(models.TextChoices):
    RESOLUTION = "TD01", _("Resolución")
    AGREEMENT = "TD02", _("Acuerdo")
    CONTRACT = "TD03", _("Contrato")
    COVENANT = "TD04", _("Convenio")
    DECLARATION = "TD05", _("Declaración")
    COMMUNICATION = "TD06", _("Comunicación")
    NOTIFICATION = "TD07", _("Notificación")
    PUBLICATION = "TD08", _("Publicación")
    RECEIPT = "TD09", _("Acuse de recibo")
    MINUTES = "TD10", _("Acta")
    CERTIFICATE = "TD11", _("Certificado")
    DILIGENCE = "TD12", _("Diligencia")
    REPORT = "TD13", _("Informe")
    APPLICATION = "TD14", _("Solicitud")
    COMPLAINT = "TD15", _("Denuncia")
    ALLEGATIONS = "TD16", _("Alegación")
    APPEAL = "TD17", _("Recursos")
    CITIZEN_COMMUNICATION = "TD18", _("Comunicación ciudadano")
    INVOICE = "TD19", _("Factura")
    OTHER_SEIZED = "TD20", _("Otros incautados")
    OTHER = "TD99", _("Otros")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    FINAL = "final", _("Definitivo")


class Document(EntityScopedModel):
    """A document: drafts may get new versions; a final document never changes."""

    # Unique per entity: a case received from another administration keeps its identifiers.
    eni_identifier = models.CharField(_("identificador ENI"), max_length=60)
    title = models.CharField(_("título"), max_length=250)
    file_name = models.CharField(_("nombre del fichero"), max_length=255)
    file = models.FileField(_("fichero"), max_length=300)
    mime_type = models.CharField(_("formato (MIME)"), max_length=120)
    size = models.PositiveBigIntegerField(_("tamaño"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    organs = models.JSONField(_("órganos (DIR3)"), default=list)
    captured_at = models.DateTimeField(_("fecha de captura"))
    origin = models.CharField(_("origen"), max_length=15, choices=Origin.choices)
    elaboration_state = models.CharField(
        _("estado de elaboración"), max_length=4, choices=ElaborationState.choices
    )
    origin_document = models.CharField(
        _("identificador del documento origen"), max_length=60, blank=True
    )
    document_type = models.CharField(
        _("tipo documental"), max_length=4, choices=DocumentType.choices
    )
    status = models.CharField(
        _("estado"), max_length=6, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("versión"), default=1)
    issued = models.OneToOneField(
        "verification.IssuedDocument", verbose_name=_("CSV"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_by = models.CharField(_("creado por"), max_length=200)

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["entity", "created_at", "id"])]
        constraints = [
            models.UniqueConstraint(fields=["entity", "eni_identifier"], name="document_eni_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.eni_identifier})"


class DocumentVersion(models.Model):
    """An earlier content of a draft document, kept when it was replaced."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("versión"))
    file = models.FileField(_("fichero"), max_length=300)
    file_name = models.CharField(_("nombre del fichero"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("tamaño"))
    replaced_at = models.DateTimeField(_("sustituida el"), auto_now_add=True)
    replaced_by = models.CharField(_("sustituida por"), max_length=200)

    class Meta:
        verbose_name = _("versión anterior")
        verbose_name_plural = _("versiones anteriores")
        ordering = ("document", "version")
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="document_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version}"


class DocumentTemplate(EntityScopedModel):
    """A model document (resolución, requerimiento, certificado) filled with a case's data.

    The body uses Django template syntax with the variables listed in
    documents.templates.CONTEXT_HELP; blank lines separate paragraphs.
    """

    name = models.CharField(_("nombre"), max_length=150)
    document_type = models.CharField(
        _("tipo documental"), max_length=4, choices=DocumentType.choices
    )
    title = models.CharField(_("título del documento"), max_length=250)
    body = models.TextField(_("texto"))
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("plantilla de documento")
        verbose_name_plural = _("plantillas de documentos")
        ordering = ("entity", "name")
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="document_template_name")
        ]

    def __str__(self) -> str:
        return self.name
