"""The street gazetteer: loaded from CSV, matched from typed addresses, used by Open311."""

import io

import pytest
from django.core.management import CommandError, call_command

from concejo.apikeys.services import api_key_issue
from concejo.audit.models import AuditEntry
from concejo.core.actors import Actor
from concejo.core.errors import PermissionDenied, ValidationFailed
from concejo.organization.tests.factories import UserFactory
from concejo.sectors.cleaning import selectors, services
from concejo.sectors.cleaning.addresses import address_parse
from concejo.sectors.cleaning.models import Report, StreetAddress

pytestmark = pytest.mark.django_db

# Centro is 41.645-41.660 N, 4.735-4.715 W; Este continues east to 4.695 W (conftest).
GAZETTEER = """address_id,street_type,street_name,number,postcode,district,lat,long
47186-00102-0010,Calle,Santiago,10,47001,01,41.650400,-4.726800
47186-00103-0001,Plaza,de Zorrilla,1,47001,01,41.648700,-4.729900
47186-00104-0001,Pº,de Zorrilla,1,47006,,41.648100,-4.730600
47186-00107-0012,C/,Duque de la Victoria,12 bis,47001,01,41.651000,-4.724800
47186-00115-0025,Avda.,de Salamanca,25,47014,01,41.646000,-4.733000
47186-00120-0010,Avenida,de Palencia,10,47010,02,41.655000,-4.705000
"""


@pytest.fixture
def gazetteer(city):
    services.street_addresses_load(actor=Actor.system(), entity=city["entity"], csv_text=GAZETTEER)
    return city


@pytest.fixture
def key(city):
    return api_key_issue(
        actor=Actor.system(), entity=city["entity"], name="app-vecinal", scopes=["open311:write"]
    ).secret


@pytest.mark.parametrize(
    ("typed", "street_type", "street", "number", "postcode"),
    [
        ("C/ Santiago, 10", "calle", "santiago", "10", ""),
        ("CALLE SANTIAGO Nº 10, 47001 Valladolid", "calle", "santiago", "10", "47001"),
        ("avda. de Salamanca 25 bajo", "avenida", "salamanca", "25", ""),
        ("Pza. Zorrilla 1", "plaza", "zorrilla", "1", ""),
        ("Pº de Zorrilla, 1", "paseo", "zorrilla", "1", ""),
        ("Duque de la Victoria 12 bis", None, "duque victoria", "12bis", ""),
        ("Calle 8 de Marzo 3", "calle", "8 marzo", "3", ""),
        ("Plaza Mayor", "plaza", "mayor", "", ""),
    ],
)
def test_typed_addresses_are_read_as_type_street_number_and_postcode(
    typed, street_type, street, number, postcode
):
    parsed = address_parse(typed)
    assert (parsed.street_type, parsed.street_key, parsed.number_key, parsed.postcode) == (
        street_type, street, number, postcode,
    )  # fmt: skip


def test_the_csv_loads_addresses_in_their_districts_and_a_reload_updates_them(gazetteer):
    entity = gazetteer["entity"]
    santiago = StreetAddress.objects.get(entity=entity, address_id="47186-00102-0010")
    assert (santiago.label, santiago.postcode, santiago.district) == (
        "Calle Santiago, 10", "47001", gazetteer["centro"],
    )  # fmt: skip
    # A blank district is found from the point; abbreviations are read as types.
    paseo = StreetAddress.objects.get(entity=entity, address_id="47186-00104-0001")
    assert (paseo.street_type, paseo.district) == ("paseo", gazetteer["centro"])
    assert StreetAddress.objects.get(address_id="47186-00120-0010").district == gazetteer["este"]
    # Same ids again, semicolon-separated as spreadsheets in Spain write them: updated in place.
    renamed = "address_id;street_type;street_name;number;postcode;district;lat;long\n" + (
        "47186-00102-0010;Calle;Santiago;10;47002;01;41.650500;-4.726900\n"
    )
    counts = services.street_addresses_load(actor=Actor.system(), entity=entity, csv_text=renamed)
    assert counts == {"created": 0, "updated": 1}
    santiago.refresh_from_db()
    assert (santiago.postcode, str(santiago.latitude)) == ("47002", "41.650500")
    assert StreetAddress.objects.filter(entity=entity).count() == 6
    assert AuditEntry.objects.filter(action="cleaning.addresses.load").count() == 2


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("X1,Calle,Nueva,1,47001,,40.4168,-3.7038", "Línea 3, lat: el punto está fuera"),
        ("X1,Calle,Nueva,1,47001,99,41.65,-4.72", "Línea 3, district: no hay un distrito «99»"),
        ("X1,Calle,Nueva,1,47001,02,41.65,-4.72", "Línea 3, lat: el punto no está dentro"),
        ("X1,Cañada,Nueva,1,47001,01,41.65,-4.72", "Línea 3, street_type: tipo de vía desconocido"),
        ("X1,Calle,Nueva,1,4700,01,41.65,-4.72", "Línea 3, postcode"),
        ("X1,Calle,Nueva,,47001,01,41.65,-4.72", "Línea 3, number"),
        ("X1,Calle,Nueva,1,47001,01,norte,-4.72", "Línea 3, lat"),
        ("47186-00102-0010,Calle,Otra,1,47001,01,41.65,-4.72", "address_id: «47186-00102-0010» está repetido"),
    ],
)  # fmt: skip
def test_a_bad_line_loads_nothing_and_says_where_it_is(city, row, words):
    good = "47186-00102-0010,Calle,Santiago,10,47001,01,41.650400,-4.726800"
    text = "\n".join(["address_id,street_type,street_name,number,postcode,district,lat,long",
                      good, row])  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        services.street_addresses_load(actor=Actor.system(), entity=city["entity"], csv_text=text)
    assert words in refused.value.message
    assert not StreetAddress.objects.exists()


def test_loading_needs_the_columns_and_an_administrator(city):
    with pytest.raises(ValidationFailed) as refused:
        services.street_addresses_load(
            actor=Actor.system(), entity=city["entity"], csv_text="calle,numero\nSantiago,10\n"
        )
    assert "Faltan las columnas: address_id" in refused.value.message
    with pytest.raises(PermissionDenied):
        services.street_addresses_load(
            actor=Actor(user=UserFactory()), entity=city["entity"], csv_text=GAZETTEER
        )


def test_the_command_loads_a_file_and_reports_errors_in_spanish(city, tmp_path):
    path = tmp_path / "callejero.csv"
    path.write_text("\ufeff" + GAZETTEER, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "load_street_addresses", str(path), entity=city["entity"].dir3_code.lower(), stdout=out
    )
    assert "6 direcciones nuevas, 0 actualizadas" in out.getvalue()
    path.write_text(GAZETTEER + "X9,Calle,Lejana,1,47001,,40.0,-3.0\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Línea 8, lat: el punto está fuera"):
        call_command("load_street_addresses", str(path), entity=city["entity"].dir3_code)


def test_typed_addresses_match_one_address_whatever_the_spelling(gazetteer):
    entity = gazetteer["entity"]
    for typed in ("c/ santiago 10", "Calle Santiago, nº 10, 47001 Valladolid", "SANTIAGO 10"):
        assert selectors.address_match(entity, typed).address_id == "47186-00102-0010"
    assert selectors.address_match(entity, "Avda. Salamanca 25").address_id.endswith("0025")
    assert selectors.address_match(entity, "Duque de la Victoria 12 bis").number == "12 bis"
    assert selectors.address_match(entity, "Paseo Zorrilla 1").street_type == "paseo"
    with pytest.raises(ValidationFailed) as ambiguous:
        selectors.address_match(entity, "Zorrilla 1")
    assert ambiguous.value.code == "address_ambiguous"
    assert "Plaza de Zorrilla, 1" in ambiguous.value.message
    assert "Paseo de Zorrilla, 1" in ambiguous.value.message
    for unknown in ("Calle Santiago 11", "Plaza Santiago 10", "Santiago 10 47099", "..."):
        with pytest.raises(ValidationFailed) as missing:
            selectors.address_match(entity, unknown)
        assert missing.value.code == "address_not_found"
        assert list(missing.value.fields) == ["address_string"]


def post(client, key, **fields):
    values = {"api_key": key, "service_code": "basura", "description": "Bolsas en la acera"}
    values.update(fields)
    return client.post("/open311/v2/requests.json", values)


def test_open311_places_a_request_by_address_string_or_address_id(client, gazetteer, key):
    by_text = post(client, key, address_string="C/ Santiago, 10")
    assert by_text.status_code == 201, by_text.content
    report = Report.objects.get()
    assert (report.latitude, report.district) == (
        StreetAddress.objects.get(address_id="47186-00102-0010").latitude, gazetteer["centro"],
    )  # fmt: skip
    listed = client.get(f"/open311/v2/requests/{report.tracking_number}.json").json()[0]
    assert (listed["address"], listed["address_id"], listed["zipcode"]) == (
        "Calle Santiago, 10", "47186-00102-0010", "47001",
    )  # fmt: skip
    assert (listed["lat"], listed["long"]) == (41.6504, -4.7268)
    by_id = post(client, key, address_id="47186-00120-0010")
    assert by_id.status_code == 201
    east = Report.objects.get(tracking_number=by_id.json()[0]["service_request_id"])
    assert (east.district, east.address) == (gazetteer["este"], "Avenida de Palencia, 10")
    xml = client.get(f"/open311/v2/requests/{east.tracking_number}.xml").content.decode()
    assert "<address_id>47186-00120-0010</address_id><zipcode>47010</zipcode>" in xml


def test_latitude_and_longitude_win_and_the_address_is_kept_as_text(client, gazetteer, key):
    created = post(
        client, key, lat="41.6550", long="-4.7050", address_string="junto a la parada del bus"
    )
    assert created.status_code == 201, created.content
    report = Report.objects.get()
    assert (report.district, report.address, report.street_address) == (
        gazetteer["este"], "junto a la parada del bus", None,
    )  # fmt: skip
    # With an address_id too, the point is still the one sent and the address is kept.
    post(client, key, lat="41.6550", long="-4.7050", address_id="47186-00102-0010")
    second = Report.objects.exclude(pk=report.pk).get()
    assert (second.district, second.street_address.address_id) == (
        gazetteer["este"], "47186-00102-0010",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"address_string": "Zorrilla 1"}, "address_string: «Zorrilla 1» puede ser más de una"),
        ({"address_string": "Calle Inventada 3"}, "address_string: «Calle Inventada 3» no está"),
        ({"address_id": "47186-99999-0001"}, "address_id: No hay ninguna dirección"),
        ({"address_id": "47186-99999-0001", "lat": "41.65", "long": "-4.72"}, "address_id:"),
        ({"lat": "41.65"}, "long: Indique la latitud y la longitud"),
        ({}, "lat: Indique el lugar"),
    ],
)
def test_addresses_that_name_no_single_place_are_refused(client, gazetteer, key, fields, words):
    response = post(client, key, **fields)
    assert response.status_code == 400
    assert words in response.json()[0]["description"]
    assert not Report.objects.exists()


def test_the_sede_form_takes_a_typed_address_instead_of_the_map(client, gazetteer):
    dir3 = gazetteer["entity"].dir3_code
    form = {"service_code": "basura", "description": "Papeleras desbordadas",
            "email": "vecina@example.org", "address": "Pza. de Zorrilla 1"}  # fmt: skip
    created = client.post(f"/{dir3}/avisos/nuevo/", form)
    assert created.status_code == 302
    assert Report.objects.get().street_address.address_id == "47186-00103-0001"
    refused = client.post(f"/{dir3}/avisos/nuevo/", {**form, "address": "Zorrilla 1"})
    page = refused.content.decode()
    assert 'id="e-address"' in page and "puede ser más de una dirección" in page
    assert Report.objects.count() == 1


def test_the_demo_addresses_lie_in_the_demo_districts(council):
    from concejo.organization.tests.factories import UnitFactory
    from concejo.sectors.cleaning.demo import seed_cleaning

    UnitFactory(entity=council, dir3_code="LA0007051")
    seed_cleaning(council)
    addresses = list(StreetAddress.objects.filter(entity=council))
    assert len(addresses) >= 20
    for address in addresses:
        at = services.district_at(council, float(address.latitude), float(address.longitude))
        assert at == address.district, address.label
    assert selectors.address_match(council, "Plaza Mayor 1").postcode == "47001"
