from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "concejo.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self):
        from concejo.core import login_guard  # noqa: F401 - connects the failed sign-in signal
