from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "concejo.privacy"
    label = "privacy"
    verbose_name = "Protección de datos"
