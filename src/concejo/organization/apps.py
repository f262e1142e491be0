from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "concejo.organization"
    label = "organization"
    verbose_name = "Organización"
