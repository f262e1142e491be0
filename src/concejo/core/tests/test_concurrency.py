"""A dozen simultaneous writers: no 'database is locked', no lost audit link."""

import threading

import pytest
from django.db import connection

from concejo.audit.selectors import audit_chain_verify
from concejo.audit.services import chain_key
from concejo.core.actors import Actor
from concejo.organization.tests.factories import EntityFactory
from concejo.people.models import Person
from concejo.people.services import person_create
from concejo.people.tests.factories import valid_dni

WRITERS = 12
PER_WRITER = 5


@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_writers_all_succeed_and_keep_the_audit_chain():
    entity = EntityFactory()
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)

    def writer(w: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(PER_WRITER):
                person_create(
                    actor=Actor.system(),
                    entity=entity,
                    kind="natural",
                    id_type="nif",
                    id_number=valid_dni(w * 100 + i),
                    first_name="Concurrente",
                    last_name_1=f"W{w}",
                )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert Person.objects.filter(entity=entity).count() == WRITERS * PER_WRITER
    assert audit_chain_verify(chain=chain_key(entity)) is None


def test_sqlite_is_configured_for_concurrent_use(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
