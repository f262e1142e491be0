from django.apps import AppConfig


class CleaningConfig(AppConfig):
    name = "concejo.sectors.cleaning"
    label = "cleaning"
    verbose_name = "Limpieza viaria"
