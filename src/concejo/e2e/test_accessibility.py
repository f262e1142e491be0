"""axe-core, run inside Chromium on the main sede pages: no serious or critical violations,
and the application form usable with the keyboard alone."""

from pathlib import Path

import pytest
from django.conf import settings

from concejo.core.actors import Actor
from concejo.organization.tests.factories import UserFactory
from concejo.people.tests.factories import PersonFactory
from concejo.procedures import services as procedures
from concejo.procedures.tests.factories import content
from concejo.sede.tests.conftest import SCHEMA

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(settings.REPO_ROOT) / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe(browser, page):
    """Runs axe-core in a second tab that may inject it (CSP bypassed only there)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (tools/run-tests.sh installs it from npm)")
    source = AXE.read_text()
    context = browser.new_context(locale="es-ES", bypass_csp=True)
    context.add_cookies(page.context.cookies())
    probe = context.new_page()

    def check(url: str) -> list:
        context.add_cookies(page.context.cookies())
        probe.goto(url)
        probe.add_script_tag(content=source)
        result = probe.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
            " 'wcag21aa']})).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]

    yield check
    context.close()


@pytest.fixture
def sede_site(council, registry_setup):
    version = procedures.procedure_create(
        actor=Actor.system(), entity=council, sia_code="2045001",
        **content(council, responsible_unit=registry_setup["licences"], form_schema=SCHEMA),
    )  # fmt: skip
    procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)
    user = UserFactory(username="lucia", is_staff=False)
    PersonFactory(entity=council, first_name="Lucía", last_name_1="Fernández", user=user)
    return council


def test_the_main_sede_pages_have_no_serious_accessibility_violations(
    live_server, page, axe, sede_site, shot
):
    base, dir3 = live_server.url, sede_site.dir3_code
    pages = [
        "/", f"/{dir3}/", f"/{dir3}/procedimientos/", f"/{dir3}/procedimientos/2045001/",
        f"/{dir3}/calendario/", f"/{dir3}/tablon/", f"/{dir3}/informacion/accesibilidad/",
        f"/{dir3}/avisos/nuevo/", f"/{dir3}/avisos/",
        "/verificar/", "/carpeta/entrar/",
    ]  # fmt: skip
    found = {url: axe(base + url) for url in pages}
    page.goto(f"{base}/carpeta/entrar/")
    page.get_by_role("button", name="Entrar como Lucía Fernández").click()
    page.wait_for_url("**/carpeta/")
    found["/carpeta/"] = axe(f"{base}/carpeta/")
    found["/carpeta/tributos/"] = axe(f"{base}/carpeta/tributos/")
    page.goto(f"{base}/{dir3}/procedimientos/2045001/solicitar/")
    found["solicitud"] = axe(page.url)
    shot("09-sede-solicitud-accesible")
    assert {url: v for url, v in found.items() if v} == {}


def test_the_application_form_works_with_the_keyboard_alone(live_server, page, sede_site):
    base = live_server.url
    page.goto(f"{base}/carpeta/entrar/")
    page.get_by_role("button", name="Entrar como Lucía Fernández").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/carpeta/")
    page.goto(f"{base}/{sede_site.dir3_code}/procedimientos/2045001/solicitar/")
    page.get_by_label("Presento en nombre de").focus()
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )
    assert {"f-emplazamiento", "f-presupuesto", "slot-1"} <= reached
    assert any("Revisar la solicitud" in r for r in reached)
    page.get_by_label("Emplazamiento de la obra").focus()
    page.keyboard.type("Calle Mayor, 1")
    page.get_by_role("button", name="Guardar borrador").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Borrador guardado").wait_for()
    assert page.get_by_label("Emplazamiento de la obra").input_value() == "Calle Mayor, 1"
