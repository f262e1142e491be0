"""A handler notifies a resolution; the citizen opens it in her folder — in a real browser."""

import pytest

from concejo.notifications.models import Notification, NotificationStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resolution_is_notified_and_opened_in_the_citizens_folder(
    live_server,
    page,
    resolved,
):
    handler = resolved["actor"].user
    handler.username = "tramitadora"
    handler.save()
    case = resolved["case"]

    page.goto(f"{live_server.url}/backoffice/expedientes/{case.pk}/")
    page.get_by_label("Usuario").fill("tramitadora")
    page.get_by_label("Contraseña").fill("Una-clave-larga-1")
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.wait_for_url(f"**/backoffice/expedientes/{case.pk}/")
    page.get_by_label("María García").check()
    page.get_by_label("Asunto de la notificación").fill("Concesión de licencia de obra menor")
    page.get_by_role("button", name="Notificar").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Puesta a disposición").is_visible()
    notification = Notification.objects.get()
    assert notification.addressee == resolved["maria"]

    page.get_by_role("button", name="Salir", exact=True).click()
    page.goto(f"{live_server.url}/carpeta/notificaciones/")
    page.get_by_label("Usuario").fill("maria")
    page.get_by_label("Contraseña").fill("Una-clave-larga-1")
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.wait_for_url("**/carpeta/notificaciones/")
    page.get_by_role("link", name="Concesión de licencia de obra menor").click()
    assert page.get_by_text("Pendiente de abrir").is_visible()
    page.get_by_role("button", name="Acceder al contenido").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ha accedido a la notificación.").is_visible()
    assert page.get_by_text("Puede recurrir hasta").is_visible()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACCESSED
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el acto notificado").click()
    from pathlib import Path

    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_a_notification_left_unopened_for_ten_days_shows_as_rejected(live_server, page, resolved):
    import datetime as dt

    from concejo.notifications.services import notification_issue
    from concejo.notifications.tests.fixtures import issue_request

    n = notification_issue(actor=resolved["actor"], item=issue_request(resolved))
    shift = dt.timedelta(days=11)
    Notification.objects.filter(pk=n.pk).update(
        made_available_at=n.made_available_at - shift, expires_at=n.expires_at - shift
    )
    page.goto(f"{live_server.url}/carpeta/entrar/")
    page.get_by_role("button", name="Entrar como María García").click()
    page.goto(f"{live_server.url}/carpeta/notificaciones/")
    assert page.get_by_text("No tiene notificaciones pendientes.").is_visible()
    assert page.get_by_role("cell", name="Rechazo por transcurrir diez días").is_visible()
    page.get_by_role("link", name="Concesión de licencia de obra menor").click()
    assert page.get_by_text("Rechazada por no acceder en diez días").is_visible()
    assert page.get_by_text("Puede recurrir hasta").is_visible()
