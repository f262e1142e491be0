"""A small city for the street-cleaning tests: two districts, a crew, two categories."""

import pytest

from concejo.organization.tests.factories import UnitFactory
from concejo.sectors.cleaning.models import Crew, District, RoutingRule, ServiceCategory

# A square around Valladolid's Plaza Mayor and another east of it ([lat, long]).
CENTRO = [[41.645, -4.735], [41.645, -4.715], [41.660, -4.715], [41.660, -4.735]]
ESTE = [[41.645, -4.715], [41.645, -4.695], [41.660, -4.695], [41.660, -4.715]]
CONTAINER = {
    "code": "tipo_contenedor", "datatype": "singlevaluelist", "required": True,
    "description": "Tipo de contenedor",
    "values": [{"key": "resto", "name": "Resto"}, {"key": "envases", "name": "Envases"}],
}  # fmt: skip


@pytest.fixture
def city(council):
    centro = District.objects.create(entity=council, code="01", name="Centro", boundary=CENTRO)
    este = District.objects.create(entity=council, code="02", name="Este", boundary=ESTE)
    cleaning = UnitFactory(entity=council, name="Servicio de Limpieza")
    east_crew = Crew.objects.create(
        entity=council, name="Brigada Este", shift="mañana", district=este
    )
    container = ServiceCategory.objects.create(
        entity=council, code="contenedor_lleno", name="Contenedor desbordado",
        responsible_unit=cleaning, sla_amount=1, sla_unit="business_days", attributes=[CONTAINER],
    )  # fmt: skip
    litter = ServiceCategory.objects.create(
        entity=council, code="basura", name="Basura en la calle", responsible_unit=cleaning,
        sla_amount=8, sla_unit="hours",
    )  # fmt: skip
    RoutingRule.objects.create(
        entity=council, category=container, district=este, unit=cleaning, crew=east_crew
    )
    return {"entity": council, "centro": centro, "este": este, "container": container,
            "litter": litter, "crew": east_crew, "unit": cleaning}  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with no earlier requests counted against the rate limits."""
    from django.core.cache import cache

    cache.clear()
