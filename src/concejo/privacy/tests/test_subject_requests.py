"""Data-subject requests: filed as a procedure, answered within a month, or extended."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from concejo.audit.models import AuditEntry
from concejo.cases.models import CaseDocument, CaseEvent
from concejo.cases.services import case_open_from_entry
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, NotFound, ValidationFailed
from concejo.deadlines.computation import DeadlineUnit, deadline_compute
from concejo.deadlines.selectors import calendar_for
from concejo.demo.catalog import DATA_RIGHTS
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory, UnitFactory
from concejo.people.selectors import person_get
from concejo.privacy import exports
from concejo.privacy.selectors import subject_requests
from concejo.privacy.services import (
    subject_access_export,
    subject_access_export_attach,
    subject_request_extend,
)
from concejo.procedures import services as procedures
from concejo.registry.services import registry_entry_create
from concejo.verification.services import document_content

pytestmark = pytest.mark.django_db

DESK = "/backoffice/proteccion-datos/solicitudes/"


@pytest.fixture
def rights(council, registry_setup, maria_read):
    unit = UnitFactory(entity=council, name="Secretaría General")
    spec = {k: v for k, v in DATA_RIGHTS.items() if k not in ("unit", "sia_code")}
    version = procedures.procedure_create(
        actor=Actor.system(), entity=council, sia_code=DATA_RIGHTS["sia_code"],
        responsible_unit=unit, **spec,
    )  # fmt: skip
    procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)
    handler = MembershipFactory(entity=council, unit=unit, role=Role.CASE_HANDLER).user
    return {**maria_read, "procedure": version.procedure, "unit": unit, "handler": handler}


def file_request(council, rights, *, right="Acceso", days_ago=0, person=None):
    entry = registry_entry_create(
        actor=Actor.system(), entity=council, subject=f"Ejercicio del derecho de {right.lower()}",
        interested=[person or rights["maria"]], procedure=rights["procedure"],
        form_data={"derecho": right, "detalle": "Quiero saber qué datos míos tienen."},
        filed_at=timezone.now() - dt.timedelta(days=days_ago),
    )  # fmt: skip
    return case_open_from_entry(actor=Actor.system(), entry=entry)


def one_month(case, months=1):
    return deadline_compute(
        start=case.started_at, amount=months, unit=DeadlineUnit.MONTHS,
        calendar=calendar_for(case.entity, strict=False),
    ).end  # fmt: skip


@pytest.fixture
def dpo(council):
    return MembershipFactory(entity=council, role=Role.DPO, user__username="delegada").user


def test_a_filed_request_is_on_the_dpos_list_with_its_right_and_a_month_to_answer(
    client, council, rights, dpo
):
    case = file_request(council, rights, right="Supresión")
    client.force_login(dpo)
    html = client.get(DESK).content.decode()
    assert case.case_code in html and "Supresión" in html
    assert f"{one_month(case):%d/%m/%Y}" in html


def test_the_list_tells_overdue_and_due_soon_requests_apart(council, rights, dpo):
    old = file_request(council, rights, days_ago=40)
    near = file_request(council, rights, days_ago=26)
    new = file_request(council, rights)
    actor = Actor(user=dpo)

    def codes(state):
        return [c.case_code for c in subject_requests(actor=actor, entity=council, state=state)]

    assert codes("open") == [old.case_code, near.case_code, new.case_code]
    assert codes("overdue") == [old.case_code]
    assert near.case_code in codes("due_soon") and new.case_code not in codes("due_soon")


def test_extending_gives_up_to_three_months_from_receipt_once_and_with_a_reason(
    client, council, rights, dpo
):
    case = file_request(council, rights, days_ago=10)
    actor = Actor(user=dpo)
    with pytest.raises(ValidationFailed) as missing:
        subject_request_extend(actor=actor, case=case, months=2, reason=" ")
    assert missing.value.code == "required"
    extension = subject_request_extend(
        actor=actor, case=case, months=2, reason="Solicitud compleja: datos en varios servicios."
    )
    assert (extension.original_due, extension.new_due) == (one_month(case), one_month(case, 3))
    event = CaseEvent.objects.get(case=case, kind="privacy_extension")
    assert f"{extension.new_due:%d/%m/%Y}" in event.detail
    with pytest.raises(Conflict) as again:
        subject_request_extend(actor=actor, case=case, months=1, reason="Otra vez")
    assert again.value.code == "already_extended"
    [row] = subject_requests(actor=actor, entity=council)
    assert row.gdpr_due == extension.new_due


def test_the_page_extends_and_a_late_extension_is_refused_with_a_message(
    client, council, rights, dpo
):
    late = file_request(council, rights, days_ago=45)
    client.force_login(dpo)
    assert "Vencida" in client.get(DESK).content.decode()
    page = client.post(
        f"{DESK}{late.pk}/", {"action": "extend", "months": "2", "reason": "Complejidad"},
        follow=True,
    )  # fmt: skip
    assert "El plazo de un mes ya ha vencido" in page.content.decode()
    on_time = file_request(council, rights)
    page = client.post(
        f"{DESK}{on_time.pk}/", {"action": "extend", "months": "1", "reason": "Muchas solicitudes"},
        follow=True,
    )  # fmt: skip
    assert f"Plazo prorrogado hasta el {one_month(on_time, 2):%d/%m/%Y}." in page.content.decode()


def test_handlers_see_only_the_requests_of_their_units(client, council, rights):
    case = file_request(council, rights)
    stranger = MembershipFactory(
        entity=council, unit=UnitFactory(entity=council), role=Role.CASE_HANDLER
    )
    assert not subject_requests(actor=Actor(user=stranger.user), entity=council).exists()
    with pytest.raises(NotFound):
        subject_request_extend(actor=Actor(user=stranger.user), case=case, months=1, reason="x")
    client.force_login(stranger.user)
    assert client.get(f"{DESK}{case.pk}/").status_code == 404
    mine = subject_requests(actor=Actor(user=rights["handler"]), entity=council)
    assert [c.pk for c in mine] == [case.pk]


def test_the_access_export_holds_what_the_platform_has_about_the_person(
    client, council, rights, dpo
):
    case = file_request(council, rights)
    person_get(
        actor=Actor(user=rights["handler"]), person_id=rights["maria"].pk, purpose="Comprobar"
    )
    export = subject_access_export(actor=Actor(user=dpo), case=case)
    data = export.data
    assert data["persons"]["items"][0]["id_number"] == "12345678Z"
    codes = {e["registry_code"] for e in data["registry_entries"]["items"]}
    assert {rights["entry"].registry_code, case.origin_entry.registry_code} <= codes
    assert {c["case_code"] for c in data["cases"]["items"]} == {
        rights["case"].case_code, case.case_code,
    }  # fmt: skip
    assert "Comprobar" in {a["purpose"] for a in data["audit_reads"]["items"]}
    assert "Pedro" not in json.dumps(data)
    assert not export.truncated
    pdf = document_content(export.issued)
    assert pdf.startswith(b"%PDF") and export.issued.kind == "privacy.access_summary"

    client.force_login(dpo)
    download = client.get(f"{DESK}{case.pk}/exportaciones/{export.pk}.json")
    assert json.loads(download.content)["persons"]["total"] == 1
    assert AuditEntry.objects.filter(
        action="privacy.subjectaccessexport.read", object_id=str(export.pk)
    ).exists()


def test_the_summary_goes_into_the_case_once(client, council, rights):
    case = file_request(council, rights)
    handler = Actor(user=rights["handler"])
    export = subject_access_export(actor=handler, case=case)
    document = subject_access_export_attach(actor=handler, export=export)
    assert CaseDocument.objects.filter(case=case, document=document).exists()
    assert document.title.startswith("Derecho de acceso")
    with pytest.raises(Conflict):
        subject_access_export_attach(actor=handler, export=export)


def test_a_large_history_is_capped_with_the_totals_and_the_note(council, rights, dpo, monkeypatch):
    monkeypatch.setattr(exports, "SECTION_CAP", 2)
    case = file_request(council, rights)
    for _n in range(3):
        person_get(actor=Actor(user=rights["handler"]), person_id=rights["maria"].pk)
    export = subject_access_export(actor=Actor(user=dpo), case=case)
    reads = export.data["audit_reads"]
    assert (len(reads["items"]), reads["truncated"]) == (2, True) and reads["total"] >= 4
    assert export.truncated
    assert document_content(export.issued).startswith(b"%PDF")


def test_the_sede_offers_the_procedure_with_the_rights_to_choose(client, council, rights):
    html = client.get(
        f"/{council.dir3_code}/procedimientos/{DATA_RIGHTS['sia_code']}/"
    ).content.decode()
    assert "Ejercicio de derechos en materia de protección de datos" in html
