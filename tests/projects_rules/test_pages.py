"""The office's settings pages: year thresholds, periods, calendar overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.core.choices import AuditAction
from luoshi.core.models import AuditEntry, CalendarDay
from luoshi.orgs.choices import Role
from luoshi.projects.choices import Lamp, ReportStatus
from luoshi.projects.models import ProjectStatus, ReportingPeriod, YearSettings
from luoshi.projects.periods import period_get_or_create
from tests.helpers import assert_queries_independent_of_size
from tests.orgs.factories import UserFactory
from tests.projects.factories import MonthlyReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return UserFactory(username="office_pages", roles=[Role.SUPERVISION_OFFICER])


@pytest.fixture
def client(officer, make_client):
    return make_client(officer)


def settings_form(**overrides) -> dict:
    data = {
        "green_pct": "95",
        "yellow_pct": "80",
        "milestone_yellow_days": "30",
        "milestone_red_days": "60",
        "missing_periods_red": "2",
        "deadline_day": "5",
    }
    data.update(overrides)
    return data


# ----------------------------------------------------------------- year settings


def test_the_office_sets_thresholds_as_percentages_stored_as_ratios(client, officer):
    response = client.post(
        "/projects/settings/years/2026/",
        settings_form(green_pct="90", yellow_pct="75.5", deadline_in_working_days="on"),
    )
    assert response.status_code == 302
    s = YearSettings.objects.get(year=2026)
    assert (s.green_ratio, s.yellow_ratio) == (Decimal("0.9000"), Decimal("0.7550"))
    assert s.deadline_in_working_days
    entry = AuditEntry.objects.filter(object_type="projects.yearsettings").first()
    assert entry.action == AuditAction.CREATE and entry.actor == officer
    page = client.get("/projects/settings/").content.decode()
    assert "90%" in page and "75.5%" in page


def test_the_edit_form_shows_the_stored_ratios_as_percentages(client):
    YearSettings.objects.create(year=2026, green_ratio=Decimal("0.9"), yellow_ratio=Decimal("0.7"))
    page = client.get("/projects/settings/years/2026/").content.decode()
    assert 'value="90"' in page and 'value="70"' in page


def test_changing_settings_records_before_and_after(client):
    YearSettings.objects.create(year=2026)
    client.post("/projects/settings/years/2026/", settings_form(green_pct="97"))
    entry = AuditEntry.objects.filter(object_type="projects.yearsettings").first()
    assert entry.action == AuditAction.UPDATE
    assert entry.before["green_ratio"] == "0.9500" and entry.after["green_ratio"] == "0.9700"


@pytest.mark.parametrize(
    ("overrides", "field_text"),
    [
        ({"green_pct": "80", "yellow_pct": "80"}, "Yellow must start below green"),
        ({"green_pct": "101"}, "100"),
        ({"milestone_yellow_days": "60", "milestone_red_days": "60"}, "fewer than the days"),
        ({"deadline_day": "31"}, "28"),
    ],
)
def test_inconsistent_thresholds_are_refused_and_nothing_is_saved(client, overrides, field_text):
    response = client.post("/projects/settings/years/2026/", settings_form(**overrides))
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert not YearSettings.objects.filter(year=2026).exists()


def test_a_new_year_gets_settings_and_a_second_time_is_refused(client):
    assert (
        client.post("/projects/settings/years/new/", settings_form(year="2027")).status_code == 302
    )
    again = client.post("/projects/settings/years/new/", settings_form(year="2027"))
    assert again.status_code == 400 and "already has settings" in again.content.decode()


# ----------------------------------------------------------------- periods


def test_the_periods_page_shows_deadline_and_counts(client):
    period = period_get_or_create(year=2026, month=3)
    projects = [ProjectFactory(milestones=False) for _ in range(3)]
    MonthlyReportFactory(project=projects[0], period=period)  # accepted
    MonthlyReportFactory(project=projects[1], period=period, status=ReportStatus.SUBMITTED)
    MonthlyReportFactory(project=projects[2], period=period, status=ReportStatus.DRAFT)
    ProjectStatus.objects.create(
        project=projects[0], period=period, lamp=Lamp.RED, reason="x", planned_ytd=0, actual_ytd=0
    )
    page = client.get("/projects/settings/years/2026/periods/").content.decode()
    assert "2026-04-05" in page
    row = page[page.index("2026-03") :]
    # projects 3, reported 2, accepted 1, late 0, missing 1, one red lamp
    cells = [c.split(">")[-1] for c in row.split("</td>")[:7]]
    assert cells[2:7] == ["3", "2", "1", "0", "1"]
    assert 'class="lamp lamp-red"' in page


def test_the_office_opens_a_period_from_the_page(client):
    response = client.post("/projects/settings/years/2026/periods/open/", {"month": "9"})
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(year=2026, month=9).deadline == dt.date(2026, 10, 5)


def test_opening_a_period_in_an_unknown_calendar_year_says_why(client):
    YearSettings.objects.create(year=2027, deadline_in_working_days=True)
    response = client.post(
        "/projects/settings/years/2027/periods/open/", {"month": "1"}, follow=True
    )
    assert "2027" in response.content.decode() and "calendar" in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()


def test_lock_and_unlock_from_the_page(client, officer):
    period = period_get_or_create(year=2026, month=3)
    client.post(f"/projects/settings/periods/{period.pk}/lock/")
    period.refresh_from_db()
    assert period.is_locked and period.locked_by == officer
    page = client.get("/projects/settings/years/2026/periods/").content.decode()
    assert "data-confirm" in page and "/unlock/" in page
    # no reason: stays locked
    client.post(f"/projects/settings/periods/{period.pk}/unlock/", {"reason": ""})
    assert ReportingPeriod.objects.get(pk=period.pk).is_locked
    client.post(f"/projects/settings/periods/{period.pk}/unlock/", {"reason": "数据更正"})
    assert not ReportingPeriod.objects.get(pk=period.pk).is_locked


def test_recomputing_lamps_from_the_page_stores_them(client):
    period = period_get_or_create(year=2026, month=3)
    project = ProjectFactory(milestones=False)
    MonthlyReportFactory(project=project, period=period, investment_ytd=Decimal("300.00"))
    client.post(f"/projects/settings/periods/{period.pk}/refresh/")
    assert ProjectStatus.objects.get(project=project, period=period).lamp == Lamp.GREEN


def test_periods_page_queries_do_not_grow_with_projects_and_reports(client):
    periods = [period_get_or_create(year=2026, month=m) for m in (1, 2, 3)]

    def grow():
        for _ in range(5):
            project = ProjectFactory(milestones=False)
            for period in periods:
                MonthlyReportFactory(project=project, period=period)

    grow()
    assert_queries_independent_of_size(
        lambda: client.get("/projects/settings/years/2026/periods/"), grow
    )


def test_year_settings_list_queries_do_not_grow(client):
    years = iter(range(2030, 2040))
    assert_queries_independent_of_size(
        lambda: client.get("/projects/settings/"),
        lambda: [YearSettings.objects.create(year=next(years)) for _ in range(3)],
    )


# ----------------------------------------------------------------- calendar overrides


def test_the_calendar_page_says_which_years_the_library_covers(client):
    page = client.get("/core/calendar/?year=2027").content.decode()
    assert "2004–2026" in page
    assert "Not known" in page or "refused" in page


def test_an_override_is_added_audited_and_makes_2027_known(client, officer):
    response = client.post(
        "/core/calendar/new/", {"date": "2027-02-08", "is_working_day": "0", "note": "春节"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2027, 2, 8))
    assert not day.is_working_day and day.note == "春节"
    entry = AuditEntry.objects.filter(object_type="core.calendarday").first()
    assert entry.action == AuditAction.CREATE and entry.actor == officer
    page = client.get("/core/calendar/?year=2027").content.decode()
    assert "2027-02-08" in page and "Known through overrides" in page


def test_a_second_override_of_the_same_date_is_refused(client):
    CalendarDay.objects.create(date=dt.date(2027, 2, 8), is_working_day=False)
    response = client.post("/core/calendar/new/", {"date": "2027-02-08", "is_working_day": "1"})
    assert response.status_code == 400 and "already has an override" in response.content.decode()
    assert CalendarDay.objects.count() == 1


def test_an_override_is_edited_and_deleted_with_audit(client):
    day = CalendarDay.objects.create(date=dt.date(2027, 2, 8), is_working_day=False)
    client.post(
        f"/core/calendar/{day.pk}/", {"date": "2027-02-08", "is_working_day": "1", "note": "调休"}
    )
    day.refresh_from_db()
    assert day.is_working_day and day.note == "调休"
    client.post(f"/core/calendar/{day.pk}/delete/")
    assert not CalendarDay.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="core.calendarday").values_list("action", flat=True)
    )
    assert actions == [AuditAction.DELETE, AuditAction.UPDATE]


def test_calendar_list_queries_do_not_grow(client):
    days = iter(dt.date(2027, 3, 1) + dt.timedelta(days=i) for i in range(100))
    CalendarDay.objects.create(date=next(days), is_working_day=False)
    assert_queries_independent_of_size(
        lambda: client.get("/core/calendar/?year=2027"),
        lambda: [
            CalendarDay.objects.create(date=next(days), is_working_day=False) for _ in range(20)
        ],
    )
