from django.apps import AppConfig


class SedeConfig(AppConfig):
    name = "concejo.sede"
    label = "sede"
    verbose_name = "Sede electrónica"
