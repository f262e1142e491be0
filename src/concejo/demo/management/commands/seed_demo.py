from django.core.management.base import BaseCommand

from concejo.demo.data import DEMO_PASSWORD
from concejo.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Carga (o completa) los datos de demostración de Valladolid. Es idempotente."

    def handle(self, *args, **options):
        accounts = seed_demo()
        self.stdout.write("Datos de demostración de Valladolid listos.")
        self.stdout.write(f"Cuentas de demostración (contraseña para todas: {DEMO_PASSWORD}):")
        for group, names in accounts.items():
            self.stdout.write(f"  {group}: {', '.join(names)}")
