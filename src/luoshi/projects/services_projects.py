"""Writes of the project library (项目库): the office creates and edits key projects with
their monthly plan curve and milestones.

Every function checks the actor's capability, validates everything before it writes
anything (so a refusal changes nothing), runs in one transaction, records an audit entry
with the before and after values, and has the project's lamp recomputed for the latest
period of its year (a new plan or milestone can change the colour).

Decisions, in the office's words:
- A code is unique within a year's list (not case-sensitive); the same project running
  several years keeps its code in each year's list.
- The annual planned investment cannot exceed the total investment: it is a part of it.
- A monthly plan, when given, must add up to the annual planned investment exactly: the
  lamp measures against that curve, and a curve that does not reach the annual figure would
  make every lamp wrong by the difference. Blank months count as zero.
- Milestone weights are optional; when any is given they must add up to 100 (physical
  progress in % is then the sum of the weights reached).
- A milestone that a monthly report has stated as reached cannot be removed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.core.permissions import Perm, require
from luoshi.orgs.models import Leader, Unit
from luoshi.projects.choices import MilestoneKind, Stage
from luoshi.projects.models import (
    Category,
    Milestone,
    MonthlyPlan,
    Project,
    ReportingPeriod,
    ReportMilestone,
)
from luoshi.projects.status import status_refresh
from luoshi.projects.text import name_key, pinyin_initials

PROJECT_FIELDS = [
    "year",
    "code",
    "name",
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
]
MIN_YEAR, MAX_YEAR = 2000, 2100
# Milestones such as project approval (立项) may lie years before construction starts.
MILESTONE_YEARS_MARGIN = 5


class MilestoneData(TypedDict, total=False):
    id: int | None  # an existing milestone of the project, None for a new one
    kind: str
    name: str
    planned_on: dt.date
    weight: int | None


class ProjectData(TypedDict, total=False):
    year: int
    code: str
    name: str
    category: Category
    stage: str
    content: str
    location: str
    total_investment: Decimal
    annual_plan: Decimal
    start_year: int
    end_year: int
    responsible_unit: Unit
    cooperating_units: list[Unit]
    leaders: list[Leader]
    is_published: bool
    # Twelve amounts (None for a blank month); all blank: no plan curve. Absent: unchanged.
    plan: list[Decimal | None]
    # The complete list of milestones after the change. Absent: unchanged.
    milestones: list[MilestoneData]


def _text(value: Any) -> str:
    return (value or "").strip()


def _money(value: Any, field: str, label: str, *, required: bool = True) -> Decimal | None:
    if value is None:
        if required:
            raise DomainError(_("%(field)s is required.") % {"field": label}, field=field)
        return None
    value = Decimal(value).quantize(Decimal("0.01"))
    if value < 0:
        raise DomainError(
            _("%(field)s cannot be negative.") % {"field": label}, field=field, code="negative"
        )
    if value >= Decimal("1e12"):
        raise DomainError(_("%(field)s is too large.") % {"field": label}, field=field)
    return value


def _year(value: Any, field: str, label: str) -> int:
    if value is None or not (MIN_YEAR <= int(value) <= MAX_YEAR):
        raise DomainError(
            _("%(field)s must be a year between %(min)d and %(max)d.")
            % {"field": label, "min": MIN_YEAR, "max": MAX_YEAR},
            field=field,
        )
    return int(value)


def _validate_fields(obj: Project, data: ProjectData) -> None:
    """Copy and check the plain fields onto ``obj`` (not saved)."""
    year = _year(data.get("year"), "year", _("Year"))
    code, name = _text(data.get("code")), _text(data.get("name"))
    if not code:
        raise DomainError(_("%(field)s is required.") % {"field": _("Code")}, field="code")
    if len(code) > 32:
        raise DomainError(_("The code can have at most 32 characters."), field="code")
    if not name:
        raise DomainError(_("%(field)s is required.") % {"field": _("Name")}, field="name")
    if len(name) > 200:
        raise DomainError(_("The name can have at most 200 characters."), field="name")
    clash = Project.objects.filter(year=year, code__iexact=code).exclude(pk=obj.pk).first()
    if clash:
        raise DomainError(
            _("The code “%(code)s” is already used in %(year)d by “%(name)s”.")
            % {"code": clash.code, "year": year, "name": clash.name},
            field="code",
        )
    category = data.get("category")
    if category is None:
        raise DomainError(_("Choose the category."), field="category")
    stage = data.get("stage") or Stage.CONTINUING
    if stage not in Stage.values:
        raise DomainError(_("Choose a stage from the list."), field="stage")
    unit = data.get("responsible_unit")
    if unit is None:
        raise DomainError(_("Choose the responsible unit."), field="responsible_unit")
    total = _money(data.get("total_investment"), "total_investment", _("Total investment"))
    annual = _money(data.get("annual_plan"), "annual_plan", _("Annual planned investment"))
    if annual > total:
        raise DomainError(
            _(
                "The annual planned investment (%(annual)s) cannot exceed the total "
                "investment (%(total)s): it is a part of it."
            )
            % {"annual": annual, "total": total},
            field="annual_plan",
        )
    start = _year(data.get("start_year"), "start_year", _("Start year"))
    end = _year(data.get("end_year"), "end_year", _("End year"))
    if start > end:
        raise DomainError(
            _("The start year (%(start)d) cannot be after the end year (%(end)d).")
            % {"start": start, "end": end},
            field="end_year",
        )
    if end < year:
        raise DomainError(
            _("A project that ended in %(end)d does not belong to the list of %(year)d.")
            % {"end": end, "year": year},
            field="end_year",
        )
    obj.year, obj.code, obj.name = year, code, name
    obj.name_key, obj.pinyin_initials = name_key(name), pinyin_initials(name)[:200]
    obj.category, obj.stage = category, stage
    obj.content = _text(data.get("content"))
    obj.location = _text(data.get("location"))[:200]
    obj.total_investment, obj.annual_plan = total, annual
    obj.start_year, obj.end_year = start, end
    obj.responsible_unit = unit
    obj.is_published = bool(data.get("is_published", False))


def _validate_plan(plan: list[Decimal | None], annual: Decimal) -> list[Decimal] | None:
    """Twelve amounts summing to the annual plan, or None for no plan at all."""
    if len(plan) != 12:
        raise DomainError(_("The monthly plan needs twelve months."), field="plan")
    if all(v is None for v in plan):
        return None
    amounts: list[Decimal] = []
    for month, value in enumerate(plan, start=1):
        amount = Decimal(value or 0).quantize(Decimal("0.01"))
        if amount < 0:
            raise DomainError(
                _("The plan of month %(month)d cannot be negative.") % {"month": month},
                field="plan",
            )
        amounts.append(amount)
    total = sum(amounts, Decimal("0"))
    if total != annual:
        raise DomainError(
            _(
                "The monthly plan adds up to %(sum)s but the annual planned investment is "
                "%(annual)s; they must be equal."
            )
            % {"sum": total, "annual": annual},
            field="plan",
        )
    return amounts


def _validate_milestones(project: Project, items: list[MilestoneData]) -> list[MilestoneData]:
    lo = min(project.start_year, project.year) - MILESTONE_YEARS_MARGIN
    hi = max(project.end_year, project.year) + MILESTONE_YEARS_MARGIN
    existing = set(project.milestones.values_list("pk", flat=True)) if project.pk else set()
    clean: list[MilestoneData] = []
    for i, item in enumerate(items, start=1):
        name = _text(item.get("name"))
        kind = item.get("kind") or MilestoneKind.OTHER
        if kind not in MilestoneKind.values:
            raise DomainError(
                _("Milestone %(n)d: choose a kind from the list.") % {"n": i}, field="milestones"
            )
        if not name:
            name = str(MilestoneKind(kind).label)
        planned_on = item.get("planned_on")
        if planned_on is None:
            raise DomainError(
                _("Milestone %(n)d (%(name)s): the planned date is required.")
                % {"n": i, "name": name},
                field="milestones",
            )
        if not (lo <= planned_on.year <= hi):
            raise DomainError(
                _(
                    "Milestone %(n)d (%(name)s): the planned date %(date)s is outside the "
                    "years %(lo)d–%(hi)d of this project."
                )
                % {"n": i, "name": name, "date": planned_on.isoformat(), "lo": lo, "hi": hi},
                field="milestones",
            )
        weight = item.get("weight")
        if weight is not None and not (0 <= int(weight) <= 100):
            raise DomainError(
                _("Milestone %(n)d (%(name)s): the weight must be between 0 and 100.")
                % {"n": i, "name": name},
                field="milestones",
            )
        pk = item.get("id")
        if pk is not None and pk not in existing:
            raise DomainError(
                _("Milestone %(n)d is not a milestone of this project.") % {"n": i},
                field="milestones",
            )
        clean.append(
            {"id": pk, "kind": kind, "name": name[:64], "planned_on": planned_on, "weight": weight}
        )
    weights = [m["weight"] for m in clean if m["weight"] is not None]
    if weights and sum(weights) != 100:
        raise DomainError(
            _(
                "The milestone weights add up to %(sum)d; when weights are given they must "
                "add up to 100."
            )
            % {"sum": sum(weights)},
            field="milestones",
        )
    removed = existing - {m["id"] for m in clean if m["id"] is not None}
    if removed:
        reached = (
            Milestone.objects.filter(pk__in=removed)
            .filter(pk__in=ReportMilestone.objects.values("milestone_id"))
            .values_list("name", flat=True)
            .first()
        )
        if reached:
            raise DomainError(
                _(
                    "The milestone “%(name)s” cannot be removed: a monthly report has stated "
                    "it as reached."
                )
                % {"name": reached},
                field="milestones",
            )
    return clean


def _write_plan(project: Project, amounts: list[Decimal] | None) -> None:
    MonthlyPlan.objects.filter(project=project).delete()
    if amounts is not None:
        MonthlyPlan.objects.bulk_create(
            [MonthlyPlan(project=project, month=m, planned=a) for m, a in enumerate(amounts, 1)]
        )


def _write_milestones(project: Project, items: list[MilestoneData]) -> None:
    keep = {m["id"] for m in items if m["id"] is not None}
    Milestone.objects.filter(project=project).exclude(pk__in=keep).delete()
    current = {m.pk: m for m in Milestone.objects.filter(project=project)}
    new: list[Milestone] = []
    changed: list[Milestone] = []
    for order, item in enumerate(items):
        values = {k: item[k] for k in ("kind", "name", "planned_on", "weight")}
        if item["id"] is None:
            new.append(Milestone(project=project, order=order, **values))
        else:
            obj = current[item["id"]]
            for k, v in values.items():
                setattr(obj, k, v)
            obj.order = order
            changed.append(obj)
    Milestone.objects.bulk_create(new)
    if changed:
        Milestone.objects.bulk_update(changed, ["kind", "name", "planned_on", "weight", "order"])


def _state(project: Project) -> dict[str, Any]:
    """Everything the audit trail keeps of a project: fields, links, plan, milestones."""
    data = snapshot(project, PROJECT_FIELDS)
    data["cooperating_units"] = sorted(project.cooperating_units.values_list("pk", flat=True))
    data["leaders"] = sorted(project.leaders.values_list("pk", flat=True))
    data["plan"] = [
        str(v) for v in project.monthly_plans.order_by("month").values_list("planned", flat=True)
    ]
    data["milestones"] = [
        {
            "id": m["id"],
            "kind": m["kind"],
            "name": m["name"],
            "planned_on": m["planned_on"].isoformat(),
            "weight": m["weight"],
        }
        for m in project.milestones.order_by("order", "id").values(
            "id", "kind", "name", "planned_on", "weight"
        )
    ]
    return data


def _refresh_lamp(project: Project) -> None:
    """Recompute the lamp of the latest period of the project's year, if there is one."""
    period = ReportingPeriod.objects.filter(year=project.year).order_by("-month").first()
    if period is not None:
        status_refresh(project_ids=[project.pk], period=period)


def _apply(project: Project, data: ProjectData) -> tuple[Any, Any]:
    """Validate everything, then write; returns (plan, milestones) as validated."""
    _validate_fields(project, data)
    plan = (
        _validate_plan(list(data["plan"]), project.annual_plan)
        if data.get("plan") is not None
        else ...
    )
    if plan is ... and project.pk:
        # The plan is unchanged, but must still match a changed annual figure.
        existing = list(project.monthly_plans.values_list("planned", flat=True))
        if existing:
            _validate_plan(existing + [None] * (12 - len(existing)), project.annual_plan)
    milestones = (
        _validate_milestones(project, list(data["milestones"]))
        if data.get("milestones") is not None
        else ...
    )
    return plan, milestones


def _save_links(project: Project, data: ProjectData) -> None:
    if "cooperating_units" in data:
        units = [u for u in data["cooperating_units"] if u.pk != project.responsible_unit_id]
        project.cooperating_units.set(units)
    if "leaders" in data:
        project.leaders.set(data["leaders"])


@transaction.atomic
def project_create(*, actor: Any, data: ProjectData) -> Project:
    """Add a key project (重点项目) to a year's list, with its plan curve and milestones."""
    require(actor, Perm.MANAGE_PROJECTS)
    project = Project()
    plan, milestones = _apply(project, data)
    project.created_at = project.updated_at = now()
    project.save()
    _save_links(project, data)
    if plan is not ...:
        _write_plan(project, plan)
    if milestones is not ...:
        _write_milestones(project, milestones)
    audit_record(action=AuditAction.CREATE, actor=actor, obj=project, after=_state(project))
    _refresh_lamp(project)
    return project


@transaction.atomic
def project_update(*, actor: Any, project: Project, data: ProjectData) -> Project:
    """Change a project's facts, plan curve or milestones; ``plan`` and ``milestones``
    left out of ``data`` stay as they are."""
    require(actor, Perm.MANAGE_PROJECTS)
    obj = Project.objects.select_for_update().get(pk=project.pk)
    before = _state(obj)
    plan, milestones = _apply(obj, data)
    obj.updated_at = now()
    obj.save()
    _save_links(obj, data)
    if plan is not ...:
        _write_plan(obj, plan)
    if milestones is not ...:
        _write_milestones(obj, milestones)
    after = _state(obj)
    if before != after:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, before=before, after=after)
        _refresh_lamp(obj)
    return obj
