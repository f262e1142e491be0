from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "concejo.backups"
    label = "backups"
    verbose_name = "Copias de seguridad"
