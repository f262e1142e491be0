"""Entities (council, foundations, ...), their organisational units, offices and staff roles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import BaseModel


class EntityType(models.TextChoices):
    COUNCIL = "council", _("Ayuntamiento")
    FOUNDATION = "foundation", _("Fundación municipal")
    AUTONOMOUS_BODY = "autonomous_body", _("Organismo autónomo")
    COMPANY = "company", _("Sociedad mercantil municipal")


class Entity(BaseModel):
    name = models.CharField(_("nombre"), max_length=200)
    short_name = models.CharField(_("nombre corto"), max_length=80, blank=True)
    entity_type = models.CharField(_("tipo"), max_length=20, choices=EntityType.choices)
    nif = models.CharField(_("NIF"), max_length=9, unique=True)
    dir3_code = models.CharField(_("código DIR3"), max_length=9, unique=True)
    ine_code = models.CharField(_("código INE del municipio"), max_length=5)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("entidad matriz"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependents",
    )
    # Branding and seal settings (the seal certificate itself arrives with signatures).
    sede_title = models.CharField(_("título de la sede"), max_length=200, blank=True)
    primary_color = models.CharField(_("color principal"), max_length=7, default="#6d1a36")
    seal_certificate_path = models.CharField(
        _("certificado de sello (PKCS#12)"), max_length=500, blank=True
    )
    registry_unit = models.ForeignKey(
        "Unit",
        verbose_name=_("unidad del registro general"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Destino de los asientos de entrada que no indican unidad."),
    )
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("entidad")
        verbose_name_plural = _("entidades")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.name} ({self.dir3_code})"


class UnitLevel(models.TextChoices):
    AREA = "area", _("Área / concejalía")
    SERVICE = "service", _("Servicio")
    SECTION = "section", _("Sección")
    OTHER = "other", _("Otra unidad")


class Unit(BaseModel):
    """Unidad orgánica: a node of the entity's organisational tree."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("nombre"), max_length=200)
    dir3_code = models.CharField(_("código DIR3"), max_length=9, unique=True)
    level = models.CharField(_("nivel"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unidad superior"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("vigente desde"))
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)

    class Meta:
        verbose_name = _("unidad orgánica")
        verbose_name_plural = _("unidades orgánicas")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["entity", "created_at", "id"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.dir3_code})"


class Office(BaseModel):
    """Oficina de registro / de asistencia en materia de registros."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="offices"
    )
    name = models.CharField(_("nombre"), max_length=200)
    code = models.CharField(_("código de oficina (DIR3)"), max_length=9, unique=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    opening_hours = models.CharField(_("horario"), max_length=200, blank=True)
    is_registry_office = models.BooleanField(_("oficina de registro"), default=True)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("oficina")
        verbose_name_plural = _("oficinas")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrador")
    REGISTRY_CLERK = "registry_clerk", _("Personal de registro")
    CASE_HANDLER = "case_handler", _("Tramitador")
    UNIT_HEAD = "unit_head", _("Jefe de unidad")
    SIGNER = "signer", _("Firmante")
    AUDITOR = "auditor", _("Auditor")
    TAX_OFFICER = "tax_officer", _("Personal de tributos y recaudación")
    DPO = "dpo", _("Delegado de protección de datos")
    CITIZEN = "citizen", _("Ciudadano")


class Membership(BaseModel):
    """A user's role in an entity, optionally within one unit (and its subtree)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("rol de empleado")
        verbose_name_plural = _("roles de empleados")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "entity", "role"],
                condition=models.Q(unit__isnull=True),
                name="membership_unique_entity_role",
            ),
            models.UniqueConstraint(
                fields=["user", "entity", "unit", "role"], name="membership_unique_unit_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.entity.dir3_code}"
