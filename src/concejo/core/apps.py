from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "concejo.core"
    label = "core"
    verbose_name = "Núcleo"
