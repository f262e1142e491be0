from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "concejo.cases"
    label = "cases"
    verbose_name = "Expedientes"
