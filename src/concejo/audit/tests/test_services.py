"""What a service call leaves for its end: its last writes, and what to undo if it fails."""

import contextlib

import pytest
from django.db import IntegrityError, connection, transaction

from concejo.audit.models import AuditEntry
from concejo.audit.services import (
    audit_flush_with,
    audit_record,
    audited_service,
    service_on_failure,
)
from concejo.core.actors import Actor
from concejo.core.errors import ValidationFailed
from concejo.core.writes import Writes
from concejo.organization.models import Unit
from concejo.outbox.models import OutboxTask

SYSTEM = Actor.system()


@pytest.fixture
def undone():
    return []


@audited_service("test.inner")
def inner(*, actor, undone, fail=False):
    service_on_failure(lambda: undone.append("inner"))
    if fail:
        raise ValidationFailed("El interno falla.", code="inner_fails")


@audited_service("test.outer")
def outer(*, actor, undone, inner_fails=False, fail=False):
    service_on_failure(lambda: undone.append("outer"))
    with contextlib.suppress(ValidationFailed):  # a refusal in a savepoint: the caller goes on
        inner(actor=actor, undone=undone, fail=inner_fails)
    if fail:
        raise RuntimeError("el externo falla")


@audited_service("test.last")
def last(*, actor, kind, then=None, dangling=False):
    writes = Writes()
    writes.insert(OutboxTask(kind=kind, payload={}), returning=True)
    if dangling:
        writes.insert(
            Unit(entity_id="00000000-0000-0000-0000-000000000000", name="x", dir3_code="X",
                 level="service", valid_from="2026-01-01")
        )  # fmt: skip
    audit_record(actor=actor, action="test.last")
    audit_flush_with(writes)
    if then is not None:
        then()


@audited_service("test.caller")
def caller(*, actor, kind, after=None):
    last.inline(actor=actor, kind=kind)
    if after is not None:
        after()


@pytest.mark.django_db
def test_a_failed_nested_call_undoes_its_own_and_the_caller_goes_on(undone):
    outer(actor=SYSTEM, undone=undone, inner_fails=True)
    assert undone == ["inner"]


@pytest.mark.django_db
def test_a_failed_call_undoes_what_the_calls_it_made_did_last_first(undone):
    with pytest.raises(RuntimeError):
        outer(actor=SYSTEM, undone=undone, fail=True)
    assert undone == ["inner", "outer"]


@pytest.mark.django_db
def test_a_call_that_ends_well_undoes_nothing(undone):
    outer(actor=SYSTEM, undone=undone)
    assert undone == []


@pytest.mark.django_db(transaction=True)
def test_last_writes_go_with_the_commit_of_the_call_that_began_the_transaction():
    last(actor=SYSTEM, kind="última")
    caller(actor=SYSTEM, kind="por dentro")  # inline: they wait for the caller's commit
    assert OutboxTask.objects.filter(kind__in=["última", "por dentro"]).count() == 2
    assert AuditEntry.objects.filter(action="test.last").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_failure_at_that_commit_is_the_calls_failure():
    with pytest.raises(IntegrityError):
        last(actor=SYSTEM, kind="colgante", dangling=True)
    assert not OutboxTask.objects.filter(kind="colgante").exists()
    assert not AuditEntry.objects.filter(action="test.last").exists()


@pytest.mark.django_db(transaction=True)
def test_nothing_may_use_the_database_between_the_last_writes_and_their_commit():
    def query():
        Unit.objects.count()

    with pytest.raises(RuntimeError, match="between a service call's last writes"):
        last(actor=SYSTEM, kind="sellada", then=query)
    with pytest.raises(RuntimeError, match="after the last writes"):
        caller(actor=SYSTEM, kind="sellada", after=lambda: inner(actor=SYSTEM, undone=[]))
    assert not OutboxTask.objects.filter(kind="sellada").exists()
    assert connection.execute_wrappers == []
    last(actor=SYSTEM, kind="después")  # the connection is as it was
    assert OutboxTask.objects.filter(kind="después").count() == 1


@pytest.mark.django_db
def test_inside_a_transaction_the_call_did_not_begin_last_writes_go_at_once():
    with transaction.atomic():
        last(actor=SYSTEM, kind="en la del llamante", then=lambda: None)
        assert OutboxTask.objects.filter(kind="en la del llamante").count() == 1
