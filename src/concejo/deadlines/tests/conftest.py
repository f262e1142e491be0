import pytest

from concejo.core.actors import Actor
from concejo.deadlines.services import local_calendar_set
from concejo.demo.catalog import valladolid_holidays
from concejo.organization.tests.factories import EntityFactory

YEARS = range(2019, 2033)


@pytest.fixture
def valladolid(db):
    entity = EntityFactory(
        name="Ayuntamiento de Valladolid", dir3_code="L01471868", ine_code="47186"
    )
    for year in YEARS:
        local_calendar_set(
            actor=Actor.system(),
            municipality_ine="47186",
            municipality_name="Valladolid",
            year=year,
            holidays=valladolid_holidays(year),
        )
    return entity
