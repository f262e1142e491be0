"""Reading and verifying the audit trail."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Subquery

from concejo.audit.chain import GENESIS_HASH, entry_hash
from concejo.audit.expressions import JsonIdsIn, UuidText
from concejo.audit.models import AuditChainHead, AuditEntry, Outcome


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int
    entry_id: int | None
    reason: str


def audit_chain_verify(*, chain: str) -> ChainBreak | None:
    """Recompute a chain from its first row; the first inconsistency, or None if intact."""
    # Read the head first and check up to it: rows appended meanwhile are
    # checked next time instead of looking like a truncated chain.
    head = AuditChainHead.objects.filter(chain=chain).first()
    rows = AuditEntry.objects.filter(chain=chain).order_by("seq")
    if head is not None:
        rows = rows.filter(seq__lte=head.last_seq)
    expected_seq = 1
    prev = GENESIS_HASH
    for entry in rows.iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainBreak(chain, expected_seq, entry.pk, f"falta la entrada {expected_seq}")
        if entry.prev_hash != prev:
            return ChainBreak(chain, entry.seq, entry.pk, "el hash anterior no coincide")
        if entry_hash(entry) != entry.hash:
            return ChainBreak(chain, entry.seq, entry.pk, "el contenido fue modificado")
        prev = entry.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or (last_seq and head.last_hash != prev)):
        return ChainBreak(chain, last_seq + 1, None, "faltan entradas al final de la cadena")
    return None


def audit_chains() -> Iterator[str]:
    seen = set(AuditChainHead.objects.values_list("chain", flat=True))
    seen.update(AuditEntry.objects.values_list("chain", flat=True).distinct())
    yield from sorted(seen)


def audit_reads_about(
    *, entity, objects: Mapping[str, tuple[QuerySet, str]]
) -> QuerySet[AuditEntry]:
    """The entity's `read` rows about any of the given objects, newest first, filtered in SQL.

    `objects` maps an object type (`app_label.model`, as rows store it) to a
    queryset and the name of its column holding those objects' UUIDs. A row
    matches when it names one of them as its object, or when it is the read of
    a list page (no object) whose `details["ids"]` includes one of them.
    """
    about = Q()
    for object_type, (rows, column) in objects.items():
        texts = rows.order_by().values(pk_text=UuidText(column))
        about |= Q(object_type=object_type, object_id__in=texts)
        about |= Q(JsonIdsIn(F("details"), Subquery(texts)), object_id="")
    return AuditEntry.objects.filter(about, entity=entity, outcome=Outcome.READ).order_by(
        "-at", "-id"
    )
