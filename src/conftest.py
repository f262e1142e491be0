"""Shared fixtures: real database, real services, no mocks of our own code."""

from __future__ import annotations

import hashlib
import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from concejo.apikeys.services import api_key_issue
from concejo.core.actors import Actor

# Fixtures that tests of several apps share (a resolved case ready to notify).
pytest_plugins = ["concejo.notifications.tests.fixtures"]


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

    def make(entity, *scopes: str, user=None) -> APIClient:
        issued = api_key_issue(
            actor=Actor.system(),
            entity=entity,
            name=f"app-{entity.dir3_code}-{hashlib.sha256(' '.join(scopes).encode()).hexdigest()[:12]}",
            scopes=list(scopes),
            user=user,
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


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    """Every test stores files in its own folder, so leftovers can be counted."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OUTBOX_MODE = "inline"
    cache.clear()
    return settings.MEDIA_ROOT


@pytest.fixture
def registry_setup(council):
    """A general registry, two service units and an office for the test council."""
    from concejo.organization.services import entity_update
    from concejo.organization.tests.factories import OfficeFactory, UnitFactory

    general = UnitFactory(entity=council, dir3_code="LA0000011", name="Registro General")
    licences = UnitFactory(entity=council, dir3_code="LA0000031", name="Servicio de Licencias")
    works = UnitFactory(entity=council, dir3_code="LA0000032", name="Servicio de Obras")
    entity_update(actor=Actor.system(), entity=council, name=council.name, registry_unit=general)
    council.refresh_from_db()
    office = OfficeFactory(entity=council, code="O00000001", name="Oficina de la Plaza Mayor")
    return {"general": general, "licences": licences, "works": works, "office": office}


@pytest.fixture
def sealed_council(council, settings, tmp_path):
    """The council with a test seal certificate (made by `concejo create_test_seal`)."""
    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    with open(os.devnull, "w") as devnull:
        call_command("create_test_seal", "--entity", council.dir3_code, stdout=devnull)
    council.refresh_from_db()
    return council


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that the platform's e-mail goes to."""
    from concejo.notifications.tests.smtp import LoopbackSmtp

    server = LoopbackSmtp().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    yield server
    server.stop()
