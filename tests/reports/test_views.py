"""The reporting pages: the unit's page, the form (with the conflict that keeps the user's
input), the report page's workflow buttons, the office's review queue, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from luoshi.core.clock import frozen
from luoshi.projects import services_reports as services
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import MonthlyReport
from luoshi.projects.periods import period_lock
from tests.conftest import login_client
from tests.helpers import assert_queries_independent_of_size
from tests.orgs.factories import UnitFactory, UserFactory
from tests.projects.factories import ProjectFactory
from tests.reports.conftest import at, draft_data

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def client_of(user):
    client = login_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def form_data(**extra) -> dict:
    data = {
        "version": "0",
        "investment_month": "120.50",
        "progress_text": "主体结构施工",
        "problems": "",
        "help_needed": "",
        "action": "save",
    }
    data.update(extra)
    return data


def _draft(w, **extra) -> MonthlyReport:
    return services.report_save(
        actor=w.reporter_a,
        project=w.project_a,
        period=w.period,
        data=draft_data(**extra),
        version=0,
    )


def test_the_reporter_sees_the_open_period_and_only_their_units_projects(world):
    body = client_of(world.reporter_a).get("/projects/reporting/").content.decode()
    assert "due by 2026-11-05" in body
    assert "甲项目" in body and "乙项目" not in body
    assert f"/projects/reporting/new/{world.project_a.pk}/" in body


def test_the_page_says_when_the_deadline_has_passed(world):
    with frozen(at(2026, 11, 9)):
        body = client_of(world.reporter_a).get("/projects/reporting/").content.decode()
    assert "Deadline passed" in body and "recorded as late" in body


def test_a_reporter_fills_saves_and_submits_through_the_form(world):
    client = client_of(world.reporter_a)
    url = f"/projects/reporting/new/{world.project_a.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data())
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response.url == f"/projects/reporting/{report.pk}/"
    assert report.status == ReportStatus.DRAFT and report.investment_month == Decimal("120.50")
    # A second visit of the "fill" link goes to the existing report.
    assert client.get(url).url == f"/projects/reporting/{report.pk}/edit/"
    response = client.post(
        f"/projects/reporting/{report.pk}/edit/",
        form_data(version=str(report.version), action="submit", investment_month="130"),
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.investment_month == Decimal("130")


def test_the_form_refuses_negative_and_non_numeric_investment(world):
    client = client_of(world.reporter_a)
    url = f"/projects/reporting/new/{world.project_a.pk}/"
    response = client.post(url, form_data(investment_month="-3"))
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()
    response = client.post(url, form_data(investment_month="一百"))
    assert response.status_code == 400 and "Enter a number" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_a_conflict_shows_the_time_and_keeps_the_users_input(world):
    report = _draft(world)
    stale = report.version
    with frozen(at(2026, 11, 3, 14, 25)):
        services.report_save(
            actor=world.reporter_a,
            project=world.project_a,
            period=world.period,
            data=draft_data(investment_month="200"),
            version=stale,
        )
    response = client_of(world.reporter_a).post(
        f"/projects/reporting/{report.pk}/edit/",
        form_data(version=str(stale), investment_month="345.67", progress_text="我的输入"),
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "saved this report at 14:25" in body
    assert 'value="345.67"' in body and "我的输入" in body
    # The form now carries the stored version, so saving again goes through.
    assert f'name="version" value="{stale + 1}"' in body
    report.refresh_from_db()
    assert report.investment_month == Decimal("200.00")


def test_another_units_reporter_gets_not_found_everywhere(world):
    report = _draft(world)
    client = client_of(world.reporter_b)
    assert client.get(f"/projects/reporting/new/{world.project_a.pk}/").status_code == 404
    assert (
        client.post(f"/projects/reporting/new/{world.project_a.pk}/", form_data()).status_code
        == 404
    )
    assert client.get(f"/projects/reporting/{report.pk}/").status_code == 404
    assert client.post(f"/projects/reporting/{report.pk}/submit/").status_code == 404
    assert (
        client_of(world.head_b).post(f"/projects/reporting/{report.pk}/approve/").status_code == 404
    )


def test_the_head_approves_and_the_office_accepts_through_the_pages(world):
    report = services.report_submit(actor=world.reporter_a, report=_draft(world))
    head = client_of(world.head_a)
    body = head.get(f"/projects/reporting/{report.pk}/").content.decode()
    assert "Approve" in body and "Return with a reason" in body
    assert head.post(f"/projects/reporting/{report.pk}/approve/").status_code == 302
    office = client_of(world.office)
    queue = office.get("/projects/reporting/review/").content.decode()
    assert "甲项目" in queue and f"/projects/reporting/{report.pk}/accept/" in queue
    response = office.post(f"/projects/reporting/{report.pk}/accept/", {"next": "review"})
    assert response.status_code == 302 and response.url.startswith("/projects/reporting/review/")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_returning_without_a_reason_is_refused_on_the_page(world):
    report = services.report_submit(actor=world.reporter_a, report=_draft(world))
    client = client_of(world.head_a)
    response = client.post(f"/projects/reporting/{report.pk}/return/", {"reason": ""}, follow=True)
    assert "Say why the report is returned." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(f"/projects/reporting/{report.pk}/return/", {"reason": "数据有误"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "数据有误"


def test_an_illegal_step_on_the_page_says_the_current_state(world):
    report = _draft(world)
    response = client_of(world.head_a).post(
        f"/projects/reporting/{report.pk}/approve/", follow=True
    )
    assert "This report is Draft; it cannot be approved now." in response.content.decode()


def test_the_review_page_counts_per_unit_and_lists_coordination(world):
    report = _draft(world, needs_coordination=True, problems="征地拆迁未完成")
    with frozen(at(2026, 11, 7)):
        services.report_submit(actor=world.reporter_a, report=report)
    body = client_of(world.office).get("/projects/reporting/review/").content.decode()
    assert "2 projects: 1 reported, 1 not reported, 1 late" in body
    assert "征地拆迁未完成" in body


def test_the_office_corrects_a_locked_period_on_the_page(world):
    report = services.report_approve(
        actor=world.head_a,
        report=services.report_submit(actor=world.reporter_a, report=_draft(world)),
    )
    period_lock(actor=world.office, period=world.period)
    client = client_of(world.office)
    assert client.get(f"/projects/reporting/{report.pk}/correct/").status_code == 200
    response = client.post(
        f"/projects/reporting/{report.pk}/correct/",
        form_data(version=str(report.version), investment_month="88", reason=""),
    )
    assert (
        response.status_code == 400
        and "Say why the report is corrected." in response.content.decode()
    )
    response = client.post(
        f"/projects/reporting/{report.pk}/correct/",
        form_data(version=str(report.version), investment_month="88", reason="核定数"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.investment_month == Decimal("88.00")
    # The reporter can no longer change it.
    response = client_of(world.reporter_a).post(
        f"/projects/reporting/{report.pk}/edit/", form_data(version=str(report.version))
    )
    assert response.status_code == 400 and "is locked" in response.content.decode()


# ---------------------------------------------------------------------------------------
# Query counts


def _grow_unit(world, n: int):
    def grow():
        for _ in range(n):
            project = ProjectFactory(responsible_unit=world.unit_a, milestones=False, plan=False)
            services.report_save(
                actor=world.reporter_a,
                project=project,
                period=world.period,
                data=draft_data(),
                version=0,
            )

    return grow


def test_the_reporting_page_query_count_does_not_grow_with_projects(world):
    client = client_of(world.reporter_a)
    assert_queries_independent_of_size(
        lambda: client.get("/projects/reporting/"), _grow_unit(world, 30)
    )


def test_the_heads_page_query_count_does_not_grow_with_projects(world):
    client = client_of(world.head_a)
    assert_queries_independent_of_size(
        lambda: client.get("/projects/reporting/"), _grow_unit(world, 30)
    )


def test_the_review_queue_query_count_does_not_grow_with_reports_or_units(world):
    client = client_of(world.office)
    # One of each list from the start: an empty page skips its rows query.
    services.report_approve(
        actor=world.head_a,
        report=services.report_submit(
            actor=world.reporter_a,
            report=_draft(world, needs_coordination=True, problems="征地"),
        ),
    )

    def grow():
        for i in range(12):
            unit = UnitFactory()
            reporter = UserFactory(unit=unit, roles=["reporter"])
            head = UserFactory(unit=unit, roles=["unit_head"])
            for _ in range(2):
                project = ProjectFactory(responsible_unit=unit, milestones=False, plan=False)
                report = services.report_save(
                    actor=reporter,
                    project=project,
                    period=world.period,
                    data=draft_data(needs_coordination=True, problems=f"问题{i}"),
                    version=0,
                )
                report = services.report_submit(actor=reporter, report=report)
                services.report_approve(actor=head, report=report)

    assert_queries_independent_of_size(lambda: client.get("/projects/reporting/review/"), grow)


def test_a_returned_report_of_an_earlier_period_can_still_be_finished(world):
    report = services.report_return_by_head(
        actor=world.head_a,
        report=services.report_submit(actor=world.reporter_a, report=_draft(world)),
        reason="补充照片",
    )
    unstarted = ProjectFactory(responsible_unit=world.unit_a, milestones=False)
    with frozen(at(2026, 12, 2)):  # November is open now
        client = client_of(world.reporter_a)
        body = client.get("/projects/reporting/?period=2026-10").content.decode()
        assert f"/projects/reporting/{report.pk}/edit/" in body
        # October is no longer open for new reports.
        assert "甲项目" in body and f"/projects/reporting/new/{unstarted.pk}/" not in body
        response = client.post(
            f"/projects/reporting/{report.pk}/edit/",
            form_data(version=str(report.version), action="submit"),
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_head_sees_what_waits_for_approval(world):
    report = services.report_submit(actor=world.reporter_a, report=_draft(world))
    body = client_of(world.head_a).get("/projects/reporting/").content.decode()
    assert f'<a href="/projects/reporting/{report.pk}/">Review</a>' in body
    assert "/projects/reporting/new/" not in body  # heads do not fill in
