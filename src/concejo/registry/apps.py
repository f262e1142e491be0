from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "concejo.registry"
    label = "registry"
    verbose_name = "Registro electrónico general"

    def ready(self):
        from concejo.registry.receipts import render_receipt
        from concejo.verification.renderers import register

        register("registry.receipt", render_receipt)
