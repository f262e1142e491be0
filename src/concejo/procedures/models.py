"""The procedure catalog: procedures and their frozen, published versions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import BaseModel, EntityScopedModel
from concejo.deadlines.computation import DeadlineUnit


class Initiation(models.TextChoices):
    ON_REQUEST = "on_request", _("A solicitud del interesado")
    EX_OFFICIO = "ex_officio", _("De oficio")


class SilenceEffect(models.TextChoices):
    APPROVAL = "approval", _("Estimatorio (silencio positivo)")
    REFUSAL = "refusal", _("Desestimatorio (silencio negativo)")
    EXPIRY = "expiry", _("Caducidad del procedimiento")
    NONE = "none", _("Sin efecto de silencio")


class Audience(models.TextChoices):
    CITIZENS = "citizens", _("Ciudadanía")
    COMPANIES = "companies", _("Empresas")
    EMPLOYEES = "employees", _("Personal municipal")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    PUBLISHED = "published", _("Publicado")
    SUPERSEDED = "superseded", _("Sustituido por una versión posterior")
    WITHDRAWN = "withdrawn", _("Retirado")


class Procedure(EntityScopedModel):
    """A procedure's stable identity (its SIA code); its content lives in versions."""

    sia_code = models.CharField(_("código SIA"), max_length=40)

    class Meta:
        verbose_name = _("procedimiento")
        verbose_name_plural = _("procedimientos")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["entity", "sia_code"], name="procedure_sia_per_entity")
        ]

    def __str__(self) -> str:
        return self.sia_code


class ProcedureVersion(BaseModel):
    """One version of a procedure. Published versions are frozen: never edited again."""

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedimiento"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    entity = models.ForeignKey(
        "organization.Entity", verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("versión"))
    status = models.CharField(
        _("estado"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("nombre"), max_length=250)
    summary = models.CharField(_("resumen"), max_length=300, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    category = models.CharField(_("materia"), max_length=80, blank=True)
    responsible_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unidad responsable"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    initiation = models.CharField(
        _("forma de iniciación"),
        max_length=12,
        choices=Initiation.choices,
        default=Initiation.ON_REQUEST,
    )
    max_resolution_amount = models.PositiveIntegerField(_("plazo máximo de resolución"), default=3)
    max_resolution_unit = models.CharField(
        _("unidad del plazo"),
        max_length=15,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.MONTHS,
    )
    silence_effect = models.CharField(
        _("efecto del silencio"), max_length=10, choices=SilenceEffect.choices
    )
    legal_basis = models.TextField(_("normativa"), blank=True)
    fees = models.JSONField(_("tasas"), default=list, blank=True)
    electronic_only = models.BooleanField(_("solo presentación electrónica"), default=False)
    representation_required = models.BooleanField(
        _("exige acreditar la representación"),
        default=True,
        help_text=_(
            "Art. 5.3 Ley 39/2015: para solicitudes, recursos, desistimientos y renuncias."
        ),
    )
    form_schema = models.JSONField(_("formulario (JSON Schema)"), default=dict, blank=True)
    audience = models.JSONField(_("destinatarios"), default=list)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retirado el"), null=True, blank=True)
    search_text = models.TextField(_("texto de búsqueda"), blank=True, editable=False)

    class Meta:
        verbose_name = _("versión de procedimiento")
        verbose_name_plural = _("versiones de procedimientos")
        ordering = ("procedure", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="procedure_version_number"
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="draft"),
                name="procedure_one_draft",
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="published"),
                name="procedure_one_published",
            ),
        ]
        indexes = [models.Index(fields=["entity", "status", "name"])]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number}, {self.get_status_display()})"


class RequiredDocument(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="required_documents"
    )
    position = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("documento"), max_length=250)
    mandatory = models.BooleanField(_("obligatorio"), default=True)
    accepted_formats = models.JSONField(_("formatos admitidos"), default=list)

    class Meta:
        verbose_name = _("documento requerido")
        verbose_name_plural = _("documentos requeridos")
        ordering = ("version", "position")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="required_document_order")
        ]

    def __str__(self) -> str:
        return self.name
