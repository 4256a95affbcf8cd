"""Signing in: lockout, forced password change, password rules, session timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from luoshi.core.clock import frozen, now
from luoshi.orgs.auth import LoginRefused, login_attempt
from luoshi.orgs.choices import Role
from luoshi.orgs.models import User
from luoshi.orgs.passwords import ComplexityValidator, NotUsernameValidator, character_classes
from tests.orgs.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _post_login(client: Client, username: str, password: str, lang: str = "zh-hans"):
    return client.post(
        "/login/", {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE=lang
    )


def test_it_signs_in_with_the_right_password_and_lands_home():
    UserFactory(username="zhang", roles=[Role.SUPERVISION_OFFICER])
    client = Client()
    response = _post_login(client, "zhang", DEFAULT_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_username_is_matched_without_regard_to_case():
    UserFactory(username="zhang")
    assert login_attempt(username="ZHANG", password=DEFAULT_PASSWORD).username == "zhang"


def test_a_wrong_password_is_refused_with_a_message_in_chinese():
    UserFactory(username="zhang")
    response = _post_login(Client(), "zhang", "wrong-password")
    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert "用户名或密码错误" in response.content.decode()


def test_an_unknown_user_gets_the_same_message_as_a_wrong_password():
    UserFactory(username="zhang")
    with pytest.raises(LoginRefused) as unknown:
        login_attempt(username="nobody", password="x")
    with pytest.raises(LoginRefused) as wrong:
        login_attempt(username="zhang", password="x")
    assert str(unknown.value) == str(wrong.value)


def test_five_failures_lock_the_account_for_fifteen_minutes_even_for_the_right_password():
    user = UserFactory(username="zhang")
    start = now()
    with frozen(start):
        for _ in range(4):
            with pytest.raises(LoginRefused):
                login_attempt(username="zhang", password="bad")
        with pytest.raises(LoginRefused) as fifth:
            login_attempt(username="zhang", password="bad")
        assert "15" in str(fifth.value)
        with pytest.raises(LoginRefused) as locked:
            login_attempt(username="zhang", password=DEFAULT_PASSWORD)
        assert "15" in str(locked.value)
    user.refresh_from_db()
    assert user.locked_until == start + timedelta(minutes=15)
    with frozen(start + timedelta(minutes=15, seconds=1)):
        assert login_attempt(username="zhang", password=DEFAULT_PASSWORD) == user


def test_the_lockout_message_is_shown_in_english_to_an_english_user():
    UserFactory(username="zhang")
    client = Client()
    for _ in range(5):
        response = _post_login(client, "zhang", "bad", lang="en")
    assert "locked" in response.content.decode()


def test_a_success_resets_the_failure_count():
    user = UserFactory(username="zhang")
    for _ in range(4):
        with pytest.raises(LoginRefused):
            login_attempt(username="zhang", password="bad")
    login_attempt(username="zhang", password=DEFAULT_PASSWORD)
    user.refresh_from_db()
    assert user.failed_logins == 0
    with pytest.raises(LoginRefused):
        login_attempt(username="zhang", password="bad")
    user.refresh_from_db()
    assert user.failed_logins == 1 and user.locked_until is None


def test_a_disabled_account_cannot_sign_in():
    UserFactory(username="zhang", is_active=False)
    with pytest.raises(LoginRefused):
        login_attempt(username="zhang", password=DEFAULT_PASSWORD)


def test_a_new_account_must_change_its_password_before_anything_else():
    UserFactory(username="zhang", must_change_password=True)
    client = Client()
    _post_login(client, "zhang", DEFAULT_PASSWORD)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/account/password/"
    response = client.post(
        "/account/password/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Xinmima#2027a",
            "new_password2": "Xinmima#2027a",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_password_older_than_ninety_days_must_be_changed():
    user = UserFactory(username="zhang")
    User.objects.filter(pk=user.pk).update(password_changed_at=now() - timedelta(days=91))
    client = Client()
    client.force_login(user)
    assert client.get("/")["Location"] == "/account/password/"


def test_demo_accounts_are_not_forced_to_change_their_password():
    user = UserFactory(username="zhang", must_change_password=True, password_policy_exempt=True)
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_the_new_password_must_follow_the_rules_and_nothing_changes_otherwise():
    user = UserFactory(username="zhang", must_change_password=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        "/account/password/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "zhang12345AB",
            "new_password2": "zhang12345AB",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "must not contain the username" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD) and user.must_change_password


def test_the_same_password_again_is_refused():
    user = UserFactory(username="zhang", must_change_password=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        "/account/password/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": DEFAULT_PASSWORD,
            "new_password2": DEFAULT_PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "must differ" in response.content.decode()


@given(st.text(min_size=0, max_size=30))
def test_complexity_accepts_exactly_long_passwords_with_three_character_classes(password):
    accepted = True
    try:
        ComplexityValidator().validate(password)
    except ValidationError:
        accepted = False
    assert accepted == (len(password) >= 10 and character_classes(password) >= 3)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Abcdefgh12", True),
        ("abcdefgh12", False),
        ("Abcdefgh!", False),
        ("abcdefgh1!", True),
        ("ABCDEFGH1!", True),
    ],
)
def test_complexity_examples(password, ok):
    try:
        ComplexityValidator().validate(password)
        assert ok
    except ValidationError:
        assert not ok


def test_the_password_may_not_contain_the_username():
    class U:
        username = "wangfang"

    with pytest.raises(ValidationError):
        NotUsernameValidator().validate("Wangfang#2026", U())
    NotUsernameValidator().validate("Lixiaohong#2026", U())


def test_after_thirty_idle_minutes_the_user_is_told_the_session_ended():
    UserFactory(username="zhang")
    client = Client()
    _post_login(client, "zhang", DEFAULT_PASSWORD)
    client.session.flush()  # what the expiry of the session does on the server
    client.cookies.pop("sessionid", None)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "30 minutes without activity" in response.content.decode()


def test_activity_renews_the_session_so_only_idle_time_counts():
    from django.contrib.sessions.models import Session

    user = UserFactory(username="zhang")
    client = Client()
    start = now()
    with frozen(start):
        client.force_login(user)
        client.get("/")
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date
    assert first_expiry - start <= timedelta(minutes=30, seconds=5)
    with frozen(start + timedelta(minutes=20)):
        client.get("/")
    # Django dates the session row by the real clock: what matters is that it was renewed.
    assert Session.objects.get(session_key=key).expire_date > first_expiry


def test_requests_within_a_minute_do_not_rewrite_the_session():
    user = UserFactory(username="zhang")
    client = Client()
    client.force_login(user)
    client.get("/")
    from tests.helpers import count_queries

    with count_queries() as q:
        client.get("/")
    assert not any(s["sql"].upper().startswith("UPDATE") for s in q.captured_queries)


def test_signing_out_needs_a_post_and_ends_the_session():
    user = UserFactory(username="zhang")
    client = Client()
    client.force_login(user)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_login_next_parameter_cannot_send_the_user_to_another_site():
    UserFactory(username="zhang")
    response = Client().post(
        "/login/?next=https://evil.example.com/",
        {"username": "zhang", "password": DEFAULT_PASSWORD},
    )
    assert response["Location"] == "/"
