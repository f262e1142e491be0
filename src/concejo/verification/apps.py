from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "concejo.verification"
    label = "verification"
    verbose_name = "Verificación de documentos (CSV)"

    def ready(self):
        from concejo.outbox.handlers import register
        from concejo.verification.services import render_task

        register("verification.render", render_task)
