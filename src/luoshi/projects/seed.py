"""Key projects and monthly reports for ``luoshi seed`` (found by the seed registry).

County scale: the demo county's key-project lists of 2025 and 2026 (about 150 projects
each, many continuing with the same code), their plan curves and milestones, reporting
periods 2025-01 … 2026-10, and the monthly reports: mostly accepted with progress tracking
the plan by a per-project performance, some late, a few missing, and every workflow state
in the open period 2026-10 (the demo units 发改局 and 城关镇 hold one of each). Lamps are
computed for every period by ``projects.status.status_refresh``.

Province scale: 20,000 projects a year over 2021–2026 (about 1.2 million monthly reports),
written with precomputed values in bulk batches, lamps for the latest period only.

Deterministic: the same ``--seed`` gives the same codes, names and figures, whatever the
clock says (every timestamp is derived from the period it belongs to).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection

from luoshi.core.rawsql import marks
from luoshi.orgs.choices import Role
from luoshi.orgs.models import Leader, RoleGrant, Unit
from luoshi.orgs.seed.province import DEFAULT_UNITS
from luoshi.orgs.seed.registry import SeedContext, seed_step
from luoshi.projects import seed_data as sd
from luoshi.projects.choices import MilestoneKind, ReportStatus, Stage
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
    ReportMilestone,
    ReportPhoto,
    YearSettings,
)
from luoshi.projects.text import name_key, pinyin_initials

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 5000

# The county: the two years of the demo and the open period.
COUNTY_YEARS = (2025, 2026)
OPEN_PERIOD = (2026, 10)
FIRST_PERIOD = (2025, 1)
DEMO_UNITS = ("FGJ", "CGZ")  # 县发展和改革局 and 城关镇: the demo reporters' units

# The province: sizes (tests override them with smaller ones).
PROVINCE_PROJECTS = 20000  # per year
PROVINCE_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
PROVINCE_MILESTONES = 4

# Share of the open period's reports in each state ("missing" = no report at all).
OPEN_MIX: list[tuple[str, int]] = [
    (ReportStatus.ACCEPTED, 35),
    (ReportStatus.APPROVED, 15),
    (ReportStatus.SUBMITTED, 20),
    (ReportStatus.DRAFT, 10),
    (ReportStatus.RETURNED, 6),
    ("missing", 14),
]
DEMO_OPEN_STATES = [
    ReportStatus.DRAFT,
    ReportStatus.SUBMITTED,
    ReportStatus.APPROVED,
    ReportStatus.ACCEPTED,
    ReportStatus.RETURNED,
    "missing",
]

MILESTONE_NAMES = {
    MilestoneKind.APPROVAL: "项目立项",
    MilestoneKind.LAND: "取得用地批复",
    MilestoneKind.EIA: "环评批复",
    MilestoneKind.START: "开工建设",
    MilestoneKind.STRUCTURE: "主体工程完工",
    MilestoneKind.COMPLETION: "竣工验收",
    MilestoneKind.OPERATION: "建成投产",
}
MILESTONE_ORDER = list(MILESTONE_NAMES)
# Relative weight of each kind when weights are drawn (the building work weighs most).
MILESTONE_WEIGHT = {
    MilestoneKind.APPROVAL: 5,
    MilestoneKind.LAND: 10,
    MilestoneKind.EIA: 5,
    MilestoneKind.START: 20,
    MilestoneKind.STRUCTURE: 30,
    MilestoneKind.COMPLETION: 20,
    MilestoneKind.OPERATION: 10,
}


# --- small pure helpers ----------------------------------------------------------------------


def _initials_function() -> Callable[[str], str]:
    """``text.pinyin_initials`` cut to the column's length."""
    return lambda name: pinyin_initials(name)[:200]


def cents(value: int) -> Decimal:
    """万元 in cents (hundredths) → Decimal with exactly two places."""
    return Decimal(value).scaleb(-2)


def split_exact(total: int, weights: list[float]) -> list[int]:
    """``total`` (cents) spread over ``weights``, rounded to cents, summing exactly to
    ``total``: the rounding difference goes to the last non-zero share."""
    whole = sum(weights)
    parts = [round(total * w / whole) if w else 0 for w in weights]
    last = max(i for i, w in enumerate(weights) if w)
    parts[last] = total - sum(parts) + parts[last]
    return parts


def monthly_curve(
    rng: random.Random, annual: int, first_month: int = 1, last_month: int = 12
) -> list[int]:
    """Twelve monthly plans in cents, zero outside ``first_month``…``last_month``: low in
    January and February (Spring Festival), rising through the year, summing exactly."""
    weights = [
        sd.MONTH_SHARES[m - 1] * rng.uniform(0.8, 1.2) if first_month <= m <= last_month else 0.0
        for m in range(1, 13)
    ]
    return split_exact(annual, weights)


def round_plan(value: float) -> int:
    """Plans are round figures: whole 万元, tens above 1,000, hundreds above 10,000.
    Returns cents."""
    step = 100 if value >= 10000 else 10 if value >= 1000 else 1
    return max(step, round(value / step) * step) * 100


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def default_deadline(year: int, month: int) -> date:
    """The 5th of the next month (the default of the year settings)."""
    return date(year + month // 12, month % 12 + 1, 5)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def months(first: tuple[int, int], last: tuple[int, int]) -> Iterator[tuple[int, int]]:
    year, month = first
    while (year, month) <= last:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def bulk(model: type, objs: list, log: Callable[[str], None] | None = None) -> list:
    """``bulk_create`` in batches of ``BATCH``; returns the saved objects (with ids)."""
    saved: list = []
    for start in range(0, len(objs), BATCH):
        saved.extend(model.objects.bulk_create(objs[start : start + BATCH]))
    return saved


# --- periods and lamps -----------------------------------------------------------------------


def periods_create(
    first: tuple[int, int], last: tuple[int, int]
) -> dict[tuple[int, int], ReportingPeriod]:
    """The reporting periods ``first``…``last`` with the deadlines of
    ``periods.period_deadline`` under each year's settings, written in one INSERT (the
    seed's single audit entry stands for them)."""
    from luoshi.projects.periods import period_deadline, year_settings_get

    settings = {y: year_settings_get(year=y) for y in range(first[0], last[0] + 1)}
    existing = {
        (p.year, p.month): p
        for p in ReportingPeriod.objects.filter(year__gte=first[0], year__lte=last[0])
    }
    ReportingPeriod.objects.bulk_create(
        [
            ReportingPeriod(
                year=y, month=m, deadline=period_deadline(year=y, month=m, settings=settings[y])
            )
            for y, m in months(first, last)
            if (y, m) not in existing
        ]
    )
    existing.update(
        {
            (p.year, p.month): p
            for p in ReportingPeriod.objects.filter(year__gte=first[0], year__lte=last[0])
        }
    )
    return {key: existing[key] for key in months(first, last)}


def statuses_refresh(project_ids: list[int], period: ReportingPeriod) -> int:
    """Lamps of ``project_ids`` as of ``period`` (``status.status_refresh`` batches them)."""
    from luoshi.projects.status import status_refresh

    return status_refresh(project_ids=project_ids, period=period)


def reset_projects() -> None:
    """Delete every key-project row, children first, in plain DELETEs (the province has
    a million reports; the ORM's collector would load them)."""
    models = [
        ProjectStatus,
        ReportPhoto,
        ReportMilestone,
        MonthlyReport,
        Milestone,
        MonthlyPlan,
        Project.cooperating_units.through,
        Project.leaders.through,
        Project,
        LampCount,  # after the rows their triggers count, before what they refer to
        CategoryCount,
        ReportingPeriod,
        Category,
        YearSettings,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def categories_create() -> dict[str, Category]:
    Category.objects.bulk_create(
        [Category(code=c.code, name=c.name, order=c.order) for c in sd.CATEGORIES]
    )
    return {c.code: c for c in Category.objects.filter(code__in=[c.code for c in sd.CATEGORIES])}


# --- the county --------------------------------------------------------------------------------


@dataclass
class MilestonePlan:
    kind: str
    name: str
    planned_on: date
    weight: int | None
    reached_on: date | None  # when it will really be reached (None: not before 2027)


@dataclass
class ProjectPlan:
    """One project across the years it is on the list."""

    code: str
    name: str
    category: str
    unit: str
    cooperating: list[str]
    leaders: list[int]
    location: str
    content: str
    total: int  # cents
    start_year: int
    end_year: int
    first_month: int  # first planned month in the start year
    last_month: int  # last planned month in the end year
    performance: str  # on track, lagging, far behind
    factor: float
    annual: dict[int, int] = field(default_factory=dict)  # year → cents
    milestones: list[MilestonePlan] = field(default_factory=list)


class CountyNames:
    """Project names from the templates of ``seed_data``, never the same twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def parts(self) -> dict[str, object]:
        rng = self.rng
        towns = rng.sample(sd.TOWNS, 2)
        picked = {key: rng.choice(values) for key, values in sd.NAME_PARTS.items()}
        return {
            **picked,
            "town": towns[0],
            "town2": towns[1],
            "n": rng.choice([1, 2, 3, 5, 8, 10, 12, 15, 20, 30, 50]),
            "road": rng.choice([318, 210, 242, 207, 326, 108]),
            "school": rng.choice(["二", "三", "四", "五", "六"]),
        }

    def take(self, category: str) -> str:
        for _ in range(200):
            name = self.rng.choice(sd.NAME_TEMPLATES[category]).format(**self.parts())
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError(f"ran out of project names for {category}")

    def content(self, category: str) -> str:
        rng = self.rng
        return rng.choice(sd.CONTENT_TEMPLATES[category]).format(
            area=rng.randrange(3000, 120000, 500),
            units=rng.randint(20, 400),
            lines=rng.randint(2, 12),
            km=rng.choice([1.2, 2.5, 3.8, 5.6, 8.4, 12.3, 18.6, 25.0]),
            width=rng.choice([8.5, 10, 12]),
            beds=rng.randint(100, 600),
            seats=rng.randrange(600, 3000, 150),
            households=rng.randint(200, 2500),
            tons=rng.choice([5000, 10000, 20000, 30000]),
            mu=rng.randrange(5000, 50000, 1000),
        )


def _location(rng: random.Random, name: str, unit: str) -> str:
    """Where the project is: the township its name or its responsible unit names, else a
    township drawn."""
    named = next((town for town in sd.TOWNS if town in name), None)
    return named or sd.TOWN_OF_UNIT.get(unit) or rng.choice(sd.TOWNS)


def _milestones(
    rng: random.Random, plan: ProjectPlan, *, with_weights: bool
) -> list[MilestonePlan]:
    kinds = list(MILESTONE_ORDER)
    if plan.category != "GY":
        kinds.remove(MilestoneKind.OPERATION)
    count = rng.randint(4, min(7, len(kinds)))
    # Keep the start and the completion; drop from the approvals first.
    while len(kinds) > count:
        optional = [k for k in kinds if k not in (MilestoneKind.START, MilestoneKind.COMPLETION)]
        kinds.remove(rng.choice(optional))
    begin = date(plan.start_year, plan.first_month, 1) - timedelta(days=rng.randint(60, 150))
    end = month_end(plan.end_year, plan.last_month)
    span = (end - begin).days
    fractions = sorted(rng.uniform(0.02, 0.98) for _ in kinds)
    fractions[-1] = 1.0
    if with_weights:
        raw = [MILESTONE_WEIGHT[k] * rng.uniform(0.7, 1.3) for k in kinds]
        weights: list[int | None] = list(split_exact(100, raw))
    else:
        weights = [None] * len(kinds)
    delay = {"on track": (-10, 20), "lagging": (15, 75), "far behind": (60, 240)}[plan.performance]
    result = []
    for kind, fraction, weight in zip(kinds, fractions, weights, strict=True):
        planned = begin + timedelta(days=round(span * fraction))
        reached = planned + timedelta(days=rng.randint(*delay))
        result.append(MilestonePlan(kind, MILESTONE_NAMES[kind], planned, weight, reached))
    return result


def county_plans(rng: random.Random, leader_ids: list[int]) -> list[ProjectPlan]:
    """About 150 projects on each of the 2025 and 2026 lists: 45 finishing in 2025, 15
    started and finished in 2025, 90 running through both years, 60 new in 2026."""
    names = CountyNames(rng)
    # (start years, end years, how many)
    pools = [
        ((2023, 2024), (2025, 2025), 45),
        ((2025, 2025), (2025, 2025), 15),
        ((2023, 2024, 2025), (2026, 2027, 2028), 90),
        ((2026, 2026), (2026, 2027, 2028), 60),
    ]
    categories = [c.code for c in sd.CATEGORIES]
    shares = [c.share for c in sd.CATEGORIES]
    spec = {c.code: c for c in sd.CATEGORIES}
    plans: list[ProjectPlan] = []
    for start_years, end_years, count in pools:
        for _ in range(count):
            category = rng.choices(categories, weights=shares)[0]
            start = rng.choice(start_years)
            end = max(start, rng.choice(end_years))
            units, unit_weights = zip(*sd.UNITS_BY_CATEGORY[category], strict=True)
            unit = rng.choices(units, weights=unit_weights)[0]
            c = spec[category]
            total_wan = c.low * (c.high / c.low) ** (rng.random() ** 1.6)
            roll = rng.random()
            performance, factor = (
                ("on track", rng.uniform(0.96, 1.12))
                if roll < 0.7
                else ("lagging", rng.uniform(0.68, 0.95))
                if roll < 0.9
                else ("far behind", rng.uniform(0.2, 0.6))
            )
            cooperating = rng.sample(
                [u for u in sd.COOPERATING_UNITS if u != unit], rng.choice([0, 1, 1, 2])
            )
            name = names.take(category)
            plan = ProjectPlan(
                code="",
                name=name,
                category=category,
                unit=unit,
                cooperating=cooperating,
                leaders=rng.sample(leader_ids, rng.choice([1, 1, 2])),
                location=_location(rng, name, unit),
                content=names.content(category),
                total=round_plan(total_wan),
                start_year=start,
                end_year=end,
                first_month=rng.randint(1, 6),
                last_month=rng.randint(8, 12),
                performance=performance,
                factor=factor,
            )
            # The total spread over the years, the first and last years being partial.
            years = list(range(start, end + 1))
            weights = [
                (0.6 if y == start else 1.0) * (0.8 if y == end and y != start else 1.0)
                for y in years
            ]
            weights = [w * rng.uniform(0.85, 1.15) for w in weights]
            shares_c = [round_plan(plan.total / 100 * w / sum(weights)) for w in weights]
            shares_c[-1] = max(100, plan.total - sum(shares_c[:-1]))
            plan.total = sum(shares_c)
            plan.annual = dict(zip(years, shares_c, strict=True))
            plan.milestones = _milestones(rng, plan, with_weights=rng.random() < 0.9)
            plans.append(plan)
    # Codes: the year a project joined the list, its category, a number in that pair.
    plans.sort(key=lambda p: (p.start_year, spec[p.category].order))
    counters: dict[tuple[int, str], int] = {}
    for plan in plans:
        key = (plan.start_year, plan.category)
        counters[key] = counters.get(key, 0) + 1
        plan.code = f"{plan.start_year}-{plan.category}-{counters[key]:03d}"
    _give_demo_units_projects(rng, plans)
    return plans


def _give_demo_units_projects(rng: random.Random, plans: list[ProjectPlan]) -> None:
    """The demo reporters' units need enough projects on the 2026 list to show every
    workflow state of the open period: move projects to them if the draw gave too few."""
    current = [p for p in plans if p.start_year <= 2026 <= p.end_year]
    for unit, wanted in (("FGJ", 9), ("CGZ", 7)):
        mine = [p for p in current if p.unit == unit]
        others = [p for p in current if p.unit not in DEMO_UNITS and p.category != "GY"]
        for plan in rng.sample(others, max(0, wanted - len(mine))):
            plan.unit = unit
            if unit == "CGZ":
                plan.location = "城关镇"


@dataclass
class Figures:
    """A report's figures before it becomes a row."""

    month: int
    status: str
    month_c: int
    ytd_c: int
    since_c: int
    progress: int | None
    text: str
    problems: str = ""
    help: str = ""
    coordination: bool = False


class Stamps:
    """Timestamps of a report, derived from its period's deadline."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def submitted(self, deadline: date, opened: date, *, late: bool) -> datetime:
        rng = self.rng
        if late:
            day = deadline + timedelta(days=rng.randint(1, 12))
        else:
            day = opened + timedelta(days=rng.randint(0, max(0, (deadline - opened).days)))
        return at(day, rng.randint(8, 18), rng.randint(0, 59))

    def later(self, moment: datetime, low: int, high: int) -> datetime:
        return moment + timedelta(days=self.rng.randint(low, high), hours=self.rng.randint(1, 6))


def _progress_text(rng: random.Random, fraction: float) -> str:
    stage = "early" if fraction < 0.2 else "middle" if fraction < 0.85 else "late"
    return rng.choice(sd.PROGRESS_TEXTS[stage]).format(
        pct=min(99, max(5, round(fraction * 100))),
        pct2=min(99, max(5, round(fraction * 90))),
        floor=rng.randint(3, 18),
    )


def _problem(rng: random.Random, plan: ProjectPlan) -> tuple[str, str, bool]:
    chance = {"on track": 0.05, "lagging": 0.3, "far behind": 0.6}[plan.performance]
    if rng.random() >= chance:
        return "", "", False
    problem, help_needed = rng.choice(sd.PROBLEMS)
    problem = problem.format(gap=rng.randrange(500, 8000, 100), days=rng.randint(3, 30))
    return problem, help_needed, bool(help_needed) and rng.random() < 0.6


@seed_step("projects.county", scales=("county",), order=200, reset=reset_projects)
def seed_county_projects(ctx: SeedContext) -> None:
    """Key projects of 2025 and 2026 with plans, milestones, periods, reports and lamps."""
    started = time.monotonic()
    rng = ctx.rng("projects.county")
    initials = _initials_function()
    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    leader_ids = list(
        Leader.objects.filter(title__contains="副县长")
        .order_by("precedence")
        .values_list("pk", flat=True)
    ) or list(Leader.objects.values_list("pk", flat=True))
    plans = county_plans(rng, leader_ids)
    categories = categories_create()
    periods = periods_create(FIRST_PERIOD, OPEN_PERIOD)
    people = _people()

    # Projects: one row per (plan, year on the list).
    rows: list[tuple[ProjectPlan, int]] = [
        (plan, year)
        for year in COUNTY_YEARS
        for plan in plans
        if plan.start_year <= year <= plan.end_year
    ]
    created_at = {year: at(date(year, 1, 15), 9) for year in COUNTY_YEARS}
    projects = bulk(
        Project,
        [
            Project(
                year=year,
                code=plan.code,
                name=plan.name,
                name_key=name_key(plan.name),
                pinyin_initials=initials(plan.name),
                category=categories[plan.category],
                stage=_stage(plan, year),
                content=plan.content,
                location=plan.location,
                total_investment=cents(plan.total),
                annual_plan=cents(plan.annual[year]),
                start_year=plan.start_year,
                end_year=plan.end_year,
                responsible_unit_id=unit_ids[plan.unit],
                is_published=plan.category != "GY" or rng.random() < 0.5,
                created_at=created_at[year],
                updated_at=created_at[year],
            )
            for plan, year in rows
        ],
    )
    coop = Project.cooperating_units.through
    lead = Project.leaders.through
    bulk(
        coop,
        [
            coop(project_id=p.pk, unit_id=unit_ids[u])
            for p, (plan, _) in zip(projects, rows, strict=True)
            for u in plan.cooperating
        ],
    )
    bulk(
        lead,
        [
            lead(project_id=p.pk, leader_id=leader)
            for p, (plan, _) in zip(projects, rows, strict=True)
            for leader in plan.leaders
        ],
    )

    # Plans, reports, milestones per project row.
    plan_rows: list[MonthlyPlan] = []
    report_rows: list[MonthlyReport] = []
    milestone_rows: list[Milestone] = []
    reached_links: list[tuple[int, int, date]] = []  # (report index, milestone index, day)
    stamps = Stamps(rng)
    open_states = _open_states(rng, plans)
    for project, (plan, year) in zip(projects, rows, strict=True):
        first = plan.first_month if year == plan.start_year else 1
        last = plan.last_month if year == plan.end_year else 12
        curve = monthly_curve(rng, plan.annual[year], first, last)
        plan_rows.extend(
            MonthlyPlan(project_id=project.pk, month=m, planned=cents(c))
            for m, c in enumerate(curve, start=1)
        )
        figures = _county_figures(rng, plan, year, curve, first, open_states)
        accepted_until: date | None = None
        report_index: dict[int, int] = {}
        for f in figures:
            period = periods[(year, f.month)]
            report_index[f.month] = len(report_rows)
            report_rows.append(
                _county_report(rng, stamps, project, plan, period, f, unit_ids, people)
            )
            if f.status == ReportStatus.ACCEPTED:
                accepted_until = month_end(year, f.month)
        # Milestones: reached when the accepted reports say so.
        for m in plan.milestones:
            reached = (
                m.reached_on
                if accepted_until and m.reached_on and m.reached_on <= accepted_until
                else None
            )
            milestone_rows.append(
                Milestone(
                    project_id=project.pk,
                    kind=m.kind,
                    name=m.name,
                    planned_on=m.planned_on,
                    weight=m.weight,
                    reached_on=reached,
                    order=MILESTONE_ORDER.index(m.kind) + 1,
                )
            )
            if m.reached_on and m.reached_on.year == year:
                # The first report of the year filed for the month it was reached or later.
                month = next((k for k in sorted(report_index) if k >= m.reached_on.month), None)
                if (
                    month is not None
                    and report_rows[report_index[month]].status != ReportStatus.DRAFT
                ):
                    reached_links.append(
                        (report_index[month], len(milestone_rows) - 1, m.reached_on)
                    )
    bulk(MonthlyPlan, plan_rows)
    reports = bulk(MonthlyReport, report_rows)
    milestones = bulk(Milestone, milestone_rows)
    bulk(
        ReportMilestone,
        [
            ReportMilestone(report_id=reports[r].pk, milestone_id=milestones[m].pk, reached_on=day)
            for r, m, day in reached_links
        ],
    )
    _lock_past_periods(periods, people.get("office"))
    ctx.count("project categories", len(categories))
    ctx.count("key projects", len(projects))
    ctx.count("monthly plans", len(plan_rows))
    ctx.count("milestones", len(milestone_rows))
    ctx.count("reporting periods", len(periods))
    ctx.count("monthly reports", len(reports))
    written_at = time.monotonic() - started

    lamps_started = time.monotonic()
    by_year: dict[int, list[int]] = {}
    for project in projects:
        by_year.setdefault(project.year, []).append(project.pk)
    written = sum(
        statuses_refresh(by_year[year], period)
        for (year, _), period in periods.items()
        if year in by_year
    )
    ctx.count("project statuses", written)
    ctx.log(
        f"  timings: projects, plans and reports {written_at:.1f} s, "
        f"lamps of {len(periods)} periods {time.monotonic() - lamps_started:.1f} s"
    )


def _stage(plan: ProjectPlan, year: int) -> str:
    if year == plan.end_year and plan.last_month <= 10 and plan.performance == "on track":
        return Stage.COMPLETED
    if year == plan.start_year:
        return Stage.NEW if plan.first_month <= 6 else Stage.PREPARATION
    return Stage.CONTINUING


def _people() -> dict:
    """Who files, approves and accepts: a reporter and a head per unit, one officer."""
    grants = RoleGrant.objects.filter(
        role__in=[Role.UNIT_REPORTER, Role.UNIT_HEAD, Role.SUPERVISION_OFFICER]
    ).values_list("role", "user_id", "user__unit_id", "user__username")
    people: dict = {"reporter": {}, "head": {}, "office": None}
    for role, user_id, unit_id, username in grants.order_by("user_id"):
        if role == Role.SUPERVISION_OFFICER:
            if people["office"] is None or username == "office":
                people["office"] = user_id
        elif role == Role.UNIT_REPORTER:
            people["reporter"].setdefault(unit_id, user_id)
        else:
            people["head"].setdefault(unit_id, user_id)
    return people


def _open_states(rng: random.Random, plans: list[ProjectPlan]) -> dict[str, str]:
    """State of each project's report in the open period. The demo units get one of
    every state (drafts and returns first: that is where the demo starts)."""
    states = [s for s, _ in OPEN_MIX]
    weights = [w for _, w in OPEN_MIX]
    result = {}
    current = [p for p in plans if p.start_year <= OPEN_PERIOD[0] <= p.end_year]
    for plan in current:
        result[plan.code] = rng.choices(states, weights=weights)[0]
    for unit in DEMO_UNITS:
        mine = sorted((p for p in current if p.unit == unit), key=lambda p: p.code)
        for plan, state in zip(mine, DEMO_OPEN_STATES + DEMO_OPEN_STATES, strict=False):
            result[plan.code] = state
    return result


def _county_figures(
    rng: random.Random,
    plan: ProjectPlan,
    year: int,
    curve: list[int],
    first: int,
    open_states: dict[str, str],
) -> list[Figures]:
    """The reports of one project row, month by month: year-to-date investment tracks the
    planned curve times the project's performance, never decreasing."""
    last = OPEN_PERIOD[1] if year == OPEN_PERIOD[0] else 12
    # Since start: earlier years' plans, done at the project's pace.
    before = sum(c for y, c in plan.annual.items() if y < year)
    since_base = round(before * min(1.0, plan.factor * 1.02))
    result: list[Figures] = []
    planned_ytd = 0
    ytd = 0
    reported_ytd = 0
    for month in range(1, last + 1):
        planned_ytd += curve[month - 1]
        if month < first:
            continue
        target = round(planned_ytd * plan.factor * rng.uniform(0.93, 1.07))
        ytd = min(max(ytd, target), round(plan.annual[year] * 1.2), plan.total - since_base)
        is_open = (year, month) == OPEN_PERIOD
        status = (
            open_states.get(plan.code, ReportStatus.ACCEPTED) if is_open else ReportStatus.ACCEPTED
        )
        if status == "missing" or (not is_open and rng.random() < 0.02):
            continue  # no report this month: the next one catches up
        since = min(plan.total, since_base + ytd)
        day = month_end(year, month)
        weights = [m.weight for m in plan.milestones]
        progress = (
            sum(m.weight or 0 for m in plan.milestones if m.reached_on and m.reached_on <= day)
            if all(w is not None for w in weights)
            else None
        )
        problems, help_needed, coordination = _problem(rng, plan)
        result.append(
            Figures(
                month=month,
                status=status,
                month_c=ytd - reported_ytd,
                ytd_c=ytd,
                since_c=since,
                progress=progress,
                text=_progress_text(rng, since / plan.total if plan.total else 0),
                problems=problems,
                help=help_needed,
                coordination=coordination,
            )
        )
        reported_ytd = ytd
    return result


def _county_report(
    rng: random.Random,
    stamps: Stamps,
    project: Project,
    plan: ProjectPlan,
    period: ReportingPeriod,
    f: Figures,
    unit_ids: dict[str, int],
    people: dict,
) -> MonthlyReport:
    unit_id = unit_ids[plan.unit]
    opened = month_end(period.year, period.month) + timedelta(days=1)
    late_chance = {"on track": 0.05, "lagging": 0.12, "far behind": 0.3}[plan.performance]
    late = rng.random() < late_chance
    report = MonthlyReport(
        project_id=project.pk,
        period_id=period.pk,
        unit_id=unit_id,
        status=f.status,
        investment_month=cents(f.month_c),
        investment_ytd=cents(f.ytd_c),
        investment_since_start=cents(f.since_c),
        physical_progress=f.progress,
        progress_text=f.text,
        problems=f.problems,
        help_needed=f.help,
        needs_coordination=f.coordination,
        created_at=at(opened, 9),
        updated_at=at(opened, 9),
        version=1,
    )
    if f.status == ReportStatus.DRAFT:
        report.created_at = report.updated_at = at(opened + timedelta(days=rng.randint(0, 3)), 10)
        return report
    submitted = stamps.submitted(period.deadline, opened, late=late)
    report.submitted_at = submitted
    report.submitted_by_id = people["reporter"].get(unit_id)
    report.is_late = submitted.date() > period.deadline
    report.created_at = submitted - timedelta(days=rng.randint(0, 2), hours=2)
    report.updated_at = submitted
    report.version = 2
    if f.status in (ReportStatus.APPROVED, ReportStatus.ACCEPTED) or (
        f.status == ReportStatus.RETURNED and rng.random() < 0.5
    ):
        report.approved_at = stamps.later(submitted, 0, 2)
        report.approved_by_id = people["head"].get(unit_id)
        report.updated_at = report.approved_at
        report.version = 3
    if f.status == ReportStatus.ACCEPTED:
        report.accepted_at = stamps.later(report.approved_at, 1, 3)
        report.accepted_by_id = people["office"]
        report.updated_at = report.accepted_at
        report.version = 4
    if f.status == ReportStatus.RETURNED:
        report.return_reason = rng.choice(sd.RETURN_REASONS)
        report.updated_at = stamps.later(report.updated_at, 0, 2)
        report.version += 1
    return report


def _lock_past_periods(
    periods: dict[tuple[int, int], ReportingPeriod], office_id: int | None
) -> None:
    """Every period before the last two was locked after its review meeting (around the
    20th of the month after the deadline); the last closed one and the open one are not."""
    keys = sorted(periods)
    for key in keys[:-2]:
        period = periods[key]
        period.locked_at = at(period.deadline + timedelta(days=15), 16)
        period.locked_by_id = office_id
    ReportingPeriod.objects.bulk_update(
        [periods[k] for k in keys[:-2]], ["locked_at", "locked_by"], batch_size=BATCH
    )


# --- the province ------------------------------------------------------------------------------

# Which of a county's units carry key projects, by unit code suffix, and how many.
PROVINCE_UNIT_WEIGHTS: dict[str, float] = {
    "FGJ": 6,
    "FGW": 4,
    "GXJ": 4,
    "JTJ": 5,
    "ZJJ": 5,
    "SLJ": 3,
    "NYJ": 3,
    "WLJ": 2,
    "JYJ": 2,
    "WJJ": 2,
    "STJ": 2,
    "SHWJ": 1,
    "TCJ": 1,
    "CGJ": 1,
    "LYJ": 1,
    "ZRJ": 1,
    "JKQ": 5,
    "GXY": 4,
    "NYY": 3,
    "CTJT": 3,
}
TOWNSHIP_WEIGHT = 1.5
PROVINCE_DEMO_PROJECTS = 12  # per demo unit and year
PROVINCE_SLOTS_PER_CHUNK = 1000
STAMP_POOL = 32


def _money(c: int) -> str:
    """Cents as the text of a 万元 amount with two decimals (what both databases parse)."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def insert_rows(model: type, columns: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs of precomputed rows: COPY on PostgreSQL, executemany on SQLite.
    Values must already be what the database stores (money as text, naive UTC datetimes
    as text on SQLite)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            values = marks(len(columns))
            for start in range(0, len(rows), BATCH):
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({values})", rows[start : start + BATCH]
                )


def _db_datetime(moment: datetime | None) -> str | None:
    """An aware datetime as the database stores it: UTC text."""
    if moment is None:
        return None
    utc = moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    text = utc.isoformat(" ")
    return text + "+00:00" if connection.vendor == "postgresql" else text


@dataclass
class ProvinceProject:
    code: str
    name: str
    category: str
    unit_id: int
    leader_id: int
    total: int
    start_year: int
    end_year: int
    first_month: int
    last_month: int
    factor: float
    annual: dict[int, int]
    milestones: list[tuple[str, date, int, date]]  # kind, planned, weight, really reached
    demo_slot: int | None = None


class ProvinceMaker:
    """Draws the province's projects slot by slot: a slot holds one project at a time and
    takes a new one when the last finishes, so most projects continue over several years."""

    def __init__(
        self,
        rng: random.Random,
        units: list[tuple[int, str]],
        leaders: list[int],
        demo_units: list[int],
    ) -> None:
        self.rng = rng
        self.unit_ids = [pk for pk, _ in units]
        self.cum_weights: list[float] = []
        total = 0.0
        for _pk, code in units:
            suffix = code.rsplit("-", 1)[-1]
            weight = PROVINCE_UNIT_WEIGHTS.get(suffix, 0.0)
            if not weight and len(suffix) == 3 and suffix[0] == "Z" and suffix[1:].isdigit():
                weight = TOWNSHIP_WEIGHT
            total += weight
            self.cum_weights.append(total)
        self.leaders = leaders
        self.demo_units = demo_units
        self.names = CountyNames(rng)
        self.counters: dict[tuple[int, str], int] = {}
        self.categories = [c.code for c in sd.CATEGORIES]
        self.shares = [c.share for c in sd.CATEGORIES]
        self.spec = {c.code: c for c in sd.CATEGORIES}

    def new(self, start: int, slot: int) -> ProvinceProject:
        rng = self.rng
        category = rng.choices(self.categories, weights=self.shares)[0]
        key = (start, category)
        self.counters[key] = self.counters.get(key, 0) + 1
        c = self.spec[category]
        total_wan = c.low * (c.high / c.low) ** (rng.random() ** 1.6)
        end = start + rng.choice((0, 1, 1, 2, 2, 3))
        years = list(range(start, end + 1))
        weights = [(0.6 if y == start else 1.0) * rng.uniform(0.85, 1.15) for y in years]
        annual = [round_plan(total_wan * w / sum(weights)) for w in weights]
        demo = slot // PROVINCE_DEMO_PROJECTS if slot < 2 * PROVINCE_DEMO_PROJECTS else None
        unit_id = (
            self.demo_units[demo]
            if demo is not None and demo < len(self.demo_units)
            else rng.choices(self.unit_ids, cum_weights=self.cum_weights)[0]
        )
        first_month, last_month = rng.randint(1, 6), rng.randint(8, 12)
        roll = rng.random()
        factor = (
            rng.uniform(0.96, 1.12)
            if roll < 0.7
            else rng.uniform(0.68, 0.95)
            if roll < 0.9
            else rng.uniform(0.2, 0.6)
        )
        # Four milestones: start, main structure, completion, and approval before the start.
        begin = date(start, first_month, 1)
        finish = month_end(end, last_month)
        span = (finish - begin).days
        late = 0 if factor >= 0.95 else 40 if factor >= 0.68 else 150
        planned = [
            (MilestoneKind.APPROVAL, begin - timedelta(days=90), 10),
            (MilestoneKind.START, begin + timedelta(days=15), 25),
            (MilestoneKind.STRUCTURE, begin + timedelta(days=span * 2 // 3), 40),
            (MilestoneKind.COMPLETION, finish, 25),
        ][:PROVINCE_MILESTONES]
        milestones = [
            (kind, day, weight, day + timedelta(days=late + rng.randint(-10, 20)))
            for kind, day, weight in planned
        ]
        return ProvinceProject(
            code=f"{start}-{category}-{self.counters[key]:05d}",
            name=self.names.take_any(category),
            category=category,
            unit_id=unit_id,
            leader_id=rng.choice(self.leaders),
            total=sum(annual),
            start_year=start,
            end_year=end,
            first_month=first_month,
            last_month=last_month,
            factor=factor,
            annual=dict(zip(years, annual, strict=True)),
            milestones=milestones,
            demo_slot=slot if demo is not None else None,
        )


def _take_any(self: CountyNames, category: str) -> str:
    """A name without the uniqueness check (a province repeats names, as lists do)."""
    return self.rng.choice(sd.NAME_TEMPLATES[category]).format(**self.parts())


CountyNames.take_any = _take_any  # type: ignore[attr-defined]


class StampPool:
    """A few precomputed timestamp sets per period and state, drawn from per report: the
    province writes a million reports without computing a million dates."""

    def __init__(self, rng: random.Random, people: dict) -> None:
        self.rng = rng
        self.people = people
        self.cache: dict[tuple[int, str], tuple[list[tuple], list[tuple]]] = {}

    def draw(self, period: ReportingPeriod, status: str, late_chance: float) -> tuple:
        key = (period.pk, status)
        pools = self.cache.get(key)
        if pools is None:
            made = [self._make(period, status, i) for i in range(STAMP_POOL)]
            # Even sets are on time, odd sets late.
            pools = self.cache[key] = (made[0::2], made[1::2])
        random = self.rng.random
        pool = pools[1] if random() < late_chance else pools[0]
        return pool[int(random() * len(pool))]

    def _make(self, period: ReportingPeriod, status: str, index: int) -> tuple:
        """(created, updated, submitted, approved, accepted, is_late, version) as stored."""
        rng = self.rng
        opened = month_end(period.year, period.month) + timedelta(days=1)
        if status == ReportStatus.DRAFT:
            created = at(opened + timedelta(days=rng.randint(0, 3)), 10)
            return (_db_datetime(created), _db_datetime(created), None, None, None, False, 1)
        stamps = Stamps(rng)
        submitted = stamps.submitted(period.deadline, opened, late=bool(index & 1))
        approved = accepted = None
        version, updated = 2, submitted
        if status in (ReportStatus.APPROVED, ReportStatus.ACCEPTED):
            approved = updated = stamps.later(submitted, 0, 2)
            version = 3
        if status == ReportStatus.ACCEPTED:
            accepted = updated = stamps.later(approved, 1, 3)
            version = 4
        if status == ReportStatus.RETURNED:
            updated = stamps.later(submitted, 0, 3)
            version = 3
        return (
            _db_datetime(submitted - timedelta(hours=rng.randint(2, 48))),
            _db_datetime(updated),
            _db_datetime(submitted),
            _db_datetime(approved),
            _db_datetime(accepted),
            submitted.date() > period.deadline,
            version,
        )


PROJECT_COLUMNS = [
    "year",
    "code",
    "name",
    "name_key",
    "pinyin_initials",
    "category",
    "stage",
    "content",
    "location",
    "total_investment",
    "annual_plan",
    "start_year",
    "end_year",
    "responsible_unit",
    "is_published",
    "created_at",
    "updated_at",
]


def province_size(ctx: SeedContext) -> int:
    """Projects a year: 20,000 for the province of the default size; a province cut at
    fewer units (``--units``, the organisation's tests) gets one project per ten units,
    so that it stays as quick as the cut was meant to make it."""
    if not ctx.units or ctx.units >= DEFAULT_UNITS:
        return PROVINCE_PROJECTS
    return min(PROVINCE_PROJECTS, max(2 * PROVINCE_DEMO_PROJECTS, ctx.units // 10))


REPORT_COLUMNS = [
    "project",
    "period",
    "unit",
    "status",
    "investment_month",
    "investment_ytd",
    "investment_since_start",
    "physical_progress",
    "progress_text",
    "problems",
    "help_needed",
    "needs_coordination",
    "return_reason",
    "created_at",
    "updated_at",
    "submitted_at",
    "approved_at",
    "accepted_at",
    "is_late",
    "version",
    "submitted_by",
    "approved_by",
    "accepted_by",
]


@seed_step("projects.province", scales=("province",), order=200, reset=reset_projects)
def seed_province_projects(ctx: SeedContext) -> None:
    """20,000 projects a year over 2021–2026 with plans, milestones and about 1.2 million
    monthly reports, in bulk; lamps for the latest period only."""
    timings: dict[str, float] = {}
    started = time.monotonic()
    if connection.vendor == "sqlite":
        # A larger page cache for this connection: the report indexes no longer thrash.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    rng = ctx.rng("projects.province")
    initials = _initials_function()
    categories = categories_create()
    category_ids = {code: c.pk for code, c in categories.items()}
    first_year, last_year = PROVINCE_YEARS[0], PROVINCE_YEARS[-1]
    periods = periods_create((first_year, 1), OPEN_PERIOD)
    units = list(Unit.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", "code"))
    people = _people()
    # The demo reporters' units (发改局 first, then the township) get projects of their own.
    demo_codes = sorted(
        Unit.objects.filter(users__username__in=["reporter_fgj", "reporter_town"]).values_list(
            "code", flat=True
        ),
        key=lambda code: not code.endswith("FGJ"),
    )
    unit_of_code = {code: pk for pk, code in units}
    demo_units = [unit_of_code[c] for c in demo_codes if c in unit_of_code]
    leaders = list(Leader.objects.order_by("precedence").values_list("pk", flat=True))
    maker = ProvinceMaker(rng, units, leaders, demo_units)
    stamps = StampPool(rng, people)
    timings["setup"] = time.monotonic() - started

    states = [s for s, _ in OPEN_MIX]
    state_weights = [w for _, w in OPEN_MIX]
    texts = [t.format(pct=50, pct2=40, floor=6) for t in sd.PROGRESS_TEXTS["middle"]]
    problems = [(p.format(gap=3000, days=10), h) for p, h in sd.PROBLEMS]
    name_cache: dict[str, tuple[str, str]] = {}
    open_period = periods[OPEN_PERIOD]
    listed = {year: _db_datetime(at(date(year, 1, 15), 9)) for year in PROVINCE_YEARS}
    totals = {"projects": 0, "plans": 0, "milestones": 0, "reports": 0}
    write_time = 0.0
    current_ids: list[int] = []
    size = province_size(ctx)
    for chunk_start in range(0, size, PROVINCE_SLOTS_PER_CHUNK):
        chunk = range(chunk_start, min(size, chunk_start + PROVINCE_SLOTS_PER_CHUNK))
        rows: list[tuple[ProvinceProject, int]] = []
        for slot in chunk:
            # In the first year a slot holds a project started up to two years earlier.
            project = maker.new(first_year - rng.choice((0, 0, 1, 2)), slot)
            for year in PROVINCE_YEARS:
                if project.end_year < year:
                    project = maker.new(year, slot)
                rows.append((project, year))
        project_rows = []
        for project, year in rows:
            keys = name_cache.get(project.name)
            if keys is None:
                keys = name_cache[project.name] = (name_key(project.name), initials(project.name))
            project_rows.append(
                (
                    year,
                    project.code,
                    project.name,
                    keys[0],
                    keys[1],
                    category_ids[project.category],
                    Stage.NEW if year == project.start_year else Stage.CONTINUING,
                    "",
                    "",
                    _money(project.total),
                    _money(project.annual[year]),
                    project.start_year,
                    project.end_year,
                    project.unit_id,
                    True,
                    listed[year],
                    listed[year],
                )
            )
        write_started = time.monotonic()
        last_id = Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        insert_rows(Project, PROJECT_COLUMNS, project_rows)
        ids = {
            (year, code): pk
            for year, code, pk in Project.objects.filter(pk__gt=last_id).values_list(
                "year", "code", "pk"
            )
        }
        write_time += time.monotonic() - write_started

        plan_rows: list[tuple] = []
        milestone_rows: list[tuple] = []
        report_rows: list[tuple] = []
        leader_rows: list[tuple] = []
        for project, year in rows:
            pid = ids[(year, project.code)]
            if year == last_year:
                current_ids.append(pid)
            leader_rows.append((pid, project.leader_id))
            first = project.first_month if year == project.start_year else 1
            last = project.last_month if year == project.end_year else 12
            curve = monthly_curve(rng, project.annual[year], first, last)
            plan_rows.extend((pid, m, _money(c)) for m, c in enumerate(curve, start=1))
            last_period = OPEN_PERIOD if year == OPEN_PERIOD[0] else (year, 12)
            judged = month_end(*last_period)
            for order, (kind, planned, weight, reached) in enumerate(project.milestones, 1):
                milestone_rows.append(
                    (
                        pid,
                        kind,
                        MILESTONE_NAMES[kind],
                        planned.isoformat(),
                        weight,
                        reached.isoformat() if reached <= judged else None,
                        order,
                    )
                )
            before = sum(c for y, c in project.annual.items() if y < year)
            since_base = round(before * min(1.0, project.factor))
            cap = min(round(project.annual[year] * 1.2), project.total - since_base)
            late_chance = 0.05 if project.factor >= 0.95 else 0.15
            planned_ytd = ytd = reported = 0
            unit_id = project.unit_id
            reporter = people["reporter"].get(unit_id)
            head = people["head"].get(unit_id)
            for month in range(1, last_period[1] + 1):
                planned_ytd += curve[month - 1]
                if month < first:
                    continue
                target = round(planned_ytd * project.factor * (0.93 + 0.14 * rng.random()))
                ytd = min(max(ytd, target), cap)
                period = periods[(year, month)]
                if period is open_period:
                    if project.demo_slot is not None:
                        index = project.demo_slot % PROVINCE_DEMO_PROJECTS
                        status = DEMO_OPEN_STATES[index % len(DEMO_OPEN_STATES)]
                    else:
                        status = rng.choices(states, weights=state_weights)[0]
                    if status == "missing":
                        continue
                else:
                    status = ReportStatus.ACCEPTED
                    if rng.random() < 0.015:
                        continue
                created, updated, submitted, approved, accepted, is_late, version = stamps.draw(
                    period, status, late_chance
                )
                problem, help_needed = ("", "")
                if project.factor < 0.95 and rng.random() < 0.2:
                    problem, help_needed = problems[rng.randrange(len(problems))]
                report_rows.append(
                    (
                        pid,
                        period.pk,
                        unit_id,
                        status,
                        _money(ytd - reported),
                        _money(ytd),
                        _money(min(project.total, since_base + ytd)),
                        None,
                        texts[month % len(texts)],
                        problem,
                        help_needed,
                        bool(help_needed) and month % 2 == 0,
                        sd.RETURN_REASONS[0] if status == ReportStatus.RETURNED else "",
                        created,
                        updated,
                        submitted,
                        approved,
                        accepted,
                        is_late,
                        version,
                        reporter if submitted else None,
                        head if approved else None,
                        people["office"] if accepted else None,
                    )
                )
                reported = ytd
        write_started = time.monotonic()
        insert_rows(Project.leaders.through, ["project", "leader"], leader_rows)
        insert_rows(MonthlyPlan, ["project", "month", "planned"], plan_rows)
        insert_rows(
            Milestone,
            ["project", "kind", "name", "planned_on", "weight", "reached_on", "order"],
            milestone_rows,
        )
        insert_rows(MonthlyReport, REPORT_COLUMNS, report_rows)
        write_time += time.monotonic() - write_started
        totals["projects"] += len(project_rows)
        totals["plans"] += len(plan_rows)
        totals["milestones"] += len(milestone_rows)
        totals["reports"] += len(report_rows)
        ctx.log(
            f"  {chunk.stop:,} of {size:,} project slots: "
            f"{totals['reports']:,} reports, {time.monotonic() - started:.1f} s"
        )
    _lock_past_periods(periods, people.get("office"))
    timings["generate and write"] = time.monotonic() - started - timings["setup"]
    timings["of which writing"] = write_time

    lamps_started = time.monotonic()
    # Fresh statistics after the load, so that the planner uses the report indexes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze"] = time.monotonic() - lamps_started
    lamps_started = time.monotonic()
    written = statuses_refresh(current_ids, open_period)
    timings["lamps of the latest period"] = time.monotonic() - lamps_started

    ctx.count("project categories", len(categories))
    ctx.count("key projects", totals["projects"])
    ctx.count("monthly plans", totals["plans"])
    ctx.count("milestones", totals["milestones"])
    ctx.count("reporting periods", len(periods))
    ctx.count("monthly reports", totals["reports"])
    ctx.count("project statuses", written)
    ctx.shared["projects_timings"] = timings
    ctx.log("  timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
