"""Side effects recorded in the database first, run after commit, retried until done."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    DONE = "done", _("Hecha")
    FAILED = "failed", _("Fallida (se reintentará)")


class OutboxTask(models.Model):
    kind = models.CharField(_("tipo"), max_length=80)
    payload = models.JSONField(_("datos"), default=dict)
    status = models.CharField(
        _("estado"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    # After a failure the next try waits (exponential backoff); null: as soon as possible.
    next_attempt_at = models.DateTimeField(_("próximo intento"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    done_at = models.DateTimeField(_("terminada"), null=True, blank=True)

    class Meta:
        verbose_name = _("tarea pendiente")
        verbose_name_plural = _("tareas pendientes")
        ordering = ("id",)
        indexes = [
            models.Index(fields=["status", "id"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"
