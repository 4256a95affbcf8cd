"""Signing in to the API: personal access tokens for scripts, the session for the browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory

from luoshi.api import BrowserSessionAuth, CsrfFailedError
from luoshi.core import clock
from luoshi.orgs.models import AccessToken
from luoshi.orgs.tokens import token_create, token_revoke
from tests.helpers import count_queries
from tests.orgs.factories import UserFactory

pytestmark = pytest.mark.django_db


def _call(
    raw_header: str | None,
    path: str = "/api/v1/me",
    language: str = "en",
    client: Client | None = None,
):
    headers = {"Accept-Language": language}
    if raw_header is not None:
        headers["Authorization"] = raw_header
    return (client or Client()).get(path, headers=headers)


@pytest.fixture
def officer():
    return UserFactory(username="office", roles=["officer"])


@pytest.fixture
def raw_token(officer):
    return token_create(actor=officer, user=officer, name="script")[1]


def test_a_valid_bearer_token_signs_the_script_in(raw_token):
    response = _call(f"Bearer {raw_token}")
    assert response.status_code == 200
    assert response.json()["username"] == "office"


def test_the_bearer_word_is_case_insensitive(raw_token):
    assert _call(f"bearer {raw_token}").status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Token abc",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-luoshi-token",
        "Bearer ls_short",
        "ls_abc",
    ],
)
def test_a_malformed_authorization_header_gets_401_saying_how_to_send_it(header):
    response = _call(header)
    assert response.status_code == 401
    assert "malformed" in response.json()["detail"]
    assert "Bearer ls_" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_gets_401():
    response = _call("Bearer ls_" + "x" * 43)
    assert response.status_code == 401
    assert response.json() == {"detail": "The access token is not valid."}


def test_a_revoked_token_gets_401_saying_it_was_revoked(officer):
    token, raw = token_create(actor=officer, user=officer, name="old script")
    token_revoke(actor=officer, token=token)
    response = _call(f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == {"detail": "The access token has been revoked."}


def test_an_expired_token_gets_401_saying_it_expired(officer):
    start = clock.now()
    with clock.frozen(start):
        _token, raw = token_create(
            actor=officer, user=officer, name="short", expires_at=start + timedelta(days=1)
        )
        assert _call(f"Bearer {raw}").status_code == 200
        clock.advance(days=1)
        response = _call(f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == {"detail": "The access token has expired."}


def test_a_disabled_users_token_stops_working(officer, raw_token):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    response = _call(f"Bearer {raw_token}")
    assert response.status_code == 401
    assert response.json() == {"detail": "The account this access token belongs to is disabled."}


def test_a_bad_token_is_refused_even_beside_a_valid_session(officer):
    # A script that sends a wrong token must learn so, not silently act through a cookie.
    client = Client()
    client.force_login(officer)
    response = _call("Bearer ls_" + "y" * 43, client=client)
    assert response.status_code == 401


def test_no_credentials_at_all_gets_401_explaining_both_ways_in():
    response = _call(None)
    assert response.status_code == 401
    assert "Sign in" in response.json()["detail"]
    assert "Bearer" in response.json()["detail"]


def test_the_callers_language_decides_the_message_language():
    # The message text comes from the one .po file; what the API controls is that it
    # activates the caller's language (Accept-Language) for the answer.
    english = _call("Bearer nope", language="en")
    chinese = _call("Bearer nope", language="zh-CN,zh;q=0.9")
    assert english.status_code == chinese.status_code == 401
    assert english["Content-Language"] == "en"
    assert chinese["Content-Language"] == "zh-hans"


def test_last_used_is_written_at_most_once_a_minute(officer):
    start = clock.now()
    with clock.frozen(start):
        token, raw = token_create(actor=officer, user=officer, name="busy script")
        _call(f"Bearer {raw}")
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.advance(seconds=30)
        with count_queries() as queries:
            _call(f"Bearer {raw}")
        assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.advance(seconds=31)
        _call(f"Bearer {raw}")
        token.refresh_from_db()
        assert token.last_used_at == start + timedelta(seconds=61)


def test_token_auth_costs_a_bounded_number_of_queries(officer, raw_token):
    _call(f"Bearer {raw_token}")  # first use writes last_used_at; measure the steady state
    with count_queries() as queries:
        response = _call(f"Bearer {raw_token}")
    assert response.status_code == 200
    # One query for the token with its owner and unit, one for the owner's roles.
    assert len(queries) <= 2, [q["sql"] for q in queries.captured_queries]


def test_the_raw_token_is_not_stored(officer, raw_token):
    stored = AccessToken.objects.get(user=officer)
    assert stored.digest != raw_token and raw_token not in stored.digest
    assert stored.hint == raw_token[:8]


def test_session_requests_with_unsafe_methods_need_the_csrf_token(officer):
    # Every endpoint today is a read; this guards the writes to come.
    request = RequestFactory().post("/api/v1/anything")
    request.user = officer
    request._dont_enforce_csrf_checks = False
    with pytest.raises(CsrfFailedError):
        BrowserSessionAuth(csrf=True)(request)


def test_session_reads_need_no_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get("/api/v1/me").status_code == 200
