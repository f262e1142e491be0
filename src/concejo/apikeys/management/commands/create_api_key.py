from django.core.management.base import BaseCommand, CommandError

from concejo.apikeys.services import api_key_issue
from concejo.core.actors import Actor
from concejo.core.errors import ApplicationError
from concejo.organization.selectors import entity_get_by_dir3


class Command(BaseCommand):
    help = "Crea una clave de API para una aplicación; la clave se muestra una sola vez."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Nombre de la aplicación.")
        parser.add_argument("--entity", required=True, metavar="DIR3", help="Entidad.")
        parser.add_argument(
            "--scopes", required=True, help="Permisos separados por comas (p. ej. registry:read)."
        )
        parser.add_argument(
            "--user", default="", help="Clave personal: actúa como este empleado (usuario)."
        )

    def handle(self, *args, name, entity, scopes, user, **options):
        from django.contrib.auth import get_user_model

        employee = None
        if user:
            employee = get_user_model().objects.filter(username=user).first()
            if employee is None:
                raise CommandError(f"No existe el usuario {user}.")
        try:
            issued = api_key_issue(
                actor=Actor.system(),
                entity=entity_get_by_dir3(entity),
                name=name,
                scopes=scopes.split(","),
                user=employee,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        app = issued.key.application
        self.stdout.write(
            f"Aplicación «{app.name}» de {app.entity.dir3_code} con permisos: "
            f"{', '.join(app.scopes)}. Guarde la clave: no se volverá a mostrar."
        )
        self.stdout.write(issued.secret)
