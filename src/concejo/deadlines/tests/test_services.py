import datetime as dt

import pytest

from concejo.core.actors import Actor
from concejo.core.errors import PermissionDenied, ValidationFailed
from concejo.deadlines.models import LocalCalendar
from concejo.deadlines.services import local_calendar_set
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_holidays_must_belong_to_the_year_and_be_at_most_two(valladolid):
    with pytest.raises(ValidationFailed) as err:
        local_calendar_set(
            actor=Actor.system(), municipality_ine="47186", municipality_name="Valladolid",
            year=2033, holidays=[(dt.date(2034, 5, 13), "San Pedro Regalado")],
        )  # fmt: skip
    assert err.value.code == "invalid_holidays"
    with pytest.raises(ValidationFailed):
        local_calendar_set(
            actor=Actor.system(), municipality_ine="47186", municipality_name="Valladolid",
            year=2033, holidays=[(dt.date(2033, 1, d), "Fiesta") for d in (2, 3, 4)],
        )  # fmt: skip
    assert not LocalCalendar.objects.filter(year=2033).exists()


def test_only_the_municipalitys_administrators_set_its_holidays(valladolid, other_entity):
    outsider = Actor(user=MembershipFactory(entity=other_entity, role=Role.ADMINISTRATOR).user)
    with pytest.raises(PermissionDenied):
        local_calendar_set(
            actor=outsider, municipality_ine="47186", municipality_name="Valladolid",
            year=2033, holidays=[],
        )  # fmt: skip
    admin = Actor(user=MembershipFactory(entity=valladolid, role=Role.ADMINISTRATOR).user)
    calendar = local_calendar_set(
        actor=admin, municipality_ine="47186", municipality_name="Valladolid", year=2033,
        holidays=[(dt.date(2033, 5, 13), "San Pedro Regalado")],
    )  # fmt: skip
    assert [h.name for h in calendar.holidays.all()] == ["San Pedro Regalado"]
