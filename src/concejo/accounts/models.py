"""Per-employee security: the TOTP second factor and the session epoch (sign out everywhere)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security"
    )
    totp_secret = models.CharField(_("secreto TOTP"), max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(_("doble factor activado el"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(_("último código usado"), default=0)
    # Sessions remember the epoch they were opened in; raising it closes them all.
    session_epoch = models.PositiveIntegerField(_("época de sesión"), default=0)

    class Meta:
        verbose_name = _("seguridad de la cuenta")
        verbose_name_plural = _("seguridad de las cuentas")

    def __str__(self) -> str:
        return str(self.user_id)

    @property
    def two_factor(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)
