import pytest
from django.core.cache import cache

from concejo.core.csv_codes import (
    ALPHABET,
    LENGTH,
    format_csv_code,
    new_csv_code,
    normalise_csv_code,
)

pytestmark = pytest.mark.django_db


def test_codes_carry_at_least_100_bits_and_read_forgivingly():
    code = new_csv_code()
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert LENGTH * 5 >= 100
    codes = [new_csv_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    # Every position draws from the whole alphabet (no position fixed or biased to a few).
    assert all(len({c[i] for c in codes}) == len(ALPHABET) for i in range(LENGTH))
    typed = format_csv_code(code).lower().replace("0", "o").replace("1", "l")
    assert normalise_csv_code(typed) == code
    assert normalise_csv_code("ABCD") is None
    assert normalise_csv_code("U" * LENGTH) is None


@pytest.fixture
def issued(api_key_for, council, registry_setup, django_capture_on_commit_callbacks):
    from concejo.registry.tests.test_api import body

    writer = api_key_for(council, "registry:write", "registry:read")
    with django_capture_on_commit_callbacks(execute=True):
        created = writer.post("/api/v1/registry/entries", body(), format="json").json()
    return created


def test_anyone_verifies_a_code_and_downloads_the_document(client, issued):
    cache.clear()
    metadata = client.get(f"/api/v1/csv/{issued['csv']}")
    assert metadata.status_code == 200
    data = metadata.json()
    assert data["title"] == f"Justificante de registro {issued['registry_code']}"
    content = client.get(data["content_url"])
    assert content.content.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(content.content).hexdigest() == data["sha256"]
    page = client.get("/verificar/", {"csv": issued["csv"].lower()}, follow=True)
    html = page.content.decode()
    assert "Documento auténtico" in html and issued["registry_code"] in html
    download = client.get(f"/verificar/{issued['csv']}/descargar")
    assert download.content == content.content


def test_wrong_codes_get_a_plain_not_found(client, issued):
    cache.clear()
    response = client.get("/api/v1/csv/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    page = client.get("/verificar/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF/")
    assert page.status_code == 404
    assert "No existe ningún documento con ese código" in page.content.decode()


def test_attempts_are_rate_limited_per_client(client, issued, settings):
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = {**original, "csv": "5/min"}
    try:
        statuses = [
            client.get(f"/verificar/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZ{i}-ZZZZ/").status_code for i in range(5)
        ]
        blocked_page = client.get(f"/verificar/{issued['csv']}/")
        blocked_api = client.get(f"/api/v1/csv/{issued['csv']}")
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
    assert statuses == [404] * 5
    assert blocked_page.status_code == 429
    assert "demasiadas consultas" in blocked_page.content.decode()
    assert blocked_api.status_code == 429
