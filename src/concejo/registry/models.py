"""The general electronic registry (arts. 16 and 31 Ley 39/2015). Append-only."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concejo.core.models import EntityScopedModel, YearCounter


class Direction(models.TextChoices):
    IN = "in", _("Entrada")
    OUT = "out", _("Salida")


class Channel(models.TextChoices):
    SEDE = "sede", _("Sede electrónica")
    OFFICE = "office", _("Oficina de asistencia en materia de registros")
    POSTAL = "postal", _("Correo postal")
    SIR = "sir", _("Intercambio SIR")
    API = "api", _("Integración (API)")


class Validity(models.TextChoices):
    ORIGINAL = "original", _("Original")
    AUTHENTIC_COPY = "authentic_copy", _("Copia auténtica")
    SIMPLE_COPY = "simple_copy", _("Copia simple")


class DistributionStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente de aceptar")
    ACCEPTED = "accepted", _("Aceptado por la unidad")
    RETURNED = "returned", _("Devuelto al registro")


class RegistryCounter(YearCounter):
    """The last number given per (entity, direction, year); its row lock orders writers."""

    direction = models.CharField(max_length=3, choices=Direction.choices)

    class Meta:
        verbose_name = _("contador del registro")
        verbose_name_plural = _("contadores del registro")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "direction", "year"], name="registry_counter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.direction} {self.year}: {self.last_number}"


class RegistryEntry(EntityScopedModel):
    """Asiento registral. Never edited after creation except its distribution state."""

    direction = models.CharField(_("sentido"), max_length=3, choices=Direction.choices)
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))
    registry_code = models.CharField(_("número de registro"), max_length=40)
    filed_at = models.DateTimeField(_("fecha y hora de presentación"))
    effective_at = models.DateTimeField(_("fecha y hora a efectos de plazos"))
    subject = models.CharField(_("asunto"), max_length=250)
    summary = models.TextField(_("extracto"), blank=True)
    expone = models.TextField(_("expone"), blank=True)
    solicita = models.TextField(_("solicita"), blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    office = models.ForeignKey(
        "organization.Office", verbose_name=_("oficina"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip
    origin_code = models.CharField(_("órgano remitente (DIR3)"), max_length=21, blank=True)
    origin_name = models.CharField(_("órgano remitente"), max_length=250, blank=True)
    destination_unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unidad destinataria"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    destination_code = models.CharField(_("destino externo (DIR3)"), max_length=21, blank=True)
    destination_name = models.CharField(_("destino externo"), max_length=250, blank=True)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("procedimiento"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion", verbose_name=_("versión del procedimiento"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip
    representative = models.ForeignKey(
        "people.Person", verbose_name=_("representante"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip
    form_data = models.JSONField(_("datos del formulario"), default=dict, blank=True)
    receipt = models.OneToOneField(
        "verification.IssuedDocument", verbose_name=_("justificante"), null=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    registered_by = models.CharField(_("registrado por"), max_length=200)
    current_unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unidad actual"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    distribution_status = models.CharField(
        _("distribución"), max_length=10, choices=DistributionStatus.choices,
        default=DistributionStatus.PENDING,
    )  # fmt: skip
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("asiento registral")
        verbose_name_plural = _("asientos registrales")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "direction", "year", "number"], name="registry_number_once"
            )
        ]
        indexes = [
            models.Index(fields=["entity", "created_at", "id"]),
            models.Index(fields=["entity", "current_unit", "distribution_status"]),
            # Most entries have no office, procedure or representative: these
            # keys are indexed only where they are set (ADR 0030).
            *(
                models.Index(
                    fields=[key],
                    condition=Q(**{f"{key}__isnull": False}),
                    name=f"registry_{key}_set",
                )
                for key in ("office", "procedure", "procedure_version", "representative")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registry_code} · {self.subject}"


class InterestedRole(models.TextChoices):
    APPLICANT = "applicant", _("Interesado (solicitante)")
    INTERESTED = "interested", _("Otro interesado")


class RegistryInterested(models.Model):
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="interested")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=12, choices=InterestedRole.choices)

    class Meta:
        verbose_name = _("interesado del asiento")
        verbose_name_plural = _("interesados del asiento")
        ordering = ("entry", "position")
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="registry_interested_order")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} #{self.position}"


class RegistryAttachment(models.Model):
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="attachments")
    position = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("nombre"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    mime_type = models.CharField(_("tipo MIME"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    validity = models.CharField(_("validez"), max_length=15, choices=Validity.choices)
    file = models.FileField(_("fichero"), max_length=300)

    class Meta:
        verbose_name = _("anexo")
        verbose_name_plural = _("anexos")
        ordering = ("entry", "position")
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="registry_attachment_order")
        ]

    def __str__(self) -> str:
        return self.name


class RegistryAnnotation(models.Model):
    """A correction or remark about an entry; the entry itself is never changed."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="annotations")
    text = models.TextField(_("texto"))
    author = models.CharField(_("autor"), max_length=200)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("anotación")
        verbose_name_plural = _("anotaciones")
        ordering = ("entry", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.text[:40]}"


class MovementAction(models.TextChoices):
    DELIVERED = "delivered", _("Entregado a la unidad")
    ACCEPTED = "accepted", _("Aceptado")
    FORWARDED = "forwarded", _("Reenviado a otra unidad")
    RETURNED = "returned", _("Devuelto")


class RegistryMovement(models.Model):
    """One step of an entry's distribution between units (append-only history)."""

    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="movements")
    action = models.CharField(_("acción"), max_length=10, choices=MovementAction.choices)
    from_unit = models.ForeignKey(
        "organization.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "organization.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("motivo"), blank=True)
    author = models.CharField(_("autor"), max_length=200)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("movimiento")
        verbose_name_plural = _("movimientos")
        ordering = ("entry", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action}"
