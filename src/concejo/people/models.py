"""Interesados (natural and legal persons) and their representations (apoderamientos)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concejo.core.models import EntityScopedModel


class PersonKind(models.TextChoices):
    NATURAL = "natural", _("Persona física")
    LEGAL = "legal", _("Persona jurídica")


class IdType(models.TextChoices):
    NIF = "nif", _("NIF / DNI")
    NIE = "nie", _("NIE")
    PASSPORT = "passport", _("Pasaporte")
    CIF = "cif", _("NIF de persona jurídica")


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electrónico (sede)")
    POSTAL = "postal", _("Postal (papel)")


class ObligedReason(models.TextChoices):
    """Art. 14.2 Ley 39/2015: who must deal with the administration electronically."""

    NONE = "none", _("No obligado")
    LEGAL_PERSON = "legal_person", _("Persona jurídica")
    NO_LEGAL_PERSONALITY = "no_legal_personality", _("Entidad sin personalidad jurídica")
    REGISTERED_PROFESSIONAL = "registered_professional", _("Profesional colegiado")
    REPRESENTATIVE = "representative", _("Representante de un obligado")
    PUBLIC_EMPLOYEE = "public_employee", _("Empleado público (en su condición de tal)")


class Person(EntityScopedModel):
    kind = models.CharField(_("tipo"), max_length=10, choices=PersonKind.choices)
    id_type = models.CharField(_("tipo de documento"), max_length=10, choices=IdType.choices)
    id_number = models.CharField(_("número de documento"), max_length=20)
    first_name = models.CharField(_("nombre"), max_length=100, blank=True)
    last_name_1 = models.CharField(_("primer apellido"), max_length=100, blank=True)
    last_name_2 = models.CharField(_("segundo apellido"), max_length=100, blank=True)
    business_name = models.CharField(_("razón social"), max_length=200, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    postal_code = models.CharField(_("código postal"), max_length=5, blank=True)
    municipality = models.CharField(_("municipio"), max_length=100, blank=True)
    municipality_ine = models.CharField(_("código INE del municipio"), max_length=5, blank=True)
    province = models.CharField(_("provincia"), max_length=100, blank=True)
    country = models.CharField(_("país"), max_length=2, default="ES")
    preferred_channel = models.CharField(
        _("canal de notificación preferido"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.ELECTRONIC,
    )
    obliged_reason = models.CharField(
        _("obligación de relacionarse electrónicamente"),
        max_length=30,
        choices=ObligedReason.choices,
        default=ObligedReason.NONE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta de usuario"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )

    class Meta:
        verbose_name = _("interesado")
        verbose_name_plural = _("interesados")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "id_type", "id_number"], name="person_unique_id_per_entity"
            )
        ]
        indexes = [
            models.Index(fields=["entity", "created_at", "id"]),
            models.Index(fields=["id_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.id_number})"

    @property
    def display_name(self) -> str:
        if self.kind == PersonKind.LEGAL:
            return self.business_name
        return " ".join(p for p in (self.first_name, self.last_name_1, self.last_name_2) if p)

    @property
    def obliged_electronic(self) -> bool:
        return self.obliged_reason != ObligedReason.NONE


class RepresentationScope(models.TextChoices):
    GENERAL = "general", _("General (ante cualquier administración)")
    ENTITY = "entity", _("Ante esta entidad")
    PROCEDURES = "procedures", _("Para los procedimientos indicados")


class RepresentationStatus(models.TextChoices):
    PENDING = "pending", _("Aún no vigente")
    ACTIVE = "active", _("Vigente")
    EXPIRED = "expired", _("Caducada")
    REVOKED = "revoked", _("Revocada")


class Representation(EntityScopedModel):
    """Apoderamiento (arts. 5-6 Ley 39/2015), valid at most five years, revocable."""

    grantor = models.ForeignKey(
        Person,
        verbose_name=_("poderdante"),
        on_delete=models.PROTECT,
        related_name="granted_representations",
    )
    representative = models.ForeignKey(
        Person,
        verbose_name=_("representante"),
        on_delete=models.PROTECT,
        related_name="representations",
    )
    scope = models.CharField(_("ámbito"), max_length=12, choices=RepresentationScope.choices)
    valid_from = models.DateField(_("vigente desde"))
    valid_to = models.DateField(_("vigente hasta"))
    revoked_at = models.DateTimeField(_("revocada el"), null=True, blank=True)
    revocation_reason = models.CharField(_("motivo de la revocación"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("apoderamiento")
        verbose_name_plural = _("apoderamientos")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["representative", "grantor"])]

    def __str__(self) -> str:
        return f"{self.representative} → {self.grantor} ({self.get_scope_display()})"

    def status_on(self, day=None) -> str:
        day = day or timezone.localdate()
        if self.revoked_at is not None:
            return RepresentationStatus.REVOKED
        if day < self.valid_from:
            return RepresentationStatus.PENDING
        if day > self.valid_to:
            return RepresentationStatus.EXPIRED
        return RepresentationStatus.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on()


class RepresentationProcedure(models.Model):
    """One procedure (SIA code) covered by a representation of scope 'procedures'."""

    representation = models.ForeignKey(
        Representation, on_delete=models.CASCADE, related_name="procedures"
    )
    procedure_code = models.CharField(_("código SIA del procedimiento"), max_length=40)

    class Meta:
        verbose_name = _("procedimiento del apoderamiento")
        verbose_name_plural = _("procedimientos del apoderamiento")
        ordering = ("procedure_code",)
        constraints = [
            models.UniqueConstraint(
                fields=["representation", "procedure_code"], name="representation_procedure_once"
            )
        ]

    def __str__(self) -> str:
        return self.procedure_code
