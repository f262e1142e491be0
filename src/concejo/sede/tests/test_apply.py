"""Applying online from the sede: demo sign-in, draft, attachments, review, submission."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from concejo.cases.models import Case, CaseStatus
from concejo.core.actors import Actor
from concejo.organization.tests.factories import UserFactory
from concejo.people.services import representation_grant
from concejo.people.tests.factories import PersonFactory
from concejo.registry.models import RegistryEntry
from concejo.registry.tests.conftest import PDF
from concejo.sede.models import ApplicationDraft

pytestmark = pytest.mark.django_db


def sign_in(client, person):
    client.post("/carpeta/entrar/demo/", {"person": str(person.pk)})


def upload(client, url, slot, name="doc.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        url, {"action": "upload", "slot": str(slot),
              "file": SimpleUploadedFile(name, PDF, content_type="application/pdf")},
        HTTP_X_REQUESTED_WITH="fetch",
    )  # fmt: skip


def test_a_citizen_applies_with_two_documents_and_gets_the_case_and_the_receipt(
    client, sede, django_capture_on_commit_callbacks
):
    page = client.get("/carpeta/entrar/").content.decode()
    assert "Entorno de demostración" in page and "Lucía Fernández" in page
    sign_in(client, sede["lucia"])
    start = client.get(f"/{sede['entity'].dir3_code}/procedimientos/2045001/solicitar/")
    draft = ApplicationDraft.objects.get()
    assert start["Location"] == f"/carpeta/solicitudes/{draft.pk}/"
    url = start["Location"]
    html = client.get(url).content.decode()
    assert "Emplazamiento de la obra" in html and "Presupuesto detallado" in html
    # A draft keeps what was typed; the review names what is missing.
    client.post(url, {"action": "save", "f-emplazamiento": "Calle Santiago, 10"})
    assert client.get(url).content.decode().count('value="Calle Santiago, 10"') == 1
    missing = client.post(url, {"action": "review", "f-emplazamiento": "Calle Santiago, 10",
                                "acting_for": sede["lucia"].id_number}).content.decode()  # fmt: skip
    assert "Este dato es obligatorio." in missing and "Adjunte «Presupuesto detallado»" in missing
    assert upload(client, url, 1, "presupuesto.pdf").json() == {"ok": True}
    assert upload(client, url, 2, "plano.pdf").json() == {"ok": True}
    wrong = upload(client, url, 2, "foto.exe")
    assert wrong.status_code == 400 and wrong.json()["code"]
    review = client.post(url, {
        "action": "review", "f-emplazamiento": "Calle Santiago, 10", "f-presupuesto": "4800,50",
        "f-elemento": "cocina", "acting_for": sede["lucia"].id_number,
        "notification_channel": "postal", "solicita": "Licencia para reformar la cocina",
    })  # fmt: skip
    assert review["Location"] == f"{url}revisar/"
    summary = client.get(review["Location"]).content.decode()
    assert "4800.5" in summary and "presupuesto.pdf" in summary
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(review["Location"])
    entry = RegistryEntry.objects.get()
    assert done["Location"] == f"/carpeta/presentadas/{entry.pk}/"
    assert (entry.channel, entry.form_data["presupuesto"]) == ("sede", 4800.5)
    assert [a.name for a in entry.attachments.all()] == ["presupuesto.pdf", "plano.pdf"]
    assert entry.interested.get().person == sede["lucia"]
    case = Case.objects.get(origin_entry=entry)
    confirmation = client.get(done["Location"]).content.decode()
    assert entry.registry_code in confirmation and case.case_code in confirmation
    receipt = client.get(f"/carpeta/presentadas/{entry.pk}/justificante")
    assert receipt.content.startswith(b"%PDF")
    assert not ApplicationDraft.objects.exists()  # the draft and its files are gone
    # The channel chosen on the form is the person's from now on, and the trail says so.
    from concejo.audit.models import AuditEntry

    sede["lucia"].refresh_from_db()
    assert sede["lucia"].preferred_channel == "postal"
    change = AuditEntry.objects.get(action="people.person.channel")
    assert (change.object_id, change.details["to"]) == (str(sede["lucia"].pk), "postal")
    folder = client.get("/carpeta/").content.decode()
    assert entry.registry_code in folder and case.case_code in folder


def test_a_representative_files_for_the_grantor_and_an_obliged_company_cannot_choose_paper(
    client, sede
):
    company = PersonFactory(
        entity=sede["entity"], kind="legal", id_type="cif", id_number="B47123450",
        business_name="Obras Pisuerga SL", obliged_reason="legal_person",
    )  # fmt: skip
    today = timezone.localdate()
    representation_grant(
        actor=Actor.system(), entity=sede["entity"], grantor=company, representative=sede["lucia"],
        scope="general", valid_from=today, valid_to=today + dt.timedelta(days=365),
    )  # fmt: skip
    sign_in(client, sede["lucia"])
    url = client.get(f"/{sede['entity'].dir3_code}/procedimientos/2045001/solicitar/")["Location"]
    assert "Obras Pisuerga SL" in client.get(url).content.decode()
    upload(client, url, 1)
    upload(client, url, 2)
    values = {"action": "review", "f-emplazamiento": "Nave 3", "f-presupuesto": "100",
              "acting_for": "B47123450", "notification_channel": "postal"}  # fmt: skip
    refused = client.post(url, values).content.decode()
    assert "obligado a relacionarse electrónicamente" in refused
    values["notification_channel"] = "electronic"
    review = client.post(url, values)["Location"]
    done = client.post(review)["Location"]
    entry = RegistryEntry.objects.get()
    assert entry.interested.get().person == company and entry.representative == sede["lucia"]
    # The representative sees the confirmation and the receipt; nobody else does.
    assert entry.registry_code in client.get(done).content.decode()
    assert client.get(f"{done}justificante").content.startswith(b"%PDF")
    client.force_login(UserFactory(username="otra", is_staff=False))
    assert client.get(done).status_code == 404
    assert client.get(f"{done}justificante").status_code == 404


def test_with_deferred_side_effects_the_case_opens_once_after_the_submission(
    client, sede, settings
):
    from concejo.outbox.models import OutboxTask
    from concejo.outbox.services import outbox_drain
    from concejo.sede.services import open_case_task

    settings.OUTBOX_MODE = "deferred"  # production with workers: nothing runs in the request
    sign_in(client, sede["lucia"])
    url = client.get(f"/{sede['entity'].dir3_code}/procedimientos/2045001/solicitar/")["Location"]
    upload(client, url, 1)
    upload(client, url, 2)
    review = client.post(url, {
        "action": "review", "f-emplazamiento": "Calle Santiago, 10", "f-presupuesto": "100",
        "acting_for": sede["lucia"].id_number,
    })["Location"]  # fmt: skip
    done = client.post(review)
    entry = RegistryEntry.objects.get()
    assert not Case.objects.exists()  # filed; the case is the worker's
    assert OutboxTask.objects.filter(kind="sede.open_case", status="pending").count() == 1
    waiting = client.get(done["Location"]).content.decode()
    assert entry.registry_code in waiting and "Se está abriendo" in waiting
    outbox_drain(limit=100)
    case = Case.objects.get(origin_entry=entry)
    assert [line.document.title for line in case.index.order_by("position")] == [
        "doc.pdf",
        "doc.pdf",
    ]
    assert case.case_code in client.get(done["Location"]).content.decode()
    # Run again (a retry, or a clerk who opened it first): still one case, no error.
    open_case_task({"entry": str(entry.pk)})
    assert Case.objects.filter(origin_entry=entry).count() == 1


def test_someone_elses_draft_is_not_found(client, sede):
    sign_in(client, sede["lucia"])
    url = client.get(f"/{sede['entity'].dir3_code}/procedimientos/2045001/solicitar/")["Location"]
    other = UserFactory(username="otro", is_staff=False)
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}revisar/").status_code == 404
    assert client.post(f"{url}revisar/").status_code == 404  # not submitted by someone else
    assert not RegistryEntry.objects.exists() and ApplicationDraft.objects.count() == 1


def test_the_citizen_answers_a_requirement_and_the_case_resumes(client, sede, registry_setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from concejo.cases import services as cases
    from concejo.cases.models import PartyRole
    from concejo.cases.tests.factories import case_for

    case = case_for(sede["entity"], parties=[(sede["lucia"], PartyRole.APPLICANT)],
                    unit=registry_setup["licences"])  # fmt: skip
    cases.case_transition(actor=Actor.system(), case=case, to_status="in_progress")
    cases.case_transition(
        actor=Actor.system(), case=case, to_status="awaiting_correction", reason="Falta el plano"
    )
    sign_in(client, sede["lucia"])
    page = client.get(f"/carpeta/expedientes/{case.pk}/").content.decode()
    assert "Requerimiento de subsanación" in page and "Falta el plano" in page
    client.post(
        f"/carpeta/expedientes/{case.pk}/",
        {"text": "Adjunto el plano", "files": [SimpleUploadedFile("plano.pdf", PDF)]},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    entry = RegistryEntry.objects.get()
    assert entry.subject.startswith("Subsanación") and entry.attachments.count() == 1
    assert case.index.filter(document__title="plano.pdf").exists()
    again = client.post(f"/carpeta/expedientes/{case.pk}/", {"text": "otra"}, follow=True)
    assert "no espera ninguna subsanación" in again.content.decode()


def test_a_required_document_only_takes_its_accepted_formats(client, sede, settings):
    """The budget is asked for as PDF: a picture there is refused, and nothing is kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from concejo.registry.tests.conftest import PNG
    from concejo.sede.models import DraftAttachment

    sign_in(client, sede["lucia"])
    url = client.get(f"/{sede['entity'].dir3_code}/procedimientos/2045001/solicitar/")["Location"]

    def send(slot):
        return client.post(
            url, {"action": "upload", "slot": str(slot),
                  "file": SimpleUploadedFile("foto.png", PNG, content_type="image/png")},
            HTTP_X_REQUESTED_WITH="fetch",
        )  # fmt: skip

    refused = send(1)
    assert refused.status_code == 400
    assert refused.json()["code"] == "format_not_accepted"
    assert "pdf" in refused.json()["message"] + str(refused.json().get("fields"))
    assert not DraftAttachment.objects.exists()
    drafts = Path(settings.MEDIA_ROOT) / "drafts"
    assert not drafts.exists() or not any(p.is_file() for p in drafts.rglob("*"))
    assert send(0).json() == {"ok": True}  # "other documents" take any admitted format


def _ready_draft(sede) -> ApplicationDraft:
    """The citizen's draft with its form filled and both documents attached."""
    from concejo.sede import services

    draft = services.draft_for(user=sede["user"], procedure=sede["procedure"])
    services.draft_save(draft=draft, values={"f-emplazamiento": "Calle Santiago, 10",
                                             "f-presupuesto": "100"})  # fmt: skip
    services.draft_attach(draft=draft, slot=1, name="presupuesto.pdf", content=PDF)
    services.draft_attach(draft=draft, slot=2, name="plano.pdf", content=PDF)
    return draft


@pytest.mark.django_db(transaction=True)
def test_a_submission_in_progress_does_not_lock_the_council_or_the_procedure(sede, settings):
    """Until its commit a submission holds its draft, not the rows the draft refers to:
    everyone else's entries, cases and reports (which key-share-lock the entity) go on."""
    import threading

    from django.db import connection, transaction

    from concejo.sede import services

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    settings.OUTBOX_MODE = "deferred"
    draft = _ready_draft(sede)
    blocked: list[str] = []

    def probe() -> None:
        try:
            with connection.cursor() as cursor:
                for table, pk in (("organization_entity", sede["entity"].pk),
                                  ("procedures_procedure", sede["procedure"].pk)):  # fmt: skip
                    try:
                        with transaction.atomic():
                            cursor.execute(
                                f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE NOWAIT", [pk]
                            )
                    except Exception as exc:  # the lock error names the table
                        blocked.append(f"{table}: {exc}")
        finally:
            connection.close()

    with transaction.atomic():
        entry = services.application_submit(actor=Actor.sede(sede["user"]), draft_id=draft.pk)
        thread = threading.Thread(target=probe)
        thread.start()
        thread.join(timeout=30)
    assert blocked == []
    assert RegistryEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_draft_submitted_twice_at_once_is_filed_once(sede, settings):
    """The second submission waits on the draft's row lock, then finds it gone: 404, one entry."""
    import threading
    import time

    from django.db import connection, transaction

    from concejo.core.errors import NotFound
    from concejo.sede import services

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's writers queue at BEGIN IMMEDIATE")
    settings.OUTBOX_MODE = "deferred"
    draft = _ready_draft(sede)
    actor = Actor.sede(sede["user"])
    first_done = threading.Event()
    outcome: list[str] = []

    def second() -> None:
        try:
            first_done.wait(timeout=30)
            with transaction.atomic():
                services.application_submit(actor=actor, draft_id=draft.pk)
            outcome.append("filed")
        except NotFound:
            outcome.append("not found")
        finally:
            connection.close()

    thread = threading.Thread(target=second)
    thread.start()
    with transaction.atomic():
        services.application_submit(actor=actor, draft_id=draft.pk)
        first_done.set()
        with connection.cursor() as cursor:
            for _ in range(200):  # until the second waits on a lock (at most 10 s)
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
    thread.join(timeout=30)
    assert outcome == ["not found"]
    assert RegistryEntry.objects.count() == 1
    assert not ApplicationDraft.objects.filter(pk=draft.pk).exists()
