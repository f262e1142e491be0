import datetime as dt

from django.core.management.base import BaseCommand

from concejo.backups.management.errors import command_error
from concejo.backups.orphans import GRACE, LOOKBACK, orphan_files_remove
from concejo.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Busca en el almacén los ficheros que ninguna fila nombra (los deja un proceso "
        "interrumpido entre escribirlos y confirmar su transacción) y los borra, anotando en la "
        "auditoría el nombre, el tamaño y la huella SHA-256 de cada uno. Para cron, cada noche."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--horas", type=float, default=GRACE / dt.timedelta(hours=1), metavar="H",
            help="Solo ficheros de más de H horas (24; al menos 1).",
        )  # fmt: skip
        parser.add_argument(
            "--dias", type=float, default=LOOKBACK.days, metavar="D",
            help="Solo ficheros modificados en los D días anteriores a ese margen (7).",
        )  # fmt: skip
        parser.add_argument("--simular", action="store_true", help="Los lista sin borrar nada.")

    def handle(self, *args, horas, dias, simular, **options):
        try:
            found = orphan_files_remove(
                grace=dt.timedelta(hours=horas), lookback=dt.timedelta(days=dias), dry_run=simular
            )
        except ApplicationError as exc:
            raise command_error(exc) from exc
        for orphan in found:
            self.stdout.write(f"{orphan.name}\t{orphan.size} bytes\t{orphan.sha256}")
        verb = "encontrado(s) (no se ha borrado nada)" if simular else "borrado(s)"
        self.stdout.write(f"Ficheros sin fila que los nombre: {len(found)} {verb}.")
