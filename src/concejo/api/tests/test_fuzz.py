"""Schemathesis against our own OpenAPI schema: no request it can build gets a 500, and
every response matches the schema the API publishes.

Bounded: a few examples per operation, a fixed seed, loopback only (in-process WSGI).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from concejo.conf.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def wsgi_in_test_transaction():
    """Like Django's test client: requests must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db, council, wsgi_in_test_transaction):
    from concejo.apikeys.scopes import SCOPES
    from concejo.apikeys.services import api_key_issue
    from concejo.core.actors import Actor

    return api_key_issue(
        actor=Actor.system(), entity=council, name="fuzz", scopes=list(SCOPES)
    ).secret


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=8, deadline=None, derandomize=True,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
def test_no_request_gets_a_server_error(case, api_token):
    case.headers = {**(case.headers or {}), "Authorization": f"Token {api_token}"}
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
    case.validate_response(response, checks=[response_schema_conformance])
