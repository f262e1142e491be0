"""The whole journey in a real browser: a citizen applies, a handler asks for a correction,
the citizen answers, the mayor signs the resolution, it is notified and the citizen opens it.
"""

import re
from pathlib import Path

import pytest

from concejo.core.actors import Actor
from concejo.documents.services import document_template_save
from concejo.notifications.models import Notification, NotificationStatus
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UserFactory
from concejo.people.tests.factories import PersonFactory
from concejo.registry.models import RegistryEntry
from concejo.registry.tests.conftest import PDF
from concejo.sede.tests.conftest import publish_licence_procedure

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Una-clave-larga-1"
CASE_CODE = re.compile(r"^[0-9]{4}.[0-9]{6}$")  # 2026/000001 (no slash: Playwright)


@pytest.fixture
def council_desk(sealed_council, registry_setup):
    entity = sealed_council
    unit = registry_setup["licences"]
    publish_licence_procedure(entity, unit, name="Licencia de obra menor")
    document_template_save(
        actor=Actor.system(), entity=entity, name="Resolución de concesión", document_type="TD01",
        title="Resolución · expediente {{ case.case_code }}",
        body="Se concede lo solicitado por {{ applicant.display_name }} en el expediente "
             "{{ case.case_code }}.",
    )  # fmt: skip
    user = UserFactory(username="lucia", is_staff=False)
    PersonFactory(entity=entity, first_name="Lucía", last_name_1="Fernández", user=user,
                  email="lucia@example.org", id_number="09876543K")  # fmt: skip
    MembershipFactory(entity=entity, unit=unit, role=Role.CASE_HANDLER, user__username="teresa",
                      user__first_name="Teresa", user__last_name="Tramitadora")  # fmt: skip
    MembershipFactory(entity=entity, role=Role.UNIT_HEAD, user__username="alcalde",
                      user__first_name="Jesús", user__last_name="Alcalde")  # fmt: skip
    return entity


def employee_login(page, url, username):
    page.goto(url)
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.wait_for_load_state()


def citizen_login(page, base):
    page.goto(f"{base}/carpeta/entrar/")
    page.get_by_role("button", name="Entrar como Lucía Fernández").click()
    page.wait_for_url("**/carpeta/")


def logout(page):
    page.get_by_role("button", name="Salir", exact=True).click()
    page.wait_for_load_state()


def test_from_application_to_notification(live_server, page, council_desk, shot, tmp_path):
    base, dir3 = live_server.url, council_desk.dir3_code
    budget, plan = tmp_path / "presupuesto.pdf", tmp_path / "plano.pdf"
    budget.write_bytes(PDF)
    plan.write_bytes(PDF)

    # The citizen applies with two documents and gets the receipt.
    citizen_login(page, base)
    page.goto(f"{base}/{dir3}/procedimientos/2045001/")
    shot("01-sede-procedimiento")
    page.get_by_role("link", name="Solicitar en línea").click()
    page.get_by_label("Emplazamiento de la obra").fill("Calle Santiago, 10")
    page.get_by_label("Presupuesto (€)").fill("4800")
    page.locator("#slot-1").set_input_files(str(budget))
    page.get_by_text("presupuesto.pdf").wait_for()
    page.locator("#slot-2").set_input_files(str(plan))
    page.get_by_text("plano.pdf").wait_for()
    shot("02-sede-solicitud")
    page.get_by_role("button", name="Revisar la solicitud").click()
    page.get_by_role("button", name="Presentar la solicitud").click()
    page.get_by_text("Solicitud presentada").first.wait_for()
    entry = RegistryEntry.objects.get()
    shot("03-sede-presentada")
    with page.expect_download() as receipt:
        page.get_by_role("link", name="Descargar el justificante (PDF)").click()
    assert Path(receipt.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name=entry.receipt.display_code).click()
    assert page.get_by_text("Justificante").first.is_visible()
    shot("04-verificar-csv")
    page.goto(f"{base}/carpeta/")
    logout(page)

    # The handler accepts the entry in the unit inbox and asks for a correction.
    employee_login(page, f"{base}/backoffice/bandeja/", "teresa")
    page.get_by_role("link", name=entry.registry_code).click()
    page.get_by_label("Acción").select_option("accept")
    page.get_by_role("button", name="Aplicar").click()
    page.goto(f"{base}/backoffice/expedientes/")
    shot("05-backoffice-expedientes")
    page.get_by_role("link", name=CASE_CODE).click()
    page.get_by_label("Pasar a").select_option("in_progress")
    page.get_by_role("button", name="Cambiar estado").click()
    page.get_by_label("Pasar a").select_option("awaiting_correction")
    page.get_by_label("Motivo", exact=True).fill("Falta el plano firmado por técnico")
    page.get_by_role("button", name="Cambiar estado").click()
    case_url = page.url
    logout(page)

    # The citizen answers the requirement from her folder.
    citizen_login(page, base)
    page.get_by_role("link", name=CASE_CODE).click()
    assert page.get_by_text("Falta el plano firmado por técnico").is_visible()
    page.get_by_label("Explicación").fill("Adjunto el plano firmado")
    page.get_by_label("Documentos").set_input_files(str(plan))
    page.get_by_role("button", name="Presentar la subsanación").click()
    page.get_by_text("Subsanación presentada").wait_for()
    logout(page)

    # The handler drafts the resolution from a template and sends it to the mayor.
    employee_login(page, case_url, "teresa")
    page.get_by_label("Generar desde plantilla").select_option(label="Resolución de concesión")
    page.get_by_role("button", name="Generar documento").click()
    page.get_by_label("Pedir firma de Resolución").check()
    page.get_by_label("Firmante 1").select_option("alcalde")
    page.get_by_role("button", name="Enviar al portafirmas").click()
    logout(page)

    # The mayor signs.
    employee_login(page, f"{base}/backoffice/portafirmas/", "alcalde")
    shot("06-portafirmas")
    page.get_by_role("button", name="Firmar").click()
    page.get_by_text("Documentos firmados.").wait_for()
    logout(page)

    # The handler notifies the signed resolution.
    employee_login(page, case_url, "teresa")
    page.get_by_label("Lucía Fernández (Solicitante)").check()
    page.get_by_label("Asunto de la notificación").fill("Concesión de licencia de obra menor")
    page.get_by_role("button", name="Notificar").click()
    page.get_by_role("cell", name="Puesta a disposición").wait_for()
    shot("07-backoffice-expediente")
    logout(page)

    # The citizen opens the notification and downloads the acknowledgement.
    citizen_login(page, base)
    page.goto(f"{base}/carpeta/notificaciones/")
    page.get_by_role("link", name="Concesión de licencia de obra menor").click()
    page.get_by_role("button", name="Acceder al contenido").click()
    page.get_by_text("Ha accedido a la notificación.").wait_for()
    shot("08-sede-notificacion")
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.ACCESSED
    page.get_by_role("link", name=f"CSV {notification.proof.display_code}").click()
    with page.expect_download() as acuse:
        page.get_by_role("link", name="Descargar el documento").click()
    assert Path(acuse.value.path()).read_bytes().startswith(b"%PDF")
