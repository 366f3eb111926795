"""Property-based: schemathesis generates requests from the OpenAPI schema and runs them through the app
in-process (WSGI). For every operation: no 5xx, and every response (status, content type, headers, body)
matches the schema. The number of examples is bounded so the suite stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from taizhang.api.api import api
from taizhang.org.models import Person
from tests.api.conftest import token_for
from tests.conftest import Org
from tests.factories import make_category, make_problem, raised_problem

EXAMPLES = 8
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)


@pytest.fixture
def ledger_data(units: Org, supervisor: Person, employee: Person, handler: Person) -> None:
    """A little of everything, so generated ids sometimes hit real rows (ids start at 1)."""
    make_category(name="路灯", code="lamps")
    make_problem(supervisor=supervisor, lead_unit=units.plant)
    raised_problem(supervisor=supervisor, raiser=employee, unit=units.workshop, is_public=False)


@pytest.fixture
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: a request must not close the connection holding the test's
    transaction (PostgreSQL), so the request signals' close_old_connections is off while a test calls."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The schema the app serves, loaded without a request (collection has no database); calls go to the app.
# Coverage and stateful phases are left to manual runs (`schemathesis run`): they multiply the cases and
# the suite must stay fast; the fuzzing phase with a bounded number of examples runs here.
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.mark.django_db
@pytest.mark.usefixtures("ledger_data", "_keep_the_test_connection")
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case: Any, supervisor: Person) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token_for(supervisor)}"})
    case.validate_response(response, checks=CHECKS)
