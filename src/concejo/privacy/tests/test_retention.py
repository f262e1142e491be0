"""Retention: what has served its time is listed for the archive, and nothing is deleted."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from concejo.cases.models import Case, CaseStatus
from concejo.core.actors import Actor
from concejo.core.errors import ValidationFailed
from concejo.documents.models import Document
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.privacy.models import LegalHold, RetentionAction
from concejo.privacy.retention import retention_due
from concejo.privacy.services import legal_hold_place, legal_hold_release, retention_rule_save
from concejo.procedures import services as procedures
from concejo.procedures.tests.factories import content
from concejo.registry.models import RegistryEntry
from concejo.signatures.tests.test_portafirmas import draft_pdf

pytestmark = pytest.mark.django_db

LATER = timezone.localdate() + dt.timedelta(days=6 * 366)  # six years from now


@pytest.fixture
def archive(resolved, registry_setup):
    """A signed resolution and an unsigned draft report, and a closed case opened from an entry."""
    from concejo.cases.services import case_open_from_entry
    from concejo.registry.services import registry_entry_create

    entity, actor = resolved["entity"], resolved["actor"]
    report = draft_pdf(entity, actor, "Informe técnico")
    Document.objects.filter(pk=report.pk).update(document_type="TD13")
    old_report = draft_pdf(entity, actor, "Informe antiguo")
    Document.objects.filter(pk=old_report.pk).update(document_type="TD13")
    entry = registry_entry_create(
        actor=Actor.system(), entity=entity, subject="Solicitud de vado",
        interested=[resolved["maria"]], destination_unit=resolved["unit"],
    )  # fmt: skip
    closed = case_open_from_entry(actor=Actor.system(), entry=entry)
    version = procedures.procedure_create(
        actor=Actor.system(), entity=entity, sia_code="2045009", **content(entity)
    )
    # Closing needs the whole notification flow (tested in cases); here only the outcome matters.
    Case.objects.filter(pk=closed.pk).update(
        status=CaseStatus.CLOSED, index_closed_at=timezone.now(), procedure=version.procedure
    )
    for kind in ("TD01", "TD13"):
        retention_rule_save(actor=Actor.system(), entity=entity, document_type=kind, years=5,
                            action=RetentionAction.DESTROY, legal_reference="Dictamen 1/2026")  # fmt: skip
    return {**resolved, "report": report, "old_report": old_report, "closed": closed,
            "entry": entry, "procedure": version.procedure}  # fmt: skip


def by_reference(listing):
    return {item.reference: item for item in listing.items}


def test_documents_past_their_period_are_listed_and_signed_or_held_ones_are_not_destroyable(
    archive,
):
    entity = archive["entity"]
    legal_hold_place(
        actor=Actor.system(), entity=entity, document=archive["old_report"],
        reason="Reclamación ante el juzgado 12/2026",
    )  # fmt: skip
    assert retention_due(actor=Actor.system(), entity=entity).items == []
    items = by_reference(retention_due(actor=Actor.system(), entity=entity, on=LATER))
    signed = items[archive["resolution"].eni_identifier]
    assert not signed.destroyable
    assert signed.protections == ["Documento firmado electrónicamente: no se elimina."]
    assert items[archive["report"].eni_identifier].destroyable
    held = items[archive["old_report"].eni_identifier]
    assert held.protections == ["Retención legal: Reclamación ante el juzgado 12/2026"]
    assert not held.destroyable
    legal_hold_release(
        actor=Actor.system(), hold=LegalHold.objects.get(document=archive["old_report"])
    )
    items = by_reference(retention_due(actor=Actor.system(), entity=entity, on=LATER))
    assert items[archive["old_report"].eni_identifier].destroyable


def test_a_closed_case_is_listed_for_transfer_and_its_registry_entry_is_kept(archive):
    entity = archive["entity"]
    retention_rule_save(
        actor=Actor.system(), entity=entity, procedure=archive["procedure"], years=5,
        action=RetentionAction.TRANSFER,
    )  # fmt: skip
    assert archive["closed"].case_code not in by_reference(
        retention_due(actor=Actor.system(), entity=entity)
    )
    items = by_reference(retention_due(actor=Actor.system(), entity=entity, on=LATER))
    case = items[archive["closed"].case_code]
    assert (case.action, case.destroyable) == ("transfer", False)
    entry = items[archive["entry"].registry_code]
    assert entry.protections == [
        "Los asientos del registro se conservan siempre (art. 16 Ley 39/2015)."
    ]


def test_nothing_is_deleted_and_the_command_lists_the_same_in_csv_and_json(archive):
    before = (Document.objects.count(), Case.objects.count(), RegistryEntry.objects.count())
    out = io.StringIO()
    call_command("retention_due", "--entity", archive["entity"].dir3_code,
                 "--date", LATER.isoformat(), stdout=out)  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["reference"] for r in rows} >= {archive["report"].eni_identifier}
    signed = next(r for r in rows if r["reference"] == archive["resolution"].eni_identifier)
    assert signed["destroyable"] == "False" and "firmado" in signed["protections"]
    out = io.StringIO()
    call_command("retention_due", "--format", "json", "--date", LATER.isoformat(), stdout=out)
    assert len(json.loads(out.getvalue())["items"]) == len(rows)
    assert (Document.objects.count(), Case.objects.count(), RegistryEntry.objects.count()) == before


def test_a_rule_names_one_series_and_sensible_years(archive):
    with pytest.raises(ValidationFailed) as both:
        retention_rule_save(
            actor=Actor.system(), entity=archive["entity"], document_type="TD02",
            procedure=archive["procedure"], years=5, action="destroy",
        )  # fmt: skip
    assert both.value.code == "one_target"
    with pytest.raises(ValidationFailed) as twice:
        retention_rule_save(actor=Actor.system(), entity=archive["entity"], document_type="TD13",
                            years=3, action="destroy")  # fmt: skip
    assert twice.value.code == "duplicate"
    with pytest.raises(ValidationFailed):
        retention_rule_save(actor=Actor.system(), entity=archive["entity"], document_type="TD02",
                            years=0, action="destroy")  # fmt: skip


def test_the_backoffice_page_is_for_the_dpo_and_administrators(client, archive):
    entity = archive["entity"]
    client.force_login(MembershipFactory(entity=entity, role=Role.DPO).user)
    html = client.get("/backoffice/proteccion-datos/conservacion/").content.decode()
    assert "Plazos de conservación cumplidos" in html and "Dictamen 1/2026" in html
    client.force_login(MembershipFactory(entity=entity, role=Role.CASE_HANDLER).user)
    assert client.get("/backoffice/proteccion-datos/conservacion/").status_code == 403
