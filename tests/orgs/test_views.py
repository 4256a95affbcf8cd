"""The organisation pages as their users meet them: what each list shows, what each form
says when the input is wrong, and that a refused request changes nothing."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.models import AuditEntry
from luoshi.orgs.choices import Role
from luoshi.orgs.models import Leader, RoleGrant, Unit, UnitClass, User
from tests.access_matrix import ALL_ROLES
from tests.orgs.access import ORGS_ENDPOINTS
from tests.orgs.factories import LeaderFactory, UnitClassFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Strong#2026pw"


def client_for(user: User) -> Client:
    """A signed-in client reading the pages in English (the messages asserted below)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def sys_client(role_users):
    return client_for(role_users[Role.SYSTEM_ADMIN])


@pytest.fixture
def sec_client(role_users):
    return client_for(role_users[Role.SECURITY_ADMIN])


def text(response) -> str:
    return response.content.decode()


def unit_form(unit: Unit | None = None, **changes) -> dict:
    data = {
        "name": "县卫生健康委员会",
        "short_name": "卫健委",
        "code": "WJW",
        "unit_class": UnitClassFactory(code="dept", name="县直部门").pk,
        "parent": "",
        "order": "0",
        "is_active": "on",
    }
    if unit is not None:
        data.update(
            name=unit.name,
            short_name=unit.short_name,
            code=unit.code,
            unit_class=unit.unit_class_id,
            parent=unit.parent_id or "",
            order=str(unit.order),
        )
        if not unit.is_active:
            data.pop("is_active")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Unit list and detail ----------------------------------------------------------------


def test_a_reporter_sees_only_their_own_unit_in_the_list(role_users, unit_a, unit_b):
    page = text(client_for(role_users[Role.UNIT_REPORTER]).get("/orgs/units/"))
    assert "县发展和改革局" in page
    assert "县交通运输局" not in page
    assert "New unit" not in page  # no management button for a reporter


def test_the_unit_list_searches_name_short_name_and_code(role_users, unit_a, unit_b):
    client = client_for(role_users[Role.SUPERVISION_OFFICER])
    for query in ("发展和改革", "发改局", "fgj"):
        page = text(client.get("/orgs/units/", {"q": query}))
        assert "县发展和改革局" in page and "县交通运输局" not in page, query


def test_the_unit_list_filters_by_class_status_and_parent(role_users, unit_a, township):
    UnitFactory(name="城关镇东街社区", parent=township)
    UnitFactory(name="原县物价局", is_active=False)
    client = client_for(role_users[Role.SUPERVISION_OFFICER])
    by_class = text(client.get("/orgs/units/", {"unit_class": township.unit_class_id}))
    assert "城关镇" in by_class and "县发展和改革局" not in by_class
    inactive = text(client.get("/orgs/units/", {"active": "0"}))
    assert "原县物价局" in inactive and "县发展和改革局" not in inactive
    under = text(client.get("/orgs/units/", {"parent": township.pk}))
    assert "城关镇东街社区" in under and "县发展和改革局" not in under


def test_the_unit_list_shows_the_number_of_users(sys_client, unit_a, role_users):
    response = sys_client.get("/orgs/units/", {"q": "FGJ"})
    # head_a and reporter_a belong to unit_a.
    assert response.context["page_obj"][0]["user_count"] == 2
    assert '<td class="num">2</td>' in text(response)


def test_the_unit_list_pages_by_fifty(sys_client):
    UnitFactory.create_batch(55 - Unit.objects.count())
    first = sys_client.get("/orgs/units/")
    second = sys_client.get("/orgs/units/", {"page": 2})
    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == 5
    assert "Page 1 of 2" in text(first)


def test_bad_filter_values_are_ignored_not_an_error(sys_client, unit_a):
    response = sys_client.get("/orgs/units/", {"unit_class": "x", "parent": "-3", "page": "zz"})
    assert response.status_code == 200
    assert "县发展和改革局" in text(response)


def test_a_reporter_gets_404_for_another_units_page(role_users, unit_b):
    for role in (Role.UNIT_REPORTER, Role.UNIT_HEAD):
        assert client_for(role_users[role]).get(f"/orgs/units/{unit_b.pk}/").status_code == 404


def test_a_reporter_sees_their_own_units_page_without_accounts(role_users, unit_a):
    response = client_for(role_users[Role.UNIT_REPORTER]).get(f"/orgs/units/{unit_a.pk}/")
    assert response.status_code == 200
    assert "reporter_a" not in text(response)  # accounts are for the administrators
    assert "Edit" not in text(response)


def test_the_unit_page_lists_sub_units_and_accounts_for_admins(sys_client, unit_a, role_users):
    UnitFactory(name="县价格认证中心", parent=unit_a)
    page = text(sys_client.get(f"/orgs/units/{unit_a.pk}/"))
    assert "县价格认证中心" in page
    assert "reporter_a" in page and "head_a" in page
    assert "Unit reporter" in page


def test_an_unknown_unit_is_404(sys_client):
    assert sys_client.get("/orgs/units/999999/").status_code == 404


# --- Unit forms -------------------------------------------------------------------------


def test_the_system_admin_creates_a_unit(sys_client):
    response = sys_client.post("/orgs/units/new/", unit_form(), follow=True)
    unit = Unit.objects.get(code="WJW")
    assert response.redirect_chain[-1][0] == f"/orgs/units/{unit.pk}/"
    assert "Unit “县卫生健康委员会” created." in text(response)


def test_a_duplicate_code_is_refused_naming_the_unit_that_has_it(sys_client, unit_a):
    response = sys_client.post("/orgs/units/new/", unit_form(code="fgj"))
    assert response.status_code == 400
    assert "The code “FGJ” is already used by “县发展和改革局”." in text(response)
    assert not Unit.objects.filter(name="县卫生健康委员会").exists()


def test_a_parent_cycle_is_refused_with_the_chain(sys_client, unit_a):
    child = UnitFactory(name="县价格认证中心", parent=unit_a)
    response = sys_client.post(f"/orgs/units/{unit_a.pk}/edit/", unit_form(unit_a, parent=child.pk))
    assert response.status_code == 400
    assert "县发展和改革局 → 县价格认证中心" in text(response)
    unit_a.refresh_from_db()
    assert unit_a.parent_id is None


def test_an_empty_name_is_refused(sys_client):
    response = sys_client.post("/orgs/units/new/", unit_form(name=""))
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert not Unit.objects.filter(code="WJW").exists()


def test_deactivating_a_unit_with_accounts_is_refused_with_the_count(sys_client, unit_a):
    data = unit_form(unit_a)
    data.pop("is_active")
    response = sys_client.post(f"/orgs/units/{unit_a.pk}/edit/", data)
    assert response.status_code == 400
    assert "still has 2 active user accounts" in text(response)
    unit_a.refresh_from_db()
    assert unit_a.is_active


def test_the_edit_form_shows_the_current_values(sys_client, unit_a):
    form = sys_client.get(f"/orgs/units/{unit_a.pk}/edit/").context["form"]
    assert form.initial["code"] == "FGJ" and form.initial["is_active"] is True
    # A unit cannot be offered as its own parent.
    assert unit_a not in form.fields["parent"].queryset


# --- Unit classes -----------------------------------------------------------------------


def test_deleting_a_unit_class_in_use_is_refused_with_a_message(sys_client, township):
    response = sys_client.post(f"/orgs/unit-classes/{township.unit_class_id}/delete/", follow=True)
    assert "cannot be deleted: 1 unit belongs to it" in text(response)
    assert UnitClass.objects.filter(pk=township.unit_class_id).exists()


def test_an_unused_unit_class_can_be_deleted(sys_client):
    cls = UnitClassFactory(code="spare", name="备用类别")
    page = text(sys_client.get(f"/orgs/unit-classes/{cls.pk}/edit/"))
    assert "Delete this unit class" in page
    sys_client.post(f"/orgs/unit-classes/{cls.pk}/delete/")
    assert not UnitClass.objects.filter(pk=cls.pk).exists()


def test_the_unit_class_list_counts_units(sys_client, township):
    response = sys_client.get("/orgs/unit-classes/")
    row = next(c for c in response.context["unit_classes"] if c.pk == township.unit_class_id)
    assert row.unit_count == 1


def test_a_duplicate_unit_class_code_is_refused(sys_client, township):
    data = {"code": "Town", "name": "另一个", "kind": "township", "order": "1"}
    response = sys_client.post("/orgs/unit-classes/new/", data)
    assert response.status_code == 400
    assert "already used by the unit class “乡镇（街道）”" in text(response)


# --- Leaders ----------------------------------------------------------------------------


def test_leaders_are_listed_by_precedence(sys_client):
    LeaderFactory(name="赵副县长", precedence=5)
    LeaderFactory(name="钱县长", precedence=1)
    page = text(sys_client.get("/orgs/leaders/"))
    assert page.index("钱县长") < page.index("赵副县长")


def test_the_leader_list_searches_by_title(sys_client):
    LeaderFactory(name="孙一", title="常务副县长")
    LeaderFactory(name="李二", title="县委书记")
    page = text(sys_client.get("/orgs/leaders/", {"q": "常务"}))
    assert "孙一" in page and "李二" not in page


def test_a_leader_is_created_with_a_linked_account(sys_client):
    account = UserFactory(username="qian", roles=[Role.LEADER])
    data = {
        "name": "钱七",
        "title": "县长",
        "precedence": "1",
        "is_active": "on",
        "username": "qian",
    }
    sys_client.post("/orgs/leaders/new/", data)
    account.refresh_from_db()
    assert account.leader.name == "钱七"
    page = text(sys_client.get("/orgs/leaders/"))
    assert "qian" in page


def test_linking_an_account_of_another_leader_is_refused(sys_client):
    other = LeaderFactory(name="李四")
    UserFactory(username="lisi", leader=other)
    data = {
        "name": "钱七",
        "title": "县长",
        "precedence": "1",
        "is_active": "on",
        "username": "lisi",
    }
    response = sys_client.post("/orgs/leaders/new/", data)
    assert response.status_code == 400
    assert "already linked to 李四" in text(response)
    assert not Leader.objects.filter(name="钱七").exists()


# --- User accounts ----------------------------------------------------------------------


def test_the_user_list_searches_by_phone_and_shows_role_tags(sys_client, unit_a):
    UserFactory(username="zhou", phone="13900001111", unit=unit_a, roles=[Role.UNIT_HEAD])
    response = sys_client.get("/orgs/users/", {"q": "0001111"})
    page = text(response)
    assert [u.username for u in response.context["page_obj"]] == ["zhou"]
    assert '<span class="tag">Unit head</span>' in page


def test_the_user_list_filters_locked_accounts_and_marks_them(sys_client):
    UserFactory(username="locked_one", locked_until=now() + timedelta(minutes=10))
    UserFactory(username="open_one")
    response = sys_client.get("/orgs/users/", {"locked": "1"})
    assert [u.username for u in response.context["page_obj"]] == ["locked_one"]
    assert ">Locked</span>" in text(response)


def test_the_user_list_filters_by_unit_role_and_status(sys_client, unit_a, unit_b):
    UserFactory(username="b_reporter", unit=unit_b, roles=[Role.UNIT_REPORTER])
    UserFactory(username="b_gone", unit=unit_b, is_active=False)

    def names(params):
        page = sys_client.get("/orgs/users/", params).context["page_obj"]
        return [u.username for u in page]

    assert names({"unit": unit_b.pk}) == ["b_gone", "b_reporter"]
    assert names({"unit": unit_b.pk, "role": "reporter"}) == ["b_reporter"]
    assert names({"unit": unit_b.pk, "active": "0"}) == ["b_gone"]


def test_a_new_account_gets_an_initial_password_to_change(sys_client, unit_a):
    data = {
        "username": "wu",
        "full_name": "吴九",
        "phone": "13800000000",
        "unit": unit_a.pk,
        "is_active": "on",
        "password1": STRONG,
        "password2": STRONG,
    }
    response = sys_client.post("/orgs/users/new/", data, follow=True)
    user = User.objects.get(username="wu")
    assert user.must_change_password and user.check_password(STRONG)
    assert "must change the initial password" in text(response)
    assert user.role_set == frozenset()


def test_a_weak_initial_password_is_refused_with_the_rule(sys_client):
    data = {"username": "wu", "password1": "abc", "password2": "abc", "is_active": "on"}
    response = sys_client.post("/orgs/users/new/", data)
    assert response.status_code == 400
    assert "at least 10 characters" in text(response)
    assert not User.objects.filter(username="wu").exists()


def test_mismatched_passwords_are_refused(sys_client):
    data = {"username": "wu", "password1": STRONG, "password2": STRONG + "x", "is_active": "on"}
    response = sys_client.post("/orgs/users/new/", data)
    assert "The two passwords do not match." in text(response)
    assert not User.objects.filter(username="wu").exists()


def test_a_duplicate_username_is_refused_whatever_the_case(sys_client, role_users):
    data = {"username": "Reporter_A", "password1": STRONG, "password2": STRONG, "is_active": "on"}
    response = sys_client.post("/orgs/users/new/", data)
    assert response.status_code == 400
    assert "The username “reporter_a” is already taken" in text(response)


def test_the_account_form_shows_roles_read_only(sys_client, role_users):
    reporter = role_users[Role.UNIT_REPORTER]
    response = sys_client.get(f"/orgs/users/{reporter.pk}/edit/")
    assert "roles" not in response.context["form"].fields
    assert '<span class="tag">Unit reporter</span>' in text(response)
    # Posting roles to the account form grants nothing.
    data = {"username": reporter.username, "unit": reporter.unit_id, "is_active": "on"}
    sys_client.post(f"/orgs/users/{reporter.pk}/edit/", {**data, "roles": ["sysadmin"]})
    assert reporter.role_grants.filter(role=Role.SYSTEM_ADMIN).count() == 0


def test_resetting_a_password_forces_a_change(sys_client, role_users):
    user = role_users[Role.SUPERVISION_OFFICER]
    response = sys_client.post(
        f"/orgs/users/{user.pk}/password/", {"password1": STRONG, "password2": STRONG}, follow=True
    )
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(STRONG)
    assert "they must change it at the next sign-in" in text(response)


# --- Roles ------------------------------------------------------------------------------


def test_the_security_admin_grants_roles_with_checkboxes(sec_client, unit_a):
    user = UserFactory(unit=unit_a)
    sec_client.post(f"/orgs/roles/{user.pk}/", {"roles": ["reporter", "unit_head"]})
    assert user.role_set == frozenset({"reporter", "unit_head"})
    assert AuditEntry.objects.filter(action=AuditAction.ROLE_GRANT, object_id=user.pk).count() == 2


def test_unticking_every_box_revokes_every_role(sec_client, role_users):
    officer = role_users[Role.SUPERVISION_OFFICER]
    response = sec_client.post(f"/orgs/roles/{officer.pk}/", {})
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=officer).exists()


def test_two_admin_roles_are_refused_with_a_message(sec_client, role_users):
    officer = role_users[Role.SUPERVISION_OFFICER]
    response = sec_client.post(f"/orgs/roles/{officer.pk}/", {"roles": ["sysadmin", "auditadmin"]})
    assert response.status_code == 400
    page = text(response)
    assert "One person cannot hold two administrator roles" in page
    assert set(RoleGrant.objects.filter(user=officer).values_list("role", flat=True)) == {"officer"}


def test_a_reporter_role_without_a_unit_is_refused(sec_client):
    user = UserFactory(username="floating")
    response = sec_client.post(f"/orgs/roles/{user.pk}/", {"roles": ["reporter"]})
    assert "can only be given to an account that belongs to a unit" in text(response)
    assert not user.role_grants.exists()


def test_the_security_admin_cannot_change_their_own_roles(sec_client, role_users):
    me = role_users[Role.SECURITY_ADMIN]
    assert "You cannot change your own roles" in text(sec_client.get(f"/orgs/roles/{me.pk}/"))
    response = sec_client.post(f"/orgs/roles/{me.pk}/", {"roles": []})
    assert response.status_code == 400
    assert me.role_grants.filter(role=Role.SECURITY_ADMIN).exists()


def test_the_role_list_shows_each_accounts_roles(sec_client, role_users):
    response = sec_client.get("/orgs/roles/", {"role": "unit_head"})
    assert [u.username for u in response.context["page_obj"]] == ["head_a"]
    assert "Set roles" in text(response)


def test_the_security_admin_unlocks_an_account(sec_client):
    user = UserFactory(username="locked", locked_until=now() + timedelta(minutes=10))
    page = text(sec_client.get(f"/orgs/roles/{user.pk}/"))
    assert "Unlock account" in page
    response = sec_client.post(f"/orgs/users/{user.pk}/unlock/", follow=True)
    user.refresh_from_db()
    assert not user.is_locked()
    assert "Account “locked” unlocked." in text(response)


# --- Refused requests change nothing ----------------------------------------------------


def world_state() -> tuple:
    """Everything an organisation POST could change, in a comparable form."""
    return (
        list(Unit.objects.order_by("pk").values_list()),
        list(UnitClass.objects.order_by("pk").values_list()),
        list(Leader.objects.order_by("pk").values_list()),
        list(User.objects.order_by("pk").values_list()),
        list(RoleGrant.objects.order_by("pk").values_list("user_id", "role")),
        AuditEntry.objects.count(),
    )


POST_ENDPOINTS = [e for e in ORGS_ENDPOINTS if e.method == "post"]
DENIED = [(e, r) for e in POST_ENDPOINTS for r in ALL_ROLES if r not in e.allowed]


@pytest.mark.parametrize(("endpoint", "role"), DENIED, ids=[f"{r}-{e.name}" for e, r in DENIED])
def test_a_refused_post_changes_nothing(endpoint, role, role_users, unit_a, unit_b):
    ctx = SimpleNamespace(
        own_unit=unit_a,
        other_unit=unit_b,
        users=role_users,
        other_unit_user=UserFactory(
            username="reporter_b",
            unit=unit_b,
            roles=["reporter"],
            locked_until=now() + timedelta(minutes=10),
        ),
    )
    url, data = endpoint.url(ctx), endpoint.data(ctx) if endpoint.data else {}
    client = client_for(role_users[role])
    before = world_state()
    response = client.post(url, data)
    assert response.status_code in endpoint.denied
    assert world_state() == before


def test_a_reporter_is_not_told_their_unit_has_no_sub_units(role_users, unit_a):
    # The reporter's scope is their own unit, so its sub-units are out of sight; the page
    # must not claim there are none.
    UnitFactory(name="县价格认证中心", parent=unit_a)
    page = text(client_for(role_users[Role.UNIT_REPORTER]).get(f"/orgs/units/{unit_a.pk}/"))
    assert "No sub-units." not in page and "县价格认证中心" not in page


def test_the_sub_unit_count_leads_to_the_filtered_list_with_the_parent_as_a_chip(
    sys_client, unit_a
):
    # A drop-down of every parent unit would be useless and slow at province scale; the
    # sub-unit count links to the filter and the page shows the chosen parent as a chip.
    UnitFactory(name="县价格认证中心", parent=unit_a)
    listing = text(sys_client.get("/orgs/units/", {"q": "FGJ"}))
    assert f'href="?parent={unit_a.pk}"' in listing
    response = sys_client.get("/orgs/units/", {"parent": unit_a.pk})
    page = text(response)
    assert "Under 县发展和改革局" in page
    assert [u["name"] for u in response.context["page_obj"]] == ["县价格认证中心"]


def test_many_units_turn_the_account_unit_filter_into_a_text_box(sys_client, monkeypatch):
    from luoshi.orgs import views

    monkeypatch.setattr(views, "UNIT_SELECT_MAX", 1)
    UnitFactory(name="县交通运输局")
    UserFactory(username="fgj_clerk", unit=Unit.objects.get(code="FGJ"))
    response = sys_client.get("/orgs/users/", {"unit_q": "发改"})
    assert 'name="unit_q"' in text(response)
    assert {u.username for u in response.context["page_obj"]} == {
        "fgj_clerk",
        "head_a",
        "reporter_a",
    }


def test_a_reporter_is_not_offered_sub_units_they_cannot_open(role_users, unit_a):
    # A count that links to an empty list would look like lost data.
    UnitFactory(name="县价格认证中心", parent=unit_a)
    client = Client()
    client.force_login(role_users["reporter"])
    response = client.get("/orgs/units/")
    assert response.context["page_obj"][0]["child_count"] == 0
    assert f'href="?parent={unit_a.pk}"' not in text(response)
