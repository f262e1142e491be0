from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "concejo.people"
    label = "people"
    verbose_name = "Interesados"
