"""The edicts board with its diligencia, the sede's information pages, the entity switch."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.sede.models import Edict
from concejo.signatures.tests.test_portafirmas import real_pdf

pytestmark = pytest.mark.django_db


def test_an_edict_is_published_shown_for_its_period_and_certified_after_it(
    client, sealed_council, registry_setup
):
    clerk = MembershipFactory(entity=sealed_council, role=Role.REGISTRY_CLERK).user
    client.force_login(clerk)
    today = timezone.localdate()
    response = client.post("/backoffice/tablon/", {
        "title": "Exposición pública del padrón del IBI 2026", "summary": "Quince días hábiles",
        "unit": registry_setup["general"].dir3_code, "publish_from": today.isoformat(),
        "publish_to": (today + dt.timedelta(days=15)).isoformat(),
        "file": SimpleUploadedFile("padron.pdf", real_pdf("Padrón")),
    }, follow=True)  # fmt: skip
    assert "publicado" in response.content.decode()
    edict = Edict.objects.get()
    board = client.get(f"/{sealed_council.dir3_code}/tablon/").content.decode()
    assert edict.title in board and edict.document.issued.display_code in board
    assert client.get(f"/{sealed_council.dir3_code}/tablon/{edict.pk}/").content.startswith(b"%PDF")
    wrong = client.post("/backoffice/tablon/", {
        "title": "Mal", "unit": registry_setup["general"].dir3_code,
        "publish_from": today.isoformat(), "publish_to": (today - dt.timedelta(days=1)).isoformat(),
        "file": SimpleUploadedFile("x.pdf", real_pdf("x")),
    }, follow=True)  # fmt: skip
    assert "anterior a su inicio" in wrong.content.decode() and Edict.objects.count() == 1
    # When the period is over it leaves the board and `concejo sweep` certifies it.
    Edict.objects.filter(pk=edict.pk).update(
        publish_from=today - dt.timedelta(days=20), publish_to=today - dt.timedelta(days=5)
    )
    assert client.get(f"/{sealed_council.dir3_code}/tablon/{edict.pk}/").status_code == 404
    call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    edict.refresh_from_db()
    assert edict.certificate is not None
    pdf = client.get(f"/api/v1/csv/{edict.certificate.display_code}/content").content
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    "slug",
    ["titularidad", "sellos", "accesibilidad", "privacidad", "actividades-de-tratamiento", "ayuda"],
)
def test_the_required_information_pages_exist(client, sealed_council, slug):
    page = client.get(f"/{sealed_council.dir3_code}/informacion/{slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert sealed_council.name in html
    if slug == "sellos":
        assert "SELLO DE PRUEBAS" in html


def test_an_employee_of_two_entities_switches_between_them(client, council, other_entity):
    membership = MembershipFactory(entity=council, role=Role.CASE_HANDLER)
    MembershipFactory(entity=other_entity, role=Role.CASE_HANDLER, user=membership.user)
    client.force_login(membership.user)
    page = client.get("/backoffice/expedientes/").content.decode()
    assert f'value="{other_entity.dir3_code}"' in page
    assert f"Expedientes · {council.name}" in page
    switched = client.get("/backoffice/expedientes/", {"entidad": other_entity.dir3_code})
    assert f"Expedientes · {other_entity.name}" in switched.content.decode()
    # The choice is kept on the next pages.
    assert (
        f"Expedientes · {other_entity.name}"
        in client.get("/backoffice/expedientes/").content.decode()
    )
