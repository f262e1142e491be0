"""Drafts of online applications, saved as the citizen goes and resumable."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.models import EntityScopedModel


class ApplicationDraft(EntityScopedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_drafts"
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="+"
    )
    acting_for = models.CharField(_("en nombre de (documento)"), max_length=20, blank=True)
    form_data = models.JSONField(_("datos del formulario"), default=dict, blank=True)
    expone = models.TextField(_("expone"), blank=True)
    solicita = models.TextField(_("solicita"), blank=True)
    notification_channel = models.CharField(_("canal de notificación"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("borrador de solicitud")
        verbose_name_plural = _("borradores de solicitud")
        ordering = ("-updated_at",)

    def __str__(self) -> str:
        return f"{self.user_id} · {self.procedure_id}"


class DraftAttachment(models.Model):
    draft = models.ForeignKey(ApplicationDraft, on_delete=models.CASCADE, related_name="files")
    slot = models.PositiveSmallIntegerField(_("documento requerido (orden)"))
    name = models.CharField(_("nombre"), max_length=255)
    file = models.FileField(_("fichero"), max_length=300)
    size = models.PositiveBigIntegerField(_("tamaño"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("anexo del borrador")
        verbose_name_plural = _("anexos del borrador")
        ordering = ("draft", "slot", "uploaded_at")

    def __str__(self) -> str:
        return self.name


class Edict(EntityScopedModel):
    """A publication on the edicts board (tablón de edictos) for a period."""

    title = models.CharField(_("título"), max_length=250)
    summary = models.TextField(_("extracto"), blank=True)
    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("órgano que publica"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("documento publicado"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    publish_from = models.DateField(_("publicado desde"))
    publish_to = models.DateField(_("publicado hasta"))
    published_by = models.CharField(_("publicado por"), max_length=200)
    certificate = models.ForeignKey(
        "verification.IssuedDocument", verbose_name=_("diligencia de publicación"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("edicto")
        verbose_name_plural = _("tablón de edictos")
        ordering = ("-publish_from", "-created_at")
        indexes = [models.Index(fields=["entity", "publish_from", "publish_to"])]

    def __str__(self) -> str:
        return self.title
