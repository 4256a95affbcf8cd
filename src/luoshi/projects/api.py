"""API of key projects (read): projects with their plan, milestones and lamp, and the
report history. Every handler reads through ``projects.selectors``, so the API shows
exactly what the pages show: unit roles see their unit's projects, another unit's project
is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from luoshi.core.api import (
    AUTH_RESPONSES,
    INPUT_RESPONSES,
    MAX_ID,
    ErrorOut,
    Id,
    PageParams,
    paginate,
)
from luoshi.core.permissions import Perm, require
from luoshi.core.rawsql import in_order
from luoshi.orgs.models import Leader
from luoshi.projects import selectors
from luoshi.projects.choices import Lamp, MilestoneKind, ReportStatus, Stage
from luoshi.projects.models import Project, ProjectStatus

router = Router(tags=["projects"])


class RefOut(Schema):
    id: int
    code: str
    name: str


class LeaderRef(Schema):
    id: int
    name: str
    title: str


class StatusOut(Schema):
    """The lamp of a project as of one period, with the sentence that explains it."""

    year: int
    month: int
    lamp: Lamp
    reason: str
    planned_ytd: Decimal
    actual_ytd: Decimal
    ratio: Decimal | None

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.period.year

    @staticmethod
    def resolve_reason(obj: Any) -> str:
        return obj.reason_display  # in the request's language

    @staticmethod
    def resolve_month(obj: Any) -> int:
        return obj.period.month


class ProjectOut(Schema):
    id: int
    year: int
    code: str
    name: str
    category: RefOut
    stage: Stage
    stage_label: str
    responsible_unit: RefOut
    leaders: list[LeaderRef]
    total_investment: Decimal
    annual_plan: Decimal
    status: StatusOut | None = Field(
        None, description="The lamp of the period asked for (or the latest one of the year)."
    )

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_leaders(obj: Any) -> list[Any]:
        return list(obj.leaders.all())

    @staticmethod
    def resolve_status(obj: Any) -> Any:
        found = getattr(obj, "period_status", None)
        return found[0] if found else None


class ProjectPage(Schema):
    items: list[ProjectOut]
    count: int
    page: int
    page_size: int


class PlanMonthOut(Schema):
    month: int
    planned: Decimal


class MilestoneOut(Schema):
    id: int
    kind: MilestoneKind
    name: str
    planned_on: dt.date
    weight: int | None
    reached_on: dt.date | None


class ProjectDetailOut(ProjectOut):
    content: str
    location: str
    start_year: int
    end_year: int
    cooperating_units: list[RefOut]
    plan: list[PlanMonthOut]
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_cooperating_units(obj: Any) -> list[Any]:
        return list(obj.cooperating_units.all())

    @staticmethod
    def resolve_plan(obj: Any) -> list[Any]:
        return list(obj.monthly_plans.all())

    @staticmethod
    def resolve_milestones(obj: Any) -> list[Any]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_status(obj: Any) -> Any:
        return getattr(obj, "latest_status", None)


class ReportOut(Schema):
    id: int
    year: int
    month: int
    status: ReportStatus
    status_label: str
    is_late: bool
    investment_month: Decimal
    investment_ytd: Decimal
    investment_since_start: Decimal
    physical_progress: int | None
    progress_text: str
    problems: str
    help_needed: str
    photo_count: int

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.period.year

    @staticmethod
    def resolve_month(obj: Any) -> int:
        return obj.period.month

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_photo_count(obj: Any) -> int:
        return len(obj.photos.all())


class ReportPage(Schema):
    items: list[ReportOut]
    count: int
    page: int
    page_size: int


class ProjectFilters(PageParams):
    year: int | None = Field(
        None, ge=2000, le=2100, description="Year of the list; default: this year or the latest."
    )
    q: str = Field("", max_length=100, description="Part of the name or code, or pinyin initials.")
    category: int | None = Field(None, ge=1, le=MAX_ID, description="Id of a category.")
    stage: Stage | None = Field(None, description="Stage of the project.")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="Id of the responsible unit.")
    leader: int | None = Field(None, ge=1, le=MAX_ID, description="Id of a responsible leader.")
    lamp: Lamp | None = Field(None, description="Lamp in the period (see month).")
    month: int | None = Field(
        None, ge=1, le=12, description="Period whose lamps count; default: the latest with lamps."
    )


@router.get(
    "/projects",
    response={200: ProjectPage, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="Key projects the caller may see",
)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> dict[str, Any]:
    """Key projects of one year in the office's order, with the lamp of a period.
    County-wide roles see every project; a unit's reporter and head see the projects their
    unit is responsible for."""
    user = request.auth
    require(user, Perm.VIEW_PROJECTS)
    year = filters.year or selectors.default_year(selectors.project_years(user=user))
    period = selectors.status_period(year=year, month=filters.month)
    count, ids = selectors.project_ids(
        user=user,
        period=period,
        offset=(filters.page - 1) * filters.page_size,
        limit=filters.page_size,
        year=year,
        q=filters.q,
        category_id=filters.category,
        stage=filters.stage or "",
        unit_id=filters.unit,
        leader_id=filters.leader,
        lamp=filters.lamp or "",
    )
    # The page's ids come from the scoped list in its order; read those projects whole.
    projects = (
        Project.objects.filter(pk__in=ids)
        .select_related("category", "responsible_unit")
        .prefetch_related(
            Prefetch("leaders", queryset=Leader.objects.order_by("precedence", "id")),
            Prefetch(
                "statuses",
                queryset=ProjectStatus.objects.filter(period=period).select_related("period"),
                to_attr="period_status",
            ),
        )
    )
    return {
        "items": in_order(list(projects) if ids else [], ids, key=attrgetter("pk")),
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


def _project_or_404(request: HttpRequest, project_id: int) -> Project:
    require(request.auth, Perm.VIEW_PROJECTS)
    project = selectors.project_get(user=request.auth, pk=project_id)
    if project is None:
        raise Http404
    return project


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, 404: ErrorOut, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="One key project",
)
def project_detail(request: HttpRequest, project_id: Path[Id]) -> Any:
    """One project with its monthly plan, milestones and latest lamp; 404 when it does not
    exist or the caller may not see it."""
    project = _project_or_404(request, project_id)
    project.latest_status = selectors.project_latest_status(project=project)
    return project


class ReportFilters(PageParams):
    pass


@router.get(
    "/projects/{project_id}/reports",
    response={200: ReportPage, 404: ErrorOut, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="Monthly reports of one project",
)
def project_reports(
    request: HttpRequest, project_id: Path[Id], filters: Query[ReportFilters]
) -> dict[str, Any]:
    """The project's submitted reports, newest period first (drafts stay with the unit)."""
    project = _project_or_404(request, project_id)
    reports = selectors.project_reports(user=request.auth, project=project)
    return paginate(reports, page=filters.page, page_size=filters.page_size)
