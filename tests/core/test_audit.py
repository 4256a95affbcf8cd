"""The audit trail: append-only, hash-chained, verified by ``luoshi audit-verify``; and every
sign-in, failure, lockout, sign-out and password change is recorded with the client's IP."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client

from luoshi.core.audit import audit_record, audit_verify
from luoshi.core.choices import AuditAction
from luoshi.core.models import AuditChainHead, AuditEntry
from luoshi.orgs.choices import Role
from tests.orgs.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _chain(n: int) -> list[AuditEntry]:
    unit = UnitFactory(name="县发展和改革局")
    return [
        audit_record(
            action=AuditAction.UPDATE,
            obj=unit,
            before={"name": f"旧{i}"},
            after={"name": f"新{i}"},
            ip="10.0.0.1",
        )
        for i in range(n)
    ]


def _verify() -> tuple[int, str]:
    """Run the command as cron would; returns (exit code, everything it printed)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


# --- the chain -----------------------------------------------------------------------


def test_entries_are_numbered_without_gaps_and_each_links_to_the_one_before():
    entries = _chain(5)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == "0" * 64
    for earlier, later in zip(entries, entries[1:], strict=False):
        assert later.prev_hash == earlier.hash
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (5, entries[-1].hash)


def test_an_intact_chain_verifies_and_the_command_exits_zero():
    _chain(7)
    code, output = _verify()
    assert code == 0
    assert "OK: 7 entries verified" in output


def test_an_empty_trail_verifies():
    assert _verify() == (0, "OK: 0 entries verified\n")


def test_verification_reads_in_batches_across_the_boundary():
    _chain(12)
    assert audit_verify(batch_size=5) == (12, None)


def test_an_entry_edited_in_the_database_is_named_by_the_command():
    _chain(5)
    AuditEntry.objects.filter(seq=3).update(after={"name": "篡改"})
    code, output = _verify()
    assert code == 1
    assert "#3" in output
    assert "changed" in output


def test_an_edited_ip_or_actor_name_is_detected_too():
    _chain(3)
    AuditEntry.objects.filter(seq=2).update(ip="8.8.8.8")
    assert audit_verify()[1].seq == 2


def test_a_deleted_middle_entry_is_named_as_missing():
    _chain(5)
    AuditEntry.objects.filter(seq=3)._raw_delete(connection.alias)
    code, output = _verify()
    assert code == 1
    assert "#3" in output and "missing" in output


def test_a_deleted_middle_entry_is_found_by_raw_sql_too():
    _chain(4)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 2")
    checked, broken = audit_verify()
    assert checked == 1 and broken.seq == 2


def test_a_deleted_last_entry_is_detected_through_the_chain_head():
    _chain(5)
    AuditEntry.objects.filter(seq=5)._raw_delete(connection.alias)
    code, output = _verify()
    assert code == 1
    assert "#5" in output


def test_a_tampered_prev_hash_is_detected():
    _chain(4)
    AuditEntry.objects.filter(seq=3).update(prev_hash="f" * 64)
    checked, broken = audit_verify()
    assert broken.seq == 3 and checked == 2
    assert "link" in broken.reason


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link():
    """A forger who recomputes the edited row's own hash still breaks its successor."""
    from luoshi.core.audit import compute_hash

    _chain(4)
    entry = AuditEntry.objects.get(seq=2)
    entry.after = {"name": "篡改"}
    AuditEntry.objects.filter(seq=2).update(after=entry.after, hash=compute_hash(entry))
    assert audit_verify()[1].seq == 3


def test_saving_an_existing_entry_again_is_refused():
    entry = _chain(1)[0]
    entry.after = {"name": "篡改"}
    with pytest.raises(RuntimeError):
        entry.save()
    assert AuditEntry.objects.get(seq=1).after == {"name": "新0"}


def test_deleting_an_entry_through_the_model_is_refused():
    entry = _chain(1)[0]
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.filter(seq=1).exists()


def test_values_are_stored_as_json_with_foreign_keys_as_ids():
    from datetime import date
    from decimal import Decimal

    unit = UnitFactory()
    entry = audit_record(
        action=AuditAction.UPDATE,
        obj=unit,
        after={"amount": Decimal("12.50"), "day": date(2026, 3, 1), "unit": unit},
    )
    assert entry.after == {"amount": "12.50", "day": "2026-03-01", "unit": unit.pk}
    assert audit_verify() == (1, None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_contiguous():
    """Two threads appending at once must queue on the chain head, not fork the chain."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("in-memory SQLite is one connection per thread only in name")
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for i in range(10):
                audit_record(
                    action=AuditAction.UPDATE,
                    object_type="test.thing",
                    object_id=i,
                    after={"by": tag},
                )
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 21)
    )
    assert audit_verify() == (20, None)


# --- security events -----------------------------------------------------------------


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()


def _login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def test_a_sign_in_is_recorded_with_the_user_and_ip():
    user = UserFactory(username="zhang", roles=[Role.SUPERVISION_OFFICER])
    _login(Client(), "zhang", DEFAULT_PASSWORD)
    entry = _last(AuditAction.LOGIN)
    assert entry.actor_id == user.pk and entry.actor_username == "zhang"
    assert entry.ip == "127.0.0.1"
    assert entry.object_type == "orgs.user" and entry.object_id == str(user.pk)


def test_a_failed_sign_in_is_recorded_with_its_reason_and_ip():
    user = UserFactory(username="zhang")
    _login(Client(), "zhang", "wrong-password")
    entry = _last(AuditAction.LOGIN_FAILED)
    assert entry.actor_id is None  # nobody signed in
    assert entry.actor_username == "zhang" and entry.object_id == str(user.pk)
    assert entry.ip == "127.0.0.1"
    assert entry.after["reason"] == "wrong password"


def test_a_sign_in_as_an_unknown_user_is_recorded_under_the_name_typed():
    _login(Client(), "nobody", "x")
    entry = _last(AuditAction.LOGIN_FAILED)
    assert entry.actor_username == "nobody" and entry.after == {"reason": "unknown user"}
    assert entry.ip == "127.0.0.1"


def test_the_fifth_failure_records_a_lockout_and_later_attempts_say_locked():
    UserFactory(username="zhang")
    client = Client()
    for _ in range(5):
        _login(client, "zhang", "bad")
    lockout = _last(AuditAction.LOCKOUT)
    assert lockout is not None and lockout.ip == "127.0.0.1"
    assert "locked_until" in lockout.after
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 4
    _login(client, "zhang", DEFAULT_PASSWORD)
    assert _last(AuditAction.LOGIN_FAILED).after == {"reason": "locked"}
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_a_sign_out_is_recorded():
    user = UserFactory(username="zhang")
    client = Client()
    _login(client, "zhang", DEFAULT_PASSWORD)
    client.post("/logout/")
    entry = _last(AuditAction.LOGOUT)
    assert entry.actor_id == user.pk and entry.ip == "127.0.0.1"


def test_a_password_change_is_recorded_without_the_password():
    user = UserFactory(username="zhang")
    client = Client()
    _login(client, "zhang", DEFAULT_PASSWORD)
    new = "Xinmima#2026abc"
    response = client.post(
        "/account/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    entry = _last(AuditAction.PASSWORD_CHANGE)
    assert entry.actor_id == user.pk and entry.ip == "127.0.0.1"
    stored = f"{entry.before} {entry.after}"
    assert new not in stored and DEFAULT_PASSWORD not in stored
    assert audit_verify()[1] is None


def test_the_ip_comes_from_the_proxy_header_only_behind_a_proxy(settings):
    UserFactory(username="zhang")
    settings.LUOSHI_BEHIND_PROXY = False
    Client().post("/login/", {"username": "zhang", "password": "x"}, HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert _last(AuditAction.LOGIN_FAILED).ip == "127.0.0.1"
    settings.LUOSHI_BEHIND_PROXY = True
    Client().post(
        "/login/", {"username": "zhang", "password": "x"}, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3"
    )
    assert _last(AuditAction.LOGIN_FAILED).ip == "10.1.2.3"


# --- many entries at once -------------------------------------------------------------


def test_many_entries_at_once_continue_the_chain_as_one_by_one_would():
    from luoshi.core.audit import audit_record_many

    first = _chain(2)
    unit = UnitFactory(name="县交通运输局")
    many = audit_record_many(
        [
            {"action": AuditAction.UPDATE, "obj": unit, "before": {"n": i}, "after": {"n": i + 1}}
            for i in range(5)
        ],
        ip="10.0.0.2",
    )
    last = audit_record(action=AuditAction.UPDATE, obj=unit, after={"n": 9})
    assert [e.seq for e in many] == [3, 4, 5, 6, 7] and last.seq == 8
    assert many[0].prev_hash == first[-1].hash and last.prev_hash == many[-1].hash
    stored = list(AuditEntry.objects.filter(seq__in=[3, 7]).order_by("seq"))
    assert [e.hash for e in stored] == [many[0].hash, many[-1].hash]
    assert all(e.created_at.utcoffset().total_seconds() == 0 for e in stored)
    assert audit_verify() == (8, None)
    assert _verify()[0] == 0


def test_many_entries_stamped_in_another_zone_still_verify():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from luoshi.core.audit import audit_record_many
    from luoshi.core.clock import frozen

    unit = UnitFactory()
    with frozen(dt.datetime(2026, 11, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        audit_record_many([{"action": AuditAction.CREATE, "obj": unit}] * 3)
        audit_record(action=AuditAction.UPDATE, obj=unit)
    assert audit_verify() == (4, None)


def test_no_entries_write_nothing():
    from luoshi.core.audit import audit_record_many

    assert audit_record_many([]) == []
    assert not AuditEntry.objects.exists()
