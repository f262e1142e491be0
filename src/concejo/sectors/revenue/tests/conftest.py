"""A council collecting its taxes: settings, 2026 ordinances, an officer and taxpayers."""

import datetime as dt

import pytest

from concejo.core.actors import Actor
from concejo.organization.tests.factories import MembershipFactory
from concejo.people.tests.factories import PersonFactory
from concejo.sectors.revenue import sepa
from concejo.sectors.revenue.demo import CONCEPTS, PARAMETERS
from concejo.sectors.revenue.models import RevenueSettings, TaxParameters

YEAR = 2026
VOLUNTARY = (dt.date(2026, 9, 1), dt.date(2026, 11, 20))


@pytest.fixture
def revenue(council):
    RevenueSettings.objects.create(
        entity=council, issuer_code="479999", creditor_name=council.name,
        creditor_identifier=sepa.creditor_identifier(council.nif),
        creditor_iban="ES9121000418450200051332", creditor_bic="CAIXESBB",
    )  # fmt: skip
    for year in (2025, YEAR):
        for tax, params in PARAMETERS.items():
            TaxParameters.objects.create(
                entity=council, tax=tax, year=year, concept_code=CONCEPTS[tax], parameters=params
            )
    officer = MembershipFactory(entity=council, role="tax_officer").user
    return {
        "entity": council,
        "officer": Actor(user=officer),
        "ana": PersonFactory(entity=council, first_name="Ana"),
        "luis": PersonFactory(entity=council, first_name="Luis"),
    }
