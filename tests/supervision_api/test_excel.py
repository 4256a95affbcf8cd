"""Excel round trip of supervision items: the office's list imported all or nothing with
every bad row named, never twice; the ledger exported with its merged header, states, lamps
and feedback, filtered and scoped like the ledger page."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
import python_calamine as pc
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from luoshi.core.audit import audit_verify
from luoshi.core.models import AuditEntry, Notification
from luoshi.supervision.choices import ItemSource, ItemStatus, Priority
from luoshi.supervision.excel_import import import_items
from luoshi.supervision.models import Feedback, Item, ItemEvent, ItemUnit
from tests.conftest import login_client
from tests.orgs.factories import LeaderFactory, UnitFactory
from tests.projects_excel.workbooks import write_book
from tests.supervision.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]

TITLE = ["2026年县政府督查室交办事项清单"]
# A merged two-row header: 责任单位 over 牵头单位 / 配合单位.
TOP = ["序号", "督办事项", "来源", "文号", "责任单位", None, "责任领导", "完成时限", "优先级"]
SUB = [None, None, None, None, "牵头单位", "配合单位", None, None, None]
MERGES = [(0, 0, 0, 8), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 2, 3), (1, 4, 1, 5)]
MERGES += [(1, 6, 2, 6), (1, 7, 2, 7), (1, 8, 2, 8)]


def book(tmp_path, rows, name="list.xlsx"):
    return write_book(tmp_path / name, {"交办清单": [TITLE, TOP, SUB, *rows]}, {"交办清单": MERGES})


GOOD = [
    [
        1,
        "加快城区污水管网改造，6月底前完成主体工程。",
        "上级交办",
        "市督字〔2026〕3号",
        "县发展和改革局",
        "交通局",
        "王强",
        "2026-06-30",
        "紧急",
    ],
    ["一、民生保障类", None, None, None, None, None, None, None, None],
    [
        2,
        "12345反映城关镇路灯不亮问题。",
        "12345热线",
        "GD20260301",
        "发改局",
        "—",
        None,
        "10个工作日",
        None,
    ],
    [
        3,
        "落实老旧小区改造资金。",
        None,
        None,
        "县交通运输局",
        "县发展和改革局、县卫生健康委员会",
        "王强（副县长）",
        dt.datetime(2026, 5, 31),
        "重要",
    ],
]


@pytest.fixture
def county(people):
    UnitFactory(code="OLD", name="县旧城改造办公室", is_active=False)
    return people


def test_a_good_list_is_checked_then_issued(county, clock, tmp_path):
    clock(dt.date(2026, 3, 2))
    path = book(tmp_path, GOOD)
    dry = import_items(actor=county["office"], file=path, dry_run=True)
    assert dry.errors == []
    assert [p.row for p in dry.items] == [4, 6, 7]
    assert not Item.objects.exists()

    result = import_items(actor=county["office"], file=path, dry_run=False)
    assert result.errors == []
    items = list(Item.objects.order_by("code"))
    assert [i.code for i in items] == ["DB2026-00001", "DB2026-00002", "DB2026-00003"]
    first, hotline, third = items
    assert first.title == "加快城区污水管网改造，6月底前完成主体工程"
    assert (first.source, first.priority, first.deadline) == (
        ItemSource.ASSIGNMENT,
        Priority.URGENT,
        dt.date(2026, 6, 30),
    )
    assert first.lead_unit == county["unit_a"] and first.responsible_leader.name == "王强"
    assert list(first.cooperating_units.all()) == [county["unit_b"]]
    # 10 working days from Monday 2 March 2026
    assert (hotline.source, hotline.deadline, hotline.deadline_working_days) == (
        ItemSource.HOTLINE,
        dt.date(2026, 3, 16),
        10,
    )
    assert hotline.acceptance_due == dt.date(2026, 3, 3)
    assert set(third.cooperating_units.values_list("name", flat=True)) == {
        "县发展和改革局",
        "县卫生健康委员会",
    }
    assert third.status == ItemStatus.ISSUED and third.priority == Priority.HIGH
    assert ItemEvent.objects.filter(kind="issued").count() == 3
    assert AuditEntry.objects.filter(object_type="supervision.item").count() == 3
    assert audit_verify()[1] is None
    # one message per unit, not one per item
    assert Notification.objects.filter(recipient=county["reporter"]).count() == 1


def test_every_bad_row_is_listed_and_nothing_is_written(county, clock, tmp_path):
    clock(dt.date(2026, 3, 2))
    rows = [
        [1, "事项一", None, None, "县农业农村局", None, None, "2026-06-30", None],
        [2, "事项二", None, None, "县旧城改造办公室", None, None, "2026-06-30", None],
        [3, "事项三", None, None, "发改局", None, None, "2026-02-01", None],
        [4, "事项四", None, None, "发改局", None, None, "2030-06-30", None],
        [5, "事项五", None, None, "发改局", None, "李四", "尽快", "特别急"],
        [6, "", "会议议定", None, "发改局、交通局", None, None, None, None],
        [7, "好的事项", None, None, "发改局", None, None, "2026-06-30", None],
    ]
    result = import_items(actor=county["office"], file=book(tmp_path, rows), dry_run=False)
    found = {(e.row, e.column): e.message for e in result.errors}
    assert "Unknown unit: 县农业农村局" in found[(4, "E")]
    assert found[(5, "E")] == "县旧城改造办公室 is no longer active; choose an active unit."
    assert found[(6, "H")] == "The deadline 2026-02-01 is before the issue date 2026-03-02."
    assert "working days of 2030 are not known" in found[(7, "H")]
    assert "Unknown leader: 李四" in found[(8, "G")]
    assert "Cannot read a date" in found[(8, "H")]
    assert "Unknown priority" in found[(8, "I")]
    assert found[(9, "B")] == "Enter the content of the item."
    assert "one lead unit" in found[(9, "E")]
    assert "meeting decision" in found[(9, "C")]
    assert "Enter the deadline" in found[(9, "H")]
    assert all(e.sheet == "交办清单" for e in result.errors)
    assert not Item.objects.exists() and not AuditEntry.objects.exists()


def test_the_same_list_twice_is_refused_row_by_row(county, clock, tmp_path):
    clock(dt.date(2026, 3, 2))
    path = book(tmp_path, GOOD)
    import_items(actor=county["office"], file=path, dry_run=False)
    clock(dt.date(2026, 3, 9))  # another day: "10个工作日" still names the same item
    again = import_items(actor=county["office"], file=path, dry_run=False)
    messages = [(e.row, e.message) for e in again.errors]
    assert messages == [
        (4, "市督字〔2026〕3号 was already issued as item DB2026-00001."),
        (6, "GD20260301 was already issued as item DB2026-00002."),
        (
            7,
            "Already imported as item DB2026-00003 (same content, lead unit and deadline); "
            "this list or this row was imported before.",
        ),
    ]
    assert Item.objects.count() == 3
    # and twice within one file
    twice = [3, "新的事项。", None, None, "交通局", None, None, "2026-05-31", None]
    dup = [twice, [4, *twice[1:]]]
    result = import_items(actor=county["office"], file=book(tmp_path, dup, "d.xlsx"), dry_run=True)
    assert [e.message for e in result.errors][-1] == (
        "Row 4 of this file has the same content, lead unit and deadline."
    )


def test_a_file_that_is_not_a_list(county, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook")
    result = import_items(actor=county["office"], file=bad, dry_run=True)
    assert "not an Excel workbook" in result.errors[0].message
    other = write_book(tmp_path / "o.xlsx", {"S": [["姓名", "电话"], ["张三", "1"]]})
    result = import_items(actor=county["office"], file=other, dry_run=True)
    assert "事项内容" in result.errors[0].message


def test_a_thousand_rows_in_a_few_seconds(county, clock, tmp_path):
    clock(dt.date(2026, 3, 2))
    for i in range(40):
        UnitFactory(code=f"U{i:02d}", name=f"测试单位{i:02d}")
    rows = [
        [
            n,
            f"第{n}项督办事项：按期完成。",
            "上级交办",
            f"文{n}",
            f"测试单位{n % 40:02d}",
            "发改局",
            "王强",
            "20个工作日" if n % 2 else "2026-09-30",
            "一般",
        ]
        for n in range(1, 1001)
    ]
    path = book(tmp_path, rows)
    reverse("supervision:inbox")  # the server has its URLs loaded; a test process may not
    start = time.monotonic()
    result = import_items(actor=county["office"], file=path, dry_run=False)
    elapsed = time.monotonic() - start
    assert result.errors == []
    assert Item.objects.count() == 1000 and ItemUnit.objects.count() == 1000
    assert AuditEntry.objects.filter(object_type="supervision.item").count() == 1000
    assert audit_verify()[1] is None
    assert elapsed < 8, f"1,000 rows took {elapsed:.1f} s"


def test_the_command(county, clock, tmp_path):
    clock(dt.date(2026, 3, 2))
    path = book(tmp_path, GOOD)
    out = io.StringIO()
    call_command("import_items", str(path), "--dry-run", stdout=out)
    assert "3 items would be created." in out.getvalue()
    assert not Item.objects.exists()
    call_command("import_items", str(path), stdout=out)
    assert Item.objects.count() == 3
    with pytest.raises(CommandError) as exc:
        call_command("import_items", str(path), stdout=out)
    assert exc.value.returncode == 1
    assert "already issued as item DB2026-00001" in out.getvalue()


def test_the_import_page(county, clock, tmp_path):
    clock(dt.date(2026, 3, 2))
    client = login_client(county["office"])
    assert client.get("/supervision/items/import/").status_code == 200
    data = book(tmp_path, GOOD).read_bytes()
    r = client.post(
        "/supervision/items/import/",
        {"action": "check", "file": SimpleUploadedFile("清单.xlsx", data)},
    )
    assert r.status_code == 200
    assert "3 items ready to issue" in r.content.decode()
    assert not Item.objects.exists()
    token = client.session["supervision_items_import"]["token"]
    r = client.post("/supervision/items/import/", {"action": "apply", "token": token})
    assert r.status_code == 302 and Item.objects.count() == 3
    r = client.post(
        "/supervision/items/import/",
        {"action": "check", "file": SimpleUploadedFile("清单.xlsx", data)},
    )
    page = r.content.decode()
    assert r.status_code == 400 and "3 errors, nothing was written" in page
    assert "was already issued as item DB2026-00001" in page
    assert login_client(county["reporter"]).get("/supervision/items/import/").status_code == 403


# --------------------------------------------------------------------------- export


def _sheet(content: bytes) -> list[list]:
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return wb.get_sheet_by_index(0).to_python()


def test_the_ledger_export(county, clock, tmp_path):
    clock(dt.date(2026, 4, 7))
    late = ItemFactory(lead_unit=county["unit_a"], status=ItemStatus.IN_PROGRESS, title="晚了")
    late.cooperating_units.add(county["unit_b"])
    Feedback.objects.create(
        item=late,
        unit=county["unit_a"],
        text="已完成招标。",
        reported_on=dt.date(2026, 3, 20),
        author=county["reporter"],
    )
    ItemFactory(
        lead_unit=county["unit_c"],
        status=ItemStatus.IN_PROGRESS,
        deadline=dt.date(2026, 6, 30),
        title="别人的",
    )
    client = login_client(county["office"])
    r = client.get("/supervision/ledger.xlsx")
    assert r.status_code == 200
    rows = _sheet(b"".join(r.streaming_content))
    assert rows[0][0].startswith("Supervision item ledger")
    assert rows[1][6] == "Responsible units" and rows[2][6:8] == ["Lead unit", "Cooperating units"]
    assert rows[1][0] == "No." and rows[2][0] == ""  # merged over both header rows
    first = dict(zip(rows[2], rows[3], strict=False))
    assert first["Lead unit"] == "县发展和改革局" and first["Cooperating units"] == "县交通运输局"
    assert first["Status"] == "In progress" and first["Lamp"] == "Red"
    assert first["Why this lamp"] == "Overdue: the deadline was 2026-03-31, 7 days ago."
    assert first["Feedback count"] == 1 and first["Latest feedback"] == "已完成招标。"
    assert len(rows) == 5
    # filters of the ledger page, and the unit's scope
    only_red = _sheet(b"".join(client.get("/supervision/ledger.xlsx?lamp=red").streaming_content))
    assert len(only_red) == 4
    mine = _sheet(
        b"".join(login_client(county["coop"]).get("/supervision/ledger.xlsx").streaming_content)
    )
    assert [row[2] for row in mine[3:]] == ["晚了"]
    assert client.get("/supervision/ledger.xlsx?lamp=purple").status_code == 400


def test_the_export_queries_do_not_grow(county, clock):
    from tests.helpers import assert_queries_independent_of_size

    clock(dt.date(2026, 4, 7))
    client = login_client(county["office"])
    leader = LeaderFactory()

    def grow():
        for _ in range(40):
            i = ItemFactory(lead_unit=county["unit_a"], responsible_leader=leader)
            i.cooperating_units.add(county["unit_b"])

    grow()
    assert_queries_independent_of_size(
        lambda: _consume(client.get("/supervision/ledger.xlsx")), grow
    )


def _consume(response):
    b"".join(response.streaming_content)
    return response


def test_the_export_command(county, clock, tmp_path):
    clock(dt.date(2026, 4, 7))
    ItemFactory(lead_unit=county["unit_a"])
    out = io.StringIO()
    call_command("export_items", "-o", str(tmp_path / "l.xlsx"), stdout=out)
    assert "1 items written" in out.getvalue()
    rows = _sheet((tmp_path / "l.xlsx").read_bytes())
    assert rows[3][6] == "县发展和改革局"
