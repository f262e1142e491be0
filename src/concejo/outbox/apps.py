from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "concejo.outbox"
    label = "outbox"
    verbose_name = "Tareas pendientes (outbox)"
