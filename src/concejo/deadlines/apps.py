from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "concejo.deadlines"
    label = "deadlines"
    verbose_name = "Plazos y calendario"
