"""A registry clerk at the counter, in a real browser: sign in, register, print the receipt."""

import pytest

from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.registry.models import RegistryEntry
from concejo.registry.tests.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clerk_registers_a_submission_at_the_counter(
    live_server, page, council, registry_setup, tmp_path
):
    MembershipFactory(entity=council, role=Role.REGISTRY_CLERK, user__username="rafael")
    scan = tmp_path / "solicitud-escaneada.pdf"
    scan.write_bytes(PDF)

    page.goto(f"{live_server.url}/backoffice/registro/")
    page.get_by_label("Usuario").fill("rafael")
    page.get_by_label("Contraseña").fill("Una-clave-larga-1")
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.wait_for_url("**/backoffice/registro/")

    # A wrong check letter is explained on the form, in Spanish, and nothing is filed.
    page.get_by_label("Número de documento").fill("12345678A")
    page.get_by_label("Nombre", exact=True).fill("María")
    page.get_by_label("Primer apellido").fill("García")
    page.get_by_label("Asunto").fill("Solicitud de vado en calle Real")
    page.get_by_role("button", name="Registrar").click()
    assert page.get_by_text("La letra o el dígito de control del DNI no es correcto.").is_visible()
    assert not RegistryEntry.objects.exists()

    page.get_by_label("Número de documento").fill("12345678Z")
    page.get_by_label("Unidad destinataria").select_option("LA0000031")
    page.get_by_label("Documentos escaneados").set_input_files(str(scan))
    page.get_by_role("button", name="Registrar").click()
    page.wait_for_url("**/backoffice/registro/*/")
    entry = RegistryEntry.objects.get()
    assert page.get_by_text(f"Asiento {entry.registry_code} registrado.").is_visible()
    assert page.get_by_text("solicitud-escaneada.pdf").is_visible()

    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'j.pdf'; document.body.appendChild(a); a.click(); }",
            f"/backoffice/registro/{entry.pk}/justificante",
        )
    from pathlib import Path

    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")
