from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "concejo.procedures"
    label = "procedures"
    verbose_name = "Catálogo de procedimientos"
