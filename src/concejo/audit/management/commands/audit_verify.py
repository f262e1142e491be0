from django.core.management.base import BaseCommand, CommandError

from concejo.audit.selectors import audit_chain_verify, audit_chains
from concejo.audit.services import chain_key
from concejo.organization.models import Entity


class Command(BaseCommand):
    help = "Comprueba la integridad de las cadenas de auditoría (SHA-256 encadenado)."

    def add_arguments(self, parser):
        parser.add_argument("--entity", metavar="DIR3", help="Solo la cadena de esta entidad.")

    def handle(self, *args, entity=None, **options):
        if entity:
            found = Entity.objects.filter(dir3_code=entity).first()
            if found is None:
                raise CommandError(f"No existe ninguna entidad con código DIR3 {entity}.")
            chains = [chain_key(found)]
        else:
            chains = list(audit_chains())
        for chain in chains:
            broken = audit_chain_verify(chain=chain)
            if broken is not None:
                row = f"id {broken.entry_id}" if broken.entry_id else "sin fila"
                raise CommandError(
                    f"Cadena {broken.chain} rota en la entrada {broken.seq} ({row}): "
                    f"{broken.reason}."
                )
        self.stdout.write(f"Auditoría íntegra: {len(chains)} cadena(s) comprobada(s).")
