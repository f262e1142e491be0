import pytest

from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.registry.models import RegistryEntry
from concejo.registry.tests.conftest import PDF, stored_files

pytestmark = pytest.mark.django_db


def test_the_backoffice_asks_for_sign_in(client):
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/entrar/")


def test_an_employee_signs_in_with_the_spanish_form(client, council):
    membership = MembershipFactory(
        entity=council, role=Role.REGISTRY_CLERK, user__username="rafael"
    )
    response = client.post("/backoffice/entrar/", {"username": "rafael", "password": "mala"})
    assert "Usuario o contraseña incorrectos." in response.content.decode()
    response = client.post(
        "/backoffice/entrar/", {"username": "rafael", "password": "Una-clave-larga-1"}, follow=True
    )
    assert "Personal de registro" in response.content.decode()
    assert membership.user.is_authenticated


@pytest.fixture
def clerk_client(client, council, registry_setup):
    membership = MembershipFactory(entity=council, role=Role.REGISTRY_CLERK)
    client.force_login(membership.user)
    return client


def desk_post(**overrides):
    from django.core.files.uploadedfile import SimpleUploadedFile

    values = {
        "id_type": "nif", "id_number": "12345678Z", "first_name": "María", "last_name_1": "García",
        "subject": "Solicitud presentada en ventanilla", "expone": "Expone", "solicita": "Solicita",
        "destination_unit": "LA0000031", "procedure": "", "office": "O00000001",
        "validity": "authentic_copy",
        "attachments": [SimpleUploadedFile("escaneo.pdf", PDF, content_type="application/pdf")],
    }  # fmt: skip
    values.update(overrides)
    return values


def test_a_clerk_registers_an_in_person_submission_and_prints_the_receipt(clerk_client):
    response = clerk_client.post("/backoffice/registro/", desk_post(), follow=True)
    html = response.content.decode()
    entry = RegistryEntry.objects.get()
    assert f"Asiento {entry.registry_code} registrado." in html
    assert (entry.channel, entry.office.code, entry.destination_unit.dir3_code) == (
        "office",
        "O00000001",
        "LA0000031",
    )
    assert entry.attachments.get().validity == "authentic_copy"
    receipt = clerk_client.get(f"/backoffice/registro/{entry.pk}/justificante")
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_the_desk_finds_an_existing_person_by_document(clerk_client, council):
    from concejo.people.tests.factories import PersonFactory

    PersonFactory(entity=council, id_number="71234567W", first_name="Juan", last_name_1="Pérez")
    html = clerk_client.get("/backoffice/registro/", {"buscar": "71234567-w"}).content.decode()
    assert 'value="Juan"' in html and 'value="Pérez"' in html


def test_desk_errors_are_shown_in_spanish_and_nothing_is_written(clerk_client, isolated_media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = clerk_client.post(
        "/backoffice/registro/",
        desk_post(attachments=[SimpleUploadedFile("foto.jpg", PDF, content_type="image/jpeg")]),
    )
    assert response.status_code == 200
    assert "no corresponde a su extensión" in response.content.decode()
    response = clerk_client.post("/backoffice/registro/", desk_post(id_number="12345678A"))
    assert "La letra o el dígito de control del DNI no es correcto." in response.content.decode()
    assert not RegistryEntry.objects.exists()
    assert stored_files(isolated_media) == []
    from concejo.people.models import Person

    assert not Person.objects.exists()


def test_the_unit_inbox_accepts_and_forwards(client, council, registry_setup, clerk_client):
    clerk_client.post("/backoffice/registro/", desk_post())
    entry = RegistryEntry.objects.get()
    member = MembershipFactory(
        entity=council, unit=registry_setup["licences"], role=Role.CASE_HANDLER
    )
    client.force_login(member.user)
    inbox = client.get("/backoffice/bandeja/").content.decode()
    assert entry.registry_code in inbox
    page = client.post(
        f"/backoffice/registro/{entry.pk}/",
        {"action": "forward", "to_unit": "LA0000032", "reason": ""},
        follow=True,
    )
    assert "Indique el motivo." in page.content.decode()
    client.post(
        f"/backoffice/registro/{entry.pk}/",
        {"action": "forward", "to_unit": "LA0000032", "reason": "Obras"},
    )
    entry.refresh_from_db()
    assert entry.current_unit.dir3_code == "LA0000032"
    assert entry.registry_code not in client.get("/backoffice/bandeja/").content.decode()


def test_employees_without_the_role_cannot_use_the_desk(client, council, registry_setup):
    client.force_login(MembershipFactory(entity=council, role=Role.SIGNER).user)
    assert client.get("/backoffice/registro/").status_code == 403


def test_a_handler_opens_and_works_a_case_from_the_desk(
    client, clerk_client, council, registry_setup
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from concejo.cases.models import Case

    clerk_client.post("/backoffice/registro/", desk_post())
    entry = RegistryEntry.objects.get()
    handler = MembershipFactory(
        entity=council, unit=registry_setup["licences"], role=Role.CASE_HANDLER
    )
    client.force_login(handler.user)
    page = client.post(
        f"/backoffice/registro/{entry.pk}/abrir-expediente", follow=True
    ).content.decode()
    case = Case.objects.get()
    assert f"Expediente {case.case_code} abierto." in page
    assert "escaneo.pdf" in page  # the entry's scan is in the index
    client.post(
        f"/backoffice/expedientes/{case.pk}/", {"action": "transition", "to": "in_progress"}
    )
    client.post(
        f"/backoffice/expedientes/{case.pk}/",
        {"action": "document", "title": "Informe técnico", "document_type": "TD13",
         "file": SimpleUploadedFile("informe.pdf", PDF, content_type="application/pdf")},
    )  # fmt: skip
    client.post(
        f"/backoffice/expedientes/{case.pk}/",
        {"action": "task", "title": "Visita de inspección", "days": "5", "unit": ""},
    )
    tasks_page = client.get("/backoffice/tareas/").content.decode()
    assert "Visita de inspección" in tasks_page
    bad = client.post(
        f"/backoffice/expedientes/{case.pk}/", {"action": "transition", "to": "closed"}, follow=True
    )
    assert "no puede pasar" in bad.content.decode()
    view = client.get(f"/backoffice/expedientes/{case.pk}/").content.decode()
    assert "Informe técnico" in view and "Abierto → En tramitación" in view
    listing = client.get("/backoffice/expedientes/", {"q": "ventanilla"}).content.decode()
    assert case.case_code in listing
    outsider = MembershipFactory(
        entity=council, unit=registry_setup["works"], role=Role.CASE_HANDLER
    )
    client.force_login(outsider.user)
    assert client.get(f"/backoffice/expedientes/{case.pk}/").status_code == 404
