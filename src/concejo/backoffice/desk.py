"""The employee's desk: what waits for them today, across the registry, cases and signatures."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from concejo.cases import selectors as cases
from concejo.cases.models import CaseStatus
from concejo.core.actors import Actor
from concejo.organization.models import Entity
from concejo.organization.selectors import unit_ids_for_actor
from concejo.registry import selectors as registry
from concejo.signatures import selectors as signatures

SHOWN = 5  # items per section; the section's own page has the rest
SCANNED = 200  # pending signature requests looked at for the count
OPEN_CASES = (CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING_CORRECTION)


@dataclass
class Item:
    label: str
    url: str
    note: str = ""
    late: bool = False


@dataclass
class Section:
    title: str
    url: str
    count: int
    empty: str
    items: list[Item] = field(default_factory=list)


def desk_sections(*, actor: Actor, entity: Entity) -> list[Section]:
    """Entries to accept in my units, my tasks, signatures waiting for me, cases due soonest."""
    today = timezone.localdate()
    entries = registry.unit_inbox(actor=actor, entity=entity).order_by("filed_at", "id")
    tasks = cases.tasks_for(actor=actor, entity=entity).order_by("due_date", "id")
    pending = signatures.signature_inbox(actor, entity, "pending").order_by("created_at")
    # Whose turn it is needs each request's steps: look at a bounded page of them.
    waiting = [r for r in pending[:SCANNED] if signatures.awaiting(r, actor.user)]
    mine = Q(handler=actor.user) | Q(responsible_unit_id__in=unit_ids_for_actor(actor, entity))
    open_cases = (
        cases.cases_visible(actor=actor, entity=entity)
        .filter(mine, status__in=OPEN_CASES, resolution_due__isnull=False)
        .order_by("resolution_due", "id")
    )
    return [
        Section(
            "Asientos por aceptar", reverse("backoffice:inbox"), entries.count(),
            "No hay asientos pendientes en sus unidades.",
            [Item(e.registry_code, reverse("backoffice:registry-entry", args=[e.pk]),
                  f"{e.filed_at:%d/%m/%Y} · {e.subject}") for e in entries[:SHOWN]],
        ),
        Section(
            "Mis tareas", reverse("backoffice:tasks"), tasks.count(),
            "No tiene tareas pendientes.",
            [Item(t.case.case_code, reverse("backoffice:case", args=[t.case_id]),
                  f"vence {t.due_date:%d/%m/%Y} · {t.title}", late=t.due_date < today)
             for t in tasks[:SHOWN]],
        ),
        Section(
            "Firmas pendientes", reverse("backoffice:signatures"), len(waiting),
            "No tiene documentos esperando su firma.",
            [Item(r.subject, reverse("backoffice:signatures"),
                  f"pedida por {r.requested_by} el {r.created_at:%d/%m/%Y}") for r in waiting[:SHOWN]],
        ),
        Section(
            "Expedientes que vencen antes", reverse("backoffice:cases"), open_cases.count(),
            "No hay expedientes abiertos con plazo en sus unidades.",
            [Item(c.case_code, reverse("backoffice:case", args=[c.pk]),
                  f"resolver antes del {c.resolution_due:%d/%m/%Y} · {c.subject}",
                  late=c.resolution_due < today) for c in open_cases[:SHOWN]],
        ),
    ]  # fmt: skip
