"""Calendar overrides (节假日调整): the office enters a year's holidays and adjusted
working days before the statutory library knows them, or a local arrangement. Audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record, snapshot
from luoshi.core.calendar import LIBRARY_YEARS
from luoshi.core.choices import AuditAction
from luoshi.core.errors import DomainError
from luoshi.core.models import CalendarDay
from luoshi.core.permissions import Perm, require

FIELDS = ["date", "is_working_day", "note"]


def _validate(data: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    day = data.get("date")
    if not isinstance(day, date):
        raise DomainError(_("Enter a date."), field="date")
    if not 2000 <= day.year <= 2100:
        raise DomainError(_("The year must lie between 2000 and 2100."), field="date")
    clash = CalendarDay.objects.filter(date=day)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("%(date)s already has an override: edit that one.") % {"date": day.isoformat()},
            field="date",
        )
    note = (data.get("note") or "").strip()
    if len(note) > 100:
        raise DomainError(_("Keep the note under 100 characters."), field="note")
    return {"date": day, "is_working_day": bool(data.get("is_working_day")), "note": note}


@transaction.atomic
def calendar_day_create(*, actor: Any, data: dict[str, Any]) -> CalendarDay:
    """Add an override: the date is a working day or a holiday whatever the library says."""
    require(actor, Perm.MANAGE_PROJECTS)
    obj = CalendarDay.objects.create(**_validate(data))
    audit_record(action=AuditAction.CREATE, actor=actor, obj=obj, after=snapshot(obj, FIELDS))
    return obj


@transaction.atomic
def calendar_day_update(*, actor: Any, day: CalendarDay, data: dict[str, Any]) -> CalendarDay:
    require(actor, Perm.MANAGE_PROJECTS)
    values = _validate(data, exclude_pk=day.pk)
    before = snapshot(day, FIELDS)
    for name, value in values.items():
        setattr(day, name, value)
    day.save()
    after = snapshot(day, FIELDS)
    if after != before:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=day, before=before, after=after)
    return day


@transaction.atomic
def calendar_day_delete(*, actor: Any, day: CalendarDay) -> None:
    require(actor, Perm.MANAGE_PROJECTS)
    before = snapshot(day, FIELDS)
    audit_record(action=AuditAction.DELETE, actor=actor, obj=day, before=before)
    day.delete()


def calendar_years() -> dict[str, Any]:
    """Which years are known: the library's range and the years with overrides (one query)."""
    override_years = sorted(
        set(
            CalendarDay.objects.annotate(y=ExtractYear("date"))
            .values_list("y", flat=True)
            .order_by()
            .distinct()
        )
    )
    return {
        "library_first": LIBRARY_YEARS[0],
        "library_last": LIBRARY_YEARS[-1],
        "override_years": override_years,
        "beyond_library": [y for y in override_years if y not in LIBRARY_YEARS],
    }


def calendar_days_of_year(year: int):
    """The overrides dated in ``year``, in date order (a queryset; a year has ≤ 366)."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")
