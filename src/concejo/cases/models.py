"""Case files (expedientes): parties, lifecycle history, index of documents and tasks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import BaseModel, EntityScopedModel, YearCounter
from concejo.procedures.models import (  # one meaning, shared with the catalog
    Initiation,
    SilenceEffect,
)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Abierto")
    IN_PROGRESS = "in_progress", _("En tramitación")
    AWAITING_CORRECTION = "awaiting_correction", _("Pendiente de subsanación")
    SUSPENDED = "suspended", _("Suspendido")
    RESOLVED = "resolved", _("Resuelto")
    NOTIFIED = "notified", _("Notificado")
    CLOSED = "closed", _("Cerrado")
    ARCHIVED = "archived", _("Archivado")


class EniState(models.TextChoices):
    OPEN = "E01", _("Abierto")
    CLOSED = "E02", _("Cerrado")
    INDEX_CLOSED = "E03", _("Índice cerrado para su remisión")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Público")
    RESTRICTED = "restricted", _("Restringido a la unidad")
    CONFIDENTIAL = "confidential", _("Confidencial")


class CaseCounter(YearCounter):
    class Meta:
        verbose_name = _("contador de expedientes")
        verbose_name_plural = _("contadores de expedientes")
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="case_counter_once")]


class Case(EntityScopedModel):
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))
    case_code = models.CharField(_("número de expediente"), max_length=20)
    # Unique per entity: a case received from another administration keeps its identifier.
    eni_identifier = models.CharField(_("identificador ENI"), max_length=60)
    subject = models.CharField(_("asunto"), max_length=250)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("procedimiento"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion", verbose_name=_("versión del procedimiento"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    classification = models.CharField(_("clasificación (código SIA)"), max_length=40, blank=True)
    responsible_unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unidad responsable"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tramitador"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="handled_cases",
    )  # fmt: skip
    confidentiality = models.CharField(
        _("confidencialidad"), max_length=12, choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
    )  # fmt: skip
    initiation = models.CharField(_("iniciación"), max_length=12, choices=Initiation.choices)
    origin_entry = models.ForeignKey(
        "registry.RegistryEntry", verbose_name=_("asiento de origen"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("estado"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    eni_state = models.CharField(
        _("estado ENI"), max_length=3, choices=EniState.choices, default=EniState.OPEN
    )
    started_at = models.DateTimeField(_("inicio del cómputo"))
    resolution_due = models.DateField(_("fecha máxima para resolver"), null=True, blank=True)
    silence_effect = models.CharField(
        _("efecto del silencio"), max_length=10, blank=True, choices=SilenceEffect.choices
    )
    paused_days = models.PositiveIntegerField(_("días de suspensión acumulados"), default=0)
    paused_since = models.DateTimeField(_("suspendido desde"), null=True, blank=True)
    index_closed_at = models.DateTimeField(_("índice cerrado el"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("expediente")
        verbose_name_plural = _("expedientes")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["entity", "year", "number"], name="case_number_once"),
            models.UniqueConstraint(fields=["entity", "eni_identifier"], name="case_eni_once"),
            models.UniqueConstraint(
                fields=["origin_entry"],
                condition=models.Q(origin_entry__isnull=False),
                name="case_one_per_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "responsible_unit", "status", "created_at"]),
            models.Index(fields=["entity", "resolution_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_code} · {self.subject}"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Solicitante")
    INTERESTED = "interested", _("Tercero interesado")
    REPRESENTATIVE = "representative", _("Representante")


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("papel"), max_length=15, choices=PartyRole.choices)

    class Meta:
        verbose_name = _("interesado del expediente")
        verbose_name_plural = _("interesados del expediente")
        ordering = ("case", "id")
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="case_party_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.role}"


class CaseAccess(models.Model):
    """Users named to see a confidential case besides its handler and unit head."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="named_access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("acceso nominal")
        verbose_name_plural = _("accesos nominales")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_access_once")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id}"


class CaseEvent(models.Model):
    """Append-only history: every transition and significant act, with who and when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("tipo"), max_length=30)
    from_status = models.CharField(
        _("estado anterior"), max_length=20, blank=True, choices=CaseStatus.choices
    )
    to_status = models.CharField(
        _("estado nuevo"), max_length=20, blank=True, choices=CaseStatus.choices
    )
    detail = models.TextField(_("detalle"), blank=True)
    author = models.CharField(_("autor"), max_length=200)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("evento del expediente")
        verbose_name_plural = _("historia del expediente")
        ordering = ("case", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CaseDocument(models.Model):
    """One line of the case index (art. 70): position, document, hash and date of incorporation."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="index")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("orden"))
    sha256 = models.CharField(_("huella SHA-256"), max_length=64)
    added_at = models.DateTimeField(_("incorporado el"), auto_now_add=True)
    added_by = models.CharField(_("incorporado por"), max_length=200)

    class Meta:
        verbose_name = _("documento del índice")
        verbose_name_plural = _("índice del expediente")
        ordering = ("case", "position")
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_index_position"),
            models.UniqueConstraint(fields=["case", "document"], name="case_index_document_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.position}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Pendiente")
    DONE = "done", _("Hecha")
    CANCELLED = "cancelled", _("Anulada")


class Task(BaseModel):
    """Trámite: work on a case assigned to a person or a unit, with a due date."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("trámite"), max_length=250)
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assigned_unit = models.ForeignKey(
        "organization.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("vence el"))
    status = models.CharField(
        _("estado"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_at = models.DateTimeField(_("hecha el"), null=True, blank=True)
    completed_by = models.CharField(_("hecha por"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("trámite")
        verbose_name_plural = _("trámites")
        ordering = ("due_date", "id")
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class ResolutionCounter(YearCounter):
    class Meta:
        verbose_name = _("contador de resoluciones")
        verbose_name_plural = _("contadores de resoluciones")
        constraints = [
            models.UniqueConstraint(fields=["entity", "year"], name="resolution_counter_once")
        ]


class Resolution(EntityScopedModel):
    """An entry of the libro de resoluciones/decretos: gapless per entity and year."""

    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))
    book_code = models.CharField(_("número de resolución"), max_length=20)
    case = models.ForeignKey(
        Case, verbose_name=_("expediente"), on_delete=models.PROTECT, related_name="resolutions"
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("documento"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.CharField(_("extracto"), max_length=500)
    signed_by = models.CharField(_("firmada por"), max_length=200)
    registered_at = models.DateTimeField(_("fecha de la resolución"))

    class Meta:
        verbose_name = _("resolución")
        verbose_name_plural = _("libro de resoluciones")
        ordering = ("entity", "year", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year", "number"], name="resolution_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.book_code} · {self.summary[:40]}"
