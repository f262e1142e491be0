"""A service's rows written together: one statement on PostgreSQL, the same rows everywhere."""

import datetime as dt
import threading
import uuid
import zoneinfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from concejo.audit.models import AuditChainHead
from concejo.core.tests.roundtrips import round_trips
from concejo.core.writes import Writes
from concejo.organization.models import Entity, Unit
from concejo.outbox.models import OutboxTask


def _entity(code: str) -> Entity:
    return Entity(
        name=f"Fundación {code}", entity_type="foundation", nif=f"G{code[2:]}0",
        dir3_code=code, ine_code="47186",
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_rows_of_several_tables_and_an_update_are_written_in_one_statement():
    AuditChainHead.objects.create(chain="prueba", last_seq=1, last_hash="a" * 64)
    entity = _entity("LA0000001")
    # The child is queued before its parent: foreign keys are checked at the commit.
    unit = Unit(
        entity=entity, name="Registro", dir3_code="LA0000002", level="service",
        valid_from=timezone.localdate(),
    )  # fmt: skip
    tasks = [OutboxTask(kind="prueba", payload={"n": n, "texto": "añadido"}) for n in range(3)]
    writes = Writes()
    writes.insert(unit)
    writes.insert(entity)
    writes.insert(*tasks, returning=True)
    writes.update(AuditChainHead, "prueba", last_seq=2, last_hash="b" * 64)
    assert len(writes) == 4
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        writes.flush()
    assert len(writes) == 0
    statements = [q for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 4)

    assert Unit.objects.get(pk=unit.pk).entity_id == entity.pk
    assert Entity.objects.get(pk=entity.pk).created_at is not None  # auto_now_add ran
    assert all(task.pk is not None for task in tasks)
    assert [t.payload for t in OutboxTask.objects.filter(pk__in=[t.pk for t in tasks]).order_by("pk")] == [
        {"n": n, "texto": "añadido"} for n in range(3)
    ]  # fmt: skip
    assert AuditChainHead.objects.get(chain="prueba").last_seq == 2
    assert not unit._state.adding


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("commit", [False, True], ids=["later", "with the commit"])
def test_a_failing_flush_leaves_nothing_behind(commit):
    Entity.objects.create(
        name="Existente", entity_type="foundation", nif="G47000001", dir3_code="LA0000003",
        ine_code="47186",
    )  # fmt: skip
    task = OutboxTask(kind="prueba", payload={})
    clash = _entity("LA0000003")  # the DIR3 code is already taken
    writes = Writes()
    writes.insert(task, returning=True)
    writes.insert(clash)
    with pytest.raises(IntegrityError), transaction.atomic():
        writes.flush(commit=commit)
    assert not OutboxTask.objects.filter(kind="prueba").exists()
    assert not Entity.objects.filter(pk=clash.pk).exists()
    with transaction.atomic():  # the connection is fine for the next transaction
        Entity.objects.filter(dir3_code="LA0000003").update(name="Sigue")
    assert Entity.objects.get(dir3_code="LA0000003").name == "Sigue"


@pytest.mark.django_db(transaction=True)
def test_several_groups_get_their_keys_back_in_order():
    first = [OutboxTask(kind="a", payload={"n": n}) for n in range(3)]
    second = [AuditChainHead(chain=str(uuid.uuid4()))]  # a key given by the caller
    third = [OutboxTask(kind="b", payload={"n": n}) for n in range(2)]
    writes = Writes()
    writes.insert(*first, returning=True)
    writes.insert(*second)
    writes.insert(*third, returning=True)
    with transaction.atomic():
        writes.flush()
    for task in first + third:
        assert OutboxTask.objects.get(pk=task.pk).payload == task.payload
        assert OutboxTask.objects.get(pk=task.pk).kind == task.kind
    assert AuditChainHead.objects.filter(chain=second[0].chain).exists()


@pytest.mark.django_db(transaction=True)
def test_deletes_go_in_the_same_statement_and_take_only_their_rows():
    gone, kept = _entity("LA0000004"), _entity("LA0000005")
    today = timezone.localdate()
    units = [
        Unit(entity=owner, name=f"Unidad {n}", dir3_code=f"LA000001{n}", level="service", valid_from=today)
        for n, owner in enumerate((gone, gone, kept))
    ]  # fmt: skip
    setup = Writes()
    setup.insert(gone, kept)
    setup.insert(*units)
    with transaction.atomic():
        setup.flush()
    task = OutboxTask(kind="prueba", payload={})
    writes = Writes()
    writes.insert(task, returning=True)
    writes.delete(Entity, pk=gone.pk)  # before its units: keys are checked at the commit
    writes.delete(Unit, entity=gone.pk)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        writes.flush()
    statements = [q for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 3)
    assert task.pk is not None and OutboxTask.objects.filter(pk=task.pk).exists()
    assert not Entity.objects.filter(pk=gone.pk).exists()
    assert list(Unit.objects.values_list("name", flat=True).filter(name__startswith="Unidad")) == [
        "Unidad 2"
    ]
    assert Entity.objects.filter(pk=kept.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_delete_that_would_orphan_rows_fails_at_the_commit_and_changes_nothing():
    entity = _entity("LA0000006")
    unit = Unit(
        entity=entity,
        name="Hija",
        dir3_code="LA0000007",
        level="service",
        valid_from=timezone.localdate(),
    )
    setup = Writes()
    setup.insert(entity, unit)
    with transaction.atomic():
        setup.flush()
    writes = Writes()
    writes.delete(Entity, pk=entity.pk)  # its unit still refers to it
    with pytest.raises(IntegrityError), transaction.atomic():
        writes.flush()
    assert Unit.objects.filter(pk=unit.pk).exists() and Entity.objects.filter(pk=entity.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_values_are_written_as_djangos_own_save_writes_them():
    """Plain values go as they are; any other is prepared by the field, as by `bulk_create`."""
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    at = dt.datetime(2026, 3, 29, 2, 30, tzinfo=dt.UTC)  # the night the clocks go forward
    entity = _entity("LA0000008")
    setup = Writes()
    setup.insert(entity)
    with transaction.atomic():
        setup.flush()

    def tasks(error: str) -> list[OutboxTask]:
        return [
            OutboxTask(
                kind="prueba", payload={"n": 1}, attempts=2, next_attempt_at=at, last_error=error
            ),
            # Not of the fields' plain types: a lazy text, a bool as a number, another zone.
            OutboxTask(
                kind=gettext_lazy("Traducción"),
                payload=[1, "dos"],
                attempts=True,
                next_attempt_at=at.astimezone(madrid),
                last_error=gettext_lazy("Texto perezoso"),
            ),
        ]

    def units(prefix: str) -> list[Unit]:
        return [
            Unit(entity=entity, name="Por instancia", dir3_code=f"{prefix}1", level="service",
                 valid_from=dt.date(2026, 1, 1)),
            # A key given as text, not as a UUID; a date as an ISO string.
            Unit(entity_id=str(entity.pk), name="Por texto", dir3_code=f"{prefix}2",
                 level="service", valid_from="2026-02-01"),
        ]  # fmt: skip

    written, saved = tasks("Sin más"), tasks("Sin más")
    written_units, saved_units = units("LA000009"), units("LA000010")
    writes = Writes()
    writes.insert(*written, returning=True)
    writes.insert(*written_units)
    before = timezone.now()
    with transaction.atomic():
        writes.flush()
        OutboxTask.objects.bulk_create(saved)
        Unit.objects.bulk_create(saved_units)

    def row(model, obj, *skip):
        values = model_to_dict(model.objects.get(pk=obj.pk))
        return {k: v for k, v in values.items() if k not in ("id", *skip)}

    for mine, django in zip(written, saved, strict=True):
        assert row(OutboxTask, mine, "created_at") == row(OutboxTask, django, "created_at")
        assert mine.created_at >= before and mine.created_at.utcoffset() is not None  # auto_now_add
        assert OutboxTask.objects.get(pk=mine.pk).created_at == mine.created_at
    assert OutboxTask.objects.get(pk=written[1].pk).attempts == 1
    assert OutboxTask.objects.get(pk=written[1].pk).next_attempt_at == at
    for mine, django in zip(written_units, saved_units, strict=True):
        assert row(Unit, mine, "dir3_code") == row(Unit, django, "dir3_code")
    assert Unit.objects.get(pk=written_units[1].pk).valid_from == dt.date(2026, 2, 1)


@pytest.mark.django_db(transaction=True)
def test_a_flush_goes_unprepared_where_prepared_statements_are_turned_off():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    connection.ensure_connection()
    raw = connection.connection
    saved, raw.prepare_threshold = raw.prepare_threshold, None  # DATABASE_PREPARED_STATEMENTS=0

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    try:
        before = prepared()
        task = OutboxTask(kind="sin preparar", payload={"n": 1})
        writes = Writes()
        writes.insert(task, returning=True)
        with transaction.atomic():
            writes.flush()
        assert prepared() == before
    finally:
        raw.prepare_threshold = saved
    assert OutboxTask.objects.get(pk=task.pk).payload == {"n": 1}


@pytest.mark.django_db(transaction=True)
def test_the_last_flush_of_a_transaction_carries_its_begin_and_its_commit():
    tasks = [OutboxTask(kind="con commit", payload={"n": n}) for n in range(2)]
    writes = Writes()
    writes.insert(*tasks, returning=True)
    with transaction.atomic():
        trips, _ = _round_trips(lambda: writes.flush(commit=True))
    assert trips == (1 if connection.vendor == "postgresql" else 0)
    assert all(task.pk is not None for task in tasks)
    assert OutboxTask.objects.filter(kind="con commit").count() == 2
    assert connection.get_autocommit() and not connection.in_atomic_block
    if connection.vendor == "postgresql":  # committed: Django's commit found nothing left
        assert connection.connection.info.transaction_status == 0  # idle


@pytest.mark.django_db(transaction=True)
def test_a_failure_at_the_commit_is_raised_by_the_flush_that_carries_it():
    task = OutboxTask(kind="huérfano", payload={})
    orphan = Unit(
        entity_id=uuid.uuid4(), name="Sin entidad", dir3_code="LA0000009", level="service",
        valid_from=timezone.localdate(),
    )  # fmt: skip
    writes = Writes()
    writes.insert(task, orphan)
    reached = []
    with pytest.raises(IntegrityError), transaction.atomic():
        writes.flush(commit=True)  # on SQLite the foreign key fails at Django's commit, below
        reached.append(True)
    assert reached == ([] if connection.vendor == "postgresql" else [True])
    assert not OutboxTask.objects.filter(kind="huérfano").exists()
    assert not Unit.objects.filter(dir3_code="LA0000009").exists()


@pytest.mark.django_db(transaction=True)
def test_statements_that_begin_a_transaction_send_its_begin_with_them():
    from concejo.audit.services import _LOCK_HEAD
    from concejo.core.writes import first_rows

    with pytest.raises(KeyError), transaction.atomic():
        trips, rows = _round_trips(
            lambda: first_rows(connection, [(_LOCK_HEAD, ["primera"]), ("SELECT 1 + 1", [])])
        )
        assert rows == [(0, ""), (2,)]
        assert trips == (1 if connection.vendor == "postgresql" else 0)
        if connection.vendor == "postgresql":  # open, and psycopg knows it as its own
            assert connection.connection.info.transaction_status == 2  # in transaction
            assert connection.connection.autocommit is False
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditchainhead WHERE chain = 'primera'")
            assert cursor.fetchone() == (1,)
        raise KeyError("the transaction rolls back")
    assert not AuditChainHead.objects.filter(chain="primera").exists()


@pytest.mark.django_db(transaction=True)
def test_the_caller_goes_on_while_the_server_waits_for_a_lock():
    """`first_rows_later` sends its statements and returns: the caller builds its rows
    while the server waits for the lock (and the transaction's BEGIN went with them)."""
    if connection.vendor != "postgresql":
        pytest.skip("the statements run on entering where there is no round trip to save")
    import psycopg

    from concejo.audit.services import _LOCK_HEAD
    from concejo.core.writes import first_rows_later

    AuditChainHead.objects.create(chain="ocupada", last_seq=7, last_hash="b" * 64)
    params = connection.get_connection_params()
    holder = psycopg.connect(**{**params, "prepare_threshold": None})
    holder.execute("SELECT 1 FROM audit_auditchainhead WHERE chain = 'ocupada' FOR UPDATE")
    entered = threading.Event()
    went_on = []

    def release() -> None:  # the lock is let go once the caller has gone on (or after 10 s)
        went_on.append(entered.wait(timeout=10))
        holder.commit()

    releaser = threading.Thread(target=release)
    releaser.start()
    try:
        with transaction.atomic():
            with first_rows_later(connection, [(_LOCK_HEAD, ["ocupada"])]) as rows:
                entered.set()  # reached while the other transaction still holds the row
                assert rows() == [(7, "b" * 64)]
            assert connection.connection.info.transaction_status == 2  # in transaction
    finally:
        releaser.join(timeout=20)
        holder.close()
    assert went_on == [True]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("waited", [False, True])
def test_a_failure_while_the_statements_run_ends_them_and_rolls_back(waited):
    from concejo.audit.services import _LOCK_HEAD
    from concejo.core.writes import first_rows_later

    statements = [(_LOCK_HEAD, ["a medias"])]
    with (
        pytest.raises(KeyError),
        transaction.atomic(),
        first_rows_later(connection, statements) as rows,
    ):
        if waited:
            assert rows() == [(0, "")]
        raise KeyError("the caller fails while building its rows")
    assert not AuditChainHead.objects.filter(chain="a medias").exists()
    if connection.vendor == "postgresql":  # out of the pipeline, the connection as before
        assert connection.connection.pgconn.pipeline_status == 0
        assert connection.connection.info.transaction_status == 0
    assert AuditChainHead.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_statements_sent_early_begin_with_the_connections_own_options():
    """A connection with an isolation level begins as psycopg would (BEGIN ISOLATION LEVEL)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's transaction options")
    from psycopg import IsolationLevel

    from concejo.core.writes import first_rows

    connection.ensure_connection()
    raw = connection.connection
    raw.isolation_level = IsolationLevel.SERIALIZABLE
    try:
        with transaction.atomic():
            rows = first_rows(connection, [("SHOW transaction_isolation", []), ("SELECT 2", [])])
            assert rows == [("serializable",), (2,)]
    finally:
        raw.isolation_level = None


@pytest.mark.django_db(transaction=True)
def test_a_statement_that_fails_is_raised_as_djangos_error_and_the_rest_do_not_run():
    from concejo.audit.services import _LOCK_HEAD
    from concejo.core.writes import first_rows

    with pytest.raises(IntegrityError), transaction.atomic():
        first_rows(
            connection,
            [
                ("INSERT INTO audit_auditchainhead (chain, last_seq, last_hash) "
                 "VALUES ('doble', 0, '') RETURNING last_seq", []),
                ("INSERT INTO audit_auditchainhead (chain, last_seq, last_hash) "
                 "VALUES ('doble', 0, '') RETURNING last_seq", []),
                (_LOCK_HEAD, ["tras el error"]),
            ],
        )  # fmt: skip
    assert AuditChainHead.objects.count() == 0
    assert first_rows(connection, [("SELECT 3", [])]) == [(3,)]  # the connection still works


@pytest.mark.django_db(transaction=True)
def test_statements_sent_early_pass_through_djangos_execute_wrappers():
    from concejo.core.writes import first_rows_later

    seen = []

    def watch(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    statements = [("SELECT 1", []), ("SELECT 'dos'", [])]
    with (
        connection.execute_wrapper(watch),
        transaction.atomic(),
        first_rows_later(connection, statements) as rows,
    ):
        assert rows() == [(1,), ("dos",)]
    if connection.vendor == "postgresql":  # one text, with its BEGIN
        assert seen == ["BEGIN; SELECT 1; SELECT 'dos'"]
    else:
        assert seen[-2:] == ["SELECT 1", "SELECT 'dos'"]


def _round_trips(fn):
    """PostgreSQL's round trips (none elsewhere), and what `fn` returns."""
    if connection.vendor != "postgresql":
        return 0, fn()
    return round_trips(fn)
