"""The audit administrator's pages: the trail, one entry, and the Excel export."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pytest
from django.test import Client

from luoshi.core import views_audit
from luoshi.core.audit import audit_record, audit_verify
from luoshi.core.choices import AuditAction
from luoshi.core.clock import frozen
from luoshi.core.models import AuditEntry
from luoshi.orgs.choices import Role
from tests.helpers import assert_queries_independent_of_size, count_queries
from tests.orgs.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor() -> Client:
    user = UserFactory(username="shenji", full_name="审计员", roles=[Role.AUDIT_ADMIN])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def sysadmin():
    return UserFactory(username="xitong", full_name="王系统", roles=[Role.SYSTEM_ADMIN])


def _rename(actor, unit, old: str, new: str, ip: str = "10.0.0.8") -> AuditEntry:
    return audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=unit,
        before={"name": old, "code": unit.code},
        after={"name": new, "code": unit.code},
        ip=ip,
    )


def _seqs(response) -> list[int]:
    return [row["entry"].seq for row in response.context["rows"]]


# --- the list ------------------------------------------------------------------------


def test_the_list_shows_who_when_where_what_and_the_change_readably(auditor, sysadmin):
    unit = UnitFactory(code="FGJ", name="县发改局")
    with frozen(datetime(2026, 3, 1, 2, 5, 9, tzinfo=UTC)):
        _rename(sysadmin, unit, "县发改局", "县发展和改革局")
    response = auditor.get("/core/audit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026-03-01 10:05:09" in html  # shown in Beijing time
    assert "xitong" in html and "王系统" in html
    assert "10.0.0.8" in html
    assert "Update" in html  # the action's label, not its code
    assert "unit" in html and "县发展和改革局" in html
    # Only the changed key, old → new; the unchanged code is not listed as a change.
    assert "<del>县发改局</del> → <ins>县发展和改革局</ins>" in html
    row = response.context["rows"][0]
    assert [c.old for c in row["changes"]] == ["县发改局"]


def test_a_failed_sign_in_shows_its_reason(auditor):
    UserFactory(username="zhang")
    Client().post("/login/", {"username": "zhang", "password": "wrong"})
    html = auditor.get("/core/audit/?action=login_failed").content.decode()
    assert "Login failed" in html
    assert "wrong password" in html
    assert "127.0.0.1" in html


def test_newest_entries_come_first_fifty_to_a_page_walked_by_sequence(auditor):
    for i in range(120):
        audit_record(
            action=AuditAction.UPDATE,
            object_type="test.thing",
            object_id=i,
            object_repr=f"thing {i}",
        )
    first = auditor.get("/core/audit/?action=update")
    assert _seqs(first) == list(range(120, 70, -1))
    page = first.context["page"]
    assert page.newer is None and page.older == 71
    assert 'href="?action=update&amp;before=71"' in first.content.decode()

    second = auditor.get("/core/audit/?action=update&before=71")
    assert _seqs(second) == list(range(70, 20, -1))
    third = auditor.get(f"/core/audit/?action=update&before={second.context['page'].older}")
    assert _seqs(third) == list(range(20, 0, -1))
    assert third.context["page"].older is None

    back = auditor.get(f"/core/audit/?action=update&after={third.context['page'].newer}")
    assert _seqs(back) == list(range(70, 20, -1))
    newest = auditor.get(f"/core/audit/?action=update&after={back.context['page'].newer}")
    assert _seqs(newest) == list(range(120, 70, -1))
    assert newest.context["page"].newer is None


def test_the_total_comes_from_the_chain_head_without_filters_and_is_capped_with_them(
    auditor, monkeypatch
):
    for i in range(12):
        audit_record(action=AuditAction.UPDATE, object_type="test.thing", object_id=i)
    response = auditor.get("/core/audit/")
    assert response.context["total"] >= 12 and not response.context["capped"]
    monkeypatch.setattr("luoshi.core.selectors_audit.COUNT_CAP", 5)
    capped = auditor.get("/core/audit/?action=update")
    assert capped.context["capped"] and capped.context["total"] == 5
    assert "More than 5 entries match." in capped.content.decode()


@pytest.fixture
def varied(sysadmin):
    """Entries that differ in one attribute each, to test the filters one by one."""
    other = UserFactory(username="anquan", roles=[Role.SECURITY_ADMIN])
    unit = UnitFactory(code="JTJ", name="县交通运输局")
    leader_unit = UnitFactory(code="CGZ", name="城关镇")
    with frozen(datetime(2026, 3, 1, 15, 30, tzinfo=UTC)):  # 2026-03-01 23:30 in Beijing
        a = _rename(sysadmin, unit, "交通局", "县交通运输局", ip="10.0.0.8")
    with frozen(datetime(2026, 3, 1, 16, 30, tzinfo=UTC)):  # 2026-03-02 00:30 in Beijing
        b = audit_record(
            action=AuditAction.ROLE_GRANT,
            actor=other,
            obj=sysadmin,
            after={"role": "sysadmin"},
            ip="10.9.0.1",
        )
    with frozen(datetime(2026, 3, 5, 1, 0, tzinfo=UTC)):
        c = _rename(sysadmin, leader_unit, "城关", "城关镇", ip="192.168.1.20")
    return {"a": a.seq, "b": b.seq, "c": c.seq, "unit": unit, "sysadmin": sysadmin}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=XITONG", ["c", "a"]),  # contains, any case
        ("actor=anq", ["b"]),
        ("action=role_grant", ["b"]),
        ("object_type=orgs.unit", ["c", "a"]),
        ("object_type=orgs.user", ["b"]),
        ("ip=10.", ["b", "a"]),
        ("ip=192.168.1.20", ["c"]),
        ("q=城关", ["c"]),
        # Days are Beijing days: 23:30 on the 1st belongs to the 1st, 00:30 to the 2nd.
        ("date_from=2026-03-01&date_to=2026-03-01", ["a"]),
        ("date_from=2026-03-02&date_to=2026-03-02", ["b"]),
        ("date_from=2026-03-02", ["c", "b"]),
        ("date_to=2026-03-04", ["b", "a"]),
        ("actor=xitong&date_from=2026-03-03", ["c"]),
    ],
)
def test_each_filter_narrows_the_trail(auditor, varied, query, expected):
    seqs = _seqs(auditor.get(f"/core/audit/?{query}"))
    assert seqs == [varied[k] for k in expected]


def test_filtering_by_object_id_finds_one_objects_history(auditor, varied):
    unit = varied["unit"]
    seqs = _seqs(auditor.get(f"/core/audit/?object_type=orgs.unit&object_id={unit.pk}"))
    assert seqs == [varied["a"]]


def test_an_end_date_before_the_start_date_is_pointed_out(auditor, varied):
    response = auditor.get("/core/audit/?date_from=2026-03-05&date_to=2026-03-01")
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_a_nonsense_date_or_cursor_does_not_break_the_page(auditor, varied):
    assert auditor.get("/core/audit/?date_from=yesterday&before=abc&after=-3").status_code == 200


def test_the_list_runs_the_same_number_of_queries_for_few_and_many_entries(auditor, sysadmin):
    units = [UnitFactory() for _ in range(3)]

    def grow() -> None:
        extra = [UserFactory() for _ in range(5)]
        for i in range(60):
            _rename(extra[i % 5], units[i % 3], f"旧{i}", f"新{i}")

    _rename(sysadmin, units[0], "a", "b")
    assert_queries_independent_of_size(lambda: auditor.get("/core/audit/"), grow)
    assert_queries_independent_of_size(
        lambda: auditor.get("/core/audit/?actor=user&action=update"), grow
    )


def test_the_list_never_counts_the_whole_table_without_filters(auditor, sysadmin):
    _rename(sysadmin, UnitFactory(), "a", "b")
    with count_queries() as ctx:
        auditor.get("/core/audit/")
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


# --- one entry -----------------------------------------------------------------------


def test_the_detail_page_shows_the_full_before_and_after_and_the_hashes(auditor, sysadmin):
    unit = UnitFactory(code="FGJ", name="县发改局")
    entry = _rename(sysadmin, unit, "县发改局", "县发展和改革局")
    response = auditor.get(f"/core/audit/{entry.seq}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert entry.hash in html and entry.prev_hash in html
    assert "&quot;code&quot;: &quot;FGJ&quot;" in html  # unchanged keys too, in full
    assert "县发展和改革局" in html


def test_an_unknown_entry_is_not_found(auditor):
    assert auditor.get("/core/audit/99999/").status_code == 404


# --- export --------------------------------------------------------------------------


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_the_export_has_a_title_a_frozen_header_and_one_row_per_entry(auditor, varied):
    sheet = _workbook(auditor.get("/core/audit/export.xlsx"))
    assert sheet["A1"].value.startswith("Audit trail")
    headers = [c.value for c in sheet[2]]
    assert headers[:6] == ["No.", "Time", "Username", "Full name", "IP address", "Action"]
    assert "Changes" in headers
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    by_seq = {r[0]: r for r in rows}
    a = by_seq[varied["a"]]
    assert a[1] == datetime(2026, 3, 1, 23, 30)  # Beijing time, as Excel shows it
    assert a[2] == "xitong" and a[3] == "王系统" and a[4] == "10.0.0.8" and a[5] == "Update"
    assert "交通局 → 县交通运输局" in a[9]
    assert sheet.column_dimensions["J"].width >= 40


def test_the_export_applies_the_same_filters_as_the_list(auditor, varied):
    sheet = _workbook(auditor.get("/core/audit/export.xlsx?actor=xitong&date_from=2026-03-03"))
    seqs = [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert seqs == [varied["c"]]
    assert "Filters" in sheet["A2"].value and "xitong" in sheet["A2"].value


def test_exporting_is_itself_audited_with_the_filters(auditor, varied):
    _workbook(auditor.get("/core/audit/export.xlsx?action=update&ip=10."))
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert entry.actor_username == "shenji" and entry.ip == "127.0.0.1"
    assert entry.after == {"filters": {"action": "update", "ip": "10."}, "rows": 1}
    assert audit_verify()[1] is None


def test_an_export_over_the_cap_is_refused_with_a_message(auditor, varied, monkeypatch):
    monkeypatch.setattr(views_audit, "EXPORT_CAP", 2)
    response = auditor.get("/core/audit/export.xlsx?ip=1", follow=True)
    assert response.redirect_chain[-1][0] == "/core/audit/?ip=1"
    assert "More than 2 entries match these filters" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_export_headers_follow_the_users_language(varied):
    """Column headers go through gettext; the Chinese catalogue decides the Chinese words."""
    from django.utils import translation

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(UserFactory(roles=[Role.AUDIT_ADMIN]))
    sheet = _workbook(client.get("/core/audit/export.xlsx"))
    with translation.override("zh-hans"):
        assert sheet["B2"].value == translation.gettext("Time")
