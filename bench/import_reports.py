"""Throughput of the monthly report sheet import (月报表导入), in one run.

A fresh SQLite database in a temporary data directory, ``migrate``, then one unit with
5,000 synthetic projects (province scale: the largest sheet one file may hold), half of
them with a September report so that the running total is checked. The unit's prefilled
sheet for October is written, this month's cells filled in, and the same file is:
read bare with python-calamine, imported as a dry run, and imported for real (as the
unit's reporter, through ``reports_save_many``). Prints rows/second and the ratio to the
bare read, by the wall clock and by CPU time.

    .venv/bin/python bench/import_reports.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="luoshi-bench-import-")
    os.environ.update(LUOSHI_MODE="demo", LUOSHI_DATA_DIR=data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import python_calamine as pc
    import xlsxwriter

    from luoshi.core.clock import frozen
    from luoshi.orgs.models import RoleGrant, Unit, UnitClass, User
    from luoshi.projects.choices import ReportStatus
    from luoshi.projects.excel.reports import write_prefilled
    from luoshi.projects.models import Category, MonthlyReport, Project
    from luoshi.projects.periods import period_get_or_create
    from luoshi.projects.services_report_import import import_reports
    from luoshi.projects.text import name_key

    n = args.rows
    t0 = time.perf_counter()
    uc = UnitClass.objects.create(code="bench", name="基准单位类别")
    unit = Unit.objects.create(
        code="BENCH01", name="基准测试局", short_name="基准局", unit_class=uc
    )
    reporter = User.objects.create_user(username="bench_reporter", password="x", unit=unit)
    RoleGrant.objects.create(user=reporter, role="reporter")
    category = Category.objects.create(code="bench", name="工业项目", order=1)
    Project.objects.bulk_create(
        [
            Project(
                year=2026,
                code=f"B{i:05d}",
                name=f"基准项目{i}",
                name_key=name_key(f"基准项目{i}"),
                category=category,
                stage="continuing",
                total_investment=Decimal("10000.00"),
                annual_plan=Decimal("1200.00"),
                start_year=2025,
                end_year=2027,
                responsible_unit=unit,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    september = period_get_or_create(year=2026, month=9)
    ids = list(Project.objects.order_by("id").values_list("id", flat=True))
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                project_id=pid,
                period=september,
                unit=unit,
                status=ReportStatus.ACCEPTED,
                investment_month=Decimal("100.00"),
                investment_ytd=Decimal("900.00"),
                investment_since_start=Decimal("3000.00"),
            )
            for pid in ids[: n // 2]
        ],
        batch_size=1000,
    )
    setup = time.perf_counter() - t0

    with frozen(dt.datetime(2026, 11, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        period_get_or_create(year=2026, month=10)
        fh = io.BytesIO()
        write_prefilled(
            fh, projects=Project.objects.filter(responsible_unit=unit), year=2026, month=10
        )
        prefilled = Path(data_dir) / "prefilled.xlsx"
        prefilled.write_bytes(fh.getvalue())
        # Fill this month's cells: the sheet as a reporter sends it back.
        rows = [
            list(r)
            for r in pc.CalamineWorkbook.from_path(str(prefilled))
            .get_sheet_by_index(0)
            .to_python(skip_empty_area=False)
        ]
        head1, head2 = rows[1], rows[2]
        cols = {v: c for c, v in enumerate(head1) if v} | {v: c for c, v in enumerate(head2) if v}
        path = Path(data_dir) / "filled.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet("10月")
        ws.write_string(0, 0, rows[0][0])
        for r in (1, 2):
            for c, v in enumerate(rows[r]):
                if v:
                    ws.write_string(r, c, v)
        for c, v in enumerate(head1):
            if v and v != "投资情况（万元）":
                ws.merge_range(1, c, 2, c, v)
        group = [c for c, v in enumerate(head2) if v]
        ws.merge_range(1, group[0], 1, group[-1], "投资情况（万元）")
        for r in range(3, len(rows)):
            row = rows[r]
            for c, v in enumerate(row):
                if v not in ("", None):
                    ws.write(r, c, v)
            ws.write_string(r, cols["本月完成投资"], "1,000.50")
            previous = row[cols["1–9月完成投资"]]
            if previous not in ("", None):
                ws.write_number(r, cols["1–10月完成投资"], float(previous) + 1000.50)
            ws.write_string(r, cols["形象进度"], "主体结构施工")
        wb.close()

        t, c = time.perf_counter(), time.process_time()
        book = pc.CalamineWorkbook.from_path(str(path))
        bare_rows = len(book.get_sheet_by_index(0).to_python())
        bare, bare_cpu = time.perf_counter() - t, time.process_time() - c

        t, c = time.perf_counter(), time.process_time()
        dry = import_reports(actor=reporter, file=path, year=2026, month=10, dry_run=True)
        dry_s, dry_cpu = time.perf_counter() - t, time.process_time() - c
        assert dry.ok, dry.errors[:5]
        assert MonthlyReport.objects.filter(period__month=10).count() == 0

        t, c = time.perf_counter(), time.process_time()
        real = import_reports(actor=reporter, file=path, year=2026, month=10, dry_run=False)
        real_s, real_cpu = time.perf_counter() - t, time.process_time() - c
        assert real.ok, real.errors[:5]
        written = MonthlyReport.objects.filter(period__month=10).count()
        assert written == n, written

    # CPU seconds beside the wall clock: on a shared machine the wall clock measures the
    # neighbours too; the CPU time is what this process needed.
    lines = [
        f"report import bench: {n:,} rows, SQLite, setup {setup:.1f}s, load {os.getloadavg()[0]:.1f}",
        "                       wall      rows/s  × bare read |   CPU     rows/s  × bare read",
    ]
    for label, rows_n, wall, cpu in (
        ("bare calamine read", bare_rows, bare, bare_cpu),
        ("import, dry run", n, dry_s, dry_cpu),
        ("import, written", n, real_s, real_cpu),
    ):
        lines.append(
            f"  {label:19s}{wall:7.3f}s {rows_n / wall:10,.0f} {wall / bare:8.1f}× |"
            f"{cpu:7.3f}s {rows_n / cpu:9,.0f} {cpu / bare_cpu:8.1f}×"
        )
    target = n / real_s
    lines.append(
        f"  written rows/s {target:,.0f} (target 2,000, aim 3,000 on an idle machine): "
        + ("met" if target >= 2000 else "NOT met")
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
