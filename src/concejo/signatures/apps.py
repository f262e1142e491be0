from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "concejo.signatures"
    label = "signatures"
    verbose_name = "Firma electrónica"
