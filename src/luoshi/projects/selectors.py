"""Reads of key projects: every function takes the user and returns only what that user
may see (through ``core.permissions``).

Scope: a project belongs to its **responsible unit** (责任单位). County-wide roles (the
office, leaders) see every project; a unit's reporter and head see the projects their unit
is responsible for, and nothing else. Cooperating units (配合单位) do not read a project
through this: DOMAIN says a reporter sees only their unit's projects, and the cooperating
unit has nothing to report on it; a coordination request reaches them as a supervision item.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.core.paginator import Page
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from luoshi.core.clock import now
from luoshi.core.paging import page_of
from luoshi.core.permissions import Perm, has_perm, unit_scope
from luoshi.core.rawsql import converters, fetch, in_order, instance, marks
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.choices import Lamp, ReportStatus, Stage
from luoshi.projects.models import (
    Category,
    CategoryCount,
    LampCount,
    Milestone,
    MonthlyPlan,
    MonthlyReport,
    Project,
    ProjectStatus,
    ReportingPeriod,
    ReportPhoto,
)
from luoshi.projects.rules import reason_text

_INITIALS = re.compile(r"^[a-z]+$")


def _scoped(user: Any) -> QuerySet[Project]:
    if not has_perm(user, Perm.VIEW_PROJECTS):
        return Project.objects.none()
    return unit_scope(user).filter(Project.objects.all(), field="responsible_unit")


def _search(qs: QuerySet[Project], q: str) -> QuerySet[Project]:
    """Name or code containing ``q``; letters only also match the pinyin initials of the
    name ("gyy" finds 工业园…)."""
    q = (q or "").replace("\x00", "").strip()
    if not q:
        return qs
    cond = Q(name__icontains=q) | Q(code__icontains=q)
    if _INITIALS.match(q.lower()):
        cond |= Q(pinyin_initials__contains=q.lower())
    return qs.filter(cond)


def project_list(
    *,
    user: Any,
    year: int | None = None,
    q: str = "",
    category_id: int | None = None,
    stage: str = "",
    unit_id: int | None = None,
    unit_q: str = "",
    leader_id: int | None = None,
    lamp: str = "",
    period: ReportingPeriod | None = None,
) -> QuerySet[Project]:
    """Projects the user may see, filtered, in the office's order (category, code).
    ``lamp`` filters on the lamp stored for ``period`` (no period: no project matches)."""
    qs = _scoped(user)
    if year:
        qs = qs.filter(year=year)
    qs = _search(qs, q)
    if category_id:
        qs = qs.filter(category_id=category_id)
    if stage:
        qs = qs.filter(stage=stage)
    if unit_id:
        qs = qs.filter(responsible_unit_id=unit_id)
    unit_q = (unit_q or "").replace("\x00", "").strip()
    if unit_q:
        qs = qs.filter(
            Q(responsible_unit__name__icontains=unit_q)
            | Q(responsible_unit__short_name__icontains=unit_q)
            | Q(responsible_unit__code__iexact=unit_q)
        )
    if leader_id:
        qs = qs.filter(
            Exists(
                Project.leaders.through.objects.filter(
                    project_id=OuterRef("pk"), leader_id=leader_id
                )
            )
        )
    if lamp:
        if period is None:
            return qs.none()
        qs = qs.filter(
            Exists(
                ProjectStatus.objects.filter(project_id=OuterRef("pk"), period=period, lamp=lamp)
            )
        )
    return qs.order_by("category__order", "category_id", "code", "pk")


def project_get(*, user: Any, pk: int) -> Project | None:
    """One project with everything its page shows, or None when it does not exist or the
    user may not see it (callers answer 404). A fixed number of queries."""
    return (
        _scoped(user)
        .filter(pk=pk)
        .select_related("category", "responsible_unit")
        .prefetch_related(
            Prefetch(
                "cooperating_units", queryset=Unit.objects.only("id", "code", "name", "short_name")
            ),
            Prefetch("leaders", queryset=Leader.objects.order_by("precedence", "id")),
            Prefetch("monthly_plans", queryset=MonthlyPlan.objects.order_by("month")),
            Prefetch(
                "milestones", queryset=Milestone.objects.order_by("order", "planned_on", "id")
            ),
        )
        .first()
    )


# ---------------------------------------------------------------------------------------
# The list page and API: years, periods, choices, rows


def project_years(*, user: Any) -> list[int]:
    """Years that have projects the user may see, newest first (for a county-wide reader
    in plain SQL: every view of the list asks)."""
    if has_perm(user, Perm.VIEW_PROJECTS) and unit_scope(user).all_units:
        rows = fetch(f"SELECT DISTINCT year FROM {Project._meta.db_table} ORDER BY year DESC")
        return [year for (year,) in rows]
    return list(_scoped(user).order_by("-year").values_list("year", flat=True).distinct())


def default_year(years: list[int]) -> int | None:
    """This year when it has projects, else the newest year that has."""
    if not years:
        return None
    current = now().year
    return current if current in years else years[0]


def status_period(*, year: int | None, month: int | None = None) -> ReportingPeriod | None:
    """The period whose lamps a list shows (``list_period``'s choice)."""
    return list_period(year=year, month=month)[0]


PERIOD_COLUMNS = ("id", "year", "month", "deadline", "locked_at", "locked_by_id")


def list_period(
    *, year: int | None, month: int | None = None
) -> tuple[ReportingPeriod | None, list[int]]:
    """The period whose lamps the list shows, and the months of ``year`` that have a
    period, from one query. The period is ``month`` of ``year`` when asked; else the latest
    with lamps computed whose deadline has passed (while a month is still being reported,
    its lamps count only the reports accepted so far and read worse than they are), else
    the latest with lamps."""
    if not year:
        return None, []
    # Plain SQL (``core.rawsql``): the ORM's Exists annotation cost half a millisecond
    # to build, on every view of the list.
    rows = fetch(
        "SELECT p.id, p.year, p.month, p.deadline, p.locked_at, p.locked_by_id, "
        f"EXISTS (SELECT 1 FROM {ProjectStatus._meta.db_table} s WHERE s.period_id = p.id) "
        f"FROM {ReportingPeriod._meta.db_table} p WHERE p.year = %s ORDER BY p.month",
        [year],
    )
    periods = []
    for *values, has_lamps in rows:
        period = instance(ReportingPeriod, dict(zip(PERIOD_COLUMNS, values, strict=True)))
        period.has_lamps = bool(has_lamps)
        periods.append(period)
    months = [p.month for p in periods]
    if month:
        return next((p for p in periods if p.month == month), None), months
    with_lamps = [p for p in periods if p.has_lamps]
    closed = [p for p in with_lamps if p.deadline < timezone.localdate(now())]
    chosen = closed or with_lamps
    return (chosen[-1] if chosen else None), months


def category_choices() -> QuerySet[Category]:
    return Category.objects.all()


def category_pairs() -> list[tuple[int, str]]:
    """(id, name) of the categories in the office's order (plain SQL: the list reads them
    on every view)."""
    return fetch(f'SELECT id, name FROM {Category._meta.db_table} ORDER BY "order", code, id')


def leader_pairs(*, user: Any, year: int | None) -> list[tuple[int, str]]:
    """(id, name) of the leaders responsible for projects of ``year`` that the user may
    see, by precedence."""
    if unit_scope(user).all_units and has_perm(user, Perm.VIEW_PROJECTS):
        # County-wide readers choose among all active leaders: finding those with projects
        # in the year meant scanning every project-leader link of a province. Plain SQL:
        # read on every view of the list.
        return fetch(
            f"SELECT id, name FROM {Leader._meta.db_table} "
            "WHERE is_active = %s ORDER BY precedence, id",
            [True],
        )
    projects = _scoped(user)
    if year:
        projects = projects.filter(year=year)
    links = Project.leaders.through.objects.filter(
        leader_id=OuterRef("pk"), project__in=projects.values("pk")
    )
    return list(
        Leader.objects.filter(Exists(links)).order_by("precedence", "id").values_list("id", "name")
    )


PROJECT_ROW_FIELDS = (
    "pk",
    "year",
    "code",
    "name",
    "category__name",
    "stage",
    "responsible_unit_id",
    "responsible_unit__name",
    "responsible_unit__short_name",
    "annual_plan",
)


def _whole_year(user: Any, filters: dict[str, Any]) -> bool:
    """True when the filters ask for a whole year's list of a reader who sees every unit:
    its figures are then those the database keeps counted (``CategoryCount``,
    ``LampCount``), no need to count the year's projects."""
    return (
        bool(filters.get("year"))
        and not any(v for k, v in filters.items() if k != "year")
        and has_perm(user, Perm.VIEW_PROJECTS)
        and unit_scope(user).all_units
    )


def project_rows_page(
    *, user: Any, page: Any, per_page: int, period: ReportingPeriod | None, **filters: Any
) -> Page:
    """One page of the project list as plain rows, with the leaders' names and the lamp,
    year-to-date actual and ratio of ``period``; ``page.lamp_counts`` holds what
    ``lamp_counts`` would answer for the same filters.

    The office's order is by category, then code. Sorting a whole province's year (20,000
    projects, joined to their categories) on every page view cost tens of milliseconds, so
    the page is cut per category through the (year, category, code, …) index
    (``_indexed_page``), with the per-category counts that the database keeps for a whole
    year; under a text search that no index serves, from one scan of that index for the
    matches' sort keys and lamps (``_searched_page``). Queries: a handful for the page, its
    statuses and its leaders — none of them grows with the data.
    """
    base = project_list(user=user, period=period, **filters).order_by()
    year = filters.get("year") if _whole_year(user, filters) else None
    if filters.get("q") or filters.get("unit_q"):
        page_obj = _searched_page(base, page=page, per_page=per_page, period=period)
    else:
        page_obj = _indexed_page(base, page=page, per_page=per_page, period=period, year=year)
        page_obj.lamp_counts = _lamp_counts(
            base, period=period, total=page_obj.paginator.count, year=year
        )
    leaders = _leader_names_of([row["pk"] for row in page_obj.object_list])
    stages = {value: str(label) for value, label in Stage.choices}  # translated once
    for row in page_obj.object_list:
        row["stage_label"] = stages.get(row["stage"], row["stage"])
        row["leaders"] = leaders.get(row["pk"], [])
        row["lamp"] = row["lamp"] or ""
        row["reason"] = reason_text(row["reason"] or "", row["reason_data"])
    return page_obj


def _rows_of(ids: list[int], period: ReportingPeriod | None) -> list[dict[str, Any]]:
    """The list's rows (``PROJECT_ROW_FIELDS`` with the lamp, reason, actual year to date
    and ratio of ``period``) of the projects ``ids``, in that order: one plain-SQL query
    (``core.rawsql``) through the (project, period) key. Built by the ORM, with its
    filtered relation and joins, the query cost four times what running it did."""
    if not ids:
        return []
    status = ProjectStatus._meta.db_table
    rows = fetch(
        "SELECT p.id, p.year, p.code, p.name, c.name, p.stage, p.responsible_unit_id, "
        "u.name, u.short_name, p.annual_plan, s.lamp, s.reason, s.reason_data, "
        f"s.actual_ytd, s.ratio FROM {Project._meta.db_table} p "
        f"JOIN {Category._meta.db_table} c ON c.id = p.category_id "
        f"LEFT JOIN {Unit._meta.db_table} u ON u.id = p.responsible_unit_id "
        f"LEFT JOIN {status} s ON s.project_id = p.id AND s.period_id = %s "
        f"WHERE p.id IN ({marks(len(ids))})",
        [period.pk if period else None, *ids],
    )
    (plan,) = converters(Project, "annual_plan")
    as_data, as_actual, as_ratio = converters(ProjectStatus, "reason_data", "actual_ytd", "ratio")
    found = []
    for *values, lamp, reason, data, actual, ratio in rows:
        row = dict(zip(PROJECT_ROW_FIELDS, values, strict=True))
        row.update(
            annual_plan=plan(row["annual_plan"]),
            lamp=lamp or "",
            reason=reason or "",
            reason_data=as_data(data),
            actual_ytd=as_actual(actual),
            ratio=as_ratio(ratio),
        )
        found.append(row)
    return in_order(found, ids, key=itemgetter("pk"))


def _category_counts(base: QuerySet[Project], year: int | None) -> dict[int, int]:
    """Projects per category, in the office's category order: kept counted for a whole
    ``year`` (``CategoryCount``), else one grouped count of ``base``."""
    if year:
        return dict(
            fetch(
                f"SELECT k.category_id, k.n FROM {CategoryCount._meta.db_table} k "
                f"JOIN {Category._meta.db_table} c ON c.id = k.category_id "
                f'WHERE k.year = %s AND k.n > 0 ORDER BY c."order", c.code',
                [year],
            )
        )
    counted = dict(base.values_list("category_id").annotate(n=Count("pk")))
    return {c: counted[c] for c, _name in category_pairs() if counted.get(c)}


def _slice_ids(
    base: QuerySet[Project],
    per_category: dict[int, int],
    *,
    offset: int,
    limit: int,
    year: int | None,
) -> list[int]:
    """The ids of the list from ``offset``, at most ``limit``: the slice of each category
    the range spans, in code order through the (year, category, code) index, all slices in
    one statement (a UNION ALL of the sliced parts, each a subquery as both databases
    accept), so a page that spans three categories costs what one that spans one does."""
    parts: list[str] = []
    params: list[Any] = []
    position = 0
    taken = 0
    for category_id, n in per_category.items():
        if position + n <= offset:
            position += n
            continue
        start = max(0, offset - position)
        take = min(n - start, limit - taken)
        if year:
            # A whole year of a county-wide reader (the list as it opens): no scope or
            # filter to apply, the index alone.
            sql = (
                f"SELECT id, code FROM {Project._meta.db_table} "
                "WHERE year = %s AND category_id = %s ORDER BY code, id LIMIT %s OFFSET %s"
            )
            part_params: tuple[Any, ...] = (year, category_id, take, start)
        else:
            in_category = base.filter(category_id=category_id).order_by("code", "pk")
            sql, part_params = in_category.values_list("pk", "code")[
                start : start + take
            ].query.sql_with_params()
        i = len(parts)
        parts.append(f"SELECT {i} AS part, s{i}.* FROM ({sql}) s{i}")
        params.extend(part_params)
        position += n
        taken += take
        if taken >= limit:
            break
    if not parts:
        return []
    rows = fetch(f"SELECT * FROM ({' UNION ALL '.join(parts)}) u ORDER BY 1, 3, 2", params)
    return [row[1] for row in rows]


def _searched_keys(base: QuerySet[Project], period: ReportingPeriod | None) -> list[tuple]:
    """(id, category, code[, lamp in ``period``]) of every match, in the list's order:
    one scan of the list index (a text search, LIKE '%…%', no index serves)."""
    rank = {pk: i for i, (pk, _name) in enumerate(category_pairs())}
    if period is not None:
        scan = base.annotate(
            s=FilteredRelation("statuses", condition=Q(statuses__period=period))
        ).values_list("pk", "category_id", "code", "s__lamp")
    else:
        scan = base.values_list("pk", "category_id", "code")
    return sorted(scan, key=lambda k: (rank.get(k[1], 0), k[2], k[0]))


def project_ids(
    *, user: Any, period: ReportingPeriod | None, offset: int, limit: int, **filters: Any
) -> tuple[int, list[int]]:
    """How many projects match the filters, and the ids from ``offset`` (at most
    ``limit``) in the list's order, as ``project_rows_page`` cuts them (the API's list):
    ordering a province's year by category for every call cost tens of milliseconds."""
    base = project_list(user=user, period=period, **filters).order_by()
    if filters.get("q") or filters.get("unit_q"):
        keys = _searched_keys(base, period)
        return len(keys), [k[0] for k in keys[offset : offset + limit]]
    year = filters.get("year") if _whole_year(user, filters) else None
    per_category = _category_counts(base, year)
    count = sum(per_category.values())
    if offset >= count:
        return count, []
    return count, _slice_ids(base, per_category, offset=offset, limit=limit, year=year)


def _indexed_page(
    base: QuerySet[Project],
    *,
    page: Any,
    per_page: int,
    period: ReportingPeriod | None,
    year: int | None = None,
) -> Page:
    """Without a text search: the number of projects per category, then the slice of
    each category the page spans (``_slice_ids``)."""
    per_category = _category_counts(base, year)

    def rows_for(offset: int, limit: int) -> list[dict]:
        ids = _slice_ids(base, per_category, offset=offset, limit=limit, year=year)
        return _rows_of(ids, period)

    return page_of(rows_for, count=sum(per_category.values()), number=page, per_page=per_page)


def _searched_page(
    base: QuerySet[Project], *, page: Any, per_page: int, period: ReportingPeriod | None
) -> Page:
    """With a text search no index helps (LIKE '%…%'): scan the list index once for the
    matches' sort keys and their lamps in ``period``, order them in Python, then read the
    page's rows by id — the lamp counts come from the same scan."""
    keys = _searched_keys(base, period)

    def rows_for(offset: int, limit: int) -> list[dict]:
        return _rows_of([k[0] for k in keys[offset : offset + limit]], period)

    page_obj = page_of(rows_for, count=len(keys), number=page, per_page=per_page)
    counts = {lamp: 0 for lamp in Lamp.values}
    if period is not None:
        for key in keys:
            if key[3]:
                counts[key[3]] = counts.get(key[3], 0) + 1
    counts["none"] = max(len(keys) - sum(counts.values()), 0)
    page_obj.lamp_counts = counts
    return page_obj


def _leader_names_of(ids: list[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    names: dict[int, list[str]] = defaultdict(list)
    links = fetch(
        f"SELECT pl.project_id, l.name FROM {Project.leaders.through._meta.db_table} pl "
        f"JOIN {Leader._meta.db_table} l ON l.id = pl.leader_id "
        f"WHERE pl.project_id IN ({marks(len(ids))}) ORDER BY l.precedence, l.id",
        ids,
    )
    for project_id, name in links:
        names[project_id].append(name)
    return names


def lamp_counts(
    *, user: Any, period: ReportingPeriod | None, total: int, **filters: Any
) -> dict[str, int]:
    """How many of the filtered projects have each lamp in ``period`` (one query), plus
    ``none``: those without a lamp for it (``total`` is the filtered count).
    ``project_rows_page`` answers the same as its page's ``lamp_counts``."""
    base = project_list(user=user, period=period, **filters).order_by()
    year = filters.get("year") if _whole_year(user, filters) else None
    return _lamp_counts(base, period=period, total=total, year=year)


def _lamp_counts(
    base: QuerySet[Project], *, period: ReportingPeriod | None, total: int, year: int | None
) -> dict[str, int]:
    """``year``: the filters ask for that whole year (see ``_whole_year``)."""
    counts = {lamp: 0 for lamp in Lamp.values}
    if period is not None and total:
        if year is not None and year == period.year:
            # A period's lamps are those of its year's projects, all of which the user
            # sees: kept counted by the database.
            grouped = fetch(
                f"SELECT lamp, n FROM {LampCount._meta.db_table} WHERE period_id = %s AND n > 0",
                [period.pk],
            )
        else:
            # From the projects' side: the filters narrow the projects, and each one finds
            # its status of the period through the (project, period) key.
            grouped = (
                base.annotate(s=FilteredRelation("statuses", condition=Q(statuses__period=period)))
                .filter(s__lamp__isnull=False)
                .values_list("s__lamp")
                .annotate(n=Count("pk"))
            )
        for lamp, n in grouped:
            counts[lamp] = n
    counts["none"] = max(total - sum(counts.values()), 0)
    return counts


# ---------------------------------------------------------------------------------------
# The project page: latest status, report history, the plan-vs-actual chart


@dataclass(frozen=True)
class ProjectPage:
    """What a project's page shows, read as plain rows where the page needs only values."""

    project: Project
    cooperating_units: list[dict[str, Any]]  # name, short_name
    leaders: list[dict[str, Any]]  # name, title
    plan: dict[int, Decimal]  # planned 万元 by month
    milestones: list[Milestone]
    reports: list[dict[str, Any]]  # submitted ones, newest period first (``_history_rows``)
    status: ProjectStatus | None


def project_page(*, user: Any, pk: int) -> ProjectPage | None:
    """A project's page, or None when it does not exist or the user may not see it. Six
    queries whatever the project, five of them plain SQL (``core.rawsql``: the ORM cost
    more to build each than the database to answer it); the scope is checked once, on the
    project."""
    project = _scoped(user).filter(pk=pk).select_related("category", "responsible_unit").first()
    if project is None:
        return None
    coop = Project.cooperating_units.through._meta.db_table
    links = Project.leaders.through._meta.db_table
    people = fetch(
        'SELECT 0, u.name, u.short_name, u."order", u.code, u.id '
        f"FROM {Unit._meta.db_table} u JOIN {coop} c ON c.unit_id = u.id "
        "WHERE c.project_id = %s "
        "UNION ALL "
        "SELECT 1, l.name, l.title, l.precedence, '', l.id "
        f"FROM {Leader._meta.db_table} l JOIN {links} pl ON pl.leader_id = l.id "
        "WHERE pl.project_id = %s "
        "ORDER BY 1, 4, 5, 6",
        [project.pk, project.pk],
    )
    (planned,) = converters(MonthlyPlan, "planned")
    plan = fetch(
        f"SELECT month, planned FROM {MonthlyPlan._meta.db_table} WHERE project_id = %s",
        [project.pk],
    )
    return ProjectPage(
        project=project,
        cooperating_units=[
            {"name": name, "short_name": extra} for kind, name, extra, *_ in people if kind == 0
        ],
        leaders=[{"name": name, "title": extra} for kind, name, extra, *_ in people if kind == 1],
        plan={month: planned(value) for month, value in plan},
        milestones=list(
            Milestone.objects.filter(project=project).order_by("order", "planned_on", "id")
        ),
        reports=_history_rows(project),
        status=project_latest_status(project=project),
    )


HISTORY_FIELDS = (
    "pk",
    "status",
    "is_late",
    "investment_month",
    "investment_ytd",
    "physical_progress",
    "progress_text",
    "problems",
    "help_needed",
    "period__year",
    "period__month",
)


def _history_rows(project: Project) -> list[dict[str, Any]]:
    """The report history as plain rows, each with ``photos`` (pk, caption): two plain-SQL
    queries, one when there is no report."""
    names = HISTORY_FIELDS[1:-2]  # the report's own columns, between its id and the period
    report = MonthlyReport._meta
    columns = ", ".join(f"r.{report.get_field(n).column}" for n in names)
    found = fetch(
        f"SELECT r.id, {columns}, p.year, p.month FROM {report.db_table} r "
        f"JOIN {ReportingPeriod._meta.db_table} p ON p.id = r.period_id "
        "WHERE r.project_id = %s AND r.status <> %s ORDER BY p.year DESC, p.month DESC",
        [project.pk, ReportStatus.DRAFT],
    )
    convert = [lambda v: v, *converters(MonthlyReport, *names), lambda v: v, lambda v: v]
    rows = [
        {k: c(v) for k, c, v in zip(HISTORY_FIELDS, convert, values, strict=True)}
        for values in found
    ]
    photos: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if rows:
        ids = [r["pk"] for r in rows]
        for pk, report_id, caption in fetch(
            f"SELECT id, report_id, caption FROM {ReportPhoto._meta.db_table} "
            f"WHERE report_id IN ({marks(len(ids))}) "
            "ORDER BY report_id, uploaded_at, id",
            ids,
        ):
            photos[report_id].append({"pk": pk, "report_id": report_id, "caption": caption})
    for row in rows:
        row["photos"] = photos.get(row["pk"], [])
    return rows


def _history(project: Project) -> QuerySet[MonthlyReport]:
    return (
        MonthlyReport.objects.filter(project=project)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("period")
        .prefetch_related("photos")
        .order_by("-period__year", "-period__month")
    )


def project_latest_status(*, project: Project) -> ProjectStatus | None:
    """The lamp of the latest period that has one for this project, with its period's
    year and month (plain SQL: every project page reads it)."""
    fields = [f for f in ProjectStatus._meta.concrete_fields]
    columns = ", ".join(f"s.{f.column}" for f in fields)
    found = fetch(
        f"SELECT {columns}, p.year, p.month FROM {ProjectStatus._meta.db_table} s "
        f"JOIN {ReportingPeriod._meta.db_table} p ON p.id = s.period_id "
        "WHERE s.project_id = %s ORDER BY p.year DESC, p.month DESC LIMIT 1",
        [project.pk],
    )
    if not found:
        return None
    *values, year, month = found[0]
    status = instance(ProjectStatus, dict(zip([f.attname for f in fields], values, strict=True)))
    status.period = instance(
        ReportingPeriod, {"id": status.period_id, "year": year, "month": month}
    )
    return status


def project_reports(*, user: Any, project: Project) -> QuerySet[MonthlyReport]:
    """The project's reports, newest period first, with their photos. Drafts stay on the
    reporting page: the history shows what the unit has submitted."""
    if not _scoped(user).filter(pk=project.pk).exists():
        return MonthlyReport.objects.none()
    return _history(project)


@dataclass(frozen=True)
class ChartData:
    months: list[int]
    planned: list[str]  # cumulative 万元, as strings so no float is ever involved
    actual: list[str | None]  # year to date from accepted reports; None where not reported


def project_chart(
    *,
    project: Project,
    reports: list[MonthlyReport] | list[dict[str, Any]],
    plan: dict[int, Decimal] | None = None,
) -> ChartData:
    """Cumulative planned investment by month (the plan curve) against the year-to-date
    actual of the accepted reports (model instances, or rows of ``project_page``).
    ``plan``: planned by month, when already read."""
    if plan is None:
        plan = {p.month: p.planned for p in project.monthly_plans.all()}
    planned_by_month = plan
    running = Decimal("0")
    planned: list[str] = []
    for month in range(1, 13):
        running += planned_by_month.get(month, Decimal("0"))
        planned.append(str(running))
    rows = [
        r
        if isinstance(r, dict)
        else {
            "status": r.status,
            "period__year": r.period.year,
            "period__month": r.period.month,
            "investment_ytd": r.investment_ytd,
        }
        for r in reports
    ]
    actual_by_month = {
        r["period__month"]: r["investment_ytd"]
        for r in rows
        if r["status"] == ReportStatus.ACCEPTED and r["period__year"] == project.year
    }
    actual = [str(actual_by_month[m]) if m in actual_by_month else None for m in range(1, 13)]
    return ChartData(months=list(range(1, 13)), planned=planned, actual=actual)
