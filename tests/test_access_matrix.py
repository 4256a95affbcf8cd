"""Every role against every registered page, export and API call (see access_matrix.py)."""

from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.test import Client

import tests
from tests.access_matrix import ALL_ROLES, ENDPOINTS, Endpoint
from tests.orgs.factories import UnitFactory, UserFactory

# Each app's tests/<app>/access.py registers its endpoints on import.
for info in pkgutil.iter_modules(tests.__path__):
    if info.ispkg:
        try:
            importlib.import_module(f"tests.{info.name}.access")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.access":
                raise


@pytest.fixture
def ctx(role_users, unit_a, unit_b):
    UnitFactory(code="FGJ-1", name="县发改局下属中心", parent=unit_a)
    return SimpleNamespace(
        own_unit=unit_a,
        other_unit=unit_b,
        users=role_users,
        other_unit_user=UserFactory(username="reporter_b", unit=unit_b, roles=["reporter"]),
    )


def _call(client: Client, endpoint: Endpoint, ctx) -> int:
    url = endpoint.url(ctx)
    data = endpoint.data(ctx) if endpoint.data else None
    if endpoint.method == "get":
        return client.get(url, data or {}).status_code
    if endpoint.api and not endpoint.multipart:
        return getattr(client, endpoint.method)(
            url, data=data or {}, content_type="application/json"
        ).status_code
    return getattr(client, endpoint.method)(url, data or {}).status_code


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_sees_only_what_it_may(role, endpoint, ctx):
    client = Client()
    client.force_login(ctx.users[role])
    status = _call(client, endpoint, ctx)
    if role in endpoint.allowed:
        assert status in endpoint.ok, f"{role} should reach {endpoint.name}, got {status}"
    else:
        assert status in endpoint.denied, f"{role} must be refused {endpoint.name}, got {status}"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_anonymous_is_sent_to_sign_in(endpoint, ctx):
    status = _call(Client(), endpoint, ctx)
    assert status == (401 if endpoint.api else 302)


def test_matrix_is_not_empty():
    assert len(ENDPOINTS) >= 5
