from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "concejo.accounts"
    label = "accounts"
    verbose_name = "Seguridad de las cuentas"
