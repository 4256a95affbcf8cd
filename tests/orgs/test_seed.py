"""``luoshi seed``: the demo county a visitor walks into and the province the bench loads."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import Client

from luoshi.core.audit import audit_verify
from luoshi.core.models import AuditEntry
from luoshi.orgs.auth import LoginRefused, login_attempt
from luoshi.orgs.choices import ADMIN_ROLES, Role
from luoshi.orgs.models import Leader, RoleGrant, Unit, User
from luoshi.orgs.seed import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    registry,
    seed_reset,
    seed_run,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def county_snapshot() -> dict[str, list]:
    return {
        "units": list(
            Unit.objects.order_by("code").values_list("code", "name", "short_name", "parent__code")
        ),
        "leaders": list(Leader.objects.order_by("precedence").values_list("name", "title")),
        "users": list(
            User.objects.order_by("username").values_list("username", "full_name", "unit__code")
        ),
    }


@pytest.fixture
def county():
    return seed_run(scale="county")


def units_in_class(code: str) -> int:
    return Unit.objects.filter(unit_class__code=code).count()


def test_the_county_has_35_departments_12_townships_and_3_parks(county):
    assert units_in_class("dept") == 35
    assert units_in_class("town") == 12
    assert units_in_class("park") == 3
    assert Unit.objects.filter(name="县发展和改革局", short_name="发改局", code="FGJ").exists()
    assert Unit.objects.filter(name="城关镇").exists()


def test_subordinate_units_hang_under_their_department(county):
    # The supervision office sits under the county party office, as in most counties.
    office = Unit.objects.get(code="DCS")
    assert office.parent.name == "县委办公室"
    assert Unit.objects.filter(parent__isnull=False).count() >= 3


def test_the_county_has_15_leaders_in_order_of_precedence(county):
    leaders = list(Leader.objects.order_by("precedence"))
    assert len(leaders) == 15
    assert leaders[0].title == "县委书记"
    assert leaders[1].title == "县委副书记、县长"
    assert sum(1 for leader in leaders if leader.title.startswith("副县长")) >= 5
    assert len({leader.name for leader in leaders}) == 15
    # Every leader can sign in to the cockpit through an account of their own.
    assert User.objects.filter(leader__isnull=False, role_grants__role=Role.LEADER).count() == 15


def test_the_county_has_about_a_hundred_accounts_with_chinese_names(county):
    users = User.objects.exclude(username__in=["sysadmin", "secadmin", "auditadmin"])
    assert 95 <= User.objects.count() <= 115
    assert all(2 <= len(u.full_name) <= 3 for u in users)
    assert all(u.username.isascii() for u in users)
    # Reporters are spread over the units: every department, township and park has one.
    without_reporter = Unit.objects.filter(unit_class__code__in=["dept", "town", "park"]).exclude(
        users__role_grants__role=Role.UNIT_REPORTER
    )
    assert list(without_reporter) == []


def test_generated_usernames_read_as_name_and_unit(county):
    reporter = User.objects.filter(unit__code="CZJ", role_grants__role=Role.UNIT_REPORTER).get()
    assert reporter.username.endswith(".czj")
    assert reporter.username.split(".")[0].rstrip("0123456789").isalpha()


def test_each_admin_role_has_exactly_one_account_holding_nothing_else(county):
    for role in ADMIN_ROLES:
        holders = User.objects.filter(role_grants__role=role)
        assert holders.count() == 1, role
        assert holders.get().role_set == {role}
    combined = (
        RoleGrant.objects.filter(role__in=ADMIN_ROLES)
        .values("user")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not combined.exists()


def test_supervision_officers_sit_in_the_supervision_office(county):
    officers = User.objects.filter(role_grants__role=Role.SUPERVISION_OFFICER)
    assert 3 <= officers.count() <= 4
    assert {u.unit.code for u in officers} == {"DCS"}


def test_the_same_seed_gives_the_same_county(county):
    first = county_snapshot()
    seed_reset()
    seed_run(scale="county")
    assert county_snapshot() == first


def test_another_seed_gives_other_people_in_the_same_units(county):
    first = county_snapshot()
    seed_reset()
    seed_run(scale="county", seed=7)
    second = county_snapshot()
    assert second["units"] == first["units"]
    assert second["leaders"] != first["leaders"]


def test_seeding_twice_changes_nothing_and_says_so(county):
    before = county_snapshot()
    audit_before = AuditEntry.objects.count()
    out = StringIO()
    call_command("seed", stdout=out)
    assert "already has an organisation" in out.getvalue()
    assert county_snapshot() == before
    assert AuditEntry.objects.count() == audit_before


def test_a_seed_run_writes_one_audit_entry_not_one_per_row():
    call_command("seed", stdout=StringIO())
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1
    assert entries[0].object_type == "seed"
    assert entries[0].after["units"] == Unit.objects.count()


def test_reset_replaces_the_data_and_keeps_the_audit_trail_intact(county):
    call_command("seed", scale="county", seed=7, reset=True, stdout=StringIO())
    assert units_in_class("dept") == 35
    # The trail says what happened (seed, reset, seed) and still verifies.
    assert AuditEntry.objects.filter(object_type="seed").count() == 3
    checked, broken = audit_verify()
    assert broken is None and checked == 3


def test_demo_accounts_sign_in_without_a_forced_password_change(county):
    for account in DEMO_ACCOUNTS:
        user = login_attempt(username=account.username, password=DEMO_PASSWORD)
        assert user.has_role(account.role)
        assert not user.password_expired()
        password_validation.validate_password(DEMO_PASSWORD, user)


def test_a_visitor_signs_in_as_office_and_lands_on_the_home_page(county):
    client = Client()
    response = client.post("/login/", {"username": "office", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200  # not sent to the password change form


def test_the_demo_units_are_the_ones_the_readme_promises(county):
    assert User.objects.get(username="reporter_fgj").unit.name == "县发展和改革局"
    assert User.objects.get(username="head_fgj").unit.name == "县发展和改革局"
    assert User.objects.get(username="reporter_town").unit.unit_class.code == "town"
    assert User.objects.get(username="leader").leader.title == "副县长"


def test_other_seeded_accounts_cannot_sign_in_until_an_admin_sets_a_password(county):
    user = User.objects.exclude(username__in=DEMO_USERNAMES).first()
    assert user.must_change_password
    assert not user.has_usable_password()
    with pytest.raises(LoginRefused):
        login_attempt(username=user.username, password=DEMO_PASSWORD)


def test_demo_accounts_command_prints_every_login(county):
    out = StringIO()
    call_command("demo_accounts", lang="en", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.username in text
    assert DEMO_PASSWORD in text
    assert "县发展和改革局" in text


def test_the_command_refuses_to_seed_a_production_database(settings):
    settings.MODE = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed", stdout=StringIO())
    assert not Unit.objects.exists()


def test_units_and_users_options_are_for_the_province_only():
    with pytest.raises(CommandError):
        call_command("seed", scale="county", units=10, stdout=StringIO())


def test_the_province_is_cut_at_the_sizes_asked_for():
    seed_run(scale="province", units=300, users=500)
    assert Unit.objects.count() == 300
    assert User.objects.count() == 500
    # Subordinate units only where their parent made the cut.
    assert not Unit.objects.filter(parent__isnull=False, parent__code="").exists()
    # The same demo logins work at province scale, so the bench signs in the same way.
    assert set(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    ) == set(DEMO_USERNAMES)
    assert login_attempt(username="office", password=DEMO_PASSWORD).unit.name.endswith("督查室")
    assert User.objects.get(username="reporter_town").unit.name.endswith("城关镇")


def test_the_province_is_written_in_bulk_not_row_by_row():
    # A thousand rows in a few dozen statements (SQLite caps the parameters per statement,
    # so batches are smaller there); row-by-row writing would take over a thousand. Every
    # app's seed step (projects, supervision) adds its own few dozen statements.
    with count_queries() as queries:
        seed_run(scale="province", units=400, users=600)
    assert len(queries.captured_queries) < 300


def test_the_province_is_deterministic():
    seed_run(scale="province", units=250, users=300)
    first = county_snapshot()
    seed_reset()
    seed_run(scale="province", units=250, users=300)
    assert county_snapshot() == first


def test_an_app_can_plug_a_step_into_a_scale():
    seen: dict[str, object] = {}

    def step(ctx: registry.SeedContext) -> None:
        seen["fgj"] = ctx.shared["unit_ids"]["FGJ"]
        seen["rng"] = ctx.rng("tests.extra").random()
        ctx.count("widgets", 3)

    registry.seed_step("tests.extra", scales=("county",), order=900)(step)
    try:
        ctx = seed_run(scale="county")
    finally:
        registry._STEPS.pop("tests.extra")
    assert seen["fgj"] == Unit.objects.get(code="FGJ").pk
    assert ctx.counts["widgets"] == 3
    # The step's random numbers depend on the seed and its name only.
    assert (
        seen["rng"] == registry.SeedContext(scale="county", seed=2026).rng("tests.extra").random()
    )
