"""The procedure catalog follows what the citizen types (htmx), in real Chromium,
under the sede's strict Content Security Policy."""

import pytest

from concejo.sede.tests.test_pages import _publish

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_catalog_list_follows_the_search_without_reloading_the_page(
    live_server, page, council, shot
):
    _publish(council, "2045001", "Licencia de obra menor", "Urbanismo y vivienda")
    _publish(council, "2046001", "Ayuda al alquiler", "Vivienda")
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/{council.dir3_code}/procedimientos/")
    results = page.locator("#resultados")
    assert "Licencia de obra menor" in results.inner_text()
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded again
    page.get_by_label("Buscar").fill("alquiler")
    results.get_by_text("Licencia de obra menor").wait_for(state="detached")
    assert "Ayuda al alquiler" in results.inner_text()
    assert page.evaluate("window.sameDocument === true")
    page.wait_for_url("**/procedimientos/?q=alquiler*")  # the search can be shared and reloaded
    page.get_by_label("Materia").select_option("Urbanismo y vivienda")
    results.get_by_text("No hay procedimientos que coincidan").wait_for()
    shot("10-sede-catalogo-busqueda")
    page.reload()  # the address holds the search: the same list comes back from the server
    assert "No hay procedimientos que coincidan" in page.locator("#resultados").inner_text()
    assert page.get_by_label("Buscar").input_value() == "alquiler"
    assert refused == []
