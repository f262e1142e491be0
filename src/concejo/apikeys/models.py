"""API applications (integrations, other systems) and their hashed keys."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import EntityScopedModel


class ApiApplication(EntityScopedModel):
    name = models.CharField(_("nombre"), max_length=100)
    description = models.CharField(_("descripción"), max_length=300, blank=True)
    scopes = models.JSONField(_("permisos (scopes)"), default=list)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("aplicación de la API")
        verbose_name_plural = _("aplicaciones de la API")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="apiapp_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiKey(EntityScopedModel):
    """Only the SHA-256 of the secret is stored; the key is shown once when created."""

    application = models.ForeignKey(
        ApiApplication, verbose_name=_("aplicación"), on_delete=models.CASCADE, related_name="keys"
    )
    # A personal key acts as this employee (e.g. a signer using a portafirmas app).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("empleado"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="api_keys",
    )  # fmt: skip
    prefix = models.CharField(_("prefijo"), max_length=12, unique=True)
    key_hash = models.CharField(_("hash de la clave"), max_length=64)
    revoked_at = models.DateTimeField(_("revocada el"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)

    class Meta:
        verbose_name = _("clave de la API")
        verbose_name_plural = _("claves de la API")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.application.name} · {self.prefix}…"
