from django.apps import AppConfig


class ApiKeysConfig(AppConfig):
    name = "concejo.apikeys"
    label = "apikeys"
    verbose_name = "Acceso a la API"
