"""Importing the year's key-project list from the office's Excel table (重点项目表导入).

All or nothing: every row is validated first; a file with any bad row writes nothing and the
result lists every bad cell (sheet, row, column, value, reason). A dry run stops after the
validation and shows what would be created, updated or left unchanged. Rows match existing
projects of the year by code, else by normalised name."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.money import format_money
from luoshi.core.permissions import Perm, require
from luoshi.projects.choices import MilestoneKind, Stage
from luoshi.projects.excel.reader import WorkbookRefused, read_tables
from luoshi.projects.excel.rows import Issue, Names, Row, SheetWalk, field_labels
from luoshi.projects.models import Milestone, MonthlyPlan, Project, ReportingPeriod
from luoshi.projects.text import name_key, pinyin_initials

AUDIT_TEXT_LIMIT = 300  # long texts are cut in the audit trail; the project keeps them whole
CONSOLE = "console"  # the audit trail's name for the server console (CLI without --user)
_CHUNK = 900  # ids per IN (…) list, well under SQLite's variable limit

SCALAR_FIELDS = (
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
)
MILESTONE_FIELDS = {"start_date": MilestoneKind.START, "completion_date": MilestoneKind.COMPLETION}


@dataclass
class Change:
    """What the import does to one project: create, update (with the changed fields as
    label, before, after) or nothing."""

    action: str  # create | update | unchanged
    sheet: str
    row: int
    code: str
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    year: int
    dry_run: bool
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def created(self) -> list[Change]:
        return self.of("create")

    @property
    def updated(self) -> list[Change]:
        return self.of("update")

    @property
    def unchanged(self) -> list[Change]:
        return self.of("unchanged")


# ---------------------------------------------------------------------------------------
# Matching and differences


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing(year: int, codes: set[str], keys: set[str]) -> tuple[dict, dict, dict[int, dict]]:
    """Existing projects of ``year`` with these codes or name keys, with their M2M ids,
    monthly plans and milestone dates, in a bounded number of queries."""
    fields = ["id", "name_key", *SCALAR_FIELDS]
    found: dict[int, dict] = {}
    for chunk in _chunks(sorted(codes)):
        for p in Project.objects.filter(year=year, code__in=chunk).values(*fields):
            found[p["id"]] = p
    for chunk in _chunks(sorted(keys)):
        for p in Project.objects.filter(year=year, name_key__in=chunk).values(*fields):
            found[p["id"]] = p
    for p in found.values():
        p["cooperating_units"], p["leaders"], p["months"] = set(), set(), None
    ids = sorted(found)
    for chunk in _chunks(ids):
        through = Project.cooperating_units.through
        for pid, uid in through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "unit_id"
        ):
            found[pid]["cooperating_units"].add(uid)
        through = Project.leaders.through
        for pid, lid in through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "leader_id"
        ):
            found[pid]["leaders"].add(lid)
        for pid, month, planned in MonthlyPlan.objects.filter(project_id__in=chunk).values_list(
            "project_id", "month", "planned"
        ):
            if found[pid]["months"] is None:
                found[pid]["months"] = {m: Decimal("0.00") for m in range(1, 13)}
            found[pid]["months"][month] = planned
        for pid, kind, planned_on in (
            Milestone.objects.filter(project_id__in=chunk, kind__in=list(MILESTONE_FIELDS.values()))
            .order_by("project_id", "order", "id")
            .values_list("project_id", "kind", "planned_on")
        ):
            f = next(k for k, v in MILESTONE_FIELDS.items() if v == kind)
            found[pid].setdefault(f, planned_on)
    by_code = {p["code"]: p for p in found.values()}
    by_key: dict[str, list[dict]] = defaultdict(list)
    for p in found.values():
        by_key[p["name_key"]].append(p)
    return by_code, by_key, found


class _Show:
    """Field values as the user reads them in the changes table."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.stages = dict(Stage.choices)

    def __call__(self, f: str, value: Any) -> str:
        if value is None:
            return "—"
        if f == "category":
            return self.names.category_names.get(value, str(value))
        if f == "responsible_unit":
            return self.names.unit_names.get(value, str(value))
        if f == "cooperating_units":
            return "、".join(sorted(self.names.unit_names.get(i, str(i)) for i in value)) or "—"
        if f == "leaders":
            return "、".join(sorted(self.names.leader_names.get(i, str(i)) for i in value)) or "—"
        if f == "stage":
            return str(self.stages.get(value, value))
        if f == "months":
            return "、".join(f"{m}月 {format_money(a)}" for m, a in sorted(value.items()))
        if isinstance(value, Decimal):
            return format_money(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


def _default_stage(year: int, start: int) -> str:
    if start > year:
        return Stage.PREPARATION
    return Stage.NEW if start == year else Stage.CONTINUING


def _complete_new(row: Row, year: int) -> list[str]:
    """Fill what a new project needs but the sheet may leave out; say what is missing."""
    v = row.values
    missing = []
    if v.get("category") is None and not v.get("category_bad"):
        missing.append(_("category (a 项目类别 column or a section row such as 一、工业项目)"))
    if v.get("responsible_unit") is None:
        missing.append(_("responsible unit"))
    if v.get("total_investment") is None:
        missing.append(_("total investment"))
    v.setdefault("annual_plan", Decimal("0.00"))
    start = v.get("start_year") or min(year, v.get("end_year") or year)
    end = v.get("end_year") or max(year, start)
    v["start_year"], v["end_year"] = start, end
    if not v.get("stage"):
        v["stage"] = _default_stage(year, start)
    return missing


def _next_codes(year: int, taken: set[str]) -> Iterable[str]:
    n = 1
    while True:
        code = f"{year}-{n:04d}"
        if code not in taken:
            yield code
        n += 1


# ---------------------------------------------------------------------------------------
# The service


def import_projects(*, actor: Any, file: str | Path, year: int, dry_run: bool) -> ImportResult:
    """Validate the whole workbook at ``file`` against the ``year``'s project list; unless
    ``dry_run`` or any error, create and update the projects in one transaction, with one
    audit entry per created or updated project. ``actor=None`` is the server console (the
    CLI without ``--user``), audited as "console"."""
    if actor is not None:
        require(actor, Perm.MANAGE_PROJECTS)
    result = ImportResult(year=year, dry_run=dry_run)
    try:
        read = read_tables(file)
    except WorkbookRefused as exc:
        result.errors.append(Issue("", None, "", "", "", str(exc.message)))
        return result
    for name in read.skipped_sheets:
        result.warnings.append(
            Issue(name, None, "", "", "", _("Sheet skipped: no header row recognised."))
        )
    names = Names()
    rows: list[Row] = []
    for table in read.tables:
        rows.extend(SheetWalk(table, names, year, result).walk())
    if not rows and not result.errors:
        result.errors.append(Issue("", None, "", "", "", _("The file has no project rows.")))

    _check_duplicates(rows, result)
    codes = {r.values["code"] for r in rows if r.values.get("code")}
    keys = {name_key(r.values["name"]) for r in rows if r.values.get("name")}
    by_code, by_key, found = _existing(year, codes, keys)
    show = _Show(names)
    labels = field_labels()
    taken = set(Project.objects.filter(year=year).values_list("code", flat=True)) | codes
    new_codes = iter(_next_codes(year, taken))

    for row in rows:
        if not row.values.get("name"):
            continue
        v = row.values
        current = _match(row, by_code, by_key, result)
        if current is False:
            continue
        annual = v.get("annual_plan", current["annual_plan"] if current else None)
        if row.months is not None:
            total = sum(row.months.values(), Decimal("0.00"))
            if annual is not None and total != annual:
                result.errors.append(
                    _row_issue(
                        row,
                        _("The monthly plans add up to %(sum)s but the annual plan is %(annual)s.")
                        % {"sum": format_money(total), "annual": format_money(annual)},
                    )
                )
        if current is None:
            missing = _complete_new(row, year)
            if missing and not _has_error(row, result):
                result.errors.append(
                    _row_issue(
                        row, _("A new project needs: %(what)s.") % {"what": "；".join(missing)}
                    )
                )
            if not v.get("code"):
                v["code"] = next(new_codes)
            fields = [
                (labels[f], "", show(f, v[f]))
                for f in (*SCALAR_FIELDS, "cooperating_units", "leaders", *MILESTONE_FIELDS)
                if v.get(f) not in (None, "", set())
            ]
            if row.months is not None:
                fields.append((labels["months"], "", show("months", row.months)))
            result.changes.append(
                Change("create", row.sheet, row.number, v["code"], v["name"], fields)
            )
            continue
        row.project_id = current["id"]
        changed = []
        for f in (*SCALAR_FIELDS, "cooperating_units", "leaders", *MILESTONE_FIELDS):
            if f in v and v[f] is not None and v[f] != current.get(f):
                changed.append(f)
        if row.months is not None and row.months != current["months"]:
            changed.append("months")
        v["_changed"] = changed
        v["_before"] = current
        fields = [
            (
                labels[f],
                show(f, current.get(f)),
                show(f, row.months if f == "months" else v[f]),
            )
            for f in changed
        ]
        action = "update" if changed else "unchanged"
        result.changes.append(
            Change(action, row.sheet, row.number, current["code"], v["name"], fields)
        )

    if result.errors or dry_run:
        return result
    _apply(actor=actor, year=year, rows=rows, result=result)
    result.applied = True
    return result


def _row_issue(row: Row, message: str) -> Issue:
    return Issue(row.sheet, row.number, "", "", row.values.get("name", ""), message)


def _has_error(row: Row, result: ImportResult) -> bool:
    return any(e.sheet == row.sheet and e.row == row.number for e in result.errors)


def _check_duplicates(rows: list[Row], result: ImportResult) -> None:
    seen_code: dict[str, Row] = {}
    seen_name: dict[str, Row] = {}
    for row in rows:
        code = row.values.get("code")
        if code:
            first = seen_code.setdefault(code, row)
            if first is not row:
                result.errors.append(
                    Issue(
                        row.sheet,
                        row.number,
                        "",
                        "",
                        code,
                        _("The code %(code)s appears twice in the file (first in row %(row)s).")
                        % {"code": code, "row": first.number},
                    )
                )
        key = name_key(row.values.get("name"))
        if key:
            first = seen_name.setdefault(key, row)
            if first is not row:
                result.errors.append(
                    Issue(
                        row.sheet,
                        row.number,
                        "",
                        "",
                        row.values["name"],
                        _(
                            "The project “%(name)s” appears twice in the file (first in row %(row)s)."
                        )
                        % {"name": row.values["name"], "row": first.number},
                    )
                )


def _match(row: Row, by_code: dict, by_key: dict, result: ImportResult) -> dict | None | bool:
    """The existing project the row means (dict), None for a new one, False on a conflict."""
    code = row.values.get("code")
    key = name_key(row.values["name"])
    if code and code in by_code:
        return by_code[code]
    candidates = by_key.get(key, [])
    if len(candidates) > 1:
        result.errors.append(
            _row_issue(
                row,
                _("Several projects of this year have this name; give the code to say which one."),
            )
        )
        return False
    if candidates:
        existing = candidates[0]
        if code and existing["code"] != code:
            result.errors.append(
                _row_issue(
                    row,
                    _(
                        "A project with this name already has the code %(old)s; the file says %(new)s."
                    )
                    % {"old": existing["code"], "new": code},
                )
            )
            return False
        return existing
    return None


def _audit_value(f: str, value: Any) -> Any:
    if isinstance(value, str) and len(value) > AUDIT_TEXT_LIMIT:
        return value[:AUDIT_TEXT_LIMIT] + "…"
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, dict):
        return {str(m): str(a) for m, a in sorted(value.items())}
    return value


@transaction.atomic
def _apply(*, actor: Any, year: int, rows: list[Row], result: ImportResult) -> None:
    stamp = now()
    new_rows = [r for r in rows if r.project_id is None and r.values.get("name")]
    upd_rows = [r for r in rows if r.project_id is not None and r.values.get("_changed")]
    created = Project.objects.bulk_create(
        [
            Project(
                year=year,
                code=r.values["code"],
                name=r.values["name"],
                name_key=name_key(r.values["name"]),
                pinyin_initials=pinyin_initials(r.values["name"])[:200],
                category_id=r.values["category"],
                stage=r.values["stage"],
                content=r.values.get("content", ""),
                location=r.values.get("location", ""),
                total_investment=r.values["total_investment"],
                annual_plan=r.values["annual_plan"],
                start_year=r.values["start_year"],
                end_year=r.values["end_year"],
                responsible_unit_id=r.values["responsible_unit"],
                created_at=stamp,
                updated_at=stamp,
            )
            for r in new_rows
        ],
        batch_size=500,
    )
    if any(p.pk is None for p in created):  # a database that does not return ids
        ids = dict(
            Project.objects.filter(year=year, code__in=[p.code for p in created]).values_list(
                "code", "id"
            )
        )
        for p in created:
            p.pk = p.id = ids[p.code]
    for r, p in zip(new_rows, created, strict=True):
        r.project_id = p.pk

    objs = {p.pk: p for p in created}
    for chunk in _chunks([r.project_id for r in upd_rows]):
        objs.update(Project.objects.in_bulk(chunk))
    update_fields: set[str] = set()
    for r in upd_rows:
        p = objs[r.project_id]
        for f in r.values["_changed"]:
            if f in SCALAR_FIELDS:
                attname = f"{f}_id" if f in ("category", "responsible_unit") else f
                setattr(p, attname, r.values[f])
                update_fields.add(attname)
        if "name" in r.values["_changed"]:
            p.name_key = name_key(p.name)
            p.pinyin_initials = pinyin_initials(p.name)[:200]
            update_fields |= {"name_key", "pinyin_initials"}
        p.updated_at = stamp
    if upd_rows:
        update_fields.add("updated_at")
        Project.objects.bulk_update(
            [objs[r.project_id] for r in upd_rows], sorted(update_fields), batch_size=500
        )

    touched = new_rows + upd_rows
    _apply_m2m(touched)
    _apply_months(touched)
    _apply_milestones(touched)

    for r in new_rows:
        after = {
            f: _audit_value(f, r.values.get(f))
            for f in (*SCALAR_FIELDS, "cooperating_units", "leaders", *MILESTONE_FIELDS)
            if r.values.get(f) not in (None, "", set())
        }
        if r.months is not None:
            after["months"] = _audit_value("months", r.months)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            username=CONSOLE,
            obj=objs[r.project_id],
            after=after,
        )
    for r in upd_rows:
        before_all = r.values["_before"]
        changed = r.values["_changed"]
        before = {f: _audit_value(f, before_all.get(f)) for f in changed}
        after = {f: _audit_value(f, r.months if f == "months" else r.values[f]) for f in changed}
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            username=CONSOLE,
            obj=objs[r.project_id],
            before=before,
            after=after,
        )
    _refresh_lamps([r.project_id for r in touched], year)


def _changes(r: Row, f: str) -> bool:
    if r.values.get("_changed") is None:  # a new project: whatever the sheet gave
        return f in r.values and r.values[f] not in (None, set())
    return f in r.values["_changed"]


def _apply_m2m(rows: list[Row]) -> None:
    for f, model, col in (
        ("cooperating_units", Project.cooperating_units.through, "unit_id"),
        ("leaders", Project.leaders.through, "leader_id"),
    ):
        target = [r for r in rows if _changes(r, f)]
        ids = [r.project_id for r in target if r.values.get("_changed") is not None]
        for chunk in _chunks(ids):
            model.objects.filter(project_id__in=chunk).delete()
        model.objects.bulk_create(
            [
                model(project_id=r.project_id, **{col: i})
                for r in target
                for i in sorted(r.values[f])
            ],
            batch_size=1000,
        )


def _apply_months(rows: list[Row]) -> None:
    target = [
        r
        for r in rows
        if r.months is not None
        and (r.values.get("_changed") is None or "months" in r.values["_changed"])
    ]
    for chunk in _chunks([r.project_id for r in target]):
        MonthlyPlan.objects.filter(project_id__in=chunk).delete()
    MonthlyPlan.objects.bulk_create(
        [
            MonthlyPlan(project_id=r.project_id, month=m, planned=a)
            for r in target
            for m, a in sorted(r.months.items())
        ],
        batch_size=1000,
    )


def _apply_milestones(rows: list[Row]) -> None:
    names = {f: str(kind.label) for f, kind in MILESTONE_FIELDS.items()}
    for f, kind in MILESTONE_FIELDS.items():
        target = [r for r in rows if _changes(r, f)]
        if not target:
            continue
        existing: dict[int, Milestone] = {}
        for chunk in _chunks([r.project_id for r in target]):
            for m in Milestone.objects.filter(project_id__in=chunk, kind=kind).order_by(
                "-order", "-id"
            ):
                existing[m.project_id] = m  # the first by order wins
        to_update, to_create = [], []
        for r in target:
            m = existing.get(r.project_id)
            if m is None:
                order = 0 if kind == MilestoneKind.START else 90
                to_create.append(
                    Milestone(
                        project_id=r.project_id,
                        kind=kind,
                        name=names[f],
                        planned_on=r.values[f],
                        order=order,
                    )
                )
            else:
                m.planned_on = r.values[f]
                to_update.append(m)
        Milestone.objects.bulk_create(to_create, batch_size=1000)
        Milestone.objects.bulk_update(to_update, ["planned_on"], batch_size=500)


def _refresh_lamps(project_ids: list[int], year: int) -> None:
    """Plans changed: the lamps of the year's open periods are stale."""
    from luoshi.projects.status import status_refresh

    for period in ReportingPeriod.objects.filter(year=year, locked_at__isnull=True):
        try:
            status_refresh(project_ids=project_ids, period=period)
        except NotImplementedError:  # the lamp engine is not wired in yet
            return
