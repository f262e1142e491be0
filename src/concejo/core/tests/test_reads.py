"""Prepared reads (core.reads) give the same instances the ORM gives."""

import pickle

import pytest
from django.contrib.auth import get_backends
from django.db import connection
from django.db.models import prefetch_related_objects
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concejo.accounts.models import AccountSecurity
from concejo.core.reads import read_where, rows_known
from concejo.organization.models import Entity, Unit
from concejo.organization.tests.factories import UserFactory
from concejo.people.models import Person
from concejo.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_read_where_gives_the_orms_rows_in_order_with_converted_values(council):
    user = UserFactory(username="ana", is_staff=False)
    people = [
        PersonFactory(entity=council, user=user, first_name=n) for n in ("Ana", "Eva", "Íñigo")
    ]
    PersonFactory(entity=council, first_name="Otra")  # not the user's
    read = read_where(Person, user=user.pk, entity=council.pk, order_by=("created_at", "id"))
    orm = list(Person.objects.filter(user=user, entity=council).order_by("created_at", "id"))
    assert [p.pk for p in read] == [p.pk for p in orm] == [p.pk for p in people]
    assert [model_to_dict(p) for p in read] == [model_to_dict(p) for p in orm]
    assert [p.created_at for p in read] == [p.created_at for p in orm]  # aware datetimes
    assert read[0]._state.adding is False and read[0].entity_id == council.pk
    assert read_where(Person, user=user.pk, entity=council.pk, order_by=("id",))[0].pk == min(
        p.pk for p in people
    )


def test_the_request_user_comes_with_their_security_or_without_it():
    backend = next(b for b in get_backends() if hasattr(b, "get_user"))
    with_row = UserFactory(username="con")
    AccountSecurity.objects.create(user=with_row, session_epoch=3)
    without = UserFactory(username="sin")
    user = backend.get_user(with_row.pk)
    assert user == with_row and user.security.session_epoch == 3  # read with the user
    alone = backend.get_user(without.pk)
    assert alone == without and not AccountSecurity.objects.filter(user=without).exists()
    assert backend.get_user(10**9) is None and backend.get_user("no") is None


def test_known_rows_are_read_without_a_query_and_forgotten_as_django_forgets_them(council):
    today = timezone.localdate()
    units = [
        Unit.objects.create(
            entity=council,
            name=f"Unidad {n}",
            dir3_code=f"LA00009{n}",
            level="service",
            valid_from=today,
        )
        for n in range(3)
    ]
    entity = Entity.objects.get(pk=council.pk)
    known = units[:2]  # what a service has just written (not all the rows there are)
    rows_known(entity, "units", known)
    with CaptureQueriesContext(connection) as queries:
        assert list(entity.units.all()) == known
        assert list(entity.units.all()) == known
        assert "units" in entity._prefetched_objects_cache
    assert not queries.captured_queries
    # A filter still reads the database, for this entity's units only.
    assert set(entity.units.filter(name__startswith="Unidad")) == set(units)

    prefetched = Entity.objects.get(pk=council.pk)
    rows_known(prefetched, "units", known)
    prefetch_related_objects([prefetched], "units")  # sees them known: reads nothing
    with CaptureQueriesContext(connection) as queries:
        assert list(prefetched.units.all()) == known
    assert not queries.captured_queries

    for forget in (
        lambda e: e.refresh_from_db(fields=["units"]),
        lambda e: e.refresh_from_db(),
        lambda e: e._prefetched_objects_cache.pop("units"),
    ):
        fresh = Entity.objects.get(pk=council.pk)
        rows_known(fresh, "units", known)
        forget(fresh)
        assert set(fresh.units.all()) == set(units)  # read again: all three

    copied = pickle.loads(pickle.dumps(entity))
    assert [u.pk for u in copied.units.all()] == [u.pk for u in known]
