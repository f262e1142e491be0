"""Shared fixtures: real database, real services, no mocks of our own code."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from concejo.apikeys.services import api_key_issue
from concejo.core.actors import Actor


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests when the suite runs on SQLite."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass of make test)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def system():
    return Actor.system()


@pytest.fixture
def council(db):
    from concejo.organization.tests.factories import EntityFactory

    return EntityFactory(name="Ayuntamiento de Pruebas", dir3_code="L01479999", ine_code="47999")


@pytest.fixture
def other_entity(db):
    from concejo.organization.tests.factories import EntityFactory

    return EntityFactory(name="Ayuntamiento Vecino", dir3_code="L01478888", ine_code="47888")


@pytest.fixture
def api_key_for(db):
    """Issue a real key and return a client that sends it."""

    def make(entity, *scopes: str) -> APIClient:
        issued = api_key_issue(
            actor=Actor.system(),
            entity=entity,
            name=f"app-{entity.dir3_code}-{'-'.join(scopes)}",
            scopes=list(scopes),
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {issued.secret}")
        return client

    return make


@pytest.fixture(autouse=True)
def fresh_calendars():
    """Each test sees the calendars of its own database, not a cached earlier one."""
    from concejo.deadlines.business_calendar import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()
