"""What is due for destruction or transfer under the entity's retention rules (read only).

Nothing here deletes or moves anything: the listing is for the archive and
the DPO to act on, with the items the law protects marked as not destroyable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.cases.models import Case, CaseDocument, CaseStatus
from concejo.core.actors import Actor
from concejo.documents.models import Document
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role
from concejo.people.dates import add_years
from concejo.privacy.models import LegalHold, RetentionAction, RetentionRule
from concejo.signatures.models import DocumentSignature

RETENTION_READERS = (Role.DPO,)  # and administrators
RETENTION_LIMIT = 200  # items per rule; the listing says when a rule has more


@dataclass(frozen=True)
class DueItem:
    kind: str  # document, case, registry_entry
    kind_label: str
    object_id: str
    reference: str
    title: str
    since: dt.date
    due_on: dt.date
    action: str
    action_label: str
    rule: str
    destroyable: bool
    protections: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RetentionListing:
    on: dt.date
    items: list[DueItem]
    capped_rules: list[str]


def _start_of_day_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def _open_holds(entity: Entity) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(entity=entity, released_at__isnull=True)


def _documents(entity: Entity, rule: RetentionRule, cutoff: dt.date) -> QuerySet[Document]:
    holds = _open_holds(entity)
    return (
        Document.objects.filter(
            entity=entity, document_type=rule.document_type,
            captured_at__lt=_start_of_day_after(cutoff),
        )
        .annotate(
            signed=Exists(DocumentSignature.objects.filter(document=OuterRef("pk"))),
            hold=Subquery(holds.filter(document=OuterRef("pk")).values("reason")[:1]),
            case_hold=Subquery(
                holds.filter(case__index__document=OuterRef("pk")).values("reason")[:1]
            ),
        )
        .order_by("captured_at", "id")
    )  # fmt: skip


def _cases(entity: Entity, rule: RetentionRule, cutoff: dt.date) -> QuerySet[Case]:
    return (
        Case.objects.filter(
            entity=entity, procedure=rule.procedure,
            status__in=[CaseStatus.CLOSED, CaseStatus.ARCHIVED],
            index_closed_at__lt=_start_of_day_after(cutoff),
        )
        .annotate(
            hold=Subquery(_open_holds(entity).filter(case=OuterRef("pk")).values("reason")[:1]),
            signed=Exists(
                CaseDocument.objects.filter(case=OuterRef("pk"), document__signatures__isnull=False)
            ),
        )
        .select_related("origin_entry")
        .order_by("index_closed_at", "id")
    )  # fmt: skip


def _item(kind, label, obj_id, reference, title, since, rule, protections) -> DueItem:
    destroy = rule.action == RetentionAction.DESTROY
    return DueItem(
        kind=kind, kind_label=label, object_id=str(obj_id), reference=reference, title=title,
        since=since, due_on=add_years(since, rule.years), action=rule.action,
        action_label=str(rule.get_action_display()), rule=str(rule),
        destroyable=destroy and not protections, protections=protections,
    )  # fmt: skip


def retention_due(
    *, actor: Actor, entity: Entity, on: dt.date | None = None, limit: int = RETENTION_LIMIT
) -> RetentionListing:
    """Documents and closed cases whose retention period has ended on `on` (today)."""
    require_role(actor, entity, *RETENTION_READERS)
    on = on or timezone.localdate()
    items: list[DueItem] = []
    capped: list[str] = []
    rules = RetentionRule.objects.filter(entity=entity).select_related("procedure")
    for rule in rules.order_by("created_at", "id"):
        cutoff = add_years(on, -rule.years)
        if rule.document_type:
            rows = list(_documents(entity, rule, cutoff)[: limit + 1])
            for doc in rows[:limit]:
                reasons = []
                if doc.hold or doc.case_hold:
                    reasons.append(_("Retención legal: %(r)s") % {"r": doc.hold or doc.case_hold})
                if doc.signed:
                    reasons.append(_("Documento firmado electrónicamente: no se elimina."))
                items.append(_item(
                    "document", _("Documento"), doc.pk, doc.eni_identifier, doc.title,
                    timezone.localdate(doc.captured_at), rule, reasons,
                ))  # fmt: skip
        else:
            rows = list(_cases(entity, rule, cutoff)[: limit + 1])
            for case in rows[:limit]:
                reasons = []
                if case.hold:
                    reasons.append(_("Retención legal: %(r)s") % {"r": case.hold})
                if case.signed:
                    reasons.append(_("Contiene documentos firmados electrónicamente."))
                since = timezone.localdate(case.index_closed_at)
                items.append(_item(
                    "case", _("Expediente"), case.pk, case.case_code, case.subject, since, rule,
                    reasons,
                ))  # fmt: skip
                if case.origin_entry_id:
                    entry = case.origin_entry
                    items.append(_item(
                        "registry_entry", _("Asiento registral"), entry.pk, entry.registry_code,
                        entry.subject, since, rule,
                        [_("Los asientos del registro se conservan siempre (art. 16 Ley 39/2015).")],
                    ))  # fmt: skip
        if len(rows) > limit:
            capped.append(str(rule))
    return RetentionListing(on=on, items=items, capped_rules=capped)
