import datetime as dt

import factory
from django.contrib.auth import get_user_model
from stdnum.es import cif

from concejo.organization.models import Entity, EntityType, Membership, Office, Unit, UnitLevel


def _valid_cif(n: int, letter: str = "P") -> str:
    digits = f"{47000000 + n:08d}"[1:]
    return next(
        letter + digits + c
        for c in cif.calc_check_digits(letter + digits)
        if cif.is_valid(letter + digits + c)
    )


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"Entidad {n}")
    entity_type = EntityType.COUNCIL
    nif = factory.Sequence(_valid_cif)
    dir3_code = factory.Sequence(lambda n: f"L0{n:07d}")
    ine_code = "47186"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    entity = factory.SubFactory(EntityFactory)
    name = factory.Sequence(lambda n: f"Unidad {n}")
    dir3_code = factory.Sequence(lambda n: f"LF{n:07d}")  # apart from codes tests write by hand
    level = UnitLevel.SERVICE
    valid_from = dt.date(2024, 1, 1)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    entity = factory.SubFactory(EntityFactory)
    name = factory.Sequence(lambda n: f"Oficina {n}")
    code = factory.Sequence(lambda n: f"OF{n:07d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Una-clave-larga-1")
    is_staff = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(EntityFactory)
    role = "case_handler"
