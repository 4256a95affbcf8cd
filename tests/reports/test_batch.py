"""The batch save of the report sheet import (``reports_save_many``): the same results as
saving and submitting the reports one by one through ``report_save``/``report_submit``,
all or nothing, an intact audit chain, and a query count that does not grow with rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.core.audit import audit_verify
from luoshi.core.errors import DomainError
from luoshi.core.models import AuditEntry
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import Milestone, MonthlyReport, ReportingPeriod, ReportMilestone
from luoshi.projects.services_reports import report_save, report_submit
from luoshi.projects.services_reports_batch import BatchRefused, SaveRow, reports_save_many
from tests.projects.factories import ProjectFactory, ReportingPeriodFactory
from tests.reports.conftest import draft_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]

SUBMITTED_BEFORE = dt.datetime(2026, 11, 1, 2, tzinfo=dt.UTC)
REPORT_COLUMNS = [
    "status",
    "investment_month",
    "investment_ytd",
    "investment_since_start",
    "physical_progress",
    "progress_text",
    "problems",
    "help_needed",
    "needs_coordination",
    "version",
    "is_late",
    "submitted_at",
    "return_reason",
]

# One project's situation before the import: its report of October (none, or in a
# state), a September report or not, weighted milestones or not; and what the row sends.
case = st.fixed_dictionaries(
    {
        "stored": st.sampled_from(["none", "draft", "returned", "submitted"]),
        "september": st.booleans(),
        "weights": st.booleans(),
        "month": st.sampled_from(["0", "12.30", "1000", "-1", "1.234"]),
        "ytd": st.sampled_from([None, "5000", "1"]),
        "help": st.sampled_from(["", "用地指标"]),
        "coordination": st.booleans(),
        "reached": st.sampled_from([None, "2026-10-08", "2027-01-01", "2010-01-01"]),
        "stale": st.booleans(),
        "progress": st.sampled_from([None, "40", "140"]),
    }
)


def _setup(world, cases: list[dict], prefix: str = "P") -> list[tuple]:
    """Projects in the situations of ``cases``; returns (project, data, version) rows."""
    september = ReportingPeriod.objects.filter(year=2026, month=9).first() or (
        ReportingPeriodFactory(year=2026, month=9, deadline=dt.date(2026, 10, 13))
    )
    rows = []
    for i, c in enumerate(cases):
        project = ProjectFactory(responsible_unit=world.unit_a, code=f"{prefix}{i:03d}")
        ms = [
            Milestone.objects.create(
                project=project,
                kind="start",
                name=f"节点{k}",
                planned_on=dt.date(2026, 3 + k, 1),
                weight=50 if c["weights"] else None,
                order=k,
            )
            for k in range(2)
        ]
        if c["september"]:
            MonthlyReport.objects.create(
                project=project,
                period=september,
                unit=world.unit_a,
                status=ReportStatus.ACCEPTED,
                investment_month=Decimal("100"),
                investment_ytd=Decimal("900"),
                investment_since_start=Decimal("3000"),
            )
        version = None
        if c["stored"] != "none":
            stored = MonthlyReport.objects.create(
                project=project,
                period=world.period,
                unit=world.unit_a,
                status=c["stored"],
                investment_month=Decimal("10"),
                investment_ytd=Decimal("910"),
                investment_since_start=Decimal("3010"),
                version=3,
                submitted_at=SUBMITTED_BEFORE if c["stored"] == "returned" else None,
            )
            ReportMilestone.objects.create(
                report=stored, milestone=ms[1], reached_on=dt.date(2026, 9, 1)
            )
            version = 2 if c["stale"] else 3
        data = draft_data(
            investment_month=c["month"],
            help_needed=c["help"],
            needs_coordination=c["coordination"],
            milestones={ms[0].pk: c["reached"]} if c["reached"] else {},
        )
        if c["ytd"] is not None:
            data["investment_ytd"] = c["ytd"]
        if c["progress"] is not None:
            data["physical_progress"] = c["progress"]
        rows.append((project, data, version))
    return rows


def _outcome() -> dict:
    """What a user would see afterwards: each report, its milestones, the audit trail."""
    ok, chain = audit_verify()
    assert chain is None
    code = {str(r.pk): r.project.code for r in MonthlyReport.objects.select_related("project")}
    reports = {
        r.project.code: [getattr(r, f) for f in REPORT_COLUMNS]
        + [
            sorted(
                (rm.milestone.name, rm.reached_on)
                for rm in r.milestones_reached.select_related("milestone")
            )
        ]
        for r in MonthlyReport.objects.filter(period__month=10).select_related("project")
    }
    audit = [
        (e.action, code.get(e.object_id), e.object_repr, e.before, e.after, e.actor_username)
        for e in AuditEntry.objects.order_by("seq")
    ]
    return {"reports": reports, "audit": audit}


def _one_by_one(actor, period, rows, submit: bool) -> dict[int, str]:
    """The import as it was: each row through report_save, then report_submit, each in a
    savepoint so that every refusal is seen; returns the refusals by row."""
    errors: dict[int, str] = {}
    saved = []
    for i, (project, data, version) in enumerate(rows):
        try:
            with transaction.atomic():
                saved.append(
                    (
                        i,
                        report_save(
                            actor=actor, project=project, period=period, data=data, version=version
                        ),
                    )
                )
        except DomainError as exc:
            errors[i] = str(exc.message)
    if submit and not errors:
        for i, report in saved:
            try:
                with transaction.atomic():
                    report_submit(actor=actor, report=report)
            except DomainError as exc:
                errors[i] = str(exc.message)
    return errors


class _Undo(Exception):
    pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=st.lists(case, min_size=1, max_size=4), submit=st.booleans())
def test_the_batch_gives_what_saving_one_by_one_gives(world, cases, submit):
    with transaction.atomic():
        rows = _setup(world, cases)
        actor, period = world.reporter_a, world.period

        def single():
            errors = _one_by_one(actor, period, rows, submit)
            if errors:  # the import writes nothing when any row is refused
                raise _Refused(errors)
            return {}

        def batch():
            try:
                reports_save_many(
                    actor=actor,
                    period=period,
                    rows=[SaveRow(p, d, v) for p, d, v in rows],
                    submit=submit,
                )
            except BatchRefused as exc:
                raise _Refused({i: str(e.message) for i, e in exc.errors.items()}) from None
            return {}

        one, many = _attempt(single), _attempt(batch)
        assert many == one
        transaction.set_rollback(True)


class _Refused(Exception):
    def __init__(self, errors: dict[int, str]) -> None:
        self.errors = errors


def _attempt(fn) -> tuple:
    try:
        with transaction.atomic():
            fn()
            outcome = _outcome()
            raise _Undo
    except _Undo:
        return ("saved", outcome)
    except _Refused as exc:
        return ("refused", exc.errors)


def test_one_bad_row_refuses_the_batch_and_writes_nothing(world):
    rows = _setup(
        world,
        [
            {**_GOOD, "month": "10"},
            {**_GOOD, "month": "-1"},
            {**_GOOD, "stored": "submitted"},
        ],
    )
    before = AuditEntry.objects.count()
    with pytest.raises(BatchRefused) as refused:
        reports_save_many(
            actor=world.reporter_a,
            period=world.period,
            rows=[SaveRow(p, d, v) for p, d, v in rows],
        )
    assert sorted(refused.value.errors) == [1, 2]
    assert "cannot be negative" in str(refused.value.errors[1].message)
    assert "cannot be edited" in str(refused.value.errors[2].message)
    assert not MonthlyReport.objects.filter(period=world.period, status="draft").exists()
    assert AuditEntry.objects.count() == before


def test_a_stale_version_is_a_conflict_and_writes_nothing(world):
    rows = _setup(world, [{**_GOOD, "stored": "draft", "stale": True}, _GOOD])
    with pytest.raises(BatchRefused) as refused:
        reports_save_many(
            actor=world.reporter_a,
            period=world.period,
            rows=[SaveRow(p, d, v) for p, d, v in rows],
        )
    assert list(refused.value.errors) == [0]
    assert "Someone else saved this report" in str(refused.value.errors[0].message)
    assert MonthlyReport.objects.filter(period=world.period).count() == 1


def test_the_audit_chain_verifies_after_a_batch(world):
    rows = _setup(world, [_GOOD, {**_GOOD, "stored": "returned"}, _GOOD])
    reports = reports_save_many(
        actor=world.reporter_a,
        period=world.period,
        rows=[SaveRow(p, d, v) for p, d, v in rows],
        submit=True,
    )
    assert [r.status for r in reports] == [ReportStatus.SUBMITTED] * 3
    checked, broken = audit_verify()
    assert broken is None and checked == AuditEntry.objects.count() == 6
    assert all(e.created_at.utcoffset() == dt.timedelta(0) for e in AuditEntry.objects.all())


_GOOD = {
    "stored": "none",
    "september": True,
    "weights": False,
    "month": "12.30",
    "ytd": None,
    "help": "",
    "coordination": False,
    "reached": "2026-10-08",
    "stale": False,
    "progress": "40",
}


def _write_queries(world, n: int, prefix: str) -> CaptureQueriesContext:
    cases = [
        {**_GOOD, "stored": ("none", "draft")[i % 2], "september": bool(i % 3)} for i in range(n)
    ]
    rows = _setup(world, cases, prefix)
    with CaptureQueriesContext(connection) as ctx:
        reports_save_many(
            actor=world.reporter_a,
            period=world.period,
            rows=[SaveRow(p, d, v) for p, d, v in rows],
            submit=True,
        )
    return ctx


def test_the_query_count_does_not_grow_with_the_rows(world):
    _write_queries(world, 2, "W")  # the roles (read once a request), the chain head
    few = _write_queries(world, 20, "F")
    many = _write_queries(world, 200, "M")

    def reads(ctx):
        return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith("SELECT")]

    assert len(reads(many)) == len(reads(few))
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("month", [1, 3, 10])
def test_earlier_totals_of_many_projects_are_those_of_each(world, month):
    """Across years too: a project's running total since start continues from last year's
    project of the same code when it has no earlier report this year."""
    from luoshi.projects.report_content import earlier_totals, earlier_totals_many

    last_year = ReportingPeriodFactory(year=2025, month=12, deadline=dt.date(2026, 1, 9))
    feb = ReportingPeriodFactory(year=2026, month=2, deadline=dt.date(2026, 3, 9))
    sep = ReportingPeriodFactory(year=2026, month=9, deadline=dt.date(2026, 10, 13))
    period = ReportingPeriod.objects.filter(year=2026, month=month).first() or (
        ReportingPeriodFactory(year=2026, month=month, deadline=dt.date(2026, month, 20))
    )
    projects = []
    for k, history in enumerate([[], [last_year], [feb], [last_year, feb, sep], [sep]]):
        code = f"E{k}"
        old = ProjectFactory(responsible_unit=world.unit_a, code=code, year=2025)
        project = ProjectFactory(responsible_unit=world.unit_a, code=code)
        for p in history:
            MonthlyReport.objects.create(
                project=old if p.year == 2025 else project,
                period=p,
                unit=world.unit_a,
                investment_month=Decimal(k + 1),
                investment_ytd=Decimal(10 * k + p.month),
                investment_since_start=Decimal(1000 * k + p.month),
            )
        projects.append(project)
    many = earlier_totals_many(project_ids=[p.pk for p in projects], period=period)
    for project in projects:
        assert many[project.pk] == earlier_totals(project=project, period=period, exclude_pk=None)
