"""Reads of notifications. The ten-day rejection is right when read, even if no sweep ran."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.models import Outcome
from concejo.audit.services import audit_record
from concejo.core.actors import Actor
from concejo.core.errors import NotFound
from concejo.deadlines.computation import deadline_compute
from concejo.deadlines.selectors import calendar_for
from concejo.notifications.models import Completion, Notification, NotificationStatus
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.people.models import Person, Representation

READERS = (Role.CASE_HANDLER, Role.UNIT_HEAD, Role.REGISTRY_CLERK, Role.AUDITOR)


@dataclass(frozen=True)
class Effective:
    status: str
    completion: str
    completed_at: dt.datetime | None
    appeal_due: dt.date | None

    @property
    def label(self) -> str:
        if self.completion:
            return str(Completion(self.completion).label)
        return str(NotificationStatus(self.status).label)


def effective(n: Notification, now: dt.datetime | None = None) -> Effective:
    """The notification's state now: an unread one past its ten days counts as rejected."""
    now = now or timezone.now()
    if n.status == NotificationStatus.AVAILABLE and n.expires_at and now > n.expires_at:
        due = None
        if n.appeal_amount:
            due = deadline_compute(
                start=n.expires_at, amount=n.appeal_amount, unit=n.appeal_unit,
                calendar=calendar_for(n.entity, strict=False),
            ).end  # fmt: skip
        return Effective(NotificationStatus.REJECTED, Completion.EXPIRED, n.expires_at, due)
    return Effective(n.status, n.completion, n.completed_at, n.appeal_due)


def with_status(queryset: QuerySet[Notification], status: str, now=None) -> QuerySet:
    """Filter by the effective status (as `effective` computes it), in SQL."""
    now = now or timezone.now()
    expired = Q(status=NotificationStatus.AVAILABLE, expires_at__lt=now)
    if status == NotificationStatus.AVAILABLE:
        return queryset.filter(status=NotificationStatus.AVAILABLE).exclude(expired)
    if status == NotificationStatus.REJECTED:
        return queryset.filter(Q(status=NotificationStatus.REJECTED) | expired)
    return queryset.filter(status=status)


def notifications_for_staff(
    *, actor: Actor, entity: Entity, case=None, status: str = "", id_number: str = ""
) -> QuerySet[Notification]:
    from concejo.cases.selectors import cases_visible

    require_role(actor, entity, *READERS)
    queryset = Notification.objects.filter(
        entity=entity, case__in=cases_visible(actor=actor, entity=entity)
    ).select_related("entity", "case", "document", "addressee", "representative", "proof")
    if case is not None:
        queryset = queryset.filter(case=case)
    if id_number:
        from concejo.people.selectors import compact_id

        number = compact_id(id_number)
        queryset = queryset.filter(
            Q(addressee__id_number=number) | Q(representative__id_number=number)
        )
    if status:
        queryset = with_status(queryset, status)
    return queryset


def notification_for_staff(*, actor: Actor, entity: Entity, pk) -> Notification:
    found = notifications_for_staff(actor=actor, entity=entity).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No existe la notificación."))
    return found


def notifications_for_citizen(actor: Actor) -> QuerySet[Notification]:
    """A citizen's folder: addressed to them, to whom they represent on it, or to anyone
    who granted them a representation valid today."""
    if actor.user is None:
        return Notification.objects.none()
    mine = Person.objects.filter(user=actor.user)
    today = timezone.localdate()
    grantors = Representation.objects.filter(
        representative__in=mine, revoked_at__isnull=True, valid_from__lte=today,
        valid_to__gte=today,
    ).values("grantor__id_number")  # fmt: skip
    return (
        Notification.objects.filter(
            Q(addressee__in=mine)
            | Q(representative__in=mine)
            | Q(addressee__id_number__in=grantors)
        )
        .select_related("entity", "case", "document", "addressee", "representative", "proof")
        .order_by("-made_available_at", "-id")
    )


def may_open(actor: Actor, notification: Notification) -> bool:
    from concejo.notifications.services import acting_person

    try:
        acting_person(actor, notification)
    except NotFound:
        return False
    return True


def notification_for_citizen(actor: Actor, pk) -> Notification:
    """One notification of the citizen's folder; anyone else's is "not found", and audited."""
    from concejo.notifications.services import acting_person

    candidate = (
        Notification.objects.select_related("entity", "case", "addressee", "representative")
        .filter(pk=pk)
        .first()
    )
    try:
        if candidate is None:
            raise NotFound(_("No existe la notificación."))
        acting_person(actor, candidate)  # scoped representations are checked here
    except NotFound:
        audit_record(
            actor=actor, action="notifications.notification.read",
            entity=candidate.entity if candidate else None, target=candidate,
            outcome=Outcome.DENIED,
        )  # fmt: skip
        raise
    return candidate
