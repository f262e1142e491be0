from django.core.management.base import BaseCommand, CommandError

from concejo.outbox.services import outbox_drain


class Command(BaseCommand):
    help = "Ejecuta las tareas pendientes o fallidas del outbox (para cron o Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit, **options):
        done, failed = outbox_drain(limit=limit)
        self.stdout.write(f"Tareas hechas: {done}; fallidas: {failed}.")
        if failed:
            raise CommandError(
                f"{failed} tarea(s) fallaron; se reintentan en cada pasada hasta diez intentos "
                "y después quedan en la administración para reintentarlas a mano."
            )
