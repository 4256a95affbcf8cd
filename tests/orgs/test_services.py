"""The organisation services: the rules of units, unit classes, leaders, accounts and roles,
and the audit entry each change leaves behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.models import AuditEntry
from luoshi.orgs import services
from luoshi.orgs.choices import Role
from luoshi.orgs.models import Leader, RoleGrant, Unit, UnitClass, User
from tests.orgs.factories import LeaderFactory, UnitClassFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Strong#2026pw"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="sys", roles=[Role.SYSTEM_ADMIN])


@pytest.fixture
def secadmin(db):
    return UserFactory(username="sec", roles=[Role.SECURITY_ADMIN])


def unit_data(unit: Unit | None = None, **changes) -> dict:
    """The form data of ``unit`` (or of a new unit), with ``changes`` applied."""
    if unit is None:
        data = {
            "code": "NEW",
            "name": "新单位",
            "short_name": "",
            "unit_class": UnitClassFactory(code="dept", name="县直部门"),
            "parent": None,
            "is_active": True,
            "order": 0,
        }
    else:
        data = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "unit_class": unit.unit_class,
            "parent": unit.parent,
            "is_active": unit.is_active,
            "order": unit.order,
        }
    data.update(changes)
    return data


def user_data(user: User | None = None, **changes) -> dict:
    data = {"username": "new_user", "full_name": "新用户", "phone": "", "unit": None}
    data.update({"leader": None, "is_active": True})
    if user is not None:
        data.update(
            username=user.username,
            full_name=user.full_name,
            phone=user.phone,
            unit=user.unit,
            leader=user.leader,
            is_active=user.is_active,
        )
    data.update(changes)
    return data


def audit_count() -> int:
    return AuditEntry.objects.count()


# --- Units ------------------------------------------------------------------------------


def test_it_creates_a_unit_and_audits_it(sysadmin):
    unit = services.unit_create(actor=sysadmin, data=unit_data(code="WJW", name="县卫生健康委员会"))
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="orgs.unit")
    assert entry.actor == sysadmin
    assert entry.object_id == str(unit.pk)
    assert entry.after["code"] == "WJW" and entry.after["name"] == "县卫生健康委员会"


def test_it_refuses_a_duplicate_code_whatever_the_case_and_names_the_unit(sysadmin, unit_a):
    before = (Unit.objects.count(), audit_count())
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=sysadmin, data=unit_data(code="fgj"))
    # The admin must learn which unit already holds the code, not just "not unique".
    assert "县发展和改革局" in str(exc.value.message)
    assert "FGJ" in str(exc.value.message)
    assert exc.value.field == "code"
    assert (Unit.objects.count(), audit_count()) == before


def test_it_refuses_an_empty_name(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=sysadmin, data=unit_data(name="   "))
    assert exc.value.field == "name"
    assert str(exc.value.message) == "Name is required."
    assert not Unit.objects.filter(code="NEW").exists()


def test_it_refuses_the_unit_as_its_own_parent(sysadmin, unit_a):
    with pytest.raises(DomainError) as exc:
        services.unit_update(actor=sysadmin, unit=unit_a, data=unit_data(unit_a, parent=unit_a))
    assert str(exc.value.message) == "A unit cannot be its own parent."
    unit_a.refresh_from_db()
    assert unit_a.parent_id is None


def test_it_refuses_a_parent_cycle_and_names_the_chain(sysadmin):
    top = UnitFactory(name="县农业农村局")
    middle = UnitFactory(name="县农技中心", parent=top)
    bottom = UnitFactory(name="县农技站", parent=middle)
    entries = audit_count()
    with pytest.raises(DomainError) as exc:
        services.unit_update(
            actor=sysadmin, unit=top, data=unit_data(top, parent=bottom, name="改名")
        )
    message = str(exc.value.message)
    assert "县农业农村局 → 县农技中心 → 县农技站" in message
    assert exc.value.field == "parent"
    top.refresh_from_db()
    # Nothing changed: neither the parent nor the name typed in the same form.
    assert (top.parent_id, top.name, audit_count()) == (None, "县农业农村局", entries)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    shape=st.lists(st.integers(min_value=0, max_value=50), min_size=6, max_size=6),
    moved=st.integers(min_value=0, max_value=5),
    new_parent=st.integers(min_value=0, max_value=5),
)
def test_a_parent_is_refused_exactly_when_it_is_the_unit_or_below_it(
    sysadmin, shape, moved, new_parent
):
    # Unit i hangs under one of the units before it (or none): any forest of six units.
    with transaction.atomic():
        units: list[Unit] = []
        parent_of: dict[int, int | None] = {}
        for i, choice in enumerate(shape):
            p = choice % (i + 1) - 1  # -1: top level
            parent_of[i] = p if p >= 0 else None
            units.append(UnitFactory(parent=units[p] if p >= 0 else None))

        def below_or_same(i: int) -> bool:
            node: int | None = new_parent
            while node is not None:
                if node == i:
                    return True
                node = parent_of[node]
            return False

        unit = units[moved]
        try:
            services.unit_update(
                actor=sysadmin, unit=unit, data=unit_data(unit, parent=units[new_parent])
            )
            accepted = True
        except DomainError:
            accepted = False
        assert accepted is not below_or_same(moved)
        transaction.set_rollback(True)


def test_it_refuses_an_inactive_parent_for_an_active_unit(sysadmin):
    retired = UnitFactory(name="原县物价局", is_active=False)
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=sysadmin, data=unit_data(parent=retired))
    assert "原县物价局" in str(exc.value.message) and "inactive" in str(exc.value.message)
    assert not Unit.objects.filter(code="NEW").exists()


def test_an_inactive_unit_may_stay_under_an_inactive_parent(sysadmin):
    retired = UnitFactory(is_active=False)
    unit = services.unit_create(actor=sysadmin, data=unit_data(parent=retired, is_active=False))
    assert unit.parent == retired


def test_it_refuses_to_deactivate_a_unit_with_active_sub_units(sysadmin, unit_a):
    UnitFactory(name="县价格认证中心", parent=unit_a)
    with pytest.raises(DomainError) as exc:
        services.unit_update(actor=sysadmin, unit=unit_a, data=unit_data(unit_a, is_active=False))
    assert "县价格认证中心" in str(exc.value.message)
    unit_a.refresh_from_db()
    assert unit_a.is_active


def test_it_refuses_to_deactivate_a_unit_with_active_accounts(sysadmin, unit_a):
    UserFactory(unit=unit_a)
    UserFactory(unit=unit_a)
    with pytest.raises(DomainError) as exc:
        services.unit_update(actor=sysadmin, unit=unit_a, data=unit_data(unit_a, is_active=False))
    assert "2 active user accounts" in str(exc.value.message)
    unit_a.refresh_from_db()
    assert unit_a.is_active


def test_it_deactivates_a_unit_and_audits_before_and_after(sysadmin, unit_a):
    UserFactory(unit=unit_a, is_active=False)  # retired accounts do not block
    services.unit_update(actor=sysadmin, unit=unit_a, data=unit_data(unit_a, is_active=False))
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="orgs.unit")
    assert entry.before["is_active"] is True and entry.after["is_active"] is False


def test_saving_a_unit_unchanged_records_nothing(sysadmin, unit_a):
    entries = audit_count()
    services.unit_update(actor=sysadmin, unit=unit_a, data=unit_data(unit_a))
    assert audit_count() == entries


def test_only_the_system_admin_may_write_units(secadmin, unit_a):
    with pytest.raises(NotPermitted):
        services.unit_update(actor=secadmin, unit=unit_a, data=unit_data(unit_a, name="x"))
    unit_a.refresh_from_db()
    assert unit_a.name == "县发展和改革局"


# --- Unit classes -----------------------------------------------------------------------


def test_it_refuses_a_duplicate_unit_class_code(sysadmin, township):
    with pytest.raises(DomainError) as exc:
        services.unit_class_create(
            actor=sysadmin, data={"code": "TOWN", "name": "乡镇", "kind": "township", "order": 1}
        )
    assert "乡镇（街道）" in str(exc.value.message)
    assert UnitClass.objects.filter(code__iexact="town").count() == 1


def test_it_refuses_to_delete_a_unit_class_that_has_units(sysadmin, township):
    with pytest.raises(DomainError) as exc:
        services.unit_class_delete(actor=sysadmin, unit_class=township.unit_class)
    assert "1 unit belongs to it" in str(exc.value.message)
    assert UnitClass.objects.filter(pk=township.unit_class_id).exists()


def test_it_deletes_an_unused_unit_class_and_audits_it(sysadmin):
    cls = UnitClassFactory(code="spare", name="备用类别")
    services.unit_class_delete(actor=sysadmin, unit_class=cls)
    assert not UnitClass.objects.filter(code="spare").exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.before["name"] == "备用类别"


def test_it_updates_a_unit_class_and_audits_the_change(sysadmin):
    cls = UnitClassFactory(code="park", name="园区", kind="park")
    services.unit_class_update(
        actor=sysadmin,
        unit_class=cls,
        data={"code": "park", "name": "产业园区", "kind": "park", "order": 3},
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.before["name"] == "园区" and entry.after["name"] == "产业园区"


# --- Leaders ----------------------------------------------------------------------------


def leader_data(**changes) -> dict:
    data = {"name": "张三", "title": "县长", "precedence": 1, "is_active": True, "username": ""}
    data.update(changes)
    return data


def test_it_creates_a_leader_linked_to_an_account(sysadmin):
    account = UserFactory(username="zhangsan", roles=[Role.LEADER])
    leader = services.leader_create(actor=sysadmin, data=leader_data(username="ZhangSan"))
    account.refresh_from_db()
    assert account.leader == leader
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="orgs.leader")
    assert entry.after == {
        "name": "张三",
        "title": "县长",
        "precedence": 1,
        "is_active": True,
        "user": account.pk,
    }


def test_it_refuses_an_account_already_linked_to_another_leader(sysadmin):
    other = LeaderFactory(name="李四", title="副县长")
    UserFactory(username="lisi", leader=other)
    with pytest.raises(DomainError) as exc:
        services.leader_create(actor=sysadmin, data=leader_data(username="lisi"))
    assert "李四" in str(exc.value.message)
    assert not Leader.objects.filter(name="张三").exists()


def test_it_refuses_an_unknown_account(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.leader_create(actor=sysadmin, data=leader_data(username="nobody"))
    assert str(exc.value.message) == "There is no user account “nobody”."
    assert not Leader.objects.exists()


def test_an_empty_username_unlinks_the_account(sysadmin):
    leader = LeaderFactory()
    account = UserFactory(leader=leader)
    services.leader_update(
        actor=sysadmin, leader=leader, data=leader_data(name=leader.name, title=leader.title)
    )
    account.refresh_from_db()
    assert account.leader is None
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="orgs.leader")
    assert entry.before["user"] == account.pk and entry.after["user"] is None


# --- User accounts ----------------------------------------------------------------------


def test_a_new_account_must_change_its_initial_password(sysadmin, unit_a):
    user = services.user_create(
        actor=sysadmin, data=user_data(unit=unit_a, username="liu"), password=STRONG
    )
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert user.must_change_password and user.password_expired()
    # The system admin creates accounts but grants no role (三员分立).
    assert user.role_set == frozenset()
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="orgs.user")
    assert entry.after["username"] == "liu" and "password" not in entry.after


def test_it_refuses_a_weak_initial_password_with_the_rule(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.user_create(actor=sysadmin, data=user_data(), password="short1")
    assert "at least 10 characters" in str(exc.value.message)
    assert exc.value.field == "password1"
    assert not User.objects.filter(username="new_user").exists()


def test_it_refuses_a_password_containing_the_username(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.user_create(
            actor=sysadmin, data=user_data(username="wangwu"), password="Wangwu#2026x"
        )
    assert str(exc.value.message) == "The password must not contain the username."


def test_it_refuses_a_duplicate_username_whatever_the_case(sysadmin):
    UserFactory(username="zhaoliu", full_name="赵六")
    with pytest.raises(DomainError) as exc:
        services.user_create(actor=sysadmin, data=user_data(username="ZhaoLiu"), password=STRONG)
    assert str(exc.value.message) == "The username “zhaoliu” is already taken by 赵六."
    assert User.objects.filter(username__iexact="zhaoliu").count() == 1


def test_it_refuses_an_inactive_unit_for_an_account(sysadmin):
    retired = UnitFactory(name="原县物价局", is_active=False)
    with pytest.raises(DomainError) as exc:
        services.user_create(actor=sysadmin, data=user_data(unit=retired), password=STRONG)
    assert "原县物价局" in str(exc.value.message)


def test_it_keeps_the_unit_of_a_unit_reporter(sysadmin, unit_a):
    reporter = UserFactory(unit=unit_a, roles=[Role.UNIT_REPORTER])
    with pytest.raises(DomainError) as exc:
        services.user_update(actor=sysadmin, user=reporter, data=user_data(reporter, unit=None))
    assert "Unit reporter" in str(exc.value.message)
    reporter.refresh_from_db()
    assert reporter.unit == unit_a


def test_a_system_admin_cannot_deactivate_their_own_account(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.user_update(
            actor=sysadmin, user=sysadmin, data=user_data(sysadmin, is_active=False)
        )
    assert str(exc.value.message) == "You cannot deactivate your own account."
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_the_system_admin_cannot_disable_another_administrator(sysadmin, secadmin):
    with pytest.raises(DomainError) as exc:
        services.user_update(
            actor=sysadmin, user=secadmin, data=user_data(secadmin, is_active=False)
        )
    assert "Security administrator" in str(exc.value.message)
    secadmin.refresh_from_db()
    assert secadmin.is_active


def test_it_updates_an_account_and_audits_before_and_after(sysadmin, unit_a, unit_b):
    user = UserFactory(unit=unit_a, full_name="旧名")
    services.user_update(
        actor=sysadmin, user=user, data=user_data(user, unit=unit_b, full_name="新名")
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="orgs.user")
    assert (entry.before["unit"], entry.after["unit"]) == (unit_a.pk, unit_b.pk)
    assert (entry.before["full_name"], entry.after["full_name"]) == ("旧名", "新名")


def test_resetting_a_password_forces_a_change_at_the_next_sign_in(sysadmin):
    user = UserFactory()
    assert not user.password_expired()
    services.user_reset_password(actor=sysadmin, user=user, password=STRONG)
    user.refresh_from_db()
    assert user.check_password(STRONG) and user.must_change_password
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET, object_id=user.pk).exists()


def test_it_refuses_to_reset_an_administrators_password(sysadmin):
    auditor = UserFactory(roles=[Role.AUDIT_ADMIN])
    old_hash = auditor.password
    with pytest.raises(DomainError):
        services.user_reset_password(actor=sysadmin, user=auditor, password=STRONG)
    auditor.refresh_from_db()
    assert auditor.password == old_hash


# --- Roles ------------------------------------------------------------------------------


def roles_of(user: User) -> set[str]:
    return set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))


def test_it_refuses_two_admin_roles_and_names_them(secadmin):
    user = UserFactory(roles=[Role.SUPERVISION_OFFICER])
    entries = audit_count()
    with pytest.raises(DomainError) as exc:
        services.roles_set(actor=secadmin, user=user, roles=[Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
    message = str(exc.value.message)
    assert "System administrator" in message and "Audit administrator" in message
    assert roles_of(user) == {Role.SUPERVISION_OFFICER}
    assert audit_count() == entries


def test_it_refuses_an_admin_role_with_a_business_role(secadmin):
    user = UserFactory()
    with pytest.raises(DomainError) as exc:
        services.roles_set(actor=secadmin, user=user, roles=[Role.SYSTEM_ADMIN, Role.LEADER])
    assert "cannot be combined" in str(exc.value.message)
    assert roles_of(user) == set()


def test_a_unit_reporter_needs_a_unit(secadmin):
    user = UserFactory(username="nounit", unit=None)
    with pytest.raises(DomainError) as exc:
        services.roles_set(actor=secadmin, user=user, roles=[Role.UNIT_REPORTER])
    assert "belongs to a unit" in str(exc.value.message) and "nounit" in str(exc.value.message)
    assert roles_of(user) == set()


def test_the_security_admin_cannot_change_their_own_roles(secadmin):
    with pytest.raises(DomainError) as exc:
        services.roles_set(actor=secadmin, user=secadmin, roles=[])
    assert "your own roles" in str(exc.value.message)
    assert roles_of(secadmin) == {Role.SECURITY_ADMIN}


def test_the_system_admin_cannot_grant_roles(sysadmin, unit_a):
    user = UserFactory(unit=unit_a)
    with pytest.raises(NotPermitted):
        services.roles_set(actor=sysadmin, user=user, roles=[Role.UNIT_REPORTER])
    assert roles_of(user) == set()


def test_every_grant_and_revocation_is_audited_with_the_role_lists(secadmin, unit_a):
    user = UserFactory(unit=unit_a, roles=[Role.UNIT_REPORTER])
    services.roles_set(actor=secadmin, user=user, roles=[Role.UNIT_HEAD, Role.LEADER])
    assert roles_of(user) == {Role.UNIT_HEAD, Role.LEADER}
    grants = AuditEntry.objects.filter(action=AuditAction.ROLE_GRANT).order_by("seq")
    revokes = AuditEntry.objects.filter(action=AuditAction.ROLE_REVOKE)
    assert [e.after["granted"] for e in grants] == ["unit_head", "leader"]
    assert [e.after["revoked"] for e in revokes] == ["reporter"]
    for entry in [*grants, *revokes]:
        assert entry.before == {"roles": ["reporter"]}
        assert entry.after["roles"] == ["unit_head", "leader"]
        assert entry.actor == secadmin and entry.object_id == str(user.pk)
    assert RoleGrant.objects.get(user=user, role=Role.UNIT_HEAD).granted_by == secadmin


def test_setting_the_same_roles_records_nothing(secadmin, unit_a):
    user = UserFactory(unit=unit_a, roles=[Role.UNIT_REPORTER])
    entries = audit_count()
    services.roles_set(actor=secadmin, user=user, roles=[Role.UNIT_REPORTER])
    assert audit_count() == entries


# --- Unlock -----------------------------------------------------------------------------


def test_unlocking_clears_the_lock_and_is_audited(secadmin):
    user = UserFactory(locked_until=now() + timedelta(minutes=10), failed_logins=0)
    assert user.is_locked()
    services.user_unlock(actor=secadmin, user=user)
    user.refresh_from_db()
    assert not user.is_locked() and user.failed_logins == 0
    entry = AuditEntry.objects.get(action=AuditAction.UNLOCK)
    assert entry.before["locked_until"] is not None and entry.after["locked_until"] is None


def test_unlocking_an_open_account_is_refused(secadmin):
    user = UserFactory(username="open")
    with pytest.raises(DomainError) as exc:
        services.user_unlock(actor=secadmin, user=user)
    assert str(exc.value.message) == "The account “open” is not locked."


def test_the_system_admin_cannot_unlock(sysadmin):
    user = UserFactory(locked_until=now() + timedelta(minutes=10))
    with pytest.raises(NotPermitted):
        services.user_unlock(actor=sysadmin, user=user)
    user.refresh_from_db()
    assert user.is_locked()
