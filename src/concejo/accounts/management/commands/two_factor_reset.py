"""concejo two_factor_reset USERNAME --reason TEXT: recovery when no administrator can sign in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from concejo.accounts.services import two_factor_reset
from concejo.core.actors import Actor
from concejo.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Restablece el doble factor de un empleado (volverá a activarlo al entrar)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Motivo (queda en la auditoría)")

    def handle(self, *args, username, reason, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No existe el usuario «{username}».")
        try:
            two_factor_reset(actor=Actor.system(), user=user, reason=reason)
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc
        self.stdout.write(f"Doble factor de {username} restablecido; sus sesiones se han cerrado.")
