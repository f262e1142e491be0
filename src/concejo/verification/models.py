"""Every document the platform issues, findable by its CSV code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concejo.core.csv_codes import format_csv_code
from concejo.core.models import EntityScopedModel


class IssuedDocument(EntityScopedModel):
    """A document issued by the platform (receipt, acknowledgement, resolution...).

    Its content is rendered once, deterministically, from the source object and
    kept in the file storage; the SHA-256 then never changes.
    """

    # Unique by a constraint, not by `unique=True`, which on PostgreSQL would add a
    # second, pattern-matching index that no query uses (ADR 0030).
    csv_code = models.CharField(_("CSV"), max_length=24)
    kind = models.CharField(_("tipo"), max_length=60)
    title = models.CharField(_("título"), max_length=250)
    source_type = models.CharField(_("objeto de origen"), max_length=100)
    source_id = models.CharField(_("id del objeto de origen"), max_length=64)
    issued_at = models.DateTimeField(_("emitido el"))
    file = models.FileField(_("fichero"), upload_to="issued/", blank=True)
    mime_type = models.CharField(_("tipo MIME"), max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(_("tamaño"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("generado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("documento emitido")
        verbose_name_plural = _("documentos emitidos")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["source_type", "source_id"])]
        constraints = [
            models.UniqueConstraint(fields=["csv_code"], name="issued_document_csv_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.display_code})"

    @property
    def display_code(self) -> str:
        return format_csv_code(self.csv_code)
