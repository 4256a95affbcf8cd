"""Every organisation list runs the same number of queries for a few rows and for a few
hundred: a page that queries once per unit or per account would crawl at province scale
(6,000 units, 10,000 accounts)."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from luoshi.core.clock import now
from luoshi.orgs.choices import Role
from luoshi.orgs.models import Leader, RoleGrant, Unit, User
from tests.helpers import assert_queries_independent_of_size
from tests.orgs.factories import UnitClassFactory, default_password_hash

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def grow(n: int = 300) -> None:
    """Add ``n`` units in two classes, half under a parent, each with an account holding
    roles, a third of the accounts locked, and ``n`` leaders half linked to an account."""
    k = next(_serial)
    classes = [UnitClassFactory(code=f"q{k}a"), UnitClassFactory(code=f"q{k}b")]
    top = Unit.objects.bulk_create(
        Unit(code=f"Q{k}-T{i}", name=f"上级{k}-{i}", unit_class=classes[0]) for i in range(10)
    )
    units = Unit.objects.bulk_create(
        Unit(
            code=f"Q{k}-{i}",
            name=f"单位{k}-{i}",
            short_name=f"简{i}",
            unit_class=classes[i % 2],
            parent=top[i % 10] if i % 2 else None,
            is_active=i % 7 != 0,
        )
        for i in range(n)
    )
    leaders = Leader.objects.bulk_create(
        Leader(name=f"领导{k}-{i}", title="副县长", precedence=i) for i in range(n)
    )
    users = User.objects.bulk_create(
        User(
            username=f"q{k}_{i}",
            full_name=f"用户{i}",
            password=default_password_hash(),
            unit=units[i],
            leader=leaders[i] if i % 2 else None,
            must_change_password=False,
            password_changed_at=now(),
            locked_until=now() if i % 3 == 0 else None,
        )
        for i in range(n)
    )
    RoleGrant.objects.bulk_create(
        RoleGrant(user=u, role=r)
        for u in users
        for r in (Role.UNIT_REPORTER, Role.UNIT_HEAD, Role.LEADER)
    )


@pytest.fixture(autouse=True)
def a_few_rows(db):
    """The baseline is a small county, not an empty one (an empty page skips its query)."""
    grow(5)


@pytest.fixture
def sysadmin_client(role_users):
    client = Client()
    client.force_login(role_users[Role.SYSTEM_ADMIN])
    return client


@pytest.fixture
def secadmin_client(role_users):
    client = Client()
    client.force_login(role_users[Role.SECURITY_ADMIN])
    return client


def test_unit_list_queries_do_not_grow(sysadmin_client):
    assert_queries_independent_of_size(lambda: sysadmin_client.get("/orgs/units/"), grow)


def test_filtered_unit_list_queries_do_not_grow(sysadmin_client):
    def call():
        return sysadmin_client.get("/orgs/units/", {"q": "单位", "active": "1", "unit_class": ""})

    assert_queries_independent_of_size(call, grow)


def test_unit_list_for_a_reporter_does_not_grow(role_users):
    client = Client()
    client.force_login(role_users[Role.UNIT_REPORTER])
    assert_queries_independent_of_size(lambda: client.get("/orgs/units/"), grow)


def test_unit_detail_queries_do_not_grow_with_its_accounts(sysadmin_client, unit_a):
    # One sub-unit from the start: the page counts its sub-units' accounts only when it has any.
    Unit.objects.create(
        code="C-first", name="下属单位", unit_class=unit_a.unit_class, parent=unit_a
    )

    def more_in_unit_a() -> None:
        grow(50)
        k = next(_serial)
        Unit.objects.bulk_create(
            Unit(code=f"C{k}-{i}", name=f"下属{i}", unit_class=unit_a.unit_class, parent=unit_a)
            for i in range(40)
        )
        users = User.objects.bulk_create(
            User(username=f"a{k}_{i}", password=default_password_hash(), unit=unit_a)
            for i in range(40)
        )
        RoleGrant.objects.bulk_create(RoleGrant(user=u, role=Role.UNIT_REPORTER) for u in users)

    assert_queries_independent_of_size(
        lambda: sysadmin_client.get(f"/orgs/units/{unit_a.pk}/"), more_in_unit_a
    )


def test_unit_class_list_queries_do_not_grow(sysadmin_client):
    assert_queries_independent_of_size(lambda: sysadmin_client.get("/orgs/unit-classes/"), grow)


def test_leader_list_queries_do_not_grow(sysadmin_client):
    assert_queries_independent_of_size(lambda: sysadmin_client.get("/orgs/leaders/"), grow)


def test_user_list_queries_do_not_grow(sysadmin_client):
    assert_queries_independent_of_size(lambda: sysadmin_client.get("/orgs/users/"), grow)


def test_filtered_user_list_queries_do_not_grow(sysadmin_client):
    def call():
        return sysadmin_client.get("/orgs/users/", {"role": "reporter", "locked": "1"})

    assert_queries_independent_of_size(call, grow)


def test_role_list_queries_do_not_grow(secadmin_client):
    assert_queries_independent_of_size(lambda: secadmin_client.get("/orgs/roles/"), grow)


def test_account_form_queries_do_not_grow(sysadmin_client, role_users):
    reporter = role_users[Role.UNIT_REPORTER]
    assert_queries_independent_of_size(
        lambda: sysadmin_client.get(f"/orgs/users/{reporter.pk}/edit/"), grow
    )
