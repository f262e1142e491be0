import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from concejo.core.actors import Actor
from concejo.organization.models import Entity
from concejo.privacy.retention import retention_due

COLUMNS = (
    "entity", "kind", "reference", "title", "since", "due_on", "action", "destroyable",
    "protections", "rule",
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "Lista lo que ha cumplido su plazo de conservación (para eliminar o transferir al "
        "archivo). No borra ni mueve nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entity", metavar="DIR3", help="Solo esta entidad.")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--date", help="Fecha de referencia AAAA-MM-DD (hoy por defecto).")

    def handle(self, *args, entity=None, format="csv", date=None, **options):
        entities = Entity.objects.filter(active=True).order_by("dir3_code")
        if entity:
            entities = entities.filter(dir3_code=entity.upper())
            if not entities.exists():
                raise CommandError(f"No existe ninguna entidad con código DIR3 {entity}.")
        try:
            on = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError("La fecha debe tener la forma AAAA-MM-DD.") from exc
        rows, capped = [], []
        for found in entities:
            listing = retention_due(actor=Actor.system(), entity=found, on=on)
            capped += [f"{found.dir3_code}: {rule}" for rule in listing.capped_rules]
            rows += [
                {"entity": found.dir3_code, "kind": i.kind, "reference": i.reference,
                 "title": i.title, "since": i.since.isoformat(), "due_on": i.due_on.isoformat(),
                 "action": i.action, "destroyable": i.destroyable,
                 "protections": " | ".join(i.protections), "rule": i.rule}
                for i in listing.items
            ]  # fmt: skip
        if format == "json":
            self.stdout.write(
                json.dumps({"items": rows, "capped_rules": capped}, ensure_ascii=False, indent=2)
            )
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        for rule in capped:
            self.stderr.write(f"Hay más elementos de la regla «{rule}» de los listados.")
