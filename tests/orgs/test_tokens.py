"""Personal access tokens: the services, the account page and ``luoshi create-token``."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from luoshi.core import clock
from luoshi.core.audit import audit_verify
from luoshi.core.choices import AuditAction
from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.models import AuditEntry
from luoshi.orgs.models import AccessToken
from luoshi.orgs.tokens import MAX_ACTIVE_TOKENS, token_create, token_revoke
from tests.orgs.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(unit_a):
    return UserFactory(username="reporter_a", unit=unit_a, roles=["reporter"])


def _audit_text(action: str) -> str:
    entries = AuditEntry.objects.filter(action=action)
    return json.dumps([[e.object_repr, e.before, e.after] for e in entries], ensure_ascii=False)


# --- services ------------------------------------------------------------------------


def test_creating_a_token_stores_only_its_digest_and_audits_without_the_secret(reporter):
    token, raw = token_create(actor=reporter, user=reporter, name="月报脚本")
    assert raw.startswith("ls_") and len(raw) > 40
    assert token.digest == AccessToken.digest_of(raw)
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATE)
    assert entry.actor_id == reporter.pk
    assert entry.after["name"] == "月报脚本" and entry.after["hint"] == raw[:8]
    # The audit trail is read by other people: the secret part must never reach it.
    assert raw not in _audit_text(AuditAction.TOKEN_CREATE)
    assert raw[8:20] not in _audit_text(AuditAction.TOKEN_CREATE)
    assert audit_verify()[1] is None


def test_revoking_a_token_is_audited_and_takes_effect_at_once(reporter):
    token, raw = token_create(actor=reporter, user=reporter, name="old")
    token_revoke(actor=reporter, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_REVOKE)
    assert entry.before["revoked_at"] is None and entry.after["revoked_at"] is not None
    assert raw not in _audit_text(AuditAction.TOKEN_REVOKE)
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_a_token_cannot_be_revoked_twice(reporter):
    token, _raw = token_create(actor=reporter, user=reporter, name="once")
    token_revoke(actor=reporter, token=token)
    with pytest.raises(DomainError):
        token_revoke(actor=reporter, token=token)
    assert AuditEntry.objects.filter(action=AuditAction.TOKEN_REVOKE).count() == 1


def test_nobody_creates_or_revokes_tokens_for_someone_else(reporter, unit_b):
    other = UserFactory(unit=unit_b, roles=["reporter"])
    admin = UserFactory(roles=["sysadmin"])
    with pytest.raises(NotPermitted):
        token_create(actor=admin, user=other, name="sneaky")
    token, _raw = token_create(actor=other, user=other, name="mine")
    with pytest.raises(NotPermitted):
        token_revoke(actor=reporter, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_a_token_needs_a_sensible_name(reporter, name):
    with pytest.raises(DomainError) as exc:
        token_create(actor=reporter, user=reporter, name=name)
    assert exc.value.field == "name"
    assert not AccessToken.objects.exists()


def test_an_expiry_in_the_past_is_refused(reporter):
    with pytest.raises(DomainError) as exc:
        token_create(
            actor=reporter, user=reporter, name="x", expires_at=clock.now() - timedelta(minutes=1)
        )
    assert exc.value.field == "expires_at"


def test_a_disabled_account_gets_no_token(reporter):
    reporter.is_active = False
    reporter.save(update_fields=["is_active"])
    with pytest.raises(DomainError):
        token_create(actor=None, user=reporter, name="x")


def test_the_number_of_active_tokens_is_capped_but_revoked_ones_do_not_count(reporter):
    tokens = [
        token_create(actor=reporter, user=reporter, name=f"t{i}")[0]
        for i in range(MAX_ACTIVE_TOKENS)
    ]
    with pytest.raises(DomainError):
        token_create(actor=reporter, user=reporter, name="one too many")
    token_revoke(actor=reporter, token=tokens[0])
    token_create(actor=reporter, user=reporter, name="replacement")


# --- the account page ------------------------------------------------------------------


def test_the_account_page_shows_the_account_and_the_password_age(reporter, make_client):
    start = clock.now()
    reporter.password_changed_at = start - timedelta(days=12)
    reporter.save(update_fields=["password_changed_at"])
    with clock.frozen(start):
        html = (
            make_client(reporter)
            .get("/account/", headers={"Accept-Language": "en"})
            .content.decode()
        )
    assert "reporter_a" in html and "县发展和改革局" in html and "Unit reporter" in html
    assert "Last changed 12 days ago." in html
    assert 'href="/account/password/"' in html


def test_the_account_page_lists_only_the_users_own_tokens(reporter, unit_b, make_client):
    token_create(actor=reporter, user=reporter, name="my script")
    other = UserFactory(unit=unit_b, roles=["reporter"])
    token_create(actor=other, user=other, name="their script")
    html = make_client(reporter).get("/account/").content.decode()
    assert "my script" in html and "their script" not in html


def test_creating_a_token_on_the_page_shows_it_once(reporter, make_client):
    client = make_client(reporter)
    response = client.post(
        "/account/tokens/", {"name": "月报脚本", "days": "30"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    token = AccessToken.objects.get(user=reporter)
    html = response.content.decode()
    raw = html.split('id="raw-token" type="text" readonly value="')[1].split('"')[0]
    assert AccessToken.digest_of(raw) == token.digest
    assert "shown only this once" in html
    assert "no-store" in response["Cache-Control"]
    assert (token.expires_at - clock.now()).days in (29, 30)
    # Afterwards the page knows the hint only.
    assert raw not in client.get("/account/").content.decode()


@pytest.mark.parametrize("days", ["0", "-1", "367", "abc"])
def test_a_bad_expiry_on_the_page_is_refused_and_creates_nothing(reporter, make_client, days):
    response = make_client(reporter).post("/account/tokens/", {"name": "x", "days": days})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_revoking_on_the_page_asks_for_confirmation_and_revokes(reporter, make_client):
    token, _raw = token_create(actor=reporter, user=reporter, name="old script")
    client = make_client(reporter)
    assert "data-confirm=" in client.get("/account/").content.decode()
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token_through_the_page(reporter, unit_b, make_client):
    other = UserFactory(unit=unit_b, roles=["reporter"])
    token, _raw = token_create(actor=other, user=other, name="theirs")
    response = make_client(reporter).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_pages_refuse_get_and_anonymous_visitors(reporter):
    assert Client().post("/account/tokens/", {"name": "x"}).status_code == 302
    client = Client()
    client.force_login(reporter)
    assert client.get("/account/tokens/").status_code == 405


def test_the_token_form_needs_the_csrf_token(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    assert client.post("/account/tokens/", {"name": "x"}).status_code == 403
    assert not AccessToken.objects.exists()


# --- luoshi create-token -----------------------------------------------------------------


def test_the_command_prints_the_raw_token_and_nothing_else(reporter):
    out = io.StringIO()
    call_command(
        "create_token", "reporter_a", "--name", "nightly export", "--days", "7", stdout=out
    )
    raw = out.getvalue().strip()
    token = AccessToken.objects.get(user=reporter)
    assert out.getvalue() == raw + "\n"
    assert token.digest == AccessToken.digest_of(raw) and token.name == "nightly export"
    assert token.expires_at is not None
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_CREATE)
    assert entry.actor_id is None and entry.actor_username == "(command line)"


def test_the_command_refuses_an_unknown_user_with_a_clear_error():
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_token", "ghost")
    assert not AccessToken.objects.exists()


def test_the_command_refuses_a_nonsense_lifetime(reporter):
    with pytest.raises(CommandError, match="--days"):
        call_command("create_token", "reporter_a", "--days", "0")
