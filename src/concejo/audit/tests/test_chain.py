import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from concejo.audit.models import AuditEntry
from concejo.audit.services import audit_record, chain_key
from concejo.core.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(council):
    actor = Actor(ip="192.0.2.10", is_system=True)
    entries = [
        audit_record(actor=actor, action=f"test.action{i}", entity=council) for i in range(5)
    ]
    return entries


def verify(*args):
    call_command("audit_verify", *args)


def sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_rows_are_numbered_and_linked(chain, council):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain))
    assert chain[0].chain == chain_key(council)
    verify("--entity", council.dir3_code)


def test_an_edited_row_is_named(chain, council):
    sql("UPDATE audit_auditentry SET actor = %s WHERE id = %s", ["user:intruso", chain[2].pk])
    with pytest.raises(CommandError, match=rf"entrada 3 \(id {chain[2].pk}\).*modificado"):
        verify("--entity", council.dir3_code)


def test_a_deleted_row_is_named(chain, council):
    sql("DELETE FROM audit_auditentry WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError, match="entrada 2.*falta la entrada 2"):
        verify()


def test_a_deleted_last_row_is_noticed(chain, council):
    sql("DELETE FROM audit_auditentry WHERE id = %s", [chain[4].pk])
    with pytest.raises(CommandError, match="faltan entradas al final"):
        verify("--entity", council.dir3_code)


def test_rewriting_a_row_with_a_new_hash_still_breaks_the_next_link(chain, council):
    from concejo.audit.chain import entry_hash

    forged = AuditEntry.objects.get(pk=chain[1].pk)
    forged.action = "test.forged"
    forged.hash = entry_hash(forged)
    sql("UPDATE audit_auditentry SET action = %s, hash = %s WHERE id = %s",
        [forged.action, forged.hash, forged.pk])  # fmt: skip
    with pytest.raises(CommandError, match="entrada 3.*hash anterior"):
        verify()


def test_chains_are_per_entity(chain, council, other_entity):
    audit_record(actor=Actor.system(), action="x", entity=other_entity)
    sql("UPDATE audit_auditentry SET action = 'x2' WHERE id = %s", [chain[0].pk])
    verify("--entity", other_entity.dir3_code)
    with pytest.raises(CommandError):
        verify("--entity", council.dir3_code)


def test_an_unknown_entity_is_an_error(db):
    with pytest.raises(CommandError, match="No existe ninguna entidad"):
        verify("--entity", "L00000000")


def test_the_command_exits_non_zero_from_the_shell(chain, council):
    """`concejo audit_verify` as an operator runs it: exit status and message."""
    from django.core.management import ManagementUtility

    sql("UPDATE audit_auditentry SET ip = %s WHERE id = %s", ["203.0.113.9", chain[3].pk])
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["concejo", "audit_verify"]).execute()
    assert exit_info.value.code == 1


def test_refusals_are_recorded_in_the_entitys_chain(council):
    from concejo.organization.services import unit_create

    with pytest.raises(Exception):  # noqa: B017 - any refusal
        unit_create(actor=Actor(), entity=council, name="X", dir3_code="LA0000001", level="area")
    refusal = AuditEntry.objects.get(action="organization.unit.create")
    assert (refusal.entity, refusal.outcome) == (council, "denied")


def test_a_service_writes_its_rows_at_its_end_and_a_failed_inner_service_gives_its_rows_back(
    council,
):
    """The rows of one service call go out together; a nested refusal keeps the chain whole."""
    from django.test.utils import CaptureQueriesContext

    from concejo.audit.selectors import audit_chain_verify
    from concejo.audit.services import audited_service
    from concejo.core.errors import Conflict

    actor = Actor(is_system=True)

    @audited_service("test.inner")
    def inner(*, actor, entity):
        audit_record(actor=actor, action="test.inner.started", entity=entity)
        raise Conflict("no", code="test_refused")

    @audited_service("test.outer")
    def outer(*, actor, entity):
        audit_record(actor=actor, action="test.outer.first", entity=entity)
        with pytest.raises(Conflict):
            inner(actor=actor, entity=entity)
        audit_record(actor=actor, action="test.outer.last", entity=entity)
        # Nothing is written before the service ends.
        assert not AuditEntry.objects.filter(action__startswith="test.").exists()

    with CaptureQueriesContext(connection) as queries:
        outer(actor=actor, entity=council)
    # One INSERT of the three rows (with the head's update on PostgreSQL).
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "audit_auditentry"' in q["sql"]]
    assert len(inserts) == 1
    rows = list(AuditEntry.objects.filter(action__startswith="test.").order_by("seq"))
    assert [(r.action, r.outcome) for r in rows] == [
        ("test.outer.first", "success"),
        ("test.inner", "rejected"),
        ("test.outer.last", "success"),
    ]
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + 3))
    assert audit_chain_verify(chain=chain_key(council)) is None


@pytest.mark.django_db(transaction=True)
def test_an_inline_inner_service_takes_no_savepoint_and_its_refusal_ends_the_callers_work(
    council,
):
    """`service.inline` nests without a savepoint: what it writes goes with the caller's
    transaction, and a refusal leaves what a savepoint would have left once the caller
    lets it through: nothing of either, and the caller's refusal in the chain."""
    from django.test.utils import CaptureQueriesContext

    from concejo.audit.selectors import audit_chain_verify
    from concejo.audit.services import audited_service
    from concejo.core.errors import Conflict
    from concejo.organization.models import Unit

    actor = Actor(is_system=True)

    @audited_service("test.inner")
    def inner(*, actor, entity, refuse):
        audit_record(actor=actor, action="test.inner.done", entity=entity)
        if refuse:
            raise Conflict("no", code="test_refused")

    @audited_service("test.outer")
    def outer(*, actor, entity, refuse, inline):
        Unit.objects.create(entity=entity, name="Temporal", dir3_code="LA0000099", level="service",
                            valid_from="2020-01-01")  # fmt: skip
        (inner.inline if inline else inner)(actor=actor, entity=entity, refuse=refuse)

    savepoints = {}
    for inline in (False, True):
        with CaptureQueriesContext(connection) as queries:
            outer(actor=actor, entity=council, refuse=False, inline=inline)
        savepoints[inline] = [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
        Unit.objects.filter(dir3_code="LA0000099").delete()
    assert savepoints[False] and not savepoints[True]
    assert AuditEntry.objects.filter(action="test.inner.done").count() == 2

    with pytest.raises(Conflict):
        outer(actor=actor, entity=council, refuse=True, inline=True)
    assert not Unit.objects.filter(dir3_code="LA0000099").exists()
    assert AuditEntry.objects.filter(action="test.inner.done").count() == 2
    refusals = AuditEntry.objects.filter(outcome="rejected", action__startswith="test.")
    assert [r.action for r in refusals] == ["test.outer"]
    assert audit_chain_verify(chain=chain_key(council)) is None
