from pathlib import Path

from django.core.management.base import BaseCommand

from concejo.backups.management.errors import command_error
from concejo.backups.services import backup_restore
from concejo.core.errors import ApplicationError


class Command(BaseCommand):
    # Runs even when a system check fails (a broken view must not stop a backup or a restore).
    requires_system_checks = []
    help = (
        "Restaura una copia de `concejo backup`: comprueba el manifiesto, sustituye la base de "
        "datos en una sola transacción, devuelve los ficheros al almacén y verifica las huellas "
        "de los ficheros y las cadenas de auditoría. Si algo falla, no cambia nada."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--input", required=True, dest="source", metavar="DIR", help="Carpeta de la copia."
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Vaciar antes la base de datos de destino aunque tenga datos (se pierden).",
        )
        parser.add_argument(
            "--manifest-sha256",
            default="",
            metavar="HUELLA",
            help="Huella que `concejo backup` dio del manifiesto: la copia debe ser esa.",
        )

    def handle(self, *args, source, yes, manifest_sha256, **options):
        try:
            summary = backup_restore(
                source=Path(source), replace=yes, manifest_sha256=manifest_sha256
            )
        except ApplicationError as exc:
            raise command_error(exc) from exc
        write = self.stdout.write
        write(
            f"Copia restaurada desde {source} (hecha el {summary.created_at} en "
            f"{summary.database_vendor}, Concejo {summary.platform_version})."
        )
        write("Filas por modelo:")
        for label, count in summary.rows.items():
            if count:
                write(f"  {label}: {count}")
        empty = sum(1 for count in summary.rows.values() if not count)
        write(
            f"  Total: {sum(summary.rows.values())} fila(s) en {len(summary.rows) - empty} "
            f"modelo(s); {empty} modelo(s) sin filas."
        )
        write(
            f"Ficheros: {summary.files_copied} copiado(s) al almacén, "
            f"{summary.files_present} ya estaban."
        )
        write(
            f"Verificación correcta: {summary.hashes_checked} fichero(s) con la huella SHA-256 "
            f"de su fila; {summary.chains} cadena(s) de auditoría íntegra(s)."
        )
