from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "concejo.audit"
    label = "audit"
    verbose_name = "Auditoría"
