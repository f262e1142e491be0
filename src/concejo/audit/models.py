"""Append-only audit trail (ENS op.exp.8), hash-chained per entity."""

from django.db import models
from django.utils.translation import gettext_lazy as _

GLOBAL_CHAIN = "global"


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Correcto")
    READ = "read", _("Consulta")
    REJECTED = "rejected", _("Rechazado por datos no válidos")
    DENIED = "denied", _("Denegado por falta de permiso")


class AuditChainHead(models.Model):
    """The last link of one chain; its row lock serialises writers of that chain."""

    chain = models.CharField(_("cadena"), max_length=64, primary_key=True)
    last_seq = models.PositiveBigIntegerField(_("último número"), default=0)
    last_hash = models.CharField(_("último hash"), max_length=64, default="")

    class Meta:
        verbose_name = _("cabeza de cadena de auditoría")
        verbose_name_plural = _("cabezas de cadena de auditoría")

    def __str__(self) -> str:
        return f"{self.chain}@{self.last_seq}"


class AuditEntry(models.Model):
    """One audited action. Never updated or deleted: `concejo audit_verify` proves it."""

    chain = models.CharField(_("cadena"), max_length=64)
    seq = models.PositiveBigIntegerField(_("número"))
    entity = models.ForeignKey(
        "organization.Entity",
        verbose_name=_("entidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("fecha y hora"))
    actor = models.CharField(_("quién"), max_length=200)
    user_id_snapshot = models.BigIntegerField(_("id de usuario"), null=True, blank=True)
    acting_for = models.CharField(_("en nombre de"), max_length=200, blank=True)
    action = models.CharField(_("acción"), max_length=100)
    object_type = models.CharField(_("tipo de objeto"), max_length=100, blank=True)
    object_id = models.CharField(_("id del objeto"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    outcome = models.CharField(_("resultado"), max_length=10, choices=Outcome.choices)
    details = models.JSONField(_("detalles"), default=dict, blank=True)
    prev_hash = models.CharField(_("hash anterior"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("entrada de auditoría")
        verbose_name_plural = _("registro de auditoría")
        ordering = ("chain", "seq")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["entity", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.outcome}"
