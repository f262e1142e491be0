from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevenueConfig(AppConfig):
    name = "concejo.sectors.revenue"
    label = "revenue"
    verbose_name = _("Gestión tributaria y recaudación")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from concejo.sectors.revenue import documents
        from concejo.verification.renderers import register

        register("revenue.payment_letter", documents.render_payment_letter)
        register("revenue.certificate", documents.render_certificate)
