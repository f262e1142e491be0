from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "concejo.privacy"
    label = "privacy"
    verbose_name = "Protección de datos"

    def ready(self):
        from concejo.privacy.exports import render_access_summary
        from concejo.verification.renderers import register

        register("privacy.access_summary", render_access_summary)
