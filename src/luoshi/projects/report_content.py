"""The content of a monthly report (月报内容): the figures, milestones reached and texts a
reporter (or the office, correcting) sends, validated and completed with the derived
figures. Used by ``services_reports`` for the pages, the API and the Excel import alike.

Running totals, in the office's words: investment year to date (1–N月) continues the
chain — the year-to-date figure of the project's latest earlier report of the same year,
whatever its state, plus this month; only where no earlier report of the year exists
(luoshi started mid-year) is it typed, and in January it is this month. Investment since
start continues likewise from the latest earlier report of the same project code (any
year); only a project's first report types it."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.core.bulk import chunks
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.core.money import CENT, quantize
from luoshi.projects.models import Milestone, MonthlyReport, Project, ReportingPeriod

MAX_MONEY = Decimal("999999999999.99")  # 14 digits, 2 decimals: what the column holds
MAX_TEXT = 4000
TEXT_FIELDS = ("progress_text", "problems", "help_needed")


def local_today() -> datetime.date:
    return timezone.localtime(now()).date()


def _money(value: Any, field: str, label: str) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(_("Enter %(label)s.") % {"label": label}, field=field)
    if isinstance(value, bool | float):
        value = str(value)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("%(label)s must be a number in 10k yuan, such as 120.50.") % {"label": label},
            field=field,
        ) from None
    if not amount.is_finite():
        raise DomainError(
            _("%(label)s must be a number in 10k yuan, such as 120.50.") % {"label": label},
            field=field,
        )
    if amount < 0:
        raise DomainError(
            _("%(label)s cannot be negative.") % {"label": label.capitalize()}, field=field
        )
    if amount > MAX_MONEY:
        raise DomainError(
            _("%(label)s is too large for 10k yuan.") % {"label": label.capitalize()}, field=field
        )
    if amount != amount.quantize(CENT, rounding="ROUND_DOWN"):
        raise DomainError(
            _("%(label)s has at most two decimals (10k yuan).") % {"label": label.capitalize()},
            field=field,
        )
    return quantize(amount)


def clean_text(value: Any, field: str) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("Write at most %(n)s characters here.") % {"n": MAX_TEXT}, field=field)
    return text


def _milestone_dates(
    *, project: Project, raw: dict[Any, Any] | None, milestones: list[Milestone]
) -> dict[int, datetime.date]:
    """Milestone id → reached date, for the milestones reported reached. Dates may not lie
    in the future, nor before the project's start year."""
    if not raw:
        return {}
    known = {m.pk: m for m in milestones}
    today = local_today()
    earliest = datetime.date(project.start_year, 1, 1)
    result: dict[int, datetime.date] = {}
    for key, value in raw.items():
        try:
            milestone_id = int(key)
        except (TypeError, ValueError):
            milestone_id = 0
        milestone = known.get(milestone_id)
        if milestone is None:
            raise DomainError(
                _("Milestone %(id)s does not belong to this project.") % {"id": key},
                field="milestones",
            )
        if value in (None, ""):
            continue
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                raise DomainError(
                    _("Enter the date %(name)s was reached as YYYY-MM-DD.")
                    % {"name": milestone.name},
                    field=f"ms_{milestone.pk}",
                ) from None
        if value > today:
            raise DomainError(
                _("%(name)s: the date reached cannot be in the future.") % {"name": milestone.name},
                field=f"ms_{milestone.pk}",
            )
        if value < earliest:
            raise DomainError(
                _("%(name)s: the date reached cannot be before the project's start year %(year)s.")
                % {"name": milestone.name, "year": project.start_year},
                field=f"ms_{milestone.pk}",
            )
        result[milestone.pk] = value
    return result


def earlier_totals(
    *, project: Project, period: ReportingPeriod, exclude_pk: int | None
) -> tuple[Decimal | None, Decimal | None]:
    """(year-to-date figure of the project's latest earlier report of the same year, or
    None when it has none; since-start figure of the latest earlier report of the same
    project code in any year, or None when this is its first report). Two queries."""
    earlier = (
        MonthlyReport.objects.filter(project__code=project.code)
        .exclude(pk=exclude_pk)
        .filter(period__year__lte=period.year)
        .exclude(period__year=period.year, period__month__gte=period.month)
        .order_by("-period__year", "-period__month")
    )
    ytd = (
        earlier.filter(project=project, period__year=period.year)
        .values_list("investment_ytd", flat=True)
        .first()
    )
    since = earlier.values_list("investment_since_start", flat=True).first()
    return ytd, since


def earlier_totals_many(
    *, project_ids: list[int], period: ReportingPeriod
) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """``earlier_totals`` of many projects of ``period.year`` at once, in two queries per
    chunk of projects, each on the report's (project, period) index.

    A project has one code and a code one project a year, so the latest earlier report of
    the code is the project's own latest earlier report of the year when there is one;
    only for the others (January, or the first report of the year) is the code looked up
    in earlier years. The report of ``period`` itself is never "earlier", so there is
    nothing to exclude."""
    year, month = period.year, period.month

    def latest(**match: Any) -> Any:
        return (
            MonthlyReport.objects.filter(**match)
            .filter(period__year__lte=year)
            .exclude(period__year=year, period__month__gte=month)
            .order_by("-period__year", "-period__month")
        )

    found: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    first_of_year: dict[str, list[int]] = {}
    for chunk in chunks(project_ids):
        same_year = latest(project_id=OuterRef("pk"), period__year=year)
        for pid, code, ytd, since in (
            Project.objects.filter(pk__in=chunk)
            .order_by()
            .annotate(
                ytd=Subquery(same_year.values("investment_ytd")[:1]),
                since=Subquery(same_year.values("investment_since_start")[:1]),
            )
            .values_list("pk", "code", "ytd", "since")
        ):
            found[pid] = (ytd, since)
            if ytd is None:
                first_of_year.setdefault(code, []).append(pid)
    codes = sorted(first_of_year)
    for chunk in chunks(codes):
        best: dict[str, tuple[int, Decimal | None]] = {}
        for code, y, since in (
            Project.objects.filter(code__in=chunk, year__lt=year)
            .order_by()
            .annotate(
                since=Subquery(
                    latest(project_id=OuterRef("pk")).values("investment_since_start")[:1]
                )
            )
            .filter(since__isnull=False)
            .values_list("code", "year", "since")
        ):
            if code not in best or y > best[code][0]:
                best[code] = (y, since)
        for code, (_y, since) in best.items():
            for pid in first_of_year[code]:
                found[pid] = (None, since)
    return found


def _typed_total(data: dict[str, Any], name: str, label: str) -> Decimal | None:
    if data.get(name) in (None, ""):
        return None
    return _money(data.get(name), name, label)


def _totals(
    *,
    project: Project,
    period: ReportingPeriod,
    data: dict[str, Any],
    month: Decimal,
    existing: MonthlyReport | None,
    earlier: tuple[Decimal | None, Decimal | None] | None,
) -> tuple[Decimal, Decimal]:
    """Year to date and since start: continued from the latest earlier report; typed only
    where no earlier report exists (the first report in luoshi of a year or of a project),
    else kept from what the report said before."""
    if earlier is None:
        earlier = earlier_totals(
            project=project, period=period, exclude_pk=existing.pk if existing else None
        )
    previous_ytd, previous_since = earlier
    if previous_ytd is not None:
        ytd = previous_ytd + month
    elif period.month == 1:
        ytd = month
    else:
        typed = _typed_total(data, "investment_ytd", _("investment year to date"))
        if typed is None:
            base = (existing.investment_ytd - existing.investment_month) if existing else 0
            typed = month + max(base, Decimal("0"))
        if typed < month:
            raise DomainError(
                _("Investment year to date (%(ytd)s) cannot be below this month's (%(month)s).")
                % {"ytd": typed, "month": month},
                field="investment_ytd",
            )
        ytd = typed
    if previous_since is not None:
        since = previous_since + month
    else:
        typed = _typed_total(data, "investment_since_start", _("investment since start"))
        if typed is None:
            base = (existing.investment_since_start - existing.investment_ytd) if existing else 0
            typed = ytd + max(base, Decimal("0"))
        if typed < ytd:
            raise DomainError(
                _("Investment since start (%(since)s) cannot be below the year to date (%(ytd)s).")
                % {"since": typed, "ytd": ytd},
                field="investment_since_start",
            )
        since = typed
    if ytd > MAX_MONEY or since > MAX_MONEY:
        raise DomainError(_("The totals are too large for 10k yuan."), field="investment_month")
    return quantize(ytd), quantize(since)


def clean_content(
    *,
    project: Project,
    period: ReportingPeriod,
    data: dict[str, Any],
    existing: MonthlyReport | None,
    earlier: tuple[Decimal | None, Decimal | None] | None = None,
    project_milestones: list[Milestone] | None = None,
) -> tuple[dict[str, Any], dict[int, datetime.date]]:
    """The report's fields from ``data`` (an allowlist), validated and derived.

    ``earlier`` (``earlier_totals`` of the project) and ``project_milestones`` are read
    here unless the caller loaded them already (the batch save, for many rows at once);
    given them, this makes no query."""
    if project_milestones is None:
        project_milestones = list(project.milestones.all())
    month = _money(data.get("investment_month"), "investment_month", _("investment this month"))
    ytd, since_start = _totals(
        project=project, period=period, data=data, month=month, existing=existing, earlier=earlier
    )
    milestones = _milestone_dates(
        project=project, raw=data.get("milestones"), milestones=project_milestones
    )
    fields: dict[str, Any] = {
        "investment_month": month,
        "investment_ytd": ytd,
        "investment_since_start": since_start,
        "needs_coordination": bool(data.get("needs_coordination")),
    }
    for name in TEXT_FIELDS:
        fields[name] = clean_text(data.get(name), name)
    if fields["needs_coordination"] and not (fields["problems"] or fields["help_needed"]):
        raise DomainError(
            _("Describe the problem or the help needed before asking for coordination."),
            field="problems",
        )
    weights = [(m.pk, m.weight, m.reached_on) for m in project_milestones]
    if weights and any(w is not None for _pk, w, _r in weights):
        fields["physical_progress"] = min(
            100, sum(w or 0 for pk, w, reached in weights if reached or pk in milestones)
        )
    else:
        progress = data.get("physical_progress")
        if progress in (None, ""):
            fields["physical_progress"] = None
        else:
            try:
                value = int(progress)
            except (TypeError, ValueError):
                value = -1
            if not 0 <= value <= 100:
                raise DomainError(
                    _("Physical progress is a whole number from 0 to 100."),
                    field="physical_progress",
                )
            fields["physical_progress"] = value
    return fields, milestones
