import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def test_compute_needs_no_token_and_answers_the_documented_shape(client, valladolid):
    response = client.get(
        "/api/v1/deadlines/compute",
        {"entity": "L01471868", "start": "2025-05-09", "amount": 3, "unit": "business_days"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-05-09",
        "end": "2025-05-15",
        "unit": "business_days",
        "amount": 3,
        "non_business_days_skipped": [
            {"date": "2025-05-10", "name": "Sábado", "level": "weekend", "municipality": None},
            {"date": "2025-05-11", "name": "Domingo", "level": "weekend", "municipality": None},
            {
                "date": "2025-05-13",
                "name": "San Pedro Regalado",
                "level": "local",
                "municipality": "47186",
            },
        ],
    }


def test_compute_defaults_to_business_days_and_accepts_datetimes(client, valladolid):
    body = client.get(
        "/api/v1/deadlines/compute",
        {
            "entity": "L01471868",
            "start": "2025-05-09T10:30:00+02:00",
            "amount": 24,
            "unit": "hours",
        },
    ).json()
    assert body["end"] == "2025-05-12T10:30:00+02:00"
    assert (
        client.get(
            "/api/v1/deadlines/compute", {"entity": "L01471868", "start": "2025-01-31", "amount": 1}
        ).json()["unit"]
        == "business_days"
    )


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"start": "2025-13-01", "amount": 1}, "start", "invalid_date"),
        ({"start": "ayer", "amount": 1}, "start", "invalid_date"),
        ({"amount": 1}, "start", "required"),
        ({"start": "2025-05-09", "amount": "diez"}, "amount", "invalid_number"),
        ({"start": "2025-05-09", "amount": 10000, "unit": "years"}, "amount", "invalid_amount"),
        ({"start": "2025-05-09", "amount": -1}, "amount", "invalid_amount"),
        ({"start": "2025-05-09", "amount": 1, "unit": "siglos"}, "unit", "invalid_unit"),
        ({"start": "2045-05-09", "amount": 1}, "start", "calendar_not_loaded"),
        ({"start": "2025-05-09", "amount": 1, "entity": "L00000000"}, "entity", "unknown_entity"),
        (
            {"start": "2025-05-09", "amount": 1, "residence": "Valladolid"},
            "residence",
            "invalid_ine",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, valladolid, params, field, code):
    response = client.get("/api/v1/deadlines/compute", {"entity": "L01471868", **params})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert field in body["fields"]


def test_calendar_lists_the_year_with_levels(client, valladolid):
    body = client.get("/api/v1/deadlines/calendar", {"entity": "L01471868", "year": 2026}).json()
    levels = {d["date"]: d["level"] for d in body["days"]}
    assert levels["2026-05-13"] == "local"
    assert levels["2026-09-08"] == "local"
    assert levels["2026-04-23"] == "regional"
    assert levels["2026-12-25"] == "national"
    missing = client.get("/api/v1/deadlines/calendar", {"entity": "L01471868", "year": 2050})
    assert missing.status_code == 400
    assert missing.json()["code"] == "calendar_not_loaded"


def test_business_days_endpoint(client, valladolid):
    body = client.get(
        "/api/v1/deadlines/business-days",
        {"entity": "L01471868", "from": "2025-05-01", "to": "2025-05-31"},
    ).json()
    assert body["business_days"] == 20
    assert body["is_business_day"] is False
    assert body["reason"]["level"] == "national"


def test_the_public_api_is_rate_limited(client, valladolid):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "deadlines": "3/min"}
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        params = {"entity": "L01471868", "year": 2025}
        codes = [client.get("/api/v1/deadlines/calendar", params).status_code for _ in range(4)]
        limited = client.get("/api/v1/deadlines/calendar", params)
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 200, 429]
    assert limited.json()["code"] == "throttled"
    assert "Retry-After" in limited
