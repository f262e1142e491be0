from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concejo.core.actors import Actor
from concejo.core.errors import ApplicationError
from concejo.organization.selectors import entity_get_by_dir3
from concejo.sectors.cleaning.services import ADDRESS_COLUMNS, street_addresses_load


class Command(BaseCommand):
    help = (
        "Carga el callejero de una entidad desde un CSV en UTF-8 separado por comas o puntos y "
        f"comas, con las columnas {', '.join(ADDRESS_COLUMNS)}. Añade las direcciones nuevas y "
        "actualiza las conocidas por su address_id; si una línea está mal no carga nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichero CSV.")
        parser.add_argument("--entity", required=True, metavar="DIR3", help="Entidad.")

    def handle(self, *args, path, entity, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"No se puede leer {path} como texto UTF-8: {exc}") from exc
        try:
            found = entity_get_by_dir3(entity)
            counts = street_addresses_load(actor=Actor.system(), entity=found, csv_text=text)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Callejero de {found.dir3_code}: {counts['created']} direcciones nuevas, "
            f"{counts['updated']} actualizadas."
        )
