"""Reads for data protection: who looked at a person's data, the published record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concejo.audit.models import AuditEntry, Outcome
from concejo.audit.selectors import audit_reads_about
from concejo.audit.services import audit_record
from concejo.cases.models import Case, CaseParty
from concejo.cases.selectors import cases_visible
from concejo.cases.workflow import FINISHED
from concejo.core.actors import Actor
from concejo.core.errors import NotFound, field_error
from concejo.notifications.models import Notification
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import actor_has_role, require_role
from concejo.people.models import Person, Representation
from concejo.people.selectors import compact_id
from concejo.privacy.models import (
    SUBJECT_REQUEST_PROCEDURE,
    ProcessingActivity,
    SubjectRequestExtension,
)
from concejo.registry.models import RegistryEntry

ACCESS_REPORT_READERS = (Role.DPO, Role.AUDITOR)  # and administrators (require_role)
ACCESS_REPORT_PAGE = 50

OBJECT_NAMES = {
    "people.person": gettext_lazy("Interesado"),
    "people.representation": gettext_lazy("Apoderamiento"),
    "registry.registryentry": gettext_lazy("Asiento registral"),
    "cases.case": gettext_lazy("Expediente"),
    "notifications.notification": gettext_lazy("Notificación"),
}
LIST_NAMES = {
    "people.person.list": gettext_lazy("Listado de interesados"),
    "registry.entry.list": gettext_lazy("Listado de asientos"),
}


def persons_by_id_number(*, entity: Entity, id_number: str) -> QuerySet[Person]:
    """The entity's interesados with that document number (one per type of document)."""
    return Person.objects.filter(entity=entity, id_number=compact_id(id_number))


def person_objects(persons: QuerySet[Person]) -> dict[str, tuple[QuerySet, str]]:
    """What the platform holds that is tied to these persons: for `audit_reads_about`."""
    return {
        "people.person": (persons, "id"),
        "people.representation": (
            Representation.objects.filter(Q(grantor__in=persons) | Q(representative__in=persons)),
            "id",
        ),
        "registry.registryentry": (
            RegistryEntry.objects.filter(
                Q(interested__person__in=persons) | Q(representative__in=persons)
            ),
            "id",
        ),
        "cases.case": (CaseParty.objects.filter(person__in=persons), "case_id"),
        "notifications.notification": (
            Notification.objects.filter(Q(addressee__in=persons) | Q(representative__in=persons)),
            "id",
        ),
    }


@dataclass(frozen=True)
class AccessLine:
    at: dt.datetime
    actor: str
    employee: str
    action: str
    purpose: str
    what: str
    ip: str | None
    entry_id: int


@dataclass(frozen=True)
class AccessReport:
    persons: list[Person]
    lines: list[AccessLine]
    next_cursor: str


def _parse_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    if not cursor:
        return None
    try:
        at, _sep, pk = cursor.rpartition("~")
        return dt.datetime.fromisoformat(at), int(pk)
    except ValueError as exc:
        raise field_error(
            "antes", _("La posición de la página no es válida."), code="invalid_cursor"
        ) from exc


def _labels(rows: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """A human name for each object of one page of rows (one query per object type)."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.object_id:
            wanted.setdefault(row.object_type, set()).add(row.object_id)
    labels: dict[tuple[str, str], str] = {}
    readers = {
        "people.person": (Person, lambda p: f"{p.display_name} ({p.id_number})"),
        "registry.registryentry": (RegistryEntry, lambda e: f"{e.registry_code} · {e.subject}"),
        "cases.case": (Case, lambda c: f"{c.case_code} · {c.subject}"),
        "notifications.notification": (Notification, lambda n: n.subject),
        "people.representation": (Representation, str),
    }
    for object_type, ids in wanted.items():
        model, label = readers.get(object_type, (None, None))
        if model is None:
            continue
        for obj in model.objects.filter(pk__in=ids):
            labels[(object_type, str(obj.pk))] = label(obj)
    return labels


def _what(row: AuditEntry, labels: dict) -> str:
    if not row.object_id:
        name = LIST_NAMES.get(row.action, row.action)
        return _("%(name)s (%(n)s elementos en la página)") % {
            "name": name,
            "n": len(row.details.get("ids", [])),
        }
    name = OBJECT_NAMES.get(row.object_type, row.object_type)
    return f"{name}: {labels.get((row.object_type, row.object_id), row.object_id)}"


def _line(row: AuditEntry, users: dict, labels: dict) -> AccessLine:
    return AccessLine(
        at=row.at, actor=row.actor, employee=users.get(row.user_id_snapshot, ""),
        action=row.action, purpose=row.details.get("purpose", ""), what=_what(row, labels),
        ip=row.ip, entry_id=row.pk,
    )  # fmt: skip


def person_access_report(
    *, actor: Actor, entity: Entity, id_number: str, cursor: str = ""
) -> AccessReport:
    """Every recorded read of a person's data, and of what is tied to them, newest first.

    For the DPO, auditors and administrators of the entity. Looking is itself
    recorded, as a read of the person, before the report is built (so it shows).
    """
    require_role(actor, entity, *ACCESS_REPORT_READERS)
    before = _parse_cursor(cursor)
    persons = persons_by_id_number(entity=entity, id_number=id_number)
    found = list(persons)
    for person in found:
        audit_record(
            actor=actor, action="privacy.access_report.read", entity=entity, target=person,
            outcome=Outcome.READ, details={"purpose": _("Informe de accesos a datos personales")},
        )  # fmt: skip
    if not found:
        return AccessReport(persons=[], lines=[], next_cursor="")
    rows = audit_reads_about(entity=entity, objects=person_objects(persons))
    if before is not None:
        rows = rows.filter(Q(at__lt=before[0]) | Q(at=before[0], id__lt=before[1]))
    page = list(rows[: ACCESS_REPORT_PAGE + 1])
    more = len(page) > ACCESS_REPORT_PAGE
    page = page[:ACCESS_REPORT_PAGE]
    users = {
        u.pk: u.get_full_name() or u.get_username()
        for u in get_user_model().objects.filter(
            pk__in={r.user_id_snapshot for r in page if r.user_id_snapshot}
        )
    }
    labels = _labels(page)
    lines = [_line(row, users, labels) for row in page]
    last = page[-1] if more else None
    return AccessReport(
        persons=found,
        lines=lines,
        next_cursor=f"{last.at.isoformat()}~{last.pk}" if last is not None else "",
    )


def processing_activities_public(*, entity: Entity) -> QuerySet[ProcessingActivity]:
    """The entity's record of processing activities as published (art. 31.2 LOPDGDD)."""
    return ProcessingActivity.objects.filter(entity=entity, active=True).order_by("name", "id")


# --- Data-subject requests --------------------------------------------------

SUBJECT_REQUEST_READERS = (Role.DPO, Role.CASE_HANDLER, Role.UNIT_HEAD, Role.AUDITOR)
DUE_SOON_DAYS = 7
REQUEST_STATES = ("open", "overdue", "due_soon", "all")


def subject_request_cases(*, actor: Actor, entity: Entity) -> QuerySet[Case]:
    """The data-subject requests the actor may see: all for the DPO, else the case rules.

    Each case carries `extended_due` (after an extension) and `gdpr_due`, the
    date the answer is due now (the case's maximum date, which the procedure
    sets to one month, or the extended one).
    """
    require_role(actor, entity, *SUBJECT_REQUEST_READERS)
    if actor_has_role(actor, entity, [Role.DPO]):
        cases = Case.objects.filter(entity=entity)
    else:
        cases = cases_visible(actor=actor, entity=entity)
    extension = SubjectRequestExtension.objects.filter(case=OuterRef("pk"))
    return (
        cases.filter(procedure__sia_code=SUBJECT_REQUEST_PROCEDURE)
        .annotate(
            extended_due=Subquery(extension.values("new_due")[:1]),
            gdpr_due=Coalesce(F("extended_due"), F("resolution_due")),
        )
        .select_related("origin_entry", "responsible_unit")
    )


def subject_requests(*, actor: Actor, entity: Entity, state: str = "open") -> QuerySet[Case]:
    """Open (or overdue, due within a week, all) requests, the most urgent first."""
    cases = subject_request_cases(actor=actor, entity=entity)
    today = timezone.localdate()
    if state != "all":
        cases = cases.exclude(status__in=FINISHED)
    if state == "overdue":
        cases = cases.filter(gdpr_due__lt=today)
    elif state == "due_soon":
        cases = cases.filter(
            gdpr_due__gte=today, gdpr_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        )
    return cases.order_by(F("gdpr_due").asc(nulls_last=True), "created_at", "id")


def subject_request_get(*, actor: Actor, entity: Entity, case_id) -> Case:
    case = subject_request_cases(actor=actor, entity=entity).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No existe la solicitud o no tiene acceso a ella."))
    return case


def subject_request_right(case: Case) -> str:
    """The right exercised, as the form gave it ("" when filed without the form)."""
    form = (case.origin_entry.form_data or {}) if case.origin_entry_id else {}
    return str(form.get("derecho", ""))
