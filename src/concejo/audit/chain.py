"""How an audit row is hashed: one place, used by the writer and the verifier."""

from __future__ import annotations

from concejo.core.hashing import canonical_json, sha256_hex

GENESIS_HASH = "0" * 64


def entry_hash(entry) -> str:
    content = {
        "chain": entry.chain,
        "seq": entry.seq,
        "entity": str(entry.entity_id) if entry.entity_id else None,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "user": entry.user_id_snapshot,
        "acting_for": entry.acting_for,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "ip": entry.ip,
        "outcome": entry.outcome,
        "details": entry.details,
        "prev": entry.prev_hash,
    }
    return sha256_hex(canonical_json(content))
