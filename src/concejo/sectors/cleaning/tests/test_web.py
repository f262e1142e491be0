"""The street-cleaning pages: a neighbour reports, the service triages, plans and fixes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.outbox.models import OutboxTask
from concejo.sectors.cleaning.models import Report, WorkOrder

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "gray").save(out, format="JPEG")
    return out.getvalue()


def report_form(**overrides):
    values = {"service_code": "contenedor_lleno", "lat": "41.6520", "long": "-4.7050",
              "attr-tipo_contenedor": "envases", "description": "Contenedor amarillo lleno",
              "email": "vecina@example.org", "address": "Calle Nueva, 3"}  # fmt: skip
    values.update(overrides)
    return values


def test_a_neighbour_reports_with_a_photo_and_follows_it(
    client, city, smtp_server, django_capture_on_commit_callbacks
):
    dir3 = city["entity"].dir3_code
    page = client.get(f"/{dir3}/avisos/nuevo/").content.decode()
    assert "Contenedor desbordado" in page and 'id="map"' in page and "leaflet/leaflet.js" in page
    response = client.post(
        f"/{dir3}/avisos/nuevo/", {**report_form(), "photo": SimpleUploadedFile("c.jpg", jpeg())}
    )
    report = Report.objects.get()
    assert response["Location"] == f"/{dir3}/avisos/{report.tracking_number}/"
    assert report.photos.count() == 1 and report.attributes == {"tipo_contenedor": "envases"}
    tracking = client.get(response["Location"]).content.decode()
    assert "Recibido" in tracking and report.tracking_number in tracking
    # Status changes reach the neighbour by e-mail; a fixed report asks "was it fixed?".
    handler = MembershipFactory(entity=city["entity"], role=Role.CASE_HANDLER).user
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=True):
        for to in ("confirmed", "assigned"):
            client.post(f"/backoffice/limpieza/{report.tracking_number}/",
                        {"action": "transition", "to": to, "note": "", "public": "1"})  # fmt: skip
    report.refresh_from_db()
    assert report.status == "assigned" and len(smtp_server.messages) == 2
    plan = client.post("/backoffice/limpieza/partes/", {"action": "plan"}, follow=True)
    assert "Partes del día: 1." in plan.content.decode()
    order = WorkOrder.objects.get()
    assert order.crew == city["crew"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/backoffice/limpieza/partes/", {"order": str(order.pk), "notes": "Vaciado"})
    report.refresh_from_db()
    assert report.status == "fixed"
    last = smtp_server.messages[-1][1].get_payload(decode=True).decode()
    assert f"token={report.token}" in last
    client.logout()
    answer = client.post(
        f"/{dir3}/avisos/{report.tracking_number}/",
        {"token": report.token, "fixed": "no", "comment": "Sigue lleno"}, follow=True,
    )  # fmt: skip
    assert "Gracias por su valoración." in answer.content.decode()
    report.refresh_from_db()
    assert report.status == "reopened"


@pytest.mark.parametrize(
    ("overrides", "field_text"),
    [
        ({"lat": "40.4168", "long": "-3.7038"}, "fuera del término municipal"),
        ({"description": "<b>hola</b>"}, "HTML"),
        ({"attr-tipo_contenedor": ""}, "Tipo de contenedor"),
        ({"email": ""}, "correo"),
        ({"service_code": ""}, "categoría"),
    ],
)
def test_bad_reports_are_explained_in_spanish_and_nothing_is_stored(
    client, city, overrides, field_text
):
    page = client.post(f"/{city['entity'].dir3_code}/avisos/nuevo/", report_form(**overrides))
    assert page.status_code == 200
    assert field_text in page.content.decode()
    assert not Report.objects.exists() and not OutboxTask.objects.exists()


def test_a_non_image_photo_is_refused(client, city):
    page = client.post(
        f"/{city['entity'].dir3_code}/avisos/nuevo/",
        {**report_form(), "photo": SimpleUploadedFile("c.jpg", b"%PDF-1.4 no")},
    )
    assert "no es una imagen" in page.content.decode() and not Report.objects.exists()


def test_the_public_map_lists_open_reports_without_personal_data(client, city):
    client.post(f"/{city['entity'].dir3_code}/avisos/nuevo/", report_form())
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(status="confirmed")
    page = client.get(f"/{city['entity'].dir3_code}/avisos/").content.decode()
    assert report.tracking_number in page and "vecina@example.org" not in page


def test_the_queue_the_duplicate_merge_and_the_dashboard(client, city):
    dir3 = city["entity"].dir3_code
    client.post(f"/{dir3}/avisos/nuevo/", report_form())
    client.post(f"/{dir3}/avisos/nuevo/", report_form(description="El mismo contenedor"))
    first, second = Report.objects.order_by("created_at")
    handler = MembershipFactory(entity=city["entity"], role=Role.UNIT_HEAD).user
    client.force_login(handler)
    queue = client.get("/backoffice/limpieza/").content.decode()
    assert first.tracking_number in queue and second.tracking_number in queue
    view = client.get(f"/backoffice/limpieza/{second.tracking_number}/").content.decode()
    assert "Fusionar como duplicado de" in view
    client.post(f"/backoffice/limpieza/{second.tracking_number}/",
                {"action": "merge", "into": first.tracking_number})  # fmt: skip
    second.refresh_from_db()
    assert (second.status, second.parent) == ("duplicate", first)
    client.post(f"/backoffice/limpieza/{first.tracking_number}/",
                {"action": "recategorise", "category": "basura"})  # fmt: skip
    first.refresh_from_db()
    assert first.category == city["litter"]
    dashboard = client.get("/backoffice/limpieza/cuadro/").content.decode()
    assert "Basura en la calle" in dashboard and "Cumplimiento del plazo" in dashboard
    citizen = MembershipFactory(entity=city["entity"], role=Role.AUDITOR).user
    client.force_login(citizen)
    assert client.get("/backoffice/limpieza/").status_code == 403


def test_a_report_with_two_problems_is_split(client, city):
    dir3 = city["entity"].dir3_code
    client.post(f"/{dir3}/avisos/nuevo/", report_form(description="Contenedor lleno y una pintada"))
    original = Report.objects.get()
    client.force_login(MembershipFactory(entity=city["entity"], role=Role.CASE_HANDLER).user)
    response = client.post(
        f"/backoffice/limpieza/{original.tracking_number}/",
        {"action": "split", "category": "basura", "description": "Pintada en la fachada"},
    )
    new = Report.objects.exclude(pk=original.pk).get()
    assert new.attributes == {}  # "basura" asks for no container type
    again = client.post(
        f"/backoffice/limpieza/{original.tracking_number}/",
        {"action": "split", "category": "contenedor_lleno", "description": "Otro contenedor"},
    )
    assert again.status_code == 302
    kept = Report.objects.get(description="Otro contenedor")
    assert kept.attributes == {"tipo_contenedor": "envases"}  # the answer travels with it
    assert response["Location"].endswith(f"/backoffice/limpieza/{new.tracking_number}/")
    assert (new.category, new.email, new.district) == (
        city["litter"],
        original.email,
        original.district,
    )
    assert original.updates.filter(text__contains=new.tracking_number).exists()


def test_the_report_form_is_rate_limited_per_address(client, city):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = {**original, "reports": "1/min"}
    try:
        first = client.post(f"/{city['entity'].dir3_code}/avisos/nuevo/", report_form())
        second = client.post(f"/{city['entity'].dir3_code}/avisos/nuevo/", report_form())
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert first.status_code == 302 and second.status_code == 429
    assert "muchos avisos seguidos" in second.content.decode()
    assert Report.objects.count() == 1


def test_a_crews_photo_is_kept_with_its_work_order_and_removed_if_closing_it_fails(
    client, city, isolated_media, monkeypatch
):
    from concejo.core.actors import Actor
    from concejo.sectors.cleaning import services

    client.post(f"/{city['entity'].dir3_code}/avisos/nuevo/", report_form())
    report = Report.objects.get()
    handler = MembershipFactory(entity=city["entity"], role=Role.CASE_HANDLER).user
    client.force_login(handler)
    for to in ("confirmed", "assigned"):
        client.post(f"/backoffice/limpieza/{report.tracking_number}/",
                    {"action": "transition", "to": to, "note": ""})  # fmt: skip
    client.post("/backoffice/limpieza/partes/", {"action": "plan"})
    order, actor = WorkOrder.objects.get(), Actor(user=handler)

    def broken(**kwargs):
        raise RuntimeError("the report could not be closed")

    with monkeypatch.context() as patch:  # a failure after the photo was stored
        patch.setattr(services, "report_transition", broken)
        with pytest.raises(RuntimeError):
            services.work_order_done(actor=actor, order=order, photo=jpeg())
    order.refresh_from_db()
    assert order.done_at is None and not order.photo
    assert not [p for p in isolated_media.rglob("*") if p.is_file()]

    services.work_order_done(actor=actor, order=order, notes="Vaciado", photo=jpeg())
    order.refresh_from_db()
    assert order.done_at is not None
    assert (isolated_media / order.photo.name).read_bytes()[:2] == b"\xff\xd8"  # a JPEG
