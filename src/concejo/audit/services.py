"""Writing to the audit trail."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models, transaction

from concejo.audit.chain import GENESIS_HASH, entry_hash
from concejo.audit.models import GLOBAL_CHAIN, AuditChainHead, AuditEntry, Outcome
from concejo.core.actors import Actor
from concejo.core.counters import counter_statement, next_number
from concejo.core.errors import ApplicationError
from concejo.core.writes import Writes, first_rows_later

logger = logging.getLogger(__name__)


def chain_key(entity) -> str:
    return str(entity.pk) if entity is not None else GLOBAL_CHAIN


class _Batch:
    """What one service call (and every service it calls) leaves for its end.

    Audit rows: within a service every row goes here. Its chain's head is
    locked once (SELECT ... FOR UPDATE, the first time the chain is used) and
    the rows, numbered and hashed in the order they are written, go out with
    the heads' new positions in one statement at the end. A nested service
    that fails gives back the rows it had queued and the heads' positions, as
    its savepoint gives back its data.

    Last writes (`audit_flush_with`): when the outermost call opened the
    transaction itself, its last rows, and those of services it calls inline,
    wait for its end and go out in the statement that carries the COMMIT.

    Undo (`service_on_failure`): what a call did outside the database (files
    written) and must be undone if its rows are not committed after all.
    """

    def __init__(self, owner: bool) -> None:
        self.open = True
        self.owner = owner  # the outermost call began the transaction and ends it
        self.heads: dict[str, AuditChainHead] = {}
        self.pending: list[AuditEntry] = []
        self.last: Writes | None = None
        self.undo: list[Callable[[], None]] = []
        self.marks: list[tuple[int, int, bool]] = []  # each running call: rows, undo, inline

    def head(self, chain: str) -> AuditChainHead:
        if chain not in self.heads:
            self.heads[chain] = _locked_head(chain)
        return self.heads[chain]

    def enter(self, inline: bool) -> tuple[int, int, dict[str, tuple[int, str]]]:
        if self.last is not None:
            raise RuntimeError("A service was called after the last writes of its transaction.")
        self.marks.append((len(self.pending), len(self.undo), inline))
        positions = {c: (h.last_seq, h.last_hash) for c, h in self.heads.items()}
        return len(self.pending), len(self.undo), positions

    def give_back(self, saved: tuple[int, int, dict[str, tuple[int, str]]]) -> None:
        """The call failed and its savepoint (or transaction) is rolled back: undo the rest too."""
        mark, undo_mark, positions = saved
        del self.pending[mark:]
        self.heads = {c: h for c, h in self.heads.items() if c in positions}
        for chain, (seq, last_hash) in positions.items():
            self.heads[chain].last_seq, self.heads[chain].last_hash = seq, last_hash
        self.unseal()
        self.last = None  # no call can begin after them: they were this call's, or its callee's
        undo, self.undo = self.undo[undo_mark:], self.undo[:undo_mark]
        for callback in reversed(undo):
            try:
                callback()
            except Exception:  # the others still run; the call's own error is what is raised
                logger.exception("Undoing a failed service call failed")

    def leave(self) -> None:
        self.marks.pop()

    def may_wait(self) -> bool:
        """The current call's last writes may wait for the COMMIT: the outermost call
        began the transaction and every call down to this one runs inline."""
        return self.owner and all(inline for _, _, inline in self.marks[1:])

    def drain_into(self, writes: Writes) -> None:
        """Number and hash the current call's queued rows; queue them and the heads in `writes`.

        Rows queued by an enclosing call stay for it: if this call fails they
        must not have been written inside its savepoint.
        """
        start = self.marks[-1][0] if self.marks else 0
        rows, self.pending = self.pending[start:], self.pending[:start]
        if not rows:
            return
        moved: dict[str, AuditChainHead] = {}
        for entry in rows:
            head = self.head(entry.chain)
            entry.seq = head.last_seq + 1
            entry.prev_hash = head.last_hash or GENESIS_HASH
            entry.hash = entry_hash(entry)
            head.last_seq, head.last_hash = entry.seq, entry.hash
            moved[entry.chain] = head
        writes.insert(*rows, returning=True)
        for chain, head in moved.items():
            writes.update(AuditChainHead, chain, last_seq=head.last_seq, last_hash=head.last_hash)

    def wait_with(self, writes: Writes) -> None:
        """Keep `writes` for `finish`; until then the connection runs no other statement."""
        if self.last is not None:
            raise RuntimeError("A service call's last writes were already given.")
        self.last = writes
        connection.execute_wrappers.append(_sealed)

    def unseal(self) -> None:
        if self.last is not None:
            connection.execute_wrappers.remove(_sealed)

    def finish(self) -> None:
        """The outermost call ends (or a row recorded outside any call): its last writes
        and audit rows, with the COMMIT if the call began the transaction."""
        self.unseal()
        writes, self.last = self.last or Writes(), None
        self.drain_into(writes)
        writes.flush(commit=self.owner and not connection.needs_rollback)


def _sealed(execute, sql, params, many, context):
    raise RuntimeError(
        "A statement ran between a service call's last writes and their COMMIT: "
        "whatever runs after `audit_flush_with` must not use the database."
    )


_HEAD = AuditChainHead._meta.db_table
# Creates the chain's head the first time; locks it until the transaction ends.
_LOCK_HEAD = (
    f"INSERT INTO {_HEAD} (chain, last_seq, last_hash) VALUES (%s, 0, '') "  # noqa: S608 - the model's name
    f"ON CONFLICT (chain) DO UPDATE SET last_seq = {_HEAD}.last_seq RETURNING last_seq, last_hash"
)


def _locked_head(chain: str) -> AuditChainHead:
    """The chain's head, locked."""
    with _lock_head_later(chain) as head:
        return head()[0]


@contextlib.contextmanager
def _lock_head_later(chain: str, *then: tuple[str, list]):
    """Lock the chain's head, then run the statements `then`; all are sent on entering.

    The block gets a function that waits for them and returns the head and the
    first rows of `then` (see `first_rows_later`).
    """
    with first_rows_later(connection, [(_LOCK_HEAD, [chain]), *then]) as rows:
        got: list[tuple[AuditChainHead, list]] = []

        def head() -> tuple[AuditChainHead, list]:
            if not got:
                first, *others = rows()
                fields = ["chain", "last_seq", "last_hash"]
                got.append(
                    (AuditChainHead.from_db(connection.alias, fields, [chain, *first]), others)
                )
            return got[0]

        yield head


_BATCH: ContextVar[_Batch | None] = ContextVar("audit_batch", default=None)


def _open_batch() -> _Batch | None:
    batch = _BATCH.get()
    return batch if batch is not None and batch.open else None


def audit_chain_lock(entity) -> None:
    """Lock the entity's audit chain now, before any other counter.

    Lock order in a write transaction is always: audit chain head, then domain
    counters (registry numbers, case numbers...). A service that takes a
    counter calls this first (or `audit_chain_lock_and_number`), so that two
    transactions never wait on each other's locks in opposite order.
    """
    batch = _open_batch()
    if batch is not None:
        batch.head(chain_key(entity))
    else:
        _locked_head(chain_key(entity))


def audit_chain_lock_and_number(entity, counter: type[models.Model], /, **key) -> int:
    """Lock the entity's audit chain, then take the next number of `counter` for `key`.

    The same order as `audit_chain_lock` then `next_number`, in one round trip.
    """
    with audit_chain_lock_and_number_later(entity, counter, **key) as number:
        return number()


@contextlib.contextmanager
def audit_chain_lock_and_number_later(entity, counter: type[models.Model], /, **key):
    """As `audit_chain_lock_and_number`, while the caller builds its rows.

    The statements are sent on entering; the block gets `number()`, which waits
    for them (the locks held) and returns the number. Until then the caller
    does not use the database (`first_rows_later`).
    """
    chain = chain_key(entity)
    batch = _open_batch()
    if batch is not None and chain in batch.heads:  # locked earlier in this service call
        taken = next_number(counter, **key)
        yield lambda: taken
        return
    with _lock_head_later(chain, counter_statement(counter, **key)) as locked:

        def number() -> int:
            head, rows = locked()
            if batch is not None:
                batch.heads[chain] = head
            return rows[0][0]

        yield number


def audit_flush_with(writes: Writes) -> None:
    """Write `writes`, the current service call's last rows, with its audit rows so far.

    When the outermost service call began the transaction and every call down
    to this one runs inline, they wait for the end of the outermost call and
    travel with its COMMIT, in one round trip (the call records nothing more,
    and its caller reads nothing back before it returns). Otherwise they are
    written now.
    """
    batch = _open_batch()
    if batch is None:
        writes.flush()
        return
    batch.drain_into(writes)
    if not batch.may_wait():
        writes.flush()
        return
    batch.wait_with(writes)


def service_on_failure(callback: Callable[[], None]) -> bool:
    """Have `callback` run if the current service call fails, after its rollback.

    Also when the failure comes after the call's own code, at the COMMIT of
    the transaction it began (a deferred foreign key). For what a service
    does outside the database, such as writing files. False when no service
    call is running (the caller undoes it itself).
    """
    batch = _open_batch()
    if batch is None:
        return False
    batch.undo.append(callback)
    return True


def audit_record(
    *,
    actor: Actor,
    action: str,
    entity=None,
    target: models.Model | None = None,
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the entity's chain (the head row lock orders writers).

    Inside a service the row is queued and written (numbered and hashed) when
    the service ends; elsewhere (a page recording a read) it is written now.
    """
    acting_for = actor.acting_for
    entry = AuditEntry(
        chain=chain_key(entity),
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
    )
    batch = _open_batch()
    if batch is not None:
        batch.head(entry.chain)  # locked now, in the order the service meets its chains
        batch.pending.append(entry)
        return entry
    with transaction.atomic(savepoint=False):
        alone = _Batch(owner=False)
        alone.pending.append(entry)
        alone.finish()
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
    The outermost service call holds the audit batch of everything it calls.

    Called inside another service, it runs in a savepoint, so that the caller
    may catch its refusal and go on. `service.inline(...)` runs it without one,
    for a caller whose own transaction a refusal ends anyway (it lets the error
    through, and returns what the call returns): the same rows and the same
    audit trail, two round trips fewer.

    When the outermost call begins the transaction (it is not inside a
    caller's `atomic` block), its end writes the last rows (`audit_flush_with`)
    and the audit rows in one statement that carries the COMMIT, and a failure
    there, at the COMMIT too, is the call's failure: what `service_on_failure`
    registered is undone after the rollback, as for any failed call.
    """

    def decorate(fn: Callable) -> Callable:
        def run(args, actor: Actor, kwargs, savepoint: bool):
            batch = _open_batch()
            token = None
            if batch is None:
                batch = _Batch(owner=connection.get_autocommit())  # its atomic block begins one
                token = _BATCH.set(batch)
            saved = batch.enter(inline=not savepoint)
            try:
                with transaction.atomic(savepoint=savepoint):
                    result = fn(*args, actor=actor, **kwargs)
                    if token is not None:
                        batch.finish()
                        batch.open = False  # what runs after the commit writes its own rows
                return result
            except BaseException as exc:
                batch.give_back(saved)
                if token is not None:
                    batch.open = False
                if isinstance(exc, ApplicationError):
                    _record_refusal(actor, action, kwargs.get("entity"), exc)
                raise
            finally:
                batch.leave()
                if token is not None:
                    _BATCH.reset(token)

        @functools.wraps(fn)
        def wrapper(*args, actor: Actor, **kwargs):
            return run(args, actor, kwargs, savepoint=True)

        def inline(*args, actor: Actor, **kwargs):
            return run(args, actor, kwargs, savepoint=False)

        wrapper.inline = inline
        return wrapper

    return decorate


def _record_refusal(actor: Actor, action: str, entity, exc: ApplicationError) -> None:
    if transaction.get_connection().needs_rollback:
        return
    outcome = Outcome.DENIED if exc.status in (401, 403) else Outcome.REJECTED
    audit_record(
        actor=actor,
        action=action,
        entity=entity if getattr(entity, "pk", None) else None,
        outcome=outcome,
        details={"code": exc.code, "fields": sorted(exc.fields)},
    )
