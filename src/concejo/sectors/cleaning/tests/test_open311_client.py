"""An Open311 client written by others talks to our endpoint over a loopback HTTP server.

`georeport` (PyPI, 0.3.1) is the GeoReport v2 client that installs on Python 3.11:
it lists services, reads definitions and reads requests, in JSON and in XML
(parsed with xmltodict), unchanged. It has no method to post a request, so the
POST is sent as the specification's example, a form-encoded body, with
`requests`, another independent HTTP client. (`open311` 1.1, the other one on
PyPI, does not import on Python 3: it uses Python 2's implicit relative imports.)
"""

import pytest
import requests
from georeport import GeoReport

from concejo.apikeys.services import api_key_issue
from concejo.core.actors import Actor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Loopback only: a proxy set in the environment must not carry these requests."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture
def clients(live_server, city):
    root = f"{live_server.url}/open311/v2"
    dir3 = city["entity"].dir3_code
    key = api_key_issue(
        actor=Actor.system(), entity=city["entity"], name="app-vecinal", scopes=["open311:write"]
    ).secret
    return (
        GeoReport(root, jurisdiction=dir3, api_key=key),
        GeoReport(root, jurisdiction=dir3, api_key=key, output_format="xml"),
    )


def test_georeport_lists_services_and_reads_a_definition_in_json_and_xml(clients):
    as_json, as_xml = clients
    listed = {s["service_code"]: s for s in as_json.get_service_list()}
    assert set(listed) == {"contenedor_lleno", "basura"}
    assert listed["contenedor_lleno"]["metadata"] is True
    assert {s["service_code"] for s in as_xml.get_service_list()} == set(listed)
    definition = as_json.get_service_definition("contenedor_lleno")
    assert definition["attributes"][0]["code"] == "tipo_contenedor"
    from_xml = as_xml.get_service_definition("contenedor_lleno")
    values = from_xml["attributes"]["attribute"]["values"]["value"]
    assert [v["key"] for v in values] == ["resto", "envases"]
    with pytest.raises(requests.HTTPError) as missing:
        as_json.get_service_definition("farolas")
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()[0]["description"] == "service_code desconocido"


def test_a_request_posted_with_the_api_key_is_read_back_by_georeport(clients, city):
    as_json, as_xml = clients
    posted = requests.post(
        f"{as_json.root_address}/requests.json",
        data={
            "api_key": as_json.api_key, "jurisdiction_id": as_json.jurisdiction,
            "service_code": "contenedor_lleno", "lat": "41.6525", "long": "-4.7050",
            "address_string": "frente al número 3", "description": "Contenedor lleno desde el lunes",
            "attribute[tipo_contenedor]": "envases", "email": "vecina@example.org",
        },
        timeout=10,
    )  # fmt: skip
    assert posted.status_code == 201, posted.text
    created = posted.json()[0]
    number = created["service_request_id"]
    assert created["token"] and created["service_notice"].startswith("Plazo objetivo")
    one = as_json.get_service_request(number)
    assert (one["status"], one["service_code"], one["agency_responsible"]) == (
        "open", "contenedor_lleno", city["unit"].name,
    )  # fmt: skip
    assert (one["lat"], one["long"], one["address"]) == (41.6525, -4.705, "frente al número 3")
    assert "vecina@example.org" not in str(one)
    listed = as_json.get_service_requests(service_code="contenedor_lleno", status="open")
    assert [r["service_request_id"] for r in listed] == [number]
    from_xml = as_xml.get_service_request(number)
    assert (from_xml["service_request_id"], from_xml["status"]) == (number, "open")
    # Without the key the same post is refused, and the client sees the spec's error list.
    refused = requests.post(
        f"{as_json.root_address}/requests.json",
        data={"service_code": "basura", "lat": "41.65", "long": "-4.72", "description": "x"},
        timeout=10,
    )
    assert refused.status_code == 403
    assert refused.json() == [{"code": 403, "description": "api_key ausente o no válida"}]
