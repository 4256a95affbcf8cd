"""The export in the county layout, read back with openpyxl; scoping; round trip."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from luoshi.core.models import AuditEntry
from luoshi.projects.choices import ReportStatus
from luoshi.projects.excel.writer import export_projects
from luoshi.projects.services_import import import_projects
from tests.orgs.factories import UserFactory
from tests.projects.factories import (
    MonthlyReportFactory,
    ProjectFactory,
    ProjectStatusFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(county):
    made = [
        ProjectFactory(
            code=f"GY-{i}",
            category=county["industry"],
            responsible_unit=county["fgj"],
            total_investment=Decimal("1000.25") * i,
            annual_plan=Decimal("120.00") * i,
            leaders=[county["zhang"], county["li"]],
            cooperating_units=[county["cgz"]],
        )
        for i in (1, 2, 3)
    ]
    made.append(
        ProjectFactory(
            code="JC-1",
            category=county["infra"],
            responsible_unit=county["jtj"],
            total_investment=Decimal("5000.00"),
            annual_plan=Decimal("600.00"),
        )
    )
    return made


def exported(user, **kwargs):
    fh = io.BytesIO()
    export_projects(fh, actor=user, year=2026, **kwargs)
    fh.seek(0)
    return openpyxl.load_workbook(fh).active


def column_values(ws, letter):
    return [c.value for c in ws[letter]]


def test_the_list_has_the_county_layout(projects, officer):
    ws = exported(officer)
    assert ws["A1"].value == "2026年全县重点项目表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    # two header rows: single columns merged down, the investment group merged across
    assert {"A3:A4", "C3:C4", "F3:G3", "M3:X3"} <= merged
    assert (ws["F3"].value, ws["F4"].value, ws["G4"].value) == (
        "投资情况（万元）",
        "总投资",
        "2026年计划投资",
    )
    assert ws["M4"].value == "1月" and ws["X4"].value == "12月"
    assert ws["A5"].value == "合计" and "A5:E5" in merged
    assert ws["A6"].value == "一、工业项目（3个）"
    assert ws["A10"].value == "二、基础设施项目（1个）"
    assert [ws[f"A{r}"].value for r in (7, 8, 9, 11)] == [1, 2, 3, 4]
    assert ws["L7"].value == "张三、李四" and ws["K7"].value == "城关镇"
    assert ws.freeze_panes == "D5"
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 8


def test_the_total_row_equals_the_sum_of_the_projects_and_uses_two_decimals(projects, officer):
    ws = exported(officer)
    totals = [ws[f"F{r}"].value for r in (7, 8, 9, 11)]
    assert ws["F5"].value == pytest.approx(sum(totals))
    assert ws["F5"].value == pytest.approx(float(sum(p.total_investment for p in projects)))
    assert ws["F6"].value == pytest.approx(sum(totals[:3]))  # the section's subtotal
    assert ws["F7"].number_format == "#,##0.00"
    assert ws["F5"].number_format == "#,##0.00"


def test_the_progress_table_takes_accepted_reports_and_lamps_of_the_month(projects, officer):
    period = ReportingPeriodFactory(year=2026, month=3)
    MonthlyReportFactory(
        project=projects[0],
        period=period,
        investment_ytd=Decimal("60.00"),
        progress_text="主体施工",
        problems="用地未批",
    )
    MonthlyReportFactory(
        project=projects[1],
        period=period,
        investment_ytd=Decimal("999.00"),
        status=ReportStatus.SUBMITTED,
    )
    ProjectStatusFactory(project=projects[0], period=period, lamp="red")
    ws = exported(officer, month=3)
    assert ws["A1"].value == "2026年1–3月全县重点项目推进情况表"
    assert [ws[f"{c}4"].value for c in "DEFG"] == [
        "总投资",
        "2026年计划投资",
        "1–3月完成投资",
        "完成率",
    ]
    assert ws["F7"].value == pytest.approx(60.0)
    assert ws["G7"].value == pytest.approx(0.5) and ws["G7"].number_format == "0.00%"
    assert (ws["H7"].value, ws["I7"].value, ws["L7"].value) == ("主体施工", "用地未批", "红灯")
    assert ws["F8"].value is None  # a report not yet accepted does not count
    assert ws["F5"].value == pytest.approx(60.0) and ws["F6"].value == pytest.approx(60.0)
    assert ws["G6"].value == pytest.approx(60 / 720)  # the section's completion rate


def test_a_reporter_exports_only_their_units_projects(projects, county):
    reporter = UserFactory(unit=county["jtj"], roles=["reporter"])
    ws = exported(reporter)
    assert ws["A6"].value == "一、基础设施项目（1个）"  # numbered from 一 within the scope
    assert [c.value for c in ws["B"] if c.value and str(c.value).startswith(("GY", "JC"))] == [
        "JC-1"
    ]
    assert ws["F5"].value == pytest.approx(5000.0)


def test_the_export_is_audited(projects, officer):
    exported(officer)
    entry = AuditEntry.objects.get(action="export")
    assert entry.after == {"year": 2026, "month": None, "rows": 4}


def test_an_exported_list_imports_back_unchanged(projects, officer, tmp_path):
    path = tmp_path / "roundtrip.xlsx"
    with path.open("wb") as fh:
        export_projects(fh, actor=officer, year=2026)
    result = import_projects(actor=officer, file=path, year=2026, dry_run=True)
    assert result.errors == [] and result.warnings == []
    assert len(result.unchanged) == 4


def test_the_download_streams_a_file_for_a_unit_head(projects, county, make_client):
    head = UserFactory(unit=county["fgj"], roles=["unit_head"])
    response = make_client(head).get("/projects/import/export.xlsx?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws["A6"].value == "一、工业项目（3个）"
    assert not any(c.value == "JC-1" for c in ws["B"])


def test_a_bad_month_is_a_bad_request(officer, make_client):
    response = make_client(officer).get("/projects/import/export.xlsx?year=2026&month=13")
    assert response.status_code == 400


def test_the_export_query_count_does_not_grow_with_projects(projects, county, officer, make_client):
    from tests.helpers import assert_queries_independent_of_size

    client = make_client(officer)

    def call():
        response = client.get("/projects/import/export.xlsx?year=2026&month=3")
        b"".join(response.streaming_content)
        return response

    def grow():
        for i in range(20):
            ProjectFactory(code=f"NEW-{i}", category=county["infra"], leaders=[county["li"]])

    assert_queries_independent_of_size(call, grow)
