from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from concejo.core.actors import Actor
from concejo.organization.models import Entity
from concejo.organization.services import entity_seal_set
from concejo.signatures.pki import create_test_pki


class Command(BaseCommand):
    help = "Crea una AC y un certificado de sello DE PRUEBAS para una entidad y lo configura."

    def add_arguments(self, parser):
        parser.add_argument("--entity", required=True, metavar="DIR3")

    def handle(self, *args, entity, **options):
        found = Entity.objects.filter(dir3_code=entity).first()
        if found is None:
            raise CommandError(f"No existe ninguna entidad con código DIR3 {entity}.")
        directory = Path(settings.DATA_DIR) / "pki"
        ca, seal = create_test_pki(
            directory=directory,
            entity_name=found.name,
            nif=found.nif,
            password=settings.SEAL_PASSWORD,
        )
        entity_seal_set(actor=Actor.system(), entity=found, path=str(seal))
        self.stdout.write(f"Sello de pruebas de {found.name}: {seal} (AC: {ca})")
