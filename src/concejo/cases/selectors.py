"""Reads of case files, filtered in SQL by what the actor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record_read
from concejo.cases.models import Case, CaseStatus, Confidentiality, Task, TaskStatus
from concejo.cases.workflow import FINISHED
from concejo.core.actors import Actor
from concejo.core.errors import NotFound
from concejo.core.search import full_text_filter
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import actor_has_role, unit_ids_for_actor
from concejo.people.selectors import compact_id


def cases_visible(*, actor: Actor, entity: Entity) -> QuerySet[Case]:
    """Unit staff see their units' cases; confidential ones only the handler, the unit
    head and the users named on the case. Auditors and administrators see all."""
    cases = Case.objects.filter(entity=entity)
    if actor.is_system or actor.api_application is not None:
        return (
            cases
            if actor.is_system or actor.api_application.entity_id == entity.pk
            else cases.none()
        )
    if actor.user is None:
        return cases.none()
    if actor.user.is_superuser or actor_has_role(actor, entity, [Role.AUDITOR]):
        return cases
    units = unit_ids_for_actor(actor, entity)
    head_units = unit_ids_for_actor(actor, entity, [Role.UNIT_HEAD])
    return cases.filter(
        Q(responsible_unit_id__in=units) & ~Q(confidentiality=Confidentiality.CONFIDENTIAL)
        | Q(responsible_unit_id__in=head_units)
        | Q(handler=actor.user)
        | Q(named_access__user=actor.user)
    ).distinct()


def case_search(
    cases: QuerySet[Case],
    *,
    procedure: str = "",
    unit: str = "",
    status: str = "",
    id_number: str = "",
    overdue: bool = False,
    text: str = "",
) -> QuerySet[Case]:
    if procedure:
        cases = cases.filter(classification=procedure)
    if unit:
        cases = cases.filter(responsible_unit__dir3_code=unit.strip().upper())
    if status:
        cases = cases.filter(status=status)
    if id_number:
        cases = cases.filter(parties__person__id_number=compact_id(id_number)).distinct()
    if overdue:
        cases = cases.filter(resolution_due__lt=timezone.localdate()).exclude(
            status__in=[*FINISHED, CaseStatus.SUSPENDED]
        )
    return full_text_filter(cases, text)


def case_get(*, actor: Actor, entity: Entity, case_id, purpose: str = "") -> Case:
    case = (
        cases_visible(actor=actor, entity=entity)
        .filter(pk=case_id)
        .select_related(
            "entity", "responsible_unit", "handler", "procedure_version", "origin_entry"
        )
        .first()
    )
    if case is None:
        raise NotFound(_("No existe el expediente o no tiene acceso a él."))
    audit_record_read(actor=actor, entity=entity, target=case, purpose=purpose)
    return case


def tasks_for(*, actor: Actor, entity: Entity) -> QuerySet[Task]:
    """Open tasks assigned to the employee or to their units."""
    return Task.objects.filter(
        Q(assigned_user=actor.user) | Q(assigned_unit_id__in=unit_ids_for_actor(actor, entity)),
        case__entity=entity,
        status=TaskStatus.OPEN,
    ).select_related("case")


def due_soon(tasks: QuerySet[Task], *, days: int = 3) -> QuerySet[Task]:
    today = timezone.localdate()
    return tasks.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days))


def overdue(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.filter(due_date__lt=timezone.localdate())


def documents_visible(*, actor: Actor, entity: Entity) -> QuerySet:
    """Documents incorporated into a case the actor may see."""
    from concejo.documents.models import Document

    return Document.objects.filter(
        entity=entity, pk__in=cases_visible(actor=actor, entity=entity).values("index__document")
    )


def resolution_book(*, actor: Actor, entity: Entity, year: int | None = None) -> QuerySet:
    """The book of resolutions: whoever may see the case may see its entry."""
    from concejo.cases.models import Resolution

    resolutions = Resolution.objects.filter(
        entity=entity, case__in=cases_visible(actor=actor, entity=entity)
    ).select_related("case", "document")
    return resolutions.filter(year=year) if year else resolutions
