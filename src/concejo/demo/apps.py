from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "concejo.demo"
    label = "demo"
    verbose_name = "Datos de demostración"
