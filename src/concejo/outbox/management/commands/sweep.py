from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from concejo.outbox.handlers import sweeps
from concejo.outbox.services import outbox_drain


class Command(BaseCommand):
    help = (
        "Registra los efectos que vencen con el tiempo (p. ej. notificaciones rechazadas a los "
        "diez días) y ejecuta las tareas pendientes del outbox (para cron o Celery beat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit, **options):
        now = timezone.now()
        for name, sweep in sorted(sweeps().items()):
            self.stdout.write(f"{name}: {sweep(now)} registro(s).")
        done, failed = 0, 0
        while True:  # until nothing due is left (or only failures, which wait their backoff)
            ok, ko = outbox_drain(limit=limit, now=now)
            done, failed = done + ok, failed + ko
            if ok + ko < limit or ok == 0:
                break
        self.stdout.write(f"Tareas hechas: {done}; fallidas: {failed}.")
        if failed:
            raise CommandError(
                f"{failed} tarea(s) fallaron; se reintentan más tarde (esperas crecientes, "
                "hasta diez intentos) y después quedan en la administración para reintentarlas."
            )
