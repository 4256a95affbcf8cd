"""The monthly report workflow through its services: the whole loop, every refusal, the
optimistic lock, the late flag and the running totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.core.clock import frozen
from luoshi.core.errors import Conflict, DomainError, NotPermitted
from luoshi.core.models import AuditEntry
from luoshi.projects import selectors_reports as selectors
from luoshi.projects import services_reports as services
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import Milestone, MonthlyReport, ProjectStatus, ReportMilestone
from luoshi.projects.periods import period_lock
from tests.projects.factories import MonthlyReportFactory, ReportingPeriodFactory
from tests.reports.conftest import at, draft_data

# These tests assert the English wording of messages.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def _draft(w, **extra) -> MonthlyReport:
    return services.report_save(
        actor=w.reporter_a,
        project=w.project_a,
        period=w.period,
        data=draft_data(**extra),
        version=0,
    )


def _submitted(w, **extra) -> MonthlyReport:
    return services.report_submit(actor=w.reporter_a, report=_draft(w, **extra))


def _approved(w, **extra) -> MonthlyReport:
    return services.report_approve(actor=w.head_a, report=_submitted(w, **extra))


def _audit(report) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="projects.monthlyreport", object_id=str(report.pk)
        ).order_by("seq")
    )


# ---------------------------------------------------------------------------------------
# The whole loop


def test_the_whole_loop_reporter_head_office_is_recorded_step_by_step(world):
    w = world
    start = w.project_a.milestones.get(name="开工")
    report = _draft(w, milestones={start.pk: dt.date(2026, 10, 8)})
    report = services.report_submit(actor=w.reporter_a, report=report)
    report = services.report_approve(actor=w.head_a, report=report)
    report = services.report_accept(actor=w.office, report=report)

    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.submitted_by == w.reporter_a and report.approved_by == w.head_a
    assert report.accepted_by == w.office and not report.is_late
    # The accepted report's milestone date becomes the project's.
    start.refresh_from_db()
    assert start.reached_on == dt.date(2026, 10, 8)
    # And the lamp of the project for the period is computed.
    assert ProjectStatus.objects.filter(project=w.project_a, period=w.period).exists()
    entries = _audit(report)
    assert [e.actor for e in entries] == [w.reporter_a, w.reporter_a, w.head_a, w.office]
    assert entries[0].action == "create" and entries[0].after["investment_month"] == "120.50"
    assert [e.after["status"] for e in entries[1:]] == ["submitted", "approved", "accepted"]
    assert [e.before["status"] for e in entries[1:]] == ["draft", "submitted", "approved"]


def test_a_saved_change_records_only_the_changed_fields(world):
    report = _draft(world)
    services.report_save(
        actor=world.reporter_a,
        project=world.project_a,
        period=world.period,
        data=draft_data(investment_month="130"),
        version=report.version,
    )
    entry = _audit(report)[-1]
    assert entry.before == {
        "investment_month": "120.50",
        "investment_ytd": "120.50",
        "investment_since_start": "120.50",
        "version": 1,
    }
    assert entry.after["investment_month"] == "130.00" and entry.after["version"] == 2


def test_the_head_returns_with_a_reason_and_the_reporter_submits_again(world):
    w = world
    report = services.report_return_by_head(
        actor=w.head_a, report=_submitted(w), reason="本月投资与统计局数据不一致"
    )
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "本月投资与统计局数据不一致"
    report = services.report_save(
        actor=w.reporter_a,
        project=w.project_a,
        period=w.period,
        data=draft_data(investment_month="99"),
        version=report.version,
    )
    report = services.report_submit(actor=w.reporter_a, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""


def test_the_office_returns_an_approved_report_with_a_reason(world):
    report = services.report_return_by_office(
        actor=world.office, report=_approved(world), reason="缺少形象进度照片"
    )
    assert report.status == ReportStatus.RETURNED
    assert _audit(report)[-1].after["return_reason"] == "缺少形象进度照片"


# ---------------------------------------------------------------------------------------
# Refusals: unit isolation


def test_a_reporter_cannot_report_on_another_units_project(world):
    with pytest.raises(NotPermitted, match="own unit"):
        services.report_save(
            actor=world.reporter_b,
            project=world.project_a,
            period=world.period,
            data=draft_data(),
            version=0,
        )
    assert not MonthlyReport.objects.exists()


def test_a_reporter_cannot_submit_another_units_report(world):
    report = _draft(world)
    with pytest.raises(NotPermitted):
        services.report_submit(actor=world.reporter_b, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_head_cannot_approve_or_return_another_units_report(world):
    report = _submitted(world)
    with pytest.raises(NotPermitted, match="own unit"):
        services.report_approve(actor=world.head_b, report=report)
    with pytest.raises(NotPermitted):
        services.report_return_by_head(actor=world.head_b, report=report, reason="不行")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_head_cannot_fill_and_a_reporter_cannot_approve(world):
    with pytest.raises(NotPermitted):
        services.report_save(
            actor=world.head_a,
            project=world.project_a,
            period=world.period,
            data=draft_data(),
            version=0,
        )
    report = _submitted(world)
    with pytest.raises(NotPermitted):
        services.report_approve(actor=world.reporter_a, report=report)


def test_only_the_office_accepts(world):
    report = _approved(world)
    for actor in (world.head_a, world.reporter_a, world.leader):
        with pytest.raises(NotPermitted):
            services.report_accept(actor=actor, report=report)


# ---------------------------------------------------------------------------------------
# Refusals: bad input


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "cannot be negative"),
        ("abc", "must be a number"),
        ("1,2", "must be a number"),
        ("NaN", "must be a number"),
        ("", "Enter investment this month"),
        ("1.234", "at most two decimals"),
        ("1e20", "too large"),
    ],
)
def test_it_refuses_bad_investment_figures_and_writes_nothing(world, value, message):
    with pytest.raises(DomainError, match=message) as info:
        _draft(world, investment_month=value)
    assert info.value.field == "investment_month"
    assert not MonthlyReport.objects.exists()
    assert not AuditEntry.objects.filter(object_type="projects.monthlyreport").exists()


def test_it_refuses_a_month_outside_the_open_period(world):
    september = ReportingPeriodFactory(year=2026, month=9)
    with pytest.raises(DomainError, match="open for 2026-10 only") as info:
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=september,
            data=draft_data(),
            version=0,
        )
    assert info.value.field == "period"
    with pytest.raises(DomainError, match="open for 2026-10 only"):
        services.reporting_period(year=2026, month=12)


def test_it_refuses_a_project_of_another_years_list(world):
    old = ReportingPeriodFactory(year=2025, month=10)
    with pytest.raises(DomainError, match="on the 2026 list"):
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=old,
            data=draft_data(),
            version=0,
        )


def test_it_refuses_milestone_dates_in_the_future_or_before_the_start(world):
    ms = world.project_a.milestones.first()
    with pytest.raises(DomainError, match="cannot be in the future") as info:
        _draft(world, milestones={ms.pk: dt.date(2026, 11, 4)})
    assert info.value.field == f"ms_{ms.pk}"
    with pytest.raises(DomainError, match="before the project's start year 2025"):
        _draft(world, milestones={ms.pk: dt.date(2024, 12, 31)})
    other = world.project_b.milestones.first()
    with pytest.raises(DomainError, match="does not belong to this project"):
        _draft(world, milestones={other.pk: dt.date(2026, 10, 1)})
    assert not MonthlyReport.objects.exists()


def test_coordination_needs_a_described_problem(world):
    with pytest.raises(DomainError, match="Describe the problem"):
        _draft(world, needs_coordination=True)
    report = _draft(world, needs_coordination=True, problems="征地拆迁未完成")
    assert report.needs_coordination


# ---------------------------------------------------------------------------------------
# Refusals: states and locked periods


def test_illegal_transitions_name_the_current_state(world):
    report = _draft(world)
    with pytest.raises(DomainError, match="This report is Draft; it cannot be approved"):
        services.report_approve(actor=world.head_a, report=report)
    with pytest.raises(DomainError, match="is Draft; it cannot be accepted"):
        services.report_accept(actor=world.office, report=report)
    report = services.report_submit(actor=world.reporter_a, report=report)
    with pytest.raises(DomainError, match="is Submitted; it cannot be submitted"):
        services.report_submit(actor=world.reporter_a, report=report)
    with pytest.raises(DomainError, match="is Submitted; it cannot be edited"):
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=world.period,
            data=draft_data(),
            version=report.version,
        )
    with pytest.raises(DomainError, match="is Submitted; it cannot be returned"):
        services.report_return_by_office(actor=world.office, report=report, reason="x")


def test_returning_needs_a_reason(world):
    report = _submitted(world)
    with pytest.raises(DomainError, match="Say why") as info:
        services.report_return_by_head(actor=world.head_a, report=report, reason="   ")
    assert info.value.field == "reason"
    report = services.report_approve(actor=world.head_a, report=report)
    with pytest.raises(DomainError, match="Say why"):
        services.report_return_by_office(actor=world.office, report=report, reason="")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_a_locked_period_refuses_every_change_but_the_offices_correction(world):
    report = _approved(world)
    draft_b = services.report_save(
        actor=world.reporter_b,
        project=world.project_b,
        period=world.period,
        data=draft_data(),
        version=0,
    )
    period_lock(actor=world.office, period=world.period)
    report.refresh_from_db()
    draft_b.refresh_from_db()
    with pytest.raises(DomainError, match="2026-10 is locked"):
        services.report_accept(actor=world.office, report=report)
    with pytest.raises(DomainError, match="is locked"):
        services.report_save(
            actor=world.reporter_b,
            project=world.project_b,
            period=world.period,
            data=draft_data(),
            version=draft_b.version,
        )
    with pytest.raises(DomainError, match="is locked"):
        services.report_submit(actor=world.reporter_b, report=draft_b)

    corrected = services.report_correct(
        actor=world.office,
        report=report,
        data=draft_data(investment_month="80"),
        reason="统计局核定数",
    )
    assert corrected.investment_month == Decimal("80.00")
    entry = _audit(report)[-1]
    assert entry.actor == world.office
    assert entry.before["investment_month"] == "120.50"
    assert entry.after["correction_reason"] == "统计局核定数"


def test_a_correction_needs_a_reason_and_a_locked_or_accepted_report(world):
    report = _approved(world)
    with pytest.raises(DomainError, match="return it to the unit instead"):
        services.report_correct(actor=world.office, report=report, data=draft_data(), reason="x")
    report = services.report_accept(actor=world.office, report=report)
    with pytest.raises(DomainError, match="Say why the report is corrected"):
        services.report_correct(actor=world.office, report=report, data=draft_data(), reason="")
    with pytest.raises(NotPermitted):
        services.report_correct(actor=world.head_a, report=report, data=draft_data(), reason="x")


def test_a_correction_carries_the_year_to_date_into_later_reports(world):
    w = world
    sept = ReportingPeriodFactory(year=2026, month=9)
    sept_report = MonthlyReportFactory(
        project=w.project_a,
        period=sept,
        investment_month=Decimal("100"),
        investment_ytd=Decimal("900"),
        investment_since_start=Decimal("1500"),
    )
    october = services.report_accept(actor=w.office, report=_approved(w))
    assert october.investment_ytd == Decimal("1020.50")
    services.report_correct(
        actor=w.office,
        report=sept_report,
        data=draft_data(investment_month="150"),
        reason="更正九月数",
    )
    october.refresh_from_db()
    # September's year to date was 900 (100 typed + 800 before); now 950.
    assert october.investment_ytd == Decimal("1070.50")
    assert _audit(october)[-1].after["correction_reason"] == "更正九月数"


# ---------------------------------------------------------------------------------------
# Optimistic locking


def test_a_stale_version_is_refused_with_the_time_of_the_other_save(world):
    report = _draft(world)
    with frozen(at(2026, 11, 3, 14, 25)):
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=world.period,
            data=draft_data(investment_month="200"),
            version=report.version,
        )
    with pytest.raises(Conflict, match="saved this report at 14:25") as info:
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=world.period,
            data=draft_data(investment_month="300"),
            version=report.version,
        )
    assert info.value.status_code == 409
    report.refresh_from_db()
    assert report.investment_month == Decimal("200.00")


def test_two_people_starting_the_same_report_do_not_overwrite_each_other(world):
    _draft(world)
    with pytest.raises(Conflict):
        _draft(world, investment_month="1")
    assert MonthlyReport.objects.get().investment_month == Decimal("120.50")


# ---------------------------------------------------------------------------------------
# Late reports


def test_a_report_submitted_on_the_deadline_day_is_on_time(world):
    with frozen(at(2026, 11, 5, 23, 59)):
        report = _submitted(world)
    assert not report.is_late


def test_a_report_first_submitted_after_the_deadline_is_late_for_good(world):
    with frozen(at(2026, 11, 6, 0, 1)):
        report = _submitted(world)
    assert report.is_late
    report = services.report_return_by_head(actor=world.head_a, report=report, reason="补充")
    report = services.report_submit(actor=world.reporter_a, report=report)
    assert report.is_late
    assert list(selectors.late_reports(period=world.period, user=world.office)) == [report]


def test_an_on_time_report_returned_and_resubmitted_late_stays_on_time(world):
    report = services.report_return_by_head(
        actor=world.head_a, report=_submitted(world), reason="补充"
    )
    with frozen(at(2026, 11, 9)):
        report = services.report_submit(actor=world.reporter_a, report=report)
    assert not report.is_late


# ---------------------------------------------------------------------------------------
# Figures


def test_year_to_date_continues_from_the_latest_earlier_month_of_the_year(world):
    w = world
    for month, amount, ytd in ((8, "100", "100"), (9, "50", "150")):
        MonthlyReportFactory(
            project=w.project_a,
            period=ReportingPeriodFactory(year=2026, month=month),
            investment_month=Decimal(amount),
            investment_ytd=Decimal(ytd),
            investment_since_start=Decimal("3000") + month,
        )
    report = _draft(w, investment_month="25", investment_ytd="1", investment_since_start="1")
    # Typed totals are ignored once an earlier report carries them.
    assert report.investment_ytd == Decimal("175.00")
    assert report.investment_since_start == Decimal("3034.00")


def test_the_first_report_of_the_year_in_luoshi_types_the_year_to_date(world):
    report = _draft(world, investment_month="25", investment_ytd="800")
    assert report.investment_ytd == Decimal("800.00")
    with pytest.raises(DomainError, match="cannot be below this month") as info:
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=world.period,
            data=draft_data(investment_month="25", investment_ytd="10"),
            version=report.version,
        )
    assert info.value.field == "investment_ytd"


def test_the_first_report_types_the_investment_since_start(world):
    report = _draft(world, investment_since_start="5000")
    assert report.investment_since_start == Decimal("5000.00")
    with pytest.raises(DomainError, match="cannot be below the year to date"):
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=world.period,
            data=draft_data(investment_since_start="10"),
            version=report.version,
        )


def test_physical_progress_is_the_weight_of_the_milestones_reached(world):
    ms = {m.name: m for m in world.project_a.milestones.all()}
    Milestone.objects.filter(pk=ms["开工"].pk).update(reached_on=dt.date(2026, 3, 2))
    report = _draft(world, milestones={ms["主体完工"].pk: "2026-10-20"}, physical_progress="5")
    assert report.physical_progress == 50
    assert ReportMilestone.objects.get(report=report).reached_on == dt.date(2026, 10, 20)


# ---------------------------------------------------------------------------------------
# Who has not reported


def test_missing_reports_lists_projects_without_a_submitted_report(world):
    _draft(world)  # a draft is not a report to the office yet
    missing = {r["code"] for r in selectors.missing_reports(period=world.period, user=world.office)}
    assert missing == {"XM-A", "XM-B"}
    services.report_submit(actor=world.reporter_a, report=MonthlyReport.objects.get())
    missing = {r["code"] for r in selectors.missing_reports(period=world.period, user=world.office)}
    assert missing == {"XM-B"}
    # A unit sees only its own gaps.
    own = selectors.missing_reports(period=world.period, user=world.reporter_b)
    assert [r["code"] for r in own] == ["XM-B"]
