"""API of monthly reports and their workflow: the same rules as the pages, through the same
selectors and services. Another unit's report answers 404, like a report that does not
exist; a stale ``version`` on update answers 409 with when the other save happened."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from luoshi.core.api import AUTH_RESPONSES, INPUT_RESPONSES, MAX_ID, ErrorOut, Id, PageParams
from luoshi.core.api import paginate as paginate_qs
from luoshi.core.permissions import Perm, has_perm, require
from luoshi.projects import selectors_reports as selectors
from luoshi.projects import services_reports as services
from luoshi.projects.choices import ReportStatus

router = Router(tags=["reports"])

# 万元 with at most two decimals, sent as a string ("120.50") so that no float rounding
# touches it; a JSON number is accepted as well.
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$",
            "examples": ["120.50"],
            "description": "10k yuan (万元), at most two decimals.",
        }
    ),
]
Text = Annotated[str, Field(max_length=4000)]
WRITE_RESPONSES: dict[int, Any] = {
    400: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    **AUTH_RESPONSES,
    **INPUT_RESPONSES,
}


class Ref(Schema):
    id: int
    code: str
    name: str


class MilestoneReached(Schema):
    milestone: Id
    reached_on: datetime.date


class ReportOut(Schema):
    id: int
    project: Ref
    unit: Ref
    year: int
    month: int
    status: ReportStatus
    investment_month: Decimal
    investment_ytd: Decimal
    investment_since_start: Decimal
    physical_progress: int | None
    progress_text: str
    problems: str
    help_needed: str
    needs_coordination: bool
    return_reason: str
    version: int
    is_late: bool
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    milestones: list[MilestoneReached]

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.period.year

    @staticmethod
    def resolve_month(obj: Any) -> int:
        return obj.period.month

    @staticmethod
    def resolve_milestones(obj: Any) -> list[dict[str, Any]]:
        return [
            {"milestone": rm.milestone_id, "reached_on": rm.reached_on}
            for rm in obj.milestones_reached.all()
        ]


class ReportPage(Schema):
    items: list[ReportOut]
    count: int
    page: int
    page_size: int


class ReportFilters(PageParams):
    year: int | None = Field(None, ge=2000, le=2100, description="Year of the period.")
    month: int | None = Field(None, ge=1, le=12, description="Month of the period.")
    status: ReportStatus | None = Field(None, description="Workflow state.")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="Id of the filing unit.")


class ReportIn(Schema):
    investment_month: Money
    investment_since_start: Money | None = Field(
        None, description="Only for a project's first report; later ones add up."
    )
    physical_progress: int | None = Field(None, ge=0, le=100)
    progress_text: Text = ""
    problems: Text = ""
    help_needed: Text = ""
    needs_coordination: bool = False
    milestones: list[MilestoneReached] = Field(default_factory=list, max_length=100)


class ReportCreateIn(ReportIn):
    project: Id
    year: int = Field(..., ge=2000, le=2100)
    month: int = Field(..., ge=1, le=12)


class ReportUpdateIn(ReportIn):
    version: int = Field(..., ge=1, le=2**31 - 1, description="The version you read.")


class ReasonIn(Schema):
    reason: Text


def _data(payload: ReportIn) -> dict[str, Any]:
    data = payload.dict(exclude={"project", "year", "month", "version", "milestones"})
    data["milestones"] = {m.milestone: m.reached_on for m in payload.milestones}
    return data


def _report(request: HttpRequest, report_id: int) -> Any:
    report = selectors.report_get(user=request.auth, pk=report_id)
    if report is None:
        raise Http404
    return report


def _fresh(request: HttpRequest, report_id: int) -> Any:
    return (
        selectors.report_list(user=request.auth)
        .prefetch_related("milestones_reached")
        .get(pk=report_id)
    )


@router.get(
    "/reports",
    response={200: ReportPage, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="Monthly reports the caller may see",
)
def report_list(request: HttpRequest, filters: Query[ReportFilters]) -> dict[str, Any]:
    """Reports newest period first. A unit's reporter and head see their own unit's
    reports; the office and leaders see every unit's."""
    require(request.auth, Perm.VIEW_PROJECTS)
    qs = selectors.report_list(
        user=request.auth, status=filters.status or "", unit_id=filters.unit
    ).prefetch_related("milestones_reached")
    if filters.year:
        qs = qs.filter(period__year=filters.year)
    if filters.month:
        qs = qs.filter(period__month=filters.month)
    return paginate_qs(qs, page=filters.page, page_size=filters.page_size)


@router.get(
    "/reports/{report_id}",
    response={200: ReportOut, 404: ErrorOut, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="One monthly report",
)
def report_detail(request: HttpRequest, report_id: Path[Id]) -> Any:
    """404 when it does not exist or belongs to a unit the caller may not see."""
    require(request.auth, Perm.VIEW_PROJECTS)
    _report(request, report_id)
    return _fresh(request, report_id)


@router.post(
    "/reports",
    response={201: ReportOut, **WRITE_RESPONSES},
    summary="Start a monthly report (draft)",
)
def report_create(request: HttpRequest, payload: ReportCreateIn) -> Any:
    """A draft of the open period for a project of the caller's unit (unit reporters)."""
    require(request.auth, Perm.FILL_REPORTS)
    project = selectors.reportable_project(user=request.auth, pk=payload.project)
    if project is None:
        raise Http404
    period = services.reporting_period(year=payload.year, month=payload.month)
    report = services.report_save(
        actor=request.auth, project=project, period=period, data=_data(payload), version=0
    )
    return Status(201, _fresh(request, report.pk))


@router.put(
    "/reports/{report_id}",
    response={200: ReportOut, **WRITE_RESPONSES},
    summary="Update a draft or returned report",
)
def report_update(request: HttpRequest, report_id: Path[Id], payload: ReportUpdateIn) -> Any:
    """Send the ``version`` you read; if someone saved since, 409 and nothing changes."""
    require(request.auth, Perm.FILL_REPORTS)
    report = _report(request, report_id)
    services.report_save(
        actor=request.auth,
        project=report.project,
        period=report.period,
        data=_data(payload),
        version=payload.version,
    )
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/submit",
    response={200: ReportOut, **WRITE_RESPONSES},
    summary="Submit a report to the unit head",
)
def report_submit(request: HttpRequest, report_id: Path[Id]) -> Any:
    require(request.auth, Perm.FILL_REPORTS)
    services.report_submit(actor=request.auth, report=_report(request, report_id))
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/approve",
    response={200: ReportOut, **WRITE_RESPONSES},
    summary="Approve a submitted report (unit head)",
)
def report_approve(request: HttpRequest, report_id: Path[Id]) -> Any:
    require(request.auth, Perm.APPROVE_REPORTS)
    services.report_approve(actor=request.auth, report=_report(request, report_id))
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/return",
    response={200: ReportOut, **WRITE_RESPONSES},
    summary="Return a report with a reason (unit head or office)",
)
def report_return(request: HttpRequest, report_id: Path[Id], payload: ReasonIn) -> Any:
    """The unit head returns a submitted report; the office an approved one."""
    user = request.auth
    office = has_perm(user, Perm.ACCEPT_REPORTS)
    if not office:
        require(user, Perm.APPROVE_REPORTS)
    report = _report(request, report_id)
    if office:
        services.report_return_by_office(actor=user, report=report, reason=payload.reason)
    else:
        services.report_return_by_head(actor=user, report=report, reason=payload.reason)
    return _fresh(request, report_id)


@router.post(
    "/reports/{report_id}/accept",
    response={200: ReportOut, **WRITE_RESPONSES},
    summary="Accept an approved report (supervision office)",
)
def report_accept(request: HttpRequest, report_id: Path[Id]) -> Any:
    require(request.auth, Perm.ACCEPT_REPORTS)
    services.report_accept(actor=request.auth, report=_report(request, report_id))
    return _fresh(request, report_id)
