from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "concejo.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from concejo.api import schema  # noqa: F401 - registers the OpenAPI auth extension
