"""Street cleaning: public-space incident reports (FixMyStreet / Signalen style), Open311."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import BaseModel, EntityScopedModel, YearCounter
from concejo.sectors.cleaning.addresses import StreetType


class SlaUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", _("días hábiles")
    HOURS = "hours", _("horas hábiles")


class District(EntityScopedModel):
    """A district or neighbourhood with its boundary (WGS84 [lat, long] ring)."""

    code = models.CharField(_("código"), max_length=20)
    name = models.CharField(_("nombre"), max_length=120)
    boundary = models.JSONField(_("límite (lista de [lat, long])"))

    class Meta:
        verbose_name = _("distrito")
        verbose_name_plural = _("distritos")
        ordering = ("entity", "code")
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], name="district_code_once")
        ]

    def __str__(self) -> str:
        return self.name


class StreetAddress(EntityScopedModel):
    """A numbered address of the street gazetteer (callejero), loaded from the council's CSV."""

    address_id = models.CharField(_("identificador (address_id)"), max_length=40)
    street_type = models.CharField(_("tipo de vía"), max_length=15, choices=StreetType.choices)
    street_name = models.CharField(_("nombre de la vía"), max_length=150)
    number = models.CharField(_("número"), max_length=12)
    postcode = models.CharField(_("código postal"), max_length=5)
    district = models.ForeignKey(
        District, verbose_name=_("distrito"), on_delete=models.PROTECT, related_name="addresses"
    )
    latitude = models.DecimalField(_("latitud"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitud"), max_digits=9, decimal_places=6)
    # What an address typed by a neighbour is compared with (see addresses.py).
    street_key = models.CharField(max_length=150, editable=False)
    number_key = models.CharField(max_length=12, editable=False)

    class Meta:
        verbose_name = _("dirección del callejero")
        verbose_name_plural = _("callejero")
        ordering = ("entity", "street_key", "street_type", "number_key")
        constraints = [
            models.UniqueConstraint(fields=["entity", "address_id"], name="street_address_once")
        ]
        indexes = [models.Index(fields=["entity", "street_key", "number_key"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As the sede and Open311 show it: "Calle Santiago, 10"."""
        return f"{StreetType(self.street_type).label} {self.street_name}, {self.number}"


class Crew(EntityScopedModel):
    name = models.CharField(_("brigada"), max_length=120)
    shift = models.CharField(_("turno"), max_length=40, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("distrito"), null=True, blank=True, on_delete=models.PROTECT
    )
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("brigada")
        verbose_name_plural = _("brigadas")
        ordering = ("entity", "name")

    def __str__(self) -> str:
        return self.name


class ServiceCategory(EntityScopedModel):
    """An Open311 service: a kind of problem with its SLA and extra attributes."""

    code = models.CharField(_("código (service_code)"), max_length=40)
    name = models.CharField(_("nombre"), max_length=120)
    description = models.CharField(_("descripción"), max_length=500, blank=True)
    group = models.CharField(_("grupo"), max_length=80, default="Limpieza viaria")
    keywords = models.CharField(_("palabras clave"), max_length=200, blank=True)
    responsible_unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unidad responsable"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    crew = models.ForeignKey(
        Crew, verbose_name=_("brigada"), null=True, blank=True, on_delete=models.PROTECT
    )
    sla_amount = models.PositiveSmallIntegerField(_("plazo de resolución"))
    sla_unit = models.CharField(_("unidad del plazo"), max_length=15, choices=SlaUnit.choices)
    # Open311 attributes: [{code, datatype, required, description, order, values: [{key, name}]}]
    attributes = models.JSONField(_("atributos (Open311)"), default=list, blank=True)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("categoría de aviso")
        verbose_name_plural = _("categorías de avisos")
        ordering = ("entity", "group", "name")
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], name="cleaning_category_code_once")
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(EntityScopedModel):
    """Who takes a category's reports in a district (the most specific rule wins)."""

    category = models.ForeignKey(ServiceCategory, on_delete=models.CASCADE, related_name="rules")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE)
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    crew = models.ForeignKey(Crew, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("regla de reparto")
        verbose_name_plural = _("reglas de reparto")
        constraints = [
            models.UniqueConstraint(fields=["category", "district"], name="routing_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.district or _('todos los distritos')}"


class WorkOrder(EntityScopedModel):
    """A crew's daily work order: the reports it attends that day."""

    crew = models.ForeignKey(Crew, verbose_name=_("brigada"), on_delete=models.PROTECT)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT)
    day = models.DateField(_("día"))
    notes = models.TextField(_("notas"), blank=True)
    photo = models.FileField(_("foto"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("parte de trabajo")
        verbose_name_plural = _("partes de trabajo")
        ordering = ("-day", "crew")
        constraints = [models.UniqueConstraint(fields=["crew", "day"], name="work_order_once")]

    def __str__(self) -> str:
        return f"{self.crew_id} {self.day}"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Recibido")
    CONFIRMED = "confirmed", _("Confirmado")
    IN_TRIAGE = "in_triage", _("En revisión")
    ASSIGNED = "assigned", _("Asignado")
    SCHEDULED = "scheduled", _("Programado")
    IN_PROGRESS = "in_progress", _("En curso")
    FIXED = "fixed", _("Resuelto")
    CLOSED = "closed", _("Cerrado")
    DUPLICATE = "duplicate", _("Duplicado")
    NOT_RESPONSIBLE = "not_responsible", _("No es competencia municipal")
    REOPENED = "reopened", _("Reabierto")


class Priority(models.TextChoices):
    LOW = "low", _("Baja")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Alta")


class ReportCounter(YearCounter):
    class Meta:
        verbose_name = _("contador de avisos")
        verbose_name_plural = _("contadores de avisos")
        constraints = [
            models.UniqueConstraint(fields=["entity", "year"], name="cleaning_counter_once")
        ]


class Report(EntityScopedModel):
    tracking_number = models.CharField(_("número de seguimiento"), max_length=20, unique=True)
    token = models.CharField(_("token Open311"), max_length=40, unique=True)
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="reports")
    latitude = models.DecimalField(_("latitud"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitud"), max_digits=9, decimal_places=6)
    address = models.CharField(_("dirección"), max_length=250, blank=True)
    street_address = models.ForeignKey(
        StreetAddress, verbose_name=_("dirección del callejero"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reports",
    )  # fmt: skip
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="reports")
    description = models.TextField(_("descripción"), max_length=4000)
    attributes = models.JSONField(_("atributos"), default=dict, blank=True)
    media_url = models.URLField(_("foto (URL)"), max_length=500, blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="street_reports",
    )  # fmt: skip
    email = models.EmailField(_("correo del vecino"), blank=True)
    first_name = models.CharField(_("nombre"), max_length=100, blank=True)
    last_name = models.CharField(_("apellidos"), max_length=150, blank=True)
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    source = models.CharField(_("origen"), max_length=100)
    status = models.CharField(
        _("estado"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    priority = models.CharField(
        _("prioridad"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    crew = models.ForeignKey(Crew, null=True, blank=True, on_delete=models.PROTECT)
    due_at = models.DateTimeField(_("fecha objetivo (SLA)"))
    parent = models.ForeignKey(
        "self", verbose_name=_("duplicado de"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="duplicates",
    )  # fmt: skip
    status_notes = models.CharField(_("nota pública del estado"), max_length=500, blank=True)
    work_order = models.ForeignKey(
        WorkOrder, verbose_name=_("parte"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reports",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("cerrado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["entity", "status", "created_at"]),
            models.Index(fields=["entity", "created_at"]),
            models.Index(fields=["entity", "category", "created_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} · {self.category_id}"


class ReportUpdate(models.Model):
    """Append-only history: status changes, public updates and internal notes."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="updates")
    public = models.BooleanField(_("pública"))
    from_status = models.CharField(max_length=16, blank=True, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=16, blank=True, choices=ReportStatus.choices)
    text = models.TextField(_("texto"), blank=True)
    author = models.CharField(_("autor"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("actualización del aviso")
        verbose_name_plural = _("historia del aviso")
        ordering = ("report", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.report_id} {self.to_status}"


class ReportPhoto(BaseModel):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(max_length=300)
    mime_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("foto del aviso")
        verbose_name_plural = _("fotos del aviso")

    def __str__(self) -> str:
        return self.file.name
