from django.apps import AppConfig

# Imported here, before any models module, so it sees every Concejo model being built.
from concejo.core import indexes  # noqa: F401


class CoreConfig(AppConfig):
    name = "concejo.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self):
        from concejo.core import login_guard  # noqa: F401 - connects the failed sign-in signal
