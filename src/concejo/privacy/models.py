"""Data protection: the record of processing activities (art. 30 GDPR), data-subject
requests and retention."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concejo.core.models import EntityScopedModel
from concejo.documents.models import DocumentType


class LegalBasis(models.TextChoices):
    """Art. 6.1 GDPR."""

    CONSENT = "6.1.a", _("Consentimiento del interesado (art. 6.1.a RGPD)")
    CONTRACT = "6.1.b", _("Ejecución de un contrato o medidas precontractuales (art. 6.1.b RGPD)")
    LEGAL_OBLIGATION = "6.1.c", _("Cumplimiento de una obligación legal (art. 6.1.c RGPD)")
    VITAL_INTERESTS = "6.1.d", _("Protección de intereses vitales (art. 6.1.d RGPD)")
    PUBLIC_TASK = (
        "6.1.e",
        _("Misión realizada en interés público o ejercicio de poderes públicos (art. 6.1.e RGPD)"),
    )
    LEGITIMATE_INTERESTS = "6.1.f", _("Intereses legítimos (art. 6.1.f RGPD)")


class SpecialCategoryBasis(models.TextChoices):
    """Art. 9.2 GDPR: the exception that allows processing special categories of data."""

    EXPLICIT_CONSENT = "9.2.a", _("Consentimiento explícito (art. 9.2.a RGPD)")
    EMPLOYMENT = (
        "9.2.b",
        _("Obligaciones en el ámbito laboral y de la protección social (art. 9.2.b RGPD)"),
    )
    VITAL_INTERESTS = "9.2.c", _("Intereses vitales (art. 9.2.c RGPD)")
    NOT_FOR_PROFIT = (
        "9.2.d",
        _("Actividades de fundaciones o asociaciones sin ánimo de lucro (art. 9.2.d RGPD)"),
    )
    MADE_PUBLIC = (
        "9.2.e",
        _("Datos hechos manifiestamente públicos por el interesado (art. 9.2.e RGPD)"),
    )
    LEGAL_CLAIMS = "9.2.f", _("Formulación, ejercicio o defensa de reclamaciones (art. 9.2.f RGPD)")
    PUBLIC_INTEREST = "9.2.g", _("Interés público esencial (art. 9.2.g RGPD)")
    HEALTH_CARE = (
        "9.2.h",
        _("Medicina preventiva o laboral, asistencia sanitaria o social (art. 9.2.h RGPD)"),
    )
    PUBLIC_HEALTH = "9.2.i", _("Interés público en el ámbito de la salud pública (art. 9.2.i RGPD)")
    ARCHIVING = (
        "9.2.j",
        _("Archivo en interés público, investigación o estadística (art. 9.2.j RGPD)"),
    )


class ProcessingActivity(EntityScopedModel):
    """One line of the entity's record of processing activities (RAT).

    Edited only through `privacy.services`; every change raises `version` and
    is written to the audit trail with the fields it changed.
    """

    code = models.SlugField(_("código"), max_length=60)
    name = models.CharField(_("actividad de tratamiento"), max_length=200)
    controller = models.TextField(_("responsable del tratamiento"))
    dpo_contact = models.TextField(_("delegado de protección de datos (contacto)"))
    purposes = models.TextField(_("fines del tratamiento"))
    legal_bases = models.JSONField(_("bases jurídicas (art. 6 RGPD)"), default=list)
    special_category_bases = models.JSONField(
        _("excepciones para categorías especiales (art. 9 RGPD)"), default=list, blank=True
    )
    legal_basis_detail = models.TextField(_("normativa que lo ampara"), blank=True)
    data_subjects = models.TextField(_("categorías de interesados"))
    data_categories = models.TextField(_("categorías de datos personales"))
    special_categories = models.TextField(_("categorías especiales de datos"), blank=True)
    recipients = models.TextField(_("categorías de destinatarios"))
    international_transfers = models.TextField(_("transferencias internacionales"))
    retention = models.TextField(_("plazo de conservación"))
    security_measures = models.TextField(_("medidas de seguridad"))
    active = models.BooleanField(_("activa"), default=True)
    version = models.PositiveIntegerField(_("versión"), default=1)

    class Meta:
        verbose_name = _("actividad de tratamiento")
        verbose_name_plural = _("registro de actividades de tratamiento")
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], name="processing_activity_code")
        ]

    def __str__(self) -> str:
        return self.name

    def get_legal_bases_display(self) -> list[str]:
        return [str(LegalBasis(code).label) for code in self.legal_bases]

    def get_special_category_bases_display(self) -> list[str]:
        return [str(SpecialCategoryBasis(code).label) for code in self.special_category_bases]


# Data-subject requests are cases of this procedure (same code in every entity's catalog).
SUBJECT_REQUEST_PROCEDURE = "DERECHOS-PROTECCION-DATOS"


class DataRight(models.TextChoices):
    """Arts. 15-21 GDPR. The value is what the procedure's form offers."""

    ACCESS = "Acceso", _("Acceso (art. 15 RGPD)")
    RECTIFICATION = "Rectificación", _("Rectificación (art. 16 RGPD)")
    ERASURE = "Supresión", _("Supresión (art. 17 RGPD)")
    RESTRICTION = "Limitación del tratamiento", _("Limitación del tratamiento (art. 18 RGPD)")
    PORTABILITY = "Portabilidad", _("Portabilidad (art. 20 RGPD)")
    OBJECTION = "Oposición", _("Oposición (art. 21 RGPD)")


class SubjectRequestExtension(models.Model):
    """The one extension of a data-subject request's month (art. 12.3 GDPR). Never changed."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("expediente"), on_delete=models.PROTECT, related_name="+"
    )
    months = models.PositiveSmallIntegerField(_("meses de prórroga"))
    original_due = models.DateField(_("vencía el"))
    new_due = models.DateField(_("vence ahora el"))
    reason = models.TextField(_("motivo"))
    extended_at = models.DateTimeField(_("prorrogada el"))
    extended_by = models.CharField(_("prorrogada por"), max_length=200)

    class Meta:
        verbose_name = _("prórroga de una solicitud de derechos")
        verbose_name_plural = _("prórrogas de solicitudes de derechos")
        ordering = ("extended_at", "id")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.new_due}"


class SubjectAccessExport(EntityScopedModel):
    """What the platform held about a person when an access request was answered.

    `data` is the JSON export (each section capped, with its total); `issued`
    is its PDF summary with a CSV code.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("expediente"), on_delete=models.PROTECT, related_name="+"
    )
    id_number = models.CharField(_("documento del interesado"), max_length=20)
    data = models.JSONField(_("datos exportados"))
    truncated = models.BooleanField(_("recortada"), default=False)
    issued = models.OneToOneField(
        "verification.IssuedDocument", verbose_name=_("resumen (CSV)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("incorporado al expediente como"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    created_by = models.CharField(_("generada por"), max_length=200)

    class Meta:
        verbose_name = _("exportación del derecho de acceso")
        verbose_name_plural = _("exportaciones del derecho de acceso")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.id_number} · {self.created_at:%d/%m/%Y}"


class RetentionAction(models.TextChoices):
    DESTROY = "destroy", _("Eliminación")
    TRANSFER = "transfer", _("Transferencia al archivo")


class RetentionRule(EntityScopedModel):
    """How long documents of one type, or cases of one procedure, are kept, and then what.

    A document's period runs from its capture, a case's from the closing of its
    index. Rules only list what is due; nothing is ever deleted by the platform.
    """

    document_type = models.CharField(
        _("tipo documental (ENI)"), max_length=4, choices=DocumentType.choices, blank=True
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("procedimiento (serie)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    years = models.PositiveSmallIntegerField(_("años de conservación"))
    action = models.CharField(_("al terminar"), max_length=10, choices=RetentionAction.choices)
    legal_reference = models.CharField(_("dictamen o norma"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("regla de conservación")
        verbose_name_plural = _("reglas de conservación")
        ordering = ("document_type", "created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(document_type="") & Q(procedure__isnull=False))
                | (~Q(document_type="") & Q(procedure__isnull=True)),
                name="retention_rule_one_target",
            ),
            models.UniqueConstraint(
                fields=["entity", "document_type"], condition=~Q(document_type=""),
                name="retention_rule_document_type",
            ),
            models.UniqueConstraint(
                fields=["entity", "procedure"], condition=Q(procedure__isnull=False),
                name="retention_rule_procedure",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        target = self.get_document_type_display() if self.document_type else str(self.procedure)
        return f"{target}: {self.years} años, {self.get_action_display()}"


class LegalHold(EntityScopedModel):
    """Keep a case (and its documents) or a document as they are, whatever the rules say."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("expediente"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("documento"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("motivo"), max_length=300)
    placed_by = models.CharField(_("acordada por"), max_length=200)
    released_at = models.DateTimeField(_("levantada el"), null=True, blank=True)
    released_by = models.CharField(_("levantada por"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("retención legal")
        verbose_name_plural = _("retenciones legales")
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(document__isnull=True))
                | (Q(case__isnull=True) & Q(document__isnull=False)),
                name="legal_hold_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.reason
