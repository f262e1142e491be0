import datetime as dt

import pytest
from django.utils import timezone

from concejo.cases import selectors, services
from concejo.cases.models import CaseStatus, EniState
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.deadlines.services import local_calendar_set
from concejo.demo.catalog import valladolid_holidays
from concejo.documents.services import document_create
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory
from concejo.people.tests.factories import PersonFactory
from concejo.procedures import services as procedures
from concejo.procedures.tests.factories import content
from concejo.registry.attachments import AttachmentInput
from concejo.registry.services import registry_entry_create
from concejo.registry.tests.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(council, registry_setup):
    unit = registry_setup["licences"]
    for year in range(2024, 2029):
        local_calendar_set(
            actor=Actor.system(), municipality_ine=council.ine_code, municipality_name="Pruebas",
            year=year, holidays=valladolid_holidays(year),
        )  # fmt: skip
    version = procedures.procedure_create(
        actor=Actor.system(), entity=council, sia_code="2045001",
        **content(council, responsible_unit=unit, max_resolution_amount=3, max_resolution_unit="months"),
    )  # fmt: skip
    procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)
    handler = MembershipFactory(entity=council, unit=unit, role=Role.CASE_HANDLER).user
    return {"unit": unit, "procedure": version.procedure, "version": version,
            "handler": Actor(user=handler), "clerk": Actor(user=MembershipFactory(entity=council, role=Role.REGISTRY_CLERK).user)}  # fmt: skip


def filed_entry(setup, council, **kw):
    return registry_entry_create(
        actor=setup["clerk"], entity=council, subject="Licencia de obra menor",
        interested=[kw.pop("person", None) or PersonFactory(entity=council)],
        procedure=setup["procedure"], attachments=[AttachmentInput("presupuesto.pdf", PDF)], **kw,
    )  # fmt: skip


def test_a_case_opened_from_an_entry_takes_its_parties_procedure_start_and_documents(
    setup, council
):
    saturday = dt.datetime(2025, 5, 10, 11, 0, tzinfo=timezone.get_current_timezone())
    entry = filed_entry(setup, council, filed_at=saturday)
    case = services.case_open_from_entry(actor=setup["clerk"], entry=entry)
    assert case.case_code == f"{case.year}/000001"
    assert case.eni_identifier == f"ES_{council.dir3_code}_{case.year}_EXP_000001"
    assert (case.initiation, case.procedure_version, case.responsible_unit) == (
        "on_request",
        setup["version"],
        setup["unit"],
    )
    # Three months from the effective time (Monday 12 May 2025) → 12 August 2025.
    assert case.started_at == entry.effective_at
    assert case.resolution_due == dt.date(2025, 8, 12)
    assert case.silence_effect == "approval"
    assert [p.role for p in case.parties.all()] == ["applicant"]
    line = case.index.get()
    assert (line.position, line.document.title, line.sha256) == (
        1,
        "presupuesto.pdf",
        line.document.sha256,
    )
    with pytest.raises(Conflict) as err:
        services.case_open_from_entry(actor=setup["clerk"], entry=entry)
    assert err.value.code == "entry_already_opened"


def test_case_numbers_are_gapless_per_entity_and_year(setup, council, other_entity):
    cases = [
        services.case_open(actor=setup["clerk"], entity=council, subject=f"Expediente {i}",
                           parties=[], procedure=setup["procedure"])
        for i in range(3)
    ]  # fmt: skip
    assert [c.number for c in cases] == [1, 2, 3]


def test_the_lifecycle_is_an_explicit_state_machine_with_history(setup, council):
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    handler = setup["handler"]
    with pytest.raises(Conflict) as err:
        services.case_transition(actor=handler, case=case, to_status="resolved")
    assert err.value.code == "invalid_transition"
    case = services.case_transition(actor=handler, case=case, to_status="in_progress")
    case = services.case_transition(
        actor=handler, case=case, to_status="awaiting_correction", reason="Falta el presupuesto"
    )
    case = services.case_transition(actor=handler, case=case, to_status="in_progress")
    with pytest.raises(ValidationFailed):
        services.case_transition(actor=handler, case=case, to_status="suspended")
    case = services.case_transition(actor=handler, case=case, to_status="resolved")
    case = services.case_transition(actor=handler, case=case, to_status="notified")
    case = services.case_close(actor=handler, case=case)
    assert (case.status, case.eni_state) == (CaseStatus.CLOSED, EniState.CLOSED)
    case = services.case_index_close_for_sending(actor=handler, case=case)
    assert case.eni_state == EniState.INDEX_CLOSED
    history = [(e.from_status, e.to_status) for e in case.events.filter(kind="transition")]
    assert history == [
        ("open", "in_progress"), ("in_progress", "awaiting_correction"),
        ("awaiting_correction", "in_progress"), ("in_progress", "resolved"),
        ("resolved", "notified"), ("notified", "closed"),
    ]  # fmt: skip
    correction = case.events.get(to_status="awaiting_correction")
    assert "plazo de subsanación hasta" in correction.detail


def test_suspension_moves_the_resolution_date(setup, council, monkeypatch):
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    due = case.resolution_due
    case = services.case_transition(
        actor=setup["handler"], case=case, to_status="suspended", reason="Informe preceptivo"
    )
    later = timezone.now() + dt.timedelta(days=20)
    monkeypatch.setattr(timezone, "now", lambda: later)
    case = services.case_transition(actor=setup["handler"], case=case, to_status="in_progress")
    assert case.paused_days == 20
    assert case.resolution_due >= due + dt.timedelta(days=20)


def test_silence_is_derived_when_the_maximum_time_passed(setup, council):
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    assert not services.silence_applies(case, today=case.resolution_due)
    assert services.silence_applies(case, today=case.resolution_due + dt.timedelta(days=1))


def test_a_closed_index_accepts_no_documents_and_its_documents_are_frozen(
    setup, council, isolated_media
):
    from concejo.documents.services import document_replace_content

    handler = setup["handler"]
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    document = document_create(
        actor=handler,
        entity=council,
        title="Informe técnico",
        file_name="informe.pdf",
        content=PDF,
        document_type="TD13",
    )
    services.case_document_add(actor=handler, case=case, document=document)
    for status in ("in_progress", "resolved", "notified"):
        case = services.case_transition(actor=handler, case=case, to_status=status)
    case = services.case_close(actor=handler, case=case)
    other = document_create(
        actor=handler,
        entity=council,
        title="Tarde",
        file_name="tarde.pdf",
        content=PDF,
        document_type="TD99",
    )
    with pytest.raises(Conflict) as err:
        services.case_document_add(actor=handler, case=case, document=other)
    assert err.value.code == "case_closed"
    with pytest.raises(Conflict) as err:
        document_replace_content(
            actor=handler, document=document, file_name="otro.pdf", content=PDF + b"x"
        )
    assert err.value.code == "document_final"


def test_a_tampered_document_is_detected(setup, council, isolated_media):
    handler = setup["handler"]
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    document = document_create(
        actor=handler,
        entity=council,
        title="Informe",
        file_name="informe.pdf",
        content=PDF,
        document_type="TD13",
    )
    path = isolated_media / document.file.name
    path.write_bytes(PDF + b"alterado")
    with pytest.raises(Conflict) as err:
        services.case_document_add(actor=handler, case=case, document=document)
    assert err.value.code == "hash_mismatch"
    assert not case.index.exists()


def test_visibility_by_unit_and_confidentiality(setup, council):
    unit, other_unit = setup["unit"], UnitFactory(entity=council)
    clerk = setup["clerk"]
    public = services.case_open(
        actor=clerk,
        entity=council,
        subject="Público",
        parties=[],
        responsible_unit=unit,
        confidentiality="public",
    )
    secret = services.case_open(
        actor=clerk,
        entity=council,
        subject="Secreto",
        parties=[],
        responsible_unit=unit,
        confidentiality="confidential",
    )
    services.case_open(
        actor=clerk, entity=council, subject="Ajeno", parties=[], responsible_unit=other_unit
    )
    member = setup["handler"]
    head = Actor(user=MembershipFactory(entity=council, unit=unit, role=Role.UNIT_HEAD).user)
    outsider = Actor(
        user=MembershipFactory(entity=council, unit=other_unit, role=Role.CASE_HANDLER).user
    )
    assert set(selectors.cases_visible(actor=member, entity=council)) == {public}
    assert set(selectors.cases_visible(actor=head, entity=council)) == {public, secret}
    assert public not in selectors.cases_visible(actor=outsider, entity=council)
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=outsider, case=public, to_status="in_progress")
    from concejo.cases.models import CaseAccess

    CaseAccess.objects.create(case=secret, user=member.user)
    assert secret in selectors.cases_visible(actor=member, entity=council)


def test_tasks_with_business_day_due_dates_and_lists(setup, council):
    handler = setup["handler"]
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    task = services.task_create(
        actor=handler,
        case=case,
        title="Pedir informe técnico",
        business_days=5,
        assigned_unit=setup["unit"],
    )
    assert task.due_date > timezone.localdate()
    mine = selectors.tasks_for(actor=handler, entity=council)
    assert list(mine) == [task]
    # Five business days may span a long weekend and a holiday: the window is counted from the due date.
    days_left = (task.due_date - timezone.localdate()).days
    assert list(selectors.due_soon(mine, days=days_left)) == [task]
    assert not selectors.due_soon(mine, days=days_left - 1).exists()
    assert not selectors.overdue(mine).exists()
    services.task_complete(actor=handler, task=task)
    assert not selectors.tasks_for(actor=handler, entity=council).exists()
    with pytest.raises(ValidationFailed):
        services.task_create(actor=handler, case=case, title="Sin asignar", business_days=5)


def test_case_search_filters(setup, council):
    maria = PersonFactory(
        entity=council, first_name="María", last_name_1="Santamaría", id_number="12345678Z"
    )
    services.case_open(
        actor=setup["clerk"],
        entity=council,
        subject="Terraza en la Plaza Mayor",
        parties=[(maria, "applicant")],
        procedure=setup["procedure"],
    )
    services.case_open(
        actor=setup["clerk"],
        entity=council,
        subject="Vado en calle Real",
        parties=[],
        procedure=setup["procedure"],
    )
    visible = selectors.cases_visible(actor=setup["handler"], entity=council)
    assert [c.subject for c in selectors.case_search(visible, text="terraza")] == [
        "Terraza en la Plaza Mayor"
    ]
    assert [c.subject for c in selectors.case_search(visible, text="santamaria")] == [
        "Terraza en la Plaza Mayor"
    ]
    assert [c.subject for c in selectors.case_search(visible, id_number="12345678z")] == [
        "Terraza en la Plaza Mayor"
    ]
    assert selectors.case_search(visible, procedure="2045001").count() == 2
    assert selectors.case_search(visible, status="in_progress").count() == 0


def test_signed_resolutions_enter_the_book_with_gapless_numbers(setup, council, client):
    from concejo.documents.services import document_finalize

    signer = Actor(
        user=MembershipFactory(entity=council, unit=setup["unit"], role=Role.SIGNER).user
    )
    handler = setup["handler"]
    books = []
    for i in range(2):
        case = services.case_open(
            actor=setup["clerk"],
            entity=council,
            subject=f"Expediente {i}",
            parties=[],
            procedure=setup["procedure"],
        )
        case = services.case_transition(actor=handler, case=case, to_status="in_progress")
        resolution = document_create(
            actor=handler,
            entity=council,
            title=f"Resolución {i}",
            file_name="r.pdf",
            content=PDF,
            document_type="TD01",
        )
        services.case_document_add(actor=handler, case=case, document=resolution)
        with pytest.raises(Conflict) as err:
            services.resolution_register(
                actor=signer, case=case, document=resolution, summary="Conceder"
            )
        assert err.value.code == "document_not_final"
        document_finalize(actor=handler, document=resolution)
        books.append(
            services.resolution_register(
                actor=signer, case=case, document=resolution, summary=f"Conceder la licencia {i}"
            )
        )
        case.refresh_from_db()
        assert case.status == "resolved"
    assert [b.number for b in books] == [1, 2]
    assert books[0].book_code == f"{books[0].year}/000001"
    with pytest.raises(Conflict):
        services.resolution_register(
            actor=signer, case=books[0].case, document=books[0].document, summary="Otra vez"
        )
    assert list(selectors.resolution_book(actor=signer, entity=council)) == books


def test_assigning_handlers_and_naming_users_for_confidential_cases(setup, council):
    unit = setup["unit"]
    head = Actor(user=MembershipFactory(entity=council, unit=unit, role=Role.UNIT_HEAD).user)
    colleague = MembershipFactory(entity=council, unit=unit, role=Role.CASE_HANDLER).user
    case = services.case_open(
        actor=setup["clerk"],
        entity=council,
        subject="Secreto",
        parties=[],
        responsible_unit=unit,
        confidentiality="confidential",
    )
    member = setup["handler"]
    assert case not in selectors.cases_visible(actor=member, entity=council)
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=Actor(user=colleague), case=case, handler=colleague)
    case = services.case_assign(actor=head, case=case, handler=colleague)
    assert case.handler == colleague
    assert case in selectors.cases_visible(actor=Actor(user=colleague), entity=council)
    services.case_grant_access(actor=head, case=case, user=member.user)
    assert case in selectors.cases_visible(actor=member, entity=council)
    assert case.events.filter(kind="assigned").exists()


def test_a_draft_replaced_while_the_case_is_open_keeps_the_index_consistent(setup, council):
    from concejo.documents.services import document_replace_content

    handler = setup["handler"]
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    document = document_create(
        actor=handler,
        entity=council,
        title="Propuesta",
        file_name="p.pdf",
        content=PDF,
        document_type="TD01",
    )
    services.case_document_add(actor=handler, case=case, document=document)
    document = document_replace_content(
        actor=handler, document=document, file_name="p2.pdf", content=PDF + b"%v2"
    )
    assert case.index.get().sha256 == document.sha256
    for status in ("in_progress", "resolved", "notified"):
        case = services.case_transition(actor=handler, case=case, to_status=status)
    assert services.case_close(actor=handler, case=case).status == "closed"


def test_resolutions_only_for_cases_being_handled(setup, council):
    from concejo.documents.services import document_finalize

    signer = Actor(
        user=MembershipFactory(entity=council, unit=setup["unit"], role=Role.SIGNER).user
    )
    case = services.case_open(
        actor=setup["clerk"], entity=council, subject="X", parties=[], procedure=setup["procedure"]
    )
    document = document_create(
        actor=setup["handler"],
        entity=council,
        title="R",
        file_name="r.pdf",
        content=PDF,
        document_type="TD01",
    )
    services.case_document_add(actor=setup["handler"], case=case, document=document)
    document_finalize(actor=setup["handler"], document=document)
    with pytest.raises(Conflict) as err:
        services.resolution_register(actor=signer, case=case, document=document, summary="Conceder")
    assert err.value.code == "invalid_transition"


def test_a_failed_opening_from_an_entry_leaves_no_copied_files(
    setup, council, isolated_media, monkeypatch
):
    entry = filed_entry(setup, council)
    before = sorted(p for p in isolated_media.rglob("*") if p.is_file())

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(services, "_incorporate", broken)
    with pytest.raises(RuntimeError):
        services.case_open_from_entry(actor=setup["clerk"], entry=entry)
    assert sorted(p for p in isolated_media.rglob("*") if p.is_file()) == before
    from concejo.cases.models import Case

    assert not Case.objects.exists()
