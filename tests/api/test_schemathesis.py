"""Schemathesis over the OpenAPI schema: generated requests, valid and invalid, against
every operation, through the real WSGI application. No answer may be a 5xx, and every
answer must match what the schema documents (status codes, bodies, content types)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from luoshi.orgs.tokens import token_create
from luoshi.wsgi import application
from tests.orgs.factories import UnitClassFactory, UnitFactory, UserFactory
from tests.projects.factories import ProjectFactory, ProjectStatusFactory


@pytest.fixture
def api_token(db) -> str:
    """A supervision officer's token (sees every unit), and a small county to look at."""
    town = UnitClassFactory(code="town", name="乡镇（街道）")
    dept = UnitClassFactory(code="dept", name="县直部门")
    parent = UnitFactory(code="FGJ", name="县发展和改革局", unit_class=dept)
    UnitFactory(code="FGJ-1", name="县发改局下属中心", unit_class=dept, parent=parent)
    UnitFactory(code="CGZ", name="城关镇", unit_class=town)
    UnitFactory(code="OLD", name="已撤销单位", unit_class=dept, is_active=False)
    # A key project with its plan, milestones and a lamp, so project answers have bodies.
    ProjectStatusFactory(project=ProjectFactory(responsible_unit=parent))
    officer = UserFactory(username="office", roles=["officer"])
    return token_create(actor=officer, user=officer, name="schemathesis")[1]


@pytest.fixture
def api_schema(api_token):
    # A real WSGI request makes Django close "old" database connections at its start and
    # end, which would end the test's transaction; Django's own test client switches that
    # off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", application, headers={"Authorization": f"Bearer {api_token}"}
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_makes_the_api_fail_or_break_its_schema(case, api_token):
    headers = {"Authorization": f"Bearer {api_token}", "Accept-Language": "en"}
    response = case.call(headers=headers)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}"
    )
    # A documented 400 is a business rule refusing well-formed data (a deadline before the
    # issue date, a step the item's state does not allow): no schema can express those, so
    # it is not "valid data rejected". Its body is still checked against the schema.
    excluded = [positive_data_acceptance] if response.status_code == 400 else None
    case.validate_response(response, headers=headers, excluded_checks=excluded)
