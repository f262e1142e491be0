import factory
from stdnum.es import dni

from concejo.organization.tests.factories import EntityFactory
from concejo.people.models import IdType, Person, PersonKind


def valid_dni(n: int) -> str:
    number = f"{10000000 + n:08d}"
    return number + dni.calc_check_digit(number)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    entity = factory.SubFactory(EntityFactory)
    kind = PersonKind.NATURAL
    id_type = IdType.NIF
    id_number = factory.Sequence(valid_dni)
    first_name = "Elena"
    last_name_1 = factory.Sequence(lambda n: f"Apellido{n}")
    email = factory.Sequence(lambda n: f"persona{n}@example.org")
