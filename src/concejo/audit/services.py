"""Writing to the audit trail."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction

from concejo.audit.chain import GENESIS_HASH, entry_hash
from concejo.audit.models import GLOBAL_CHAIN, AuditChainHead, AuditEntry, Outcome
from concejo.core.actors import Actor
from concejo.core.errors import ApplicationError


def chain_key(entity) -> str:
    return str(entity.pk) if entity is not None else GLOBAL_CHAIN


def audit_chain_lock(entity) -> None:
    """Lock the entity's audit chain now, before any other counter.

    Lock order in a write transaction is always: audit chain head, then domain
    counters (registry numbers, case numbers...). A service that takes a
    counter calls this first, so that two transactions never wait on each
    other's locks in opposite order.
    """
    AuditChainHead.objects.select_for_update().get_or_create(chain=chain_key(entity))


def audit_record(
    *,
    actor: Actor,
    action: str,
    entity=None,
    target: models.Model | None = None,
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the entity's chain (the head row lock orders writers)."""
    chain = chain_key(entity)
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(chain=chain)
        acting_for = actor.acting_for
        entry = AuditEntry(
            chain=chain,
            seq=head.last_seq + 1,
            entity=entity,
            at=datetime.now(UTC),
            actor=actor.label,
            user_id_snapshot=actor.user.pk if actor.user is not None else None,
            acting_for=str(acting_for.pk) if acting_for is not None else "",
            action=action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            ip=actor.ip,
            outcome=outcome,
            details=details or {},
            prev_hash=head.last_hash or GENESIS_HASH,
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        head.last_seq = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def audit_record_read(*, actor: Actor, entity, target: models.Model, purpose: str = "") -> None:
    """Record that personal data was shown to someone."""
    audit_record(
        actor=actor,
        action=f"{target._meta.label_lower}.read",
        entity=entity,
        target=target,
        outcome=Outcome.READ,
        details={"purpose": purpose} if purpose else None,
    )


def audit_record_list_read(*, actor: Actor, entity, action: str, ids: list[str]) -> None:
    """A page of a list with personal data was shown: one read row naming its objects."""
    if ids:
        audit_record(
            actor=actor, action=action, entity=entity, outcome=Outcome.READ, details={"ids": ids}
        )


def audited_service(action: str) -> Callable:
    """Run a service in one transaction; if it fails, record the refusal after rollback.

    The service records its own success (it knows the entity and the object).
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, actor: Actor, **kwargs):
            try:
                with transaction.atomic():
                    return fn(*args, actor=actor, **kwargs)
            except ApplicationError as exc:
                outcome = Outcome.DENIED if exc.status in (401, 403) else Outcome.REJECTED
                if not transaction.get_connection().needs_rollback:
                    entity = kwargs.get("entity")
                    audit_record(
                        actor=actor,
                        action=action,
                        entity=entity if getattr(entity, "pk", None) else None,
                        outcome=outcome,
                        details={"code": exc.code, "fields": sorted(exc.fields)},
                    )
                raise

        return wrapper

    return decorate
