"""Reading and verifying the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from concejo.audit.chain import GENESIS_HASH, entry_hash
from concejo.audit.models import AuditChainHead, AuditEntry


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
