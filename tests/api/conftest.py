from __future__ import annotations

import pytest
from django.test import Client

from luoshi.orgs.tokens import token_create


def bearer_client(user, **token_kwargs) -> Client:
    """A client that sends a fresh personal access token of ``user`` on every request."""
    _token, raw = token_create(actor=user, user=user, name="test script", **token_kwargs)
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


@pytest.fixture
def make_bearer_client():
    return bearer_client
