"""The collector's data, a year's ordinance and the interest table: checked before use."""

import datetime as dt

import pytest

from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.organization.tests.factories import UserFactory
from concejo.sectors.revenue import services
from concejo.sectors.revenue.demo import PARAMETERS
from concejo.sectors.revenue.models import InterestRate, Roll, TaxParameters


@pytest.mark.parametrize("tax", sorted(PARAMETERS))
def test_the_demo_ordinances_are_valid(tax):
    assert services.parameters_problems(tax, PARAMETERS[tax]) == []


@pytest.mark.parametrize(
    ("tax", "params", "field"),
    [
        ("ibi_urban", {"rate_percent": "58.5"}, "rate_percent"),
        ("ibi_urban", {"rate_percent": "0.5", "bonuses": {"x": {"percent": "99"}}}, "bonuses.x"),
        ("ivtm", {"coefficient": "2.5", "tariffs": {}}, "coefficient"),
        ("ivtm", {"coefficient": "1.5", "tariffs": {"car": [[8, 1262]]}}, "tariffs.car"),
        ("waste", {"fees": {"residential": 100}}, "fees"),
        ("iae", {"weighting": [[None, "1.3"]], "weighting_without_turnover": "1.31",
                 "location": {"1": "9"}}, "location"),
    ],
)  # fmt: skip
def test_bad_ordinance_parameters_are_named(tax, params, field):
    assert any(p.startswith(field) for p in services.parameters_problems(tax, params))


def test_setting_an_ordinance_validates_and_locks_once_the_roll_is_approved(revenue):
    officer, entity = revenue["officer"], revenue["entity"]
    with pytest.raises(ValidationFailed) as exc:
        services.tax_parameters_set(
            officer, entity=entity, tax="ibi_urban", year=2027, concept_code="001",
            parameters={"rate_percent": "58.5"},
        )  # fmt: skip
    assert exc.value.code == "invalid_parameters"
    assert not TaxParameters.objects.filter(year=2027).exists()
    services.tax_parameters_set(
        officer, entity=entity, tax="ibi_urban", year=2027, concept_code="001",
        parameters=PARAMETERS["ibi_urban"],
    )  # fmt: skip
    roll = services.roll_generate(
        officer, entity=entity, tax="ibi_urban", year=2027,
        voluntary_start=dt.date(2027, 9, 1), voluntary_end=dt.date(2027, 11, 20),
    )  # fmt: skip
    services.roll_approve(officer, roll=roll)
    with pytest.raises(Conflict):
        services.tax_parameters_set(
            officer, entity=entity, tax="ibi_urban", year=2027, concept_code="001",
            parameters={**PARAMETERS["ibi_urban"], "rate_percent": "0.7"},
        )  # fmt: skip
    assert Roll.objects.get().status == "approved"


def test_collector_settings_check_issuer_creditor_iban_and_bic(revenue):
    with pytest.raises(ValidationFailed) as exc:
        services.revenue_settings_set(
            revenue["officer"], entity=revenue["entity"], issuer_code="12345",
            creditor_name="Ayuntamiento", creditor_identifier="ES78000B85626240",
            creditor_iban="ES9121000418450200051333", creditor_bic="CAIX",
        )  # fmt: skip
    assert set(exc.value.fields) == {
        "issuer_code", "creditor_identifier", "creditor_iban", "creditor_bic",
    }  # fmt: skip


def test_only_platform_administrators_change_the_interest_table(revenue):
    with pytest.raises(PermissionDenied):
        services.interest_rate_set(
            revenue["officer"], valid_from=dt.date(2027, 1, 1), percent="4.5", source="x"
        )
    admin = Actor(user=UserFactory(is_superuser=True))
    services.interest_rate_set(admin, valid_from=dt.date(2027, 1, 1), percent="4.5", source="LPGE")
    assert InterestRate.objects.filter(valid_from=dt.date(2027, 1, 1)).exists()


def test_admin_refuses_a_bad_ordinance_in_spanish(client, revenue):
    client.force_login(UserFactory(username="super", is_superuser=True))
    response = client.post("/admin/revenue/taxparameters/add/", {
        "entity": revenue["entity"].pk, "tax": "ivtm", "year": 2030, "concept_code": "003",
        "ordinance": "", "parameters": '{"coefficient": "3", "tariffs": {}}',
    })  # fmt: skip
    assert response.status_code == 200
    assert "coeficiente entre 1 y 2" in response.content.decode()
    assert not TaxParameters.objects.filter(year=2030).exists()
    assert client.get("/admin/revenue/receipt/").status_code == 200
