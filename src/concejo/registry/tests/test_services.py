import datetime as dt
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from pypdf import PdfReader

from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.core.tests.roundtrips import round_trips
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.people.services import representation_grant
from concejo.people.tests.factories import PersonFactory
from concejo.registry import selectors, services
from concejo.registry.attachments import AttachmentInput
from concejo.registry.models import RegistryAttachment, RegistryCounter, RegistryEntry
from concejo.registry.tests.conftest import PDF, PNG, stored_files
from concejo.verification.services import document_content

pytestmark = pytest.mark.django_db
MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def clerk(council):
    return Actor(user=MembershipFactory(entity=council, role=Role.REGISTRY_CLERK).user)


def file_entry(actor, entity, **kw):
    values = {
        "subject": "Solicitud",
        "interested": [kw.pop("person", None) or PersonFactory(entity=entity)],
        "channel": "office",
    }
    values.update(kw)
    return services.registry_entry_create(actor=actor, entity=entity, **values)


def test_entries_are_numbered_per_entity_direction_and_year(clerk, council, registry_setup):
    first = file_entry(clerk, council)
    second = file_entry(clerk, council)
    out = file_entry(clerk, council, direction="out", destination_name="Diputación de Valladolid")
    assert [(e.direction, e.number) for e in (first, second, out)] == [
        ("in", 1),
        ("in", 2),
        ("out", 1),
    ]
    assert second.registry_code == f"{second.year}-E-00000002"
    assert out.registry_code.endswith("-S-00000001")
    assert first.destination_unit == registry_setup["general"]  # default: the general registry


def test_a_rolled_back_entry_gives_its_number_back(clerk, council, registry_setup, isolated_media):
    file_entry(clerk, council)
    with pytest.raises(RuntimeError), transaction.atomic():
        file_entry(clerk, council, attachments=[AttachmentInput("a.pdf", PDF)])
        raise RuntimeError("the caller fails after the entry")
    assert file_entry(clerk, council).number == 2
    assert RegistryEntry.objects.count() == 2


def test_rejected_attachments_consume_no_number_and_leave_no_file(
    clerk, council, registry_setup, isolated_media, settings
):
    settings.REGISTRY_MAX_FILE_BYTES = 100
    cases = [
        ([AttachmentInput("ok.pdf", PDF), AttachmentInput("foto.jpg", PDF)], "content_mismatch"),
        ([AttachmentInput("programa.exe", b"MZ\x90\x00" + b"\x00" * 20)], "unsupported_format"),
        ([AttachmentInput("grande.pdf", PDF + b"0" * 200)], "attachment_too_large"),
        ([AttachmentInput("vacio.pdf", b"")], "empty_attachment"),
        ([AttachmentInput("sin-extension", PDF)], "invalid_attachment_name"),
    ]
    for attachments, code in cases:
        with pytest.raises(ValidationFailed) as err:
            file_entry(clerk, council, attachments=attachments)
        assert err.value.code == code
    assert not RegistryEntry.objects.exists()
    assert not RegistryCounter.objects.filter(last_number__gt=0).exists()
    assert stored_files(isolated_media) == []


def test_a_failure_after_files_were_written_removes_them(
    clerk, council, registry_setup, isolated_media, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("storage of the receipt failed")

    monkeypatch.setattr(services, "document_issue", broken)
    with pytest.raises(RuntimeError):
        file_entry(
            clerk,
            council,
            attachments=[AttachmentInput("a.pdf", PDF), AttachmentInput("b.png", PNG)],
        )
    assert stored_files(isolated_media) == []
    assert not RegistryEntry.objects.exists()


@pytest.mark.parametrize("padding", [0, services.WRITTEN_WHILE_NUMBERING])
def test_a_file_the_storage_cannot_write_fails_the_entry_and_leaves_nothing(
    clerk, council, registry_setup, isolated_media, padding
):
    # Written while the server takes the number, or before it for big files:
    # one that cannot be written fails the entry, and gives its number back.
    file_entry(clerk, council)
    month = dt.datetime.now(MADRID).strftime("%Y/%m")
    blocked = isolated_media / "registry" / str(council.pk) / month
    blocked.parent.mkdir(parents=True)
    blocked.write_bytes(b"a file where the month's folder should be")
    with pytest.raises(OSError):
        file_entry(
            clerk, council,
            attachments=[AttachmentInput("a.pdf", PDF + b"%" * padding), AttachmentInput("b.png", PNG)],
        )  # fmt: skip
    assert RegistryEntry.objects.count() == 1
    assert not RegistryAttachment.objects.exists()
    blocked.unlink()
    assert stored_files(isolated_media) == []
    assert file_entry(clerk, council, attachments=[AttachmentInput("a.pdf", PDF)]).number == 2


def test_an_entry_that_waits_across_new_year_takes_the_new_years_number(
    clerk, council, registry_setup, monkeypatch
):
    last_year = file_entry(clerk, council, filed_at=dt.datetime(2026, 12, 31, 12, tzinfo=MADRID))
    # The year is read before the locks and the filing time after them: here
    # the clock turns midnight in between, so the old year's number goes back.
    readings = [
        dt.datetime(2026, 12, 31, 23, 59, 59, 999_000, tzinfo=MADRID),
        dt.datetime(2027, 1, 1, 0, 0, 0, 1_000, tzinfo=MADRID),
    ]
    monkeypatch.setattr(
        services.timezone, "now", lambda: readings.pop(0) if len(readings) > 1 else readings[0]
    )
    entry = file_entry(clerk, council)
    monkeypatch.undo()
    assert (entry.year, entry.number, entry.registry_code) == (2027, 1, "2027-E-00000001")
    counters = dict(
        RegistryCounter.objects.filter(entity=council, direction="in").values_list(
            "year", "last_number"
        )
    )
    assert counters == {2026: last_year.number, 2027: 1}


def test_attachments_are_stored_with_detected_type_and_hash(
    clerk, council, registry_setup, isolated_media
):
    entry = file_entry(
        clerk, council,
        attachments=[AttachmentInput("plano.PDF", PDF, "authentic_copy"), AttachmentInput("foto.png", PNG)],
    )  # fmt: skip
    rows = list(entry.attachments.values_list("name", "mime_type", "size", "validity"))
    assert rows == [
        ("plano.PDF", "application/pdf", len(PDF), "authentic_copy"),
        ("foto.png", "image/png", len(PNG), "original"),
    ]
    attachment = RegistryAttachment.objects.get(entry=entry, position=1)
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF
    assert len(stored_files(isolated_media)) == 2


def test_a_filing_on_a_holiday_takes_effect_at_midnight_of_the_next_business_day(
    clerk, council, registry_setup
):
    saturday = dt.datetime(2025, 5, 10, 18, 45, tzinfo=MADRID)
    entry = file_entry(clerk, council, filed_at=saturday)
    assert entry.filed_at == saturday
    assert entry.effective_at == dt.datetime(2025, 5, 12, 0, 0, tzinfo=MADRID)
    assert entry.year == 2025


def test_a_representative_needs_a_valid_power(clerk, council, registry_setup):
    company = PersonFactory(entity=council)
    agent = PersonFactory(entity=council)
    with pytest.raises(ValidationFailed) as err:
        file_entry(clerk, council, person=company, representative=agent)
    assert err.value.code == "no_valid_representation"
    assert "representative" in err.value.fields
    representation_grant(
        actor=Actor.system(), entity=council, grantor=company, representative=agent, scope="entity",
        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2024, 12, 31),
    )  # fmt: skip
    with pytest.raises(ValidationFailed):  # expired
        file_entry(clerk, council, person=company, representative=agent)
    representation_grant(
        actor=Actor.system(), entity=council, grantor=company, representative=agent, scope="entity",
        valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2029, 12, 31),
    )  # fmt: skip
    assert file_entry(clerk, council, person=company, representative=agent).representative == agent


def test_missing_interested_and_foreign_units_are_rejected(
    clerk, council, other_entity, registry_setup
):
    from concejo.organization.tests.factories import UnitFactory

    with pytest.raises(ValidationFailed) as err:
        file_entry(clerk, council, interested=[])
    assert err.value.code == "missing_interested"
    with pytest.raises(ValidationFailed) as err:
        file_entry(clerk, council, destination_unit=UnitFactory(entity=other_entity))
    assert err.value.code == "unknown_unit"
    assert not RegistryEntry.objects.exists()


def test_only_registry_staff_file_entries(council, registry_setup):
    handler = Actor(user=MembershipFactory(entity=council, role=Role.CASE_HANDLER).user)
    with pytest.raises(PermissionDenied):
        file_entry(handler, council)


def test_the_receipt_is_rendered_after_commit_with_everything_art_16_asks(
    clerk, council, registry_setup, django_capture_on_commit_callbacks
):
    person = PersonFactory(entity=council, first_name="María", last_name_1="García")
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(
            clerk, council, person=person, subject="Licencia de obra menor en calle Santiago",
            office=registry_setup["office"], destination_unit=registry_setup["licences"],
            attachments=[AttachmentInput("presupuesto.pdf", PDF)],
        )  # fmt: skip
    receipt = entry.receipt
    receipt.refresh_from_db()
    assert receipt.file, "rendered by the outbox right after the commit"
    content = document_content(receipt)
    text = " ".join(
        page.extract_text() for page in PdfReader(__import__("io").BytesIO(content)).pages
    )
    flat = " ".join(text.split())
    for expected in (
        entry.registry_code, "Licencia de obra menor en calle Santiago", "María García",
        person.id_number, "Servicio de Licencias", "Oficina de la Plaza Mayor",
        "presupuesto.pdf", receipt.display_code, "/verificar/",
    ):  # fmt: skip
        assert expected in flat, expected
    assert entry.attachments.get().sha256[:40] in flat.replace(" ", "")


def test_receipts_are_deterministic_so_the_hash_never_changes(clerk, council, registry_setup):
    from concejo.registry.receipts import render_receipt

    entry = file_entry(clerk, council)
    entry.receipt.refresh_from_db()
    assert render_receipt(entry.receipt) == document_content(entry.receipt)


def test_distribution_accept_forward_return_with_history(clerk, council, registry_setup):
    licences, works = registry_setup["licences"], registry_setup["works"]
    member = Actor(
        user=MembershipFactory(entity=council, unit=licences, role=Role.CASE_HANDLER).user
    )
    entry = file_entry(clerk, council, destination_unit=licences)
    assert list(selectors.unit_inbox(actor=member, entity=council)) == [entry]
    entry = services.registry_entry_accept(actor=member, entry=entry)
    assert not selectors.unit_inbox(actor=member, entity=council).exists()
    with pytest.raises(Conflict):
        services.registry_entry_accept(actor=member, entry=entry)
    with pytest.raises(ValidationFailed) as err:
        services.registry_entry_forward(actor=member, entry=entry, to_unit=works, reason="")
    assert err.value.code == "required"
    entry = services.registry_entry_forward(
        actor=member, entry=entry, to_unit=works, reason="Es de obras"
    )
    assert (entry.current_unit, entry.distribution_status) == (works, "pending")
    with pytest.raises(PermissionDenied):  # no longer in their unit
        services.registry_entry_return(actor=member, entry=entry, reason="No")
    works_member = Actor(
        user=MembershipFactory(entity=council, unit=works, role=Role.CASE_HANDLER).user
    )
    entry = services.registry_entry_return(
        actor=works_member, entry=entry, reason="No nos corresponde"
    )
    assert (entry.current_unit, entry.distribution_status) == (
        registry_setup["general"],
        "returned",
    )
    assert list(selectors.unit_inbox(actor=clerk, entity=council)) == [entry]
    history = list(entry.movements.values_list("action", "to_unit__dir3_code", "reason"))
    assert history == [
        ("delivered", "LA0000031", ""),
        ("accepted", "LA0000031", ""),
        ("forwarded", "LA0000032", "Es de obras"),
        ("returned", "LA0000011", "No nos corresponde"),
    ]


def test_corrections_are_annotations_and_the_entry_is_unchanged(clerk, council, registry_setup):
    entry = file_entry(clerk, council, subject="Solicitud de vado")
    services.registry_entry_annotate(
        actor=clerk, entry=entry, text="El asunto correcto es «vado permanente»."
    )
    entry.refresh_from_db()
    assert entry.subject == "Solicitud de vado"
    assert [a.text for a in entry.annotations.all()] == ["El asunto correcto es «vado permanente»."]


def test_units_only_see_their_entries(clerk, council, registry_setup):
    licences, works = registry_setup["licences"], registry_setup["works"]
    mine = file_entry(clerk, council, destination_unit=licences)
    file_entry(clerk, council, destination_unit=works)
    member = Actor(user=MembershipFactory(entity=council, unit=licences, role=Role.UNIT_HEAD).user)
    assert list(selectors.registry_entries(actor=member, entity=council)) == [mine]
    assert selectors.registry_entries(actor=clerk, entity=council).count() == 2
    outsider = Actor(user=MembershipFactory(entity=council, role=Role.SIGNER).user)
    with pytest.raises(PermissionDenied):
        selectors.registry_entries(actor=outsider, entity=council)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_gapless_unique_numbers_even_with_rollbacks(council, registry_setup):
    writers, per_writer = 8, 6
    people = [PersonFactory(entity=council) for _ in range(writers)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def writer(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(per_writer):
                if i % 3 == 2:  # every third attempt rolls back after taking a number
                    try:
                        with transaction.atomic():
                            file_entry(Actor.system(), council, person=people[index])
                            raise KeyError("rollback")
                    except KeyError:
                        pass
                else:
                    file_entry(Actor.system(), council, person=people[index])
        except BaseException as exc:  # collected below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    numbers = sorted(RegistryEntry.objects.filter(entity=council).values_list("number", flat=True))
    expected = writers * (per_writer - per_writer // 3)
    assert numbers == list(range(1, expected + 1))


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_for_the_same_new_citizen_neither_fail_nor_deadlock(
    council, registry_setup
):
    """Each filing registers the citizen if new; the audit chain is locked before the counter."""
    writers = 8
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)
    citizen = {
        "id_type": "nif",
        "id_number": "12345678Z",
        "first_name": "María",
        "last_name_1": "García",
    }

    def writer() -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(3):
                services.registry_entry_file(
                    actor=Actor.system(),
                    entity=council,
                    interested_data=[citizen],
                    subject="Solicitud",
                )
        except BaseException as exc:  # collected below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert RegistryEntry.objects.filter(entity=council).count() == writers * 3
    from concejo.people.models import Person

    assert Person.objects.filter(entity=council, id_number="12345678Z").count() == 1


def test_procedures_that_presume_representation_accept_a_representative_without_power(
    clerk, council, registry_setup
):
    from concejo.procedures import services as procedures
    from concejo.procedures.tests.factories import content

    version = procedures.procedure_create(
        actor=Actor.system(), entity=council, sia_code="MERO-TRAMITE",
        **content(council, representation_required=False),
    )  # fmt: skip
    procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)
    citizen, helper = PersonFactory(entity=council), PersonFactory(entity=council)
    entry = file_entry(
        clerk, council, person=citizen, representative=helper, procedure=version.procedure
    )
    assert (entry.representative, entry.procedure_version) == (helper, version)
    with pytest.raises(ValidationFailed):  # the general instance requires the power
        file_entry(clerk, council, person=citizen, representative=helper)


def test_outgoing_entries_are_not_distributed(clerk, council, registry_setup):
    out = file_entry(clerk, council, direction="out", destination_name="Junta de Castilla y León")
    with pytest.raises(Conflict) as err:
        services.registry_entry_accept(actor=clerk, entry=out)
    assert err.value.code == "not_distributable"


# Small files are written while the server takes the number; big ones before the locks.
SIZES = pytest.mark.parametrize(
    "padding", [0, services.WRITTEN_WHILE_NUMBERING], ids=["while-numbering", "first"]
)


@SIZES
def test_the_files_are_stored_with_their_content_under_the_rows_names(
    clerk, council, registry_setup, isolated_media, padding
):
    contents = [PDF + b"%" * padding, PNG]
    entry = file_entry(
        clerk, council,
        attachments=[AttachmentInput("a.pdf", contents[0]), AttachmentInput("b.png", contents[1])],
    )  # fmt: skip
    rows = RegistryAttachment.objects.filter(entry=entry).order_by("position")
    assert [(isolated_media / row.file.name).read_bytes() for row in rows] == contents
    assert [row.size for row in rows] == [len(c) for c in contents]
    assert len(stored_files(isolated_media)) == 2


@SIZES
@pytest.mark.django_db(transaction=True)
def test_a_failure_at_the_commit_removes_the_files_and_keeps_nothing(
    clerk, council, registry_setup, isolated_media, padding
):
    """Foreign keys are checked at the COMMIT, after the service's own code: its
    failure is still the call's failure, and the files written for it go too."""
    from concejo.registry.models import RegistryMovement

    def dangling(entry, writes):
        writes.insert(
            RegistryMovement(entry=entry, action="accepted", to_unit_id=uuid.uuid4(), author="x")
        )

    attachments = [AttachmentInput("a.pdf", PDF + b"%" * padding)]
    with pytest.raises(IntegrityError):
        file_entry(clerk, council, attachments=attachments, then=dangling)
    assert stored_files(isolated_media) == []
    assert not RegistryEntry.objects.exists()
    entry = file_entry(clerk, council, attachments=[AttachmentInput("b.pdf", PDF)])
    assert entry.number == 1  # the number went back with the rollback
    assert len(stored_files(isolated_media)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's round trips")
def test_a_filing_waits_for_postgresql_twice(council, registry_setup, settings):
    """BEGIN travels with the locks and the number; the rows with the COMMIT."""
    settings.OUTBOX_MODE = "deferred"  # the receipt is rendered later, by a worker
    person = PersonFactory(entity=council)
    system = Actor.system()
    file_entry(system, council, person=person)  # statements prepared, caches warm
    trips, entry = round_trips(
        lambda: file_entry(
            system, council, person=person, attachments=[AttachmentInput("a.pdf", PDF)]
        )
    )
    assert trips == 2
    assert entry.number == 2
    assert RegistryEntry.objects.get(pk=entry.pk).attachments.count() == 1
    assert not connection.in_atomic_block and connection.connection.autocommit
