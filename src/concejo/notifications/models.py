"""Electronic notifications (Ley 39/2015 arts. 40-46) with their proof trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import EntityScopedModel


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electrónica (sede)")
    PAPER = "paper", _("Papel (correo postal) y sede")


class NotificationStatus(models.TextChoices):
    AVAILABLE = "available", _("Puesta a disposición")
    ACCESSED = "accessed", _("Accedida")
    REJECTED = "rejected", _("Rechazada")
    DELIVERED = "delivered", _("Entregada en papel")
    PUBLISHED = "published", _("Publicada en el BOE")


class Completion(models.TextChoices):
    ACCESSED = "accessed", _("Acceso a su contenido en la sede")
    REJECTED = "rejected", _("Rechazo expreso")
    EXPIRED = "expired", _("Rechazo por transcurrir diez días sin acceder (art. 43.2)")
    PAPER_DELIVERED = "paper_delivered", _("Entrega en papel")
    PAPER_REFUSED = "paper_refused", _("Rechazo de la entrega en papel (art. 41.5)")
    BOE = "boe", _("Anuncio en el BOE (art. 44)")


class Notification(EntityScopedModel):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("expediente"), on_delete=models.PROTECT,
        related_name="notifications",
    )  # fmt: skip
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("acto notificado"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    addressee = models.ForeignKey(
        "people.Person", verbose_name=_("interesado"), on_delete=models.PROTECT,
        related_name="notifications",
    )  # fmt: skip
    representative = models.ForeignKey(
        "people.Person", verbose_name=_("representante"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="notifications_as_representative",
    )  # fmt: skip
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    # Electronic notification compulsory (art. 14.2) or chosen: ten days without access = rejected.
    expires = models.BooleanField(_("se rechaza a los diez días sin acceso"))
    subject = models.CharField(_("asunto"), max_length=250)
    ends_administrative_route = models.BooleanField(_("pone fin a la vía administrativa"))
    appeals = models.TextField(_("recursos, órgano y plazo"))
    appeal_amount = models.PositiveSmallIntegerField(_("plazo del recurso"), null=True, blank=True)
    appeal_unit = models.CharField(_("unidad del plazo"), max_length=15, blank=True)
    email = models.EmailField(_("correo del aviso"), blank=True)
    phone = models.CharField(_("móvil del aviso"), max_length=20, blank=True)
    postal_address = models.TextField(_("dirección postal"), blank=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=NotificationStatus.choices,
        default=NotificationStatus.AVAILABLE,
    )  # fmt: skip
    made_available_at = models.DateTimeField(_("puesta a disposición"))
    expires_at = models.DateTimeField(_("se entiende rechazada el"), null=True, blank=True)
    accessed_at = models.DateTimeField(_("accedida el"), null=True, blank=True)
    accessed_by = models.ForeignKey(
        "people.Person", verbose_name=_("accedida por"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    accessed_ip = models.GenericIPAddressField(_("desde la dirección"), null=True, blank=True)
    completed_at = models.DateTimeField(_("fecha de la notificación"), null=True, blank=True)
    completion = models.CharField(
        _("practicada por"), max_length=16, choices=Completion.choices, blank=True
    )
    appeal_due = models.DateField(_("plazo de recurso hasta"), null=True, blank=True)
    proof = models.ForeignKey(
        "verification.IssuedDocument", verbose_name=_("acuse / justificante"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    paper_document = models.ForeignKey(
        "verification.IssuedDocument", verbose_name=_("notificación impresa"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    issued_by = models.CharField(_("emitida por"), max_length=200)

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["entity", "created_at", "id"]),
            models.Index(fields=["addressee", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.addressee_id}"


class NotificationEvent(models.Model):
    """Append-only proof trail: issued, notice sent, accessed, rejected, delivered…"""

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("tipo"), max_length=30)
    at = models.DateTimeField(_("fecha"))
    detail = models.TextField(_("detalle"), blank=True)
    author = models.CharField(_("autor"), max_length=200)
    ip = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("evento de la notificación")
        verbose_name_plural = _("rastro de la notificación")
        ordering = ("notification", "at", "id")

    def __str__(self) -> str:
        return f"{self.notification_id} {self.kind}"


class DeliveryOutcome(models.TextChoices):
    DELIVERED = "delivered", _("Entregada")
    ABSENT = "absent", _("Ausente")
    UNKNOWN_ADDRESS = "unknown_address", _("Dirección desconocida")
    REFUSED = "refused", _("Rehusada")


class PaperDelivery(models.Model):
    """A postal delivery attempt (art. 42.2: a second one if nobody was at home)."""

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="deliveries"
    )
    attempt = models.PositiveSmallIntegerField(_("intento"))
    outcome = models.CharField(_("resultado"), max_length=16, choices=DeliveryOutcome.choices)
    at = models.DateTimeField(_("fecha y hora"))
    receiver_name = models.CharField(_("recibe"), max_length=200, blank=True)
    receiver_id = models.CharField(_("documento de quien recibe"), max_length=20, blank=True)
    notes = models.TextField(_("observaciones"), blank=True)
    recorded_by = models.CharField(_("anotado por"), max_length=200)

    class Meta:
        verbose_name = _("intento de entrega")
        verbose_name_plural = _("intentos de entrega")
        ordering = ("notification", "attempt")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "attempt"], name="delivery_attempt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} #{self.attempt} {self.outcome}"


class BoeAnnouncement(models.Model):
    """Notification by announcement in the Boletín Oficial del Estado (art. 44)."""

    notification = models.OneToOneField(
        Notification, on_delete=models.PROTECT, related_name="announcement"
    )
    requested_at = models.DateTimeField(_("solicitado el"))
    published_on = models.DateField(_("publicado el"), null=True, blank=True)
    reference = models.CharField(_("referencia BOE"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("anuncio en el BOE")
        verbose_name_plural = _("anuncios en el BOE")

    def __str__(self) -> str:
        return self.reference or f"{self.notification_id}"
