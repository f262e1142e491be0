"""Revenue reads: a receipt's account and what it costs today, taxpayers' debts, reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from concejo.core.actors import Actor
from concejo.deadlines.selectors import calendar_for
from concejo.organization.models import Role
from concejo.organization.selectors import require_role
from concejo.people.models import Person
from concejo.sectors.revenue import rules
from concejo.sectors.revenue.models import (
    CHARGE_KINDS,
    InterestRate,
    Mandate,
    MandateStatus,
    Movement,
    MovementKind,
    Receipt,
    ReceiptStatus,
    Remittance,
    Roll,
)

OFFICERS = (Role.TAX_OFFICER,)


def interest_rates() -> list[tuple[dt.date, str]]:
    return list(InterestRate.objects.order_by("valid_from").values_list("valid_from", "percent"))


@dataclass(frozen=True)
class Debt:
    """A receipt's account on a given day."""

    principal_cents: int
    charged_cents: int  # surcharges, interest and returned debits already charged
    paid_cents: int
    cancelled_cents: int
    outstanding_cents: int  # still owed before any executive surcharge of the day
    executive: rules.ExecutiveCharge | None
    enforcement_due: dt.date | None
    reduction_cents: int = 0  # art. 27.5 LGT, while everything is paid in time

    @property
    def total_due_cents(self) -> int:
        if self.executive is None:
            return self.outstanding_cents - self.reduction_cents
        return (
            self.outstanding_cents + self.executive.surcharge_cents + self.executive.interest_cents
        )

    @property
    def period(self) -> str:
        if self.outstanding_cents <= 0:
            return "settled"
        return "executive" if self.executive is not None else "voluntary"


def debt(receipt: Receipt, *, on: dt.date | None = None, movements=None, rates=None) -> Debt:
    """What the receipt owes on `on`: derived from its dates and movements when read.

    Lists pass the interest table (`rates`) once instead of reading it per receipt.
    """
    on = on or timezone.localdate()
    if movements is None:
        movements = list(receipt.movements.all())
    charged = sum(m.amount_cents for m in movements if m.kind in CHARGE_KINDS)
    paid = sum(m.amount_cents for m in movements if m.kind == MovementKind.PAYMENT)
    cancelled = sum(
        m.amount_cents
        for m in movements
        if m.kind in (MovementKind.CANCELLATION, MovementKind.REDUCTION)
    )
    outstanding = receipt.principal_cents + charged - paid - cancelled
    reduction = 0
    if (
        receipt.reducible_cents
        and receipt.status == ReceiptStatus.PENDING
        and receipt.voluntary_due is not None
        and on <= receipt.voluntary_due
        and not any(m.kind == MovementKind.REDUCTION for m in movements)
    ):
        reduction = min(receipt.reducible_cents, outstanding)
    enforcement_due = None
    if receipt.enforcement_notified_on:
        enforcement_due = rules.enforcement_due(
            receipt.enforcement_notified_on,
            calendar_for(receipt.entity, strict=False).next_business_day,
        )
    executive = None
    if (
        receipt.status == ReceiptStatus.PENDING
        and receipt.voluntary_due is not None
        and outstanding > 0
        and on > receipt.voluntary_due
    ):
        executive = rules.executive_charge(
            outstanding_cents=outstanding, voluntary_due=receipt.voluntary_due, on=on,
            enforcement_notified_on=receipt.enforcement_notified_on,
            enforcement_due_on=enforcement_due,
            rates=interest_rates() if rates is None else rates,
        )  # fmt: skip
    return Debt(
        receipt.principal_cents, charged, paid, cancelled, outstanding, executive,
        enforcement_due, reduction,
    )  # fmt: skip


def account_lines(receipt: Receipt) -> list[dict]:
    """The account as a statement: the charge of the principal, then each movement."""
    balance = receipt.principal_cents
    lines = [
        {"on": receipt.voluntary_start, "concept": receipt.get_kind_display(),
         "charge": receipt.principal_cents, "credit": 0, "balance": balance, "movement": None}
    ]  # fmt: skip
    for movement in receipt.movements.order_by("created_at", "id"):
        balance += movement.signed_cents
        charge = movement.amount_cents if movement.kind in CHARGE_KINDS else 0
        lines.append(
            {"on": movement.on, "concept": movement.get_kind_display(), "charge": charge,
             "credit": movement.amount_cents - charge, "balance": balance, "movement": movement}
        )  # fmt: skip
    return lines


def receipts_of(person: Person) -> QuerySet[Receipt]:
    """A taxpayer's receipts (never a draft roll's), newest first."""
    return (
        Receipt.objects.filter(taxpayer=person)
        .exclude(status=ReceiptStatus.DRAFT)
        .select_related("entity", "roll", "mandate")
        .prefetch_related("movements")
        .order_by("-year", "-created_at", "-id")
    )


def executive_debts(person: Person, on: dt.date | None = None) -> list[tuple[Receipt, Debt]]:
    """Receipts of the person that are unpaid after their voluntary period."""
    on = on or timezone.localdate()
    found, rates = [], interest_rates()
    for receipt in receipts_of(person).filter(status=ReceiptStatus.PENDING, voluntary_due__lt=on):
        state = debt(receipt, on=on, movements=list(receipt.movements.all()), rates=rates)
        if state.period == "executive":
            found.append((receipt, state))
    return found


def active_mandate(person: Person) -> Mandate | None:
    return (
        Mandate.objects.filter(debtor=person, status=MandateStatus.ACTIVE)
        .order_by("-signed_on")
        .first()
    )


def receipt_search(actor: Actor, entity, *, text: str = "", status: str = "") -> QuerySet[Receipt]:
    require_role(actor, entity, *OFFICERS)
    receipts = Receipt.objects.filter(entity=entity).select_related("taxpayer", "roll")
    text = text.strip()
    if text:
        receipts = receipts.filter(
            Q(reference=text) | Q(taxpayer__id_number__iexact=text)
            | Q(object_label__icontains=text)
        )  # fmt: skip
    if status == "executive":  # unpaid after the voluntary period
        receipts = receipts.filter(
            status=ReceiptStatus.PENDING, voluntary_due__lt=timezone.localdate()
        )
    elif status:
        receipts = receipts.filter(status=status)
    return receipts.order_by("-year", "tax", "kind", "number")


def rolls_of(actor: Actor, entity) -> QuerySet[Roll]:
    require_role(actor, entity, *OFFICERS)
    return Roll.objects.filter(entity=entity).order_by("-year", "tax")


def remittances_of(actor: Actor, entity) -> QuerySet[Remittance]:
    require_role(actor, entity, *OFFICERS)
    return Remittance.objects.filter(entity=entity).order_by("-number")


def collection_report(actor: Actor, entity, *, start: dt.date, end: dt.date) -> list[dict]:
    """Collected (payments less returned debits) by tax and month between two dates."""
    require_role(actor, entity, *OFFICERS)
    rows = (
        Movement.objects.filter(
            receipt__entity=entity, on__gte=start, on__lte=end,
            kind__in=[MovementKind.PAYMENT, MovementKind.DEBIT_RETURN],
        )
        .values("receipt__tax", "receipt__year", "kind", "channel")
        .annotate(total=Sum("amount_cents"), count=Count("id"))
        .order_by("receipt__tax", "receipt__year", "channel")
    )  # fmt: skip
    report: dict[tuple, dict] = {}
    for row in rows:
        key = (row["receipt__tax"], row["receipt__year"], row["channel"])
        entry = report.setdefault(
            key, {"tax": key[0], "year": key[1], "channel": key[2], "collected": 0, "count": 0}
        )
        sign = -1 if row["kind"] == MovementKind.DEBIT_RETURN else 1
        entry["collected"] += sign * row["total"]
        entry["count"] += sign * row["count"]
    return list(report.values())
