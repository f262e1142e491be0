from pathlib import Path

from django.core.management.base import BaseCommand

from concejo.backups.management.errors import command_error
from concejo.backups.services import backup_create
from concejo.core.errors import ApplicationError


class Command(BaseCommand):
    # Runs even when a system check fails (a broken view must not stop a backup or a restore).
    requires_system_checks = []
    help = (
        "Crea una copia de seguridad en una carpeta nueva: la base de datos (volcado portable, "
        "un fichero por modelo), todos los ficheros del almacén y un manifiesto con la huella "
        "SHA-256 y el tamaño de cada parte."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, metavar="DIR", help="Carpeta nueva (o vacía) de la copia."
        )

    def handle(self, *args, output, **options):
        try:
            summary = backup_create(output=Path(output))
        except ApplicationError as exc:
            raise command_error(exc) from exc
        self.stdout.write(
            f"Copia de seguridad creada en {summary.path}: {summary.rows} fila(s) de "
            f"{summary.tables} modelo(s) y {summary.files} fichero(s) "
            f"({summary.file_bytes} bytes)."
        )
        self.stdout.write(
            f"Huella SHA-256 del manifiesto (guárdela aparte para comprobarla al restaurar con "
            f"--manifest-sha256): {summary.manifest_sha256}"
        )
