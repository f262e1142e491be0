"""The notifications API for the back office and the citizen's folder in the sede."""

import hashlib

import pytest
from django.utils import timezone

from concejo.notifications.models import Notification
from concejo.notifications.tests.fixtures import APPEALS
from concejo.organization.tests.factories import UserFactory
from concejo.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def body(resolved, **overrides):
    values = {
        "case": str(resolved["case"].pk), "document": str(resolved["resolution"].pk),
        "addressee": resolved["maria"].id_number, "subject": "Concesión de licencia",
        "appeals": APPEALS, "ends_administrative_route": True, "appeal_amount": 1,
        "appeal_unit": "months",
    }  # fmt: skip
    values.update(overrides)
    return values


def test_the_api_issues_lists_and_shows_the_proof_trail(resolved, api_key_for):
    app = api_key_for(resolved["entity"], "notifications:read", "notifications:write", "cases:read")
    created = app.post("/api/v1/notifications", body(resolved), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "available" and data["channel"] == "electronic"
    assert data["trail"][0]["kind"] == "made_available"
    listed = app.get(f"/api/v1/notifications?case={resolved['case'].pk}&status=available").json()
    assert [n["id"] for n in listed["results"]] == [data["id"]]
    by_person = app.get(f"/api/v1/notifications?person={resolved['maria'].id_number}").json()
    assert len(by_person["results"]) == 1
    # Read after ten days without access it is rejected, even if no sweep ran.
    n = Notification.objects.get()
    Notification.objects.filter(pk=n.pk).update(
        expires_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    detail = app.get(f"/api/v1/notifications/{n.pk}").json()
    assert (detail["status"], detail["completion"]) == ("rejected", "expired")
    assert detail["appeal_due"]
    assert app.get("/api/v1/notifications?status=rejected").json()["results"][0]["id"] == str(n.pk)
    unsigned = app.post(
        "/api/v1/notifications", body(resolved, document=str(resolved["case"].pk)), format="json"
    )
    assert unsigned.status_code == 400 and unsigned.json()["code"] == "unknown_document"
    reader = api_key_for(resolved["entity"], "notifications:read")
    assert reader.post("/api/v1/notifications", body(resolved), format="json").status_code == 403


def test_paper_outcomes_through_the_api(resolved, api_key_for):
    maria = resolved["maria"]
    maria.preferred_channel = "postal"
    maria.save()
    app = api_key_for(resolved["entity"], "notifications:read", "notifications:write", "cases:read")
    created = app.post("/api/v1/notifications", body(resolved), format="json").json()
    assert created["channel"] == "paper"
    pdf = app.get(f"/api/v1/notifications/{created['id']}/paper")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    outcome = app.post(
        f"/api/v1/notifications/{created['id']}/paper-outcome",
        {"outcome": "delivered", "at": timezone.now().isoformat(), "receiver_name": "María"},
        format="json",
    )
    assert outcome.status_code == 200, outcome.json()
    assert outcome.json()["status"] == "delivered"
    assert outcome.json()["paper_deliveries"][0]["outcome"] == "delivered"
    bad = app.post(
        f"/api/v1/notifications/{created['id']}/paper-outcome",
        {"outcome": "lost", "at": timezone.now().isoformat()}, format="json",
    )  # fmt: skip
    assert bad.status_code == 400


def test_the_citizen_opens_the_notification_in_the_folder(
    resolved, client, django_capture_on_commit_callbacks
):
    from concejo.notifications import services
    from concejo.notifications.tests.fixtures import issue_request

    n = services.notification_issue(actor=resolved["actor"], item=issue_request(resolved))
    assert client.get("/carpeta/notificaciones/")["Location"].startswith("/carpeta/entrar/")
    client.post("/carpeta/entrar/", {"username": "maria", "password": "Una-clave-larga-1"})
    folder = client.get("/carpeta/notificaciones/").content.decode()
    assert "Concesión de licencia de obra menor" in folder
    page = client.get(f"/carpeta/notificaciones/{n.pk}/").content.decode()
    assert "Acceder al contenido" in page and "Descargar el acto" not in page
    assert client.get(f"/carpeta/notificaciones/{n.pk}/acto").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(
            f"/carpeta/notificaciones/{n.pk}/", {"action": "access"}, follow=True,
            REMOTE_ADDR="83.44.1.20",
        ).content.decode()  # fmt: skip
    assert "Ha accedido a la notificación." in opened and "Puede recurrir hasta" in opened
    act = client.get(f"/carpeta/notificaciones/{n.pk}/acto")
    resolved["resolution"].refresh_from_db()
    assert hashlib.sha256(act.content).hexdigest() == resolved["resolution"].sha256
    n.refresh_from_db()
    assert n.accessed_ip == "83.44.1.20"
    assert (
        f"CSV {n.proof.display_code}"
        in client.get(f"/carpeta/notificaciones/{n.pk}/").content.decode()
    )
    # Someone else signed in gets a plain 404.
    other = UserFactory(username="vecino", is_staff=False)
    PersonFactory(entity=resolved["entity"], user=other)
    client.force_login(other)
    assert client.get(f"/carpeta/notificaciones/{n.pk}/").status_code == 404
    assert (
        "No tiene notificaciones pendientes."
        in client.get("/carpeta/notificaciones/").content.decode()
    )
