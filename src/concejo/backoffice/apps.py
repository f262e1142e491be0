from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "concejo.backoffice"
    label = "backoffice"
    verbose_name = "Backoffice"
