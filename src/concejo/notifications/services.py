"""Writes of notifications: issue, access, reject, paper outcomes, the BOE and the sweep.

A notification is complete once, by whichever channel completes first (art.
41.7 Ley 39/2015): access in the sede, explicit rejection, ten natural days
without access when electronic notification is compulsory or chosen (art.
43.2), paper delivery or refusal, or the announcement in the BOE (art. 44).
Later events are still recorded in the trail but change nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record, audited_service
from concejo.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseParty,
    CaseStatus,
    PartyRole,
)
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, NotFound, field_error
from concejo.deadlines.computation import DeadlineUnit, deadline_compute
from concejo.deadlines.selectors import calendar_for
from concejo.documents.models import Document, DocumentStatus
from concejo.notifications.models import (
    BoeAnnouncement,
    Channel,
    Completion,
    DeliveryOutcome,
    Notification,
    NotificationEvent,
    NotificationStatus,
    PaperDelivery,
)
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.outbox.services import outbox_enqueue_many
from concejo.people.models import Person
from concejo.people.selectors import representation_valid

NOTIFIERS = (Role.CASE_HANDLER, Role.UNIT_HEAD)
# The usual appeals of a resolution that ends the administrative route (a default to edit).
STANDARD_APPEALS = (
    "Contra esta resolución, que pone fin a la vía administrativa, puede interponer recurso "
    "potestativo de reposición ante el mismo órgano que la dictó en el plazo de un mes, o "
    "directamente recurso contencioso-administrativo ante los Juzgados de lo "
    "Contencioso-Administrativo en el plazo de dos meses, contados desde el día siguiente al "
    "de la notificación (arts. 123 y 124 Ley 39/2015; art. 46 Ley 29/1998)."
)
OPEN = NotificationStatus.AVAILABLE
TRANSITIONS = {
    NotificationStatus.AVAILABLE: {
        NotificationStatus.ACCESSED,
        NotificationStatus.REJECTED,
        NotificationStatus.DELIVERED,
        NotificationStatus.PUBLISHED,
    },
    NotificationStatus.ACCESSED: set(),
    NotificationStatus.REJECTED: set(),
    NotificationStatus.DELIVERED: set(),
    NotificationStatus.PUBLISHED: set(),
}
STATUS_OF = {
    Completion.ACCESSED: NotificationStatus.ACCESSED,
    Completion.REJECTED: NotificationStatus.REJECTED,
    Completion.EXPIRED: NotificationStatus.REJECTED,
    Completion.PAPER_DELIVERED: NotificationStatus.DELIVERED,
    Completion.PAPER_REFUSED: NotificationStatus.REJECTED,
    Completion.BOE: NotificationStatus.PUBLISHED,
}


@dataclass
class IssueRequest:
    case: Case
    document: Document
    addressee: Person
    subject: str
    appeals: str
    ends_administrative_route: bool = False
    appeal_amount: int | None = None
    appeal_unit: str = ""
    channel: str | None = None
    representative: Person | None = None


def expiry_moment(made_available_at: dt.datetime) -> dt.datetime:
    """When ten natural days without access make the notification rejected (art. 43.2).

    NOTIFICATION_EXPIRY_CUTOFF "end_of_day" (default): the end of the tenth natural
    day after it was made available, Madrid time; "same_time": exactly ten days later.
    """
    days = settings.NOTIFICATION_EXPIRY_DAYS
    if settings.NOTIFICATION_EXPIRY_CUTOFF == "same_time":
        return made_available_at + dt.timedelta(days=days)
    local = timezone.localtime(made_available_at)
    last_day = local.date() + dt.timedelta(days=days)
    return dt.datetime.combine(last_day, dt.time.max, tzinfo=local.tzinfo)


def _postal_address(person: Person) -> str:
    if not (person.address and person.postal_code and person.municipality):
        return ""
    return f"{person.address}\n{person.postal_code} {person.municipality} ({person.province})"


def _checked(
    item: IssueRequest, signed: set, indexed: set, parties: set, agents: dict
) -> Notification:
    """One notification, checked; the applicant's representative on the case receives it
    unless another representative is given."""
    case, document, person = item.case, item.document, item.addressee
    subject = (item.subject or "").strip()
    if not subject:
        raise field_error("subject", _("Indique el asunto de la notificación."), code="required")
    if not (item.appeals or "").strip():
        raise field_error(
            "appeals",
            _("Indique los recursos que proceden, ante qué órgano y en qué plazo (art. 40.2)."),
            code="required",
        )
    if (case.pk, document.pk) not in indexed:
        raise field_error(
            "document", _("El acto no está en el índice del expediente."), code="unknown_document"
        )
    if document.status != DocumentStatus.FINAL or document.pk not in signed:
        raise field_error(
            "document",
            _("Solo se notifica un acto firmado: «%(t)s» no lo está.") % {"t": document.title},
            code="document_not_signed",
        )
    if (case.pk, person.pk) not in parties:
        raise field_error(
            "addressee", _("La persona no es interesada en el expediente."), code="not_a_party"
        )
    representative = item.representative or agents.get((case.pk, person.pk))
    if (
        representative is not None
        and (case.pk, representative.pk) not in parties
        and representation_valid(
            representative_id_number=representative.id_number,
            grantor_id_number=person.id_number,
            entity=case.entity,
            procedure_code=case.classification or None,
        )
        is None
    ):
        raise field_error(
            "representative",
            _("Esa persona no representa al interesado."),
            code="invalid_representative",
        )
    channel = item.channel or (
        Channel.ELECTRONIC
        if person.obliged_electronic or person.preferred_channel == "electronic"
        else Channel.PAPER
    )
    if channel not in Channel.values:
        raise field_error("channel", _("Canal no permitido."), code="invalid_choice")
    if channel == Channel.PAPER and person.obliged_electronic:
        raise field_error(
            "channel",
            _("%(n)s está obligado a relacionarse electrónicamente (art. 14.2): no cabe papel.")
            % {"n": person.display_name},
            code="electronic_obliged",
        )
    recipient = representative or person
    address = _postal_address(recipient)
    if channel == Channel.ELECTRONIC and not (recipient.email or recipient.phone):
        raise field_error(
            "addressee",
            _("%(n)s no tiene correo ni móvil para el aviso de la notificación electrónica.")
            % {"n": recipient.display_name},
            code="no_address",
        )
    if channel == Channel.PAPER and not address:
        raise field_error(
            "addressee",
            _("%(n)s no tiene dirección postal completa.") % {"n": recipient.display_name},
            code="no_address",
        )
    if item.appeal_amount is not None and item.appeal_unit not in DeadlineUnit.values:
        raise field_error("appeal_unit", _("Unidad de plazo no válida."), code="invalid_choice")
    return Notification(
        entity=case.entity, case=case, document=document, addressee=person,
        representative=representative, channel=channel,
        expires=channel == Channel.ELECTRONIC, subject=subject[:250],
        ends_administrative_route=item.ends_administrative_route, appeals=item.appeals.strip(),
        appeal_amount=item.appeal_amount, appeal_unit=item.appeal_unit if item.appeal_amount else "",
        email=recipient.email, phone=recipient.phone, postal_address=address,
    )  # fmt: skip


@audited_service("notifications.notification.issue")
def notifications_issue(
    *, actor: Actor, entity: Entity, items: list[IssueRequest]
) -> list[Notification]:
    """Issue notifications (one or many thousands): all are checked before any is written.

    Each is made available in the sede now; notices (e-mail, SMS) go through the
    outbox; paper ones get a printable PDF with its CSV.
    """
    from concejo.signatures.models import DocumentSignature
    from concejo.verification.services import document_issue

    require_role(actor, entity, *NOTIFIERS)
    if not items:
        raise field_error("items", _("No hay nada que notificar."), code="required")
    if any(item.case.entity_id != entity.pk for item in items):
        raise NotFound(_("No existe el expediente o no tiene acceso a él."))
    case_ids = {item.case.pk for item in items}
    document_ids = {item.document.pk for item in items}
    signed = set(
        DocumentSignature.objects.filter(document_id__in=document_ids).values_list(
            "document_id", flat=True
        )
    )
    indexed = set(
        CaseDocument.objects.filter(case_id__in=case_ids, document_id__in=document_ids)
        .values_list("case_id", "document_id")
    )  # fmt: skip
    roles = list(
        CaseParty.objects.filter(case_id__in=case_ids).values_list("case_id", "person_id", "role")
    )
    parties = {(case_id, person_id) for case_id, person_id, _ in roles}
    representatives = {case_id: person_id for case_id, person_id, role in roles
                       if role == PartyRole.REPRESENTATIVE}  # fmt: skip
    agents = {
        (case_id, person_id): representatives[case_id]
        for case_id, person_id, role in roles
        if role == PartyRole.APPLICANT and case_id in representatives
    }
    if agents:
        people = Person.objects.in_bulk(set(agents.values()))
        agents = {key: people[pk] for key, pk in agents.items()}
    built = [_checked(item, signed, indexed, parties, agents) for item in items]
    now = timezone.now()
    expires_at = expiry_moment(now)
    for notification in built:
        notification.made_available_at = now
        notification.expires_at = expires_at if notification.expires else None
        notification.issued_by = actor.label
        if notification.channel == Channel.PAPER:
            notification.paper_document = document_issue(
                entity=entity, kind="notifications.paper",
                title=_("Notificación: %(s)s") % {"s": notification.subject},
                source_type=Notification._meta.label_lower, source_id="pending",
            )  # fmt: skip
    Notification.objects.bulk_create(built, batch_size=2000)
    for notification in built:
        if notification.paper_document is not None:
            notification.paper_document.source_id = str(notification.pk)
            notification.paper_document.save(update_fields=["source_id"])
    until = _("se entenderá rechazada si no accede antes del %(d)s")
    NotificationEvent.objects.bulk_create(
        (
            NotificationEvent(
                notification=n, kind="made_available", at=now, author=actor.label, ip=actor.ip,
                detail=_("Puesta a disposición en la sede electrónica")
                + (f"; {until % {'d': f'{timezone.localtime(n.expires_at):%d/%m/%Y %H:%M}'}}"
                   if n.expires_at else ""),
            )
            for n in built
        ),
        batch_size=2000,
    )  # fmt: skip
    CaseEvent.objects.bulk_create(
        (
            CaseEvent(
                case_id=n.case_id, kind="notification", author=actor.label,
                detail=_("Notificación «%(s)s» a %(p)s (%(c)s)")
                % {"s": n.subject, "p": n.addressee.display_name, "c": Channel(n.channel).label},
            )
            for n in built
        ),
        batch_size=2000,
    )  # fmt: skip
    notices = [{"notification": str(n.pk), "medium": "email"} for n in built if n.email]
    notices += [{"notification": str(n.pk), "medium": "sms"} for n in built if n.phone]
    outbox_enqueue_many(kind="notifications.notice", payloads=notices)
    audit_record(
        actor=actor, action="notifications.notification.issue", entity=entity,
        target=built[0] if len(built) == 1 else None,
        details={"count": len(built), "cases": len(case_ids)},
    )  # fmt: skip
    return built


def notification_issue(*, actor: Actor, item: IssueRequest) -> Notification:
    return notifications_issue(actor=actor, entity=item.case.entity, items=[item])[0]


# --- completing a notification ------------------------------------------------


def _appeal_due(notification: Notification, when: dt.datetime) -> dt.date | None:
    """The appeal runs from the day after the notification (art. 30.3)."""
    if not notification.appeal_amount:
        return None
    return deadline_compute(
        start=when, amount=notification.appeal_amount, unit=notification.appeal_unit,
        calendar=calendar_for(notification.entity, strict=False),
    ).end  # fmt: skip


def _event(notification, kind: str, at, actor: Actor, detail: str = "") -> None:
    NotificationEvent.objects.create(
        notification=notification, kind=kind, at=at, author=actor.label, ip=actor.ip,
        detail=detail,
    )  # fmt: skip


def _case_continues(case_ids: set) -> None:
    """A resolved case becomes notified when none of its notifications is still open."""
    pending = set(
        Notification.objects.filter(case_id__in=case_ids, status=OPEN).values_list(
            "case_id", flat=True
        )
    )
    ready = [pk for pk in case_ids if pk not in pending]
    moved = list(
        Case.objects.filter(pk__in=ready, status=CaseStatus.RESOLVED).values_list("pk", flat=True)
    )
    if not moved:
        return
    Case.objects.filter(pk__in=moved).update(status=CaseStatus.NOTIFIED, updated_at=timezone.now())
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=pk,
            kind="transition",
            from_status=CaseStatus.RESOLVED,
            to_status=CaseStatus.NOTIFIED,
            author="system",
            detail=_("Todas las notificaciones practicadas"),
        )
        for pk in moved
    )


def _complete(notification: Notification, how: str, when: dt.datetime, actor: Actor) -> bool:
    """Record the first completion; False (and nothing changed) if one already counted."""
    if notification.status != OPEN:
        return False
    target = STATUS_OF[how]
    assert target in TRANSITIONS[NotificationStatus(notification.status)]
    notification.status, notification.completion = target, how
    notification.completed_at = when
    notification.appeal_due = _appeal_due(notification, when)
    notification.save()
    detail = Completion(how).label
    if notification.appeal_due:
        detail += " · " + _("plazo de recurso hasta el %(d)s") % {
            "d": f"{notification.appeal_due:%d/%m/%Y}"
        }
    CaseEvent.objects.create(
        case_id=notification.case_id, kind="notification_done", author=actor.label,
        detail=_("Notificación a %(p)s: %(d)s") % {"p": notification.addressee.display_name, "d": detail},
    )  # fmt: skip
    _proof(notification, how)
    _case_continues({notification.case_id})
    return True


def _proof(notification: Notification, how: str) -> None:
    """The acuse or the proof of rejection: a PDF with its CSV, added to the case (outbox)."""
    from concejo.outbox.services import outbox_enqueue

    outbox_enqueue(
        kind="notifications.proof", payload={"notification": str(notification.pk), "how": how}
    )


def _locked(notification: Notification) -> Notification:
    return (
        Notification.objects.select_for_update(of=("self",))
        .select_related("entity", "case", "addressee", "representative")
        .get(pk=notification.pk)
    )


def acting_person(actor: Actor, notification: Notification) -> Person:
    """Who the signed-in citizen is before this entity, if they may see the notification.

    The addressee, their representative named on it, or anyone holding a valid
    representation of the addressee today; anyone else gets a plain "not found".
    """
    if actor.user is None:
        raise NotFound(_("No existe la notificación."))
    for person in Person.objects.filter(entity_id=notification.entity_id, user=actor.user):
        if person.pk in (notification.addressee_id, notification.representative_id):
            return person
        if representation_valid(
            representative_id_number=person.id_number,
            grantor_id_number=notification.addressee.id_number,
            entity=notification.entity, procedure_code=notification.case.classification or None,
        ):  # fmt: skip
            return person
    raise NotFound(_("No existe la notificación."))


def _expire_if_due(notification: Notification, now: dt.datetime) -> None:
    if (
        notification.status == OPEN
        and notification.expires_at is not None
        and now > notification.expires_at
    ):
        _event(notification, "expired", notification.expires_at, Actor.system(),
               Completion.EXPIRED.label)  # fmt: skip
        _complete(notification, Completion.EXPIRED, notification.expires_at, Actor.system())


@audited_service("notifications.notification.access")
def notification_access(*, actor: Actor, notification: Notification) -> Notification:
    """Comparecencia: the citizen opens the notification; the first access counts."""
    notification = _locked(notification)
    person = acting_person(actor, notification)
    now = timezone.now()
    _expire_if_due(notification, now)
    if notification.accessed_at is not None:
        return notification  # idempotent: the first access is the one recorded
    notification.accessed_at, notification.accessed_by, notification.accessed_ip = (
        now, person, actor.ip
    )  # fmt: skip
    notification.save(update_fields=["accessed_at", "accessed_by", "accessed_ip", "updated_at"])
    counted = _complete(notification, Completion.ACCESSED, now, actor)
    _event(
        notification, "accessed", now, actor,
        _("Acceso por %(p)s (%(i)s)") % {"p": person.display_name, "i": person.id_number}
        + ("" if counted else " · " + _("la notificación ya estaba practicada")),
    )  # fmt: skip
    audit_record(
        actor=actor, action="notifications.notification.access", entity=notification.entity,
        target=notification, details={"counted": counted},
    )  # fmt: skip
    return notification


@audited_service("notifications.notification.reject")
def notification_reject(*, actor: Actor, notification: Notification) -> Notification:
    """The citizen expressly rejects it: the procedure goes on (art. 41.5)."""
    notification = _locked(notification)
    person = acting_person(actor, notification)
    now = timezone.now()
    _expire_if_due(notification, now)
    if notification.status != OPEN:
        raise Conflict(
            _("La notificación ya está practicada (%(s)s).")
            % {"s": NotificationStatus(notification.status).label},
            code="already_completed",
        )
    _event(notification, "rejected", now, actor,
           _("Rechazo expreso de %(p)s") % {"p": person.display_name})  # fmt: skip
    _complete(notification, Completion.REJECTED, now, actor)
    audit_record(
        actor=actor, action="notifications.notification.reject", entity=notification.entity,
        target=notification,
    )  # fmt: skip
    return notification


@audited_service("notifications.paper.outcome")
def notification_paper_outcome(
    *,
    actor: Actor,
    notification: Notification,
    outcome: str,
    at: dt.datetime,
    receiver_name: str = "",
    receiver_id: str = "",
    notes: str = "",
) -> Notification:
    """Record a postal delivery attempt; a failed delivery leads to the BOE (art. 44)."""
    notification = _locked(notification)
    require_role(actor, notification.entity, *NOTIFIERS, Role.REGISTRY_CLERK)
    if notification.channel != Channel.PAPER:
        raise Conflict(_("Esta notificación no se entrega en papel."), code="not_paper")
    if outcome not in DeliveryOutcome.values:
        raise field_error("outcome", _("Resultado no válido."), code="invalid_choice")
    if at > timezone.now() or at < notification.made_available_at:
        raise field_error(
            "at", _("La fecha de entrega no puede ser futura ni anterior a la emisión."),
            code="invalid_date",
        )  # fmt: skip
    attempts = list(notification.deliveries.all())
    if any(a.outcome != DeliveryOutcome.ABSENT for a in attempts) or len(attempts) >= 2:
        raise Conflict(_("La entrega en papel ya terminó."), code="delivery_finished")
    if outcome == DeliveryOutcome.DELIVERED and not (receiver_name or "").strip():
        raise field_error(
            "receiver_name", _("Indique quién recibe la notificación."), code="required"
        )
    attempt = PaperDelivery.objects.create(
        notification=notification, attempt=len(attempts) + 1, outcome=outcome, at=at,
        receiver_name=receiver_name.strip(), receiver_id=receiver_id.strip(), notes=notes.strip(),
        recorded_by=actor.label,
    )  # fmt: skip
    _event(notification, f"paper_{outcome}", at, actor,
           _("Intento %(n)d: %(o)s") % {"n": attempt.attempt, "o": attempt.get_outcome_display()})  # fmt: skip
    if outcome == DeliveryOutcome.DELIVERED:
        _complete(notification, Completion.PAPER_DELIVERED, at, actor)
    elif outcome == DeliveryOutcome.REFUSED:
        _complete(notification, Completion.PAPER_REFUSED, at, actor)
    elif (
        outcome == DeliveryOutcome.UNKNOWN_ADDRESS or attempt.attempt == 2
    ) and notification.status == OPEN:
        BoeAnnouncement.objects.create(notification=notification, requested_at=timezone.now())
        _event(notification, "boe_requested", timezone.now(), actor,
               _("Entrega fallida: se solicita el anuncio en el BOE (art. 44)."))  # fmt: skip
    audit_record(
        actor=actor, action="notifications.paper.outcome", entity=notification.entity,
        target=notification, details={"attempt": attempt.attempt, "outcome": outcome},
    )  # fmt: skip
    return notification


@audited_service("notifications.boe.published")
def notification_boe_published(
    *, actor: Actor, notification: Notification, published_on: dt.date, reference: str
) -> Notification:
    """The announcement was published: that day is the date of the notification."""
    notification = _locked(notification)
    require_role(actor, notification.entity, *NOTIFIERS, Role.REGISTRY_CLERK)
    announcement = (
        BoeAnnouncement.objects.select_for_update().filter(notification=notification).first()
    )
    if announcement is None:
        raise Conflict(_("No se ha solicitado anuncio en el BOE."), code="no_announcement")
    if announcement.published_on is not None:
        raise Conflict(_("El anuncio ya consta publicado."), code="already_published")
    if not (reference or "").strip():
        raise field_error("reference", _("Indique la referencia del BOE."), code="required")
    if (
        published_on > timezone.localdate()
        or published_on < timezone.localtime(announcement.requested_at).date()
    ):
        raise field_error("published_on", _("Fecha de publicación no válida."), code="invalid_date")
    announcement.published_on, announcement.reference = published_on, reference.strip()
    announcement.save(update_fields=["published_on", "reference"])
    moment = dt.datetime.combine(
        published_on, dt.time(0, 0), tzinfo=timezone.get_current_timezone()
    )
    _event(notification, "boe_published", moment, actor, f"BOE {announcement.reference}")
    _complete(notification, Completion.BOE, moment, actor)
    audit_record(
        actor=actor, action="notifications.boe.published", entity=notification.entity,
        target=notification,
    )  # fmt: skip
    return notification


def notifications_sweep(now: dt.datetime | None = None, *, batch: int = 5000) -> int:
    """Record, in bulk, the notifications rejected by ten days without access (art. 43.2).

    Readers already see them as rejected (selectors.effective); this makes it
    permanent, adds the proof to each case (outbox) and lets resolved cases move on.
    Notifications made available the same day share their cut-off, so rows are
    updated in a few grouped statements, and their trail, the case history and
    the proof tasks are written with INSERT … SELECT, without building objects.
    """
    now = now or timezone.now()
    system = Actor.system()
    total = 0
    calendars: dict = {}
    while True:
        with transaction.atomic():
            due = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(status=OPEN, expires_at__lt=now)
                .order_by("expires_at", "id")
                .values_list("id", "entity_id", "case_id", "expires_at", "appeal_amount",
                             "appeal_unit")[:batch]
            )  # fmt: skip
            if not due:
                return total
            groups: dict[tuple, list] = {}
            for pk, entity_id, _case, expires_at, amount, unit in due:
                groups.setdefault((entity_id, expires_at, amount, unit), []).append(pk)
            entities = Entity.objects.in_bulk({key[0] for key in groups})
            for (entity_id, expires_at, amount, unit), members in groups.items():
                appeal_due = None
                if amount:
                    calendar = calendars.get(entity_id)
                    if calendar is None:
                        calendar = calendars[entity_id] = calendar_for(
                            entities[entity_id], strict=False
                        )
                    appeal_due = deadline_compute(
                        start=expires_at, amount=amount, unit=unit, calendar=calendar
                    ).end
                Notification.objects.filter(pk__in=members).update(
                    status=NotificationStatus.REJECTED, completion=Completion.EXPIRED,
                    completed_at=expires_at, appeal_due=appeal_due, updated_at=now,
                )  # fmt: skip
            _record_expiries([row[0] for row in due], now, system)
            _case_continues({row[2] for row in due})
            for entity_id, entity in entities.items():
                audit_record(
                    actor=system, action="notifications.sweep", entity=entity,
                    details={"expired": sum(1 for row in due if row[1] == entity_id)},
                )  # fmt: skip
            total += len(due)


def _record_expiries(ids: list, now: dt.datetime, system: Actor) -> None:
    """The trail row, the case history line and the proof task of each expired notification."""
    from django.db import connection

    from concejo.outbox.models import OutboxTask, TaskStatus

    expired = str(Completion.EXPIRED.label)
    notifications = Notification._meta.db_table
    marks = ",".join(["%s"] * len(ids))
    keys = [Notification._meta.pk.get_db_prep_value(pk, connection) for pk in ids]
    stamp = connection.ops.adapt_datetimefield_value(now)
    where = f"FROM {notifications} WHERE id IN ({marks})"
    if connection.vendor == "postgresql":
        payload = "jsonb_build_object('notification', id::text, 'how', %s)"
    else:
        payload = "json_object('notification', id, 'how', %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NotificationEvent._meta.db_table} (notification_id, kind, at, detail,"
            f" author, ip) SELECT id, 'expired', expires_at, %s, %s, NULL {where}",
            [expired, system.label, *keys],
        )
        prefix, suffix = (_("Notificación «%(s)s»: %(d)s") % {"s": "\x00", "d": expired}).split(
            "\x00"
        )
        cursor.execute(
            f"INSERT INTO {CaseEvent._meta.db_table} (case_id, kind, from_status, to_status,"
            f" detail, author, created_at) SELECT case_id, 'notification_done', '', '',"
            f" %s || subject || %s, %s, %s {where}",
            [prefix, suffix, system.label, stamp, *keys],
        )
        cursor.execute(
            f"INSERT INTO {OutboxTask._meta.db_table} (kind, payload, status, attempts,"
            f" last_error, created_at) SELECT 'notifications.proof', {payload}, %s, 0, '', %s"
            f" {where}",
            [Completion.EXPIRED.value, TaskStatus.PENDING.value, stamp, *keys],
        )
