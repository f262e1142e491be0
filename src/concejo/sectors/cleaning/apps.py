from django.apps import AppConfig


class CleaningConfig(AppConfig):
    name = "concejo.sectors.cleaning"
    label = "cleaning"
    verbose_name = "Limpieza viaria"

    def ready(self):
        from concejo.outbox.handlers import register
        from concejo.sectors.cleaning import config  # noqa: F401 - its signals drop stale set-ups
        from concejo.sectors.cleaning.services import status_mail

        register("cleaning.status_mail", status_mail)
