"""A neighbour reports an overflowing container by clicking on the map, in a real browser."""

import pytest

from concejo.sectors.cleaning.models import Report
from concejo.sectors.cleaning.tests.conftest import city  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_neighbour_clicks_on_the_map_and_reports(live_server, page, city, shot):  # noqa: F811
    from django.conf import settings

    settings.MAP_CENTER = (41.6525, -4.7050)  # open on the east district
    dir3 = city["entity"].dir3_code
    page.goto(f"{live_server.url}/{dir3}/avisos/nuevo/")
    page.locator("#map").click()  # the centre of the map
    assert page.get_by_label("Latitud").input_value().startswith("41.65")
    page.get_by_label("Categoría").select_option("contenedor_lleno")
    page.get_by_label("Tipo de contenedor (si es «Contenedor desbordado»)").select_option("resto")
    page.get_by_label("Descripción").fill("El contenedor gris está lleno desde el lunes")
    page.get_by_label("Correo electrónico (obligatorio)").fill("vecino@example.org")
    shot("10-sede-aviso-limpieza")
    page.get_by_role("button", name="Enviar el aviso").click()
    page.wait_for_url("**/avisos/AV-*/")
    report = Report.objects.get()
    assert report.district == city["este"] and report.email == "vecino@example.org"
    assert page.get_by_role("heading", name=f"Aviso {report.tracking_number}").is_visible()
