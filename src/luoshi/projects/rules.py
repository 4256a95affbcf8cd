"""The warning lamp (红黄绿灯) as pure functions over plain values.

No ORM here: ``luoshi.projects.status`` fetches the figures, these functions decide. The
rules, in the office's words (defaults; every threshold is in the year's settings):

- The completion ratio r is the investment completed in the year up to the month judged
  (1–N月完成投资, from the latest report the office has accepted) divided by the planned
  investment of months 1–N by the plan curve. Green when r ≥ 95 %, yellow when
  80 % ≤ r < 95 %, red when r < 80 %.
- A milestone (节点) not reached more than 30 days after its planned date makes the lamp at
  least yellow; more than 60 days, red.
- No report for two periods in a row makes it red.
- Before the project's first planned month (nothing planned yet) the lamp is grey.
- After that month, a project with nothing planned so far is judged on its milestones
  (and missing reports) only.

Every lamp says why it is that colour in one sentence with the figures; when several
causes apply, the sentence names the worst and counts the others.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext, ngettext, pgettext

from luoshi.core.money import format_money
from luoshi.projects.choices import LAMP_SEVERITY, Lamp

ZERO = Decimal("0")
HUNDRED = Decimal("100")

# English month abbreviations for the English sentence only; the Chinese catalogue renders
# month ranges from the numbers ("1–6月"), see ``month_range``.
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class CauseKind:
    """What made a lamp its colour (stable identifiers, also stored nowhere but tests)."""

    MISSING_REPORTS = "missing_reports"
    INVESTMENT = "investment"
    MILESTONE = "milestone"


# Among causes of the same colour, the one named in the sentence: missing reports first
# (the office cannot judge what it has not received), then investment, then milestones.
_KIND_ORDER = {CauseKind.MISSING_REPORTS: 0, CauseKind.INVESTMENT: 1, CauseKind.MILESTONE: 2}


@dataclass(frozen=True)
class LampSettings:
    """The year's thresholds (``YearSettings``), as plain values. Ratios are fractions
    (0.95 = 95 %); days count calendar days after the planned date."""

    green_ratio: Decimal = Decimal("0.95")
    yellow_ratio: Decimal = Decimal("0.80")
    milestone_yellow_days: int = 30
    milestone_red_days: int = 60
    missing_periods_red: int = 2


@dataclass(frozen=True)
class MilestoneFact:
    """A milestone as the lamp sees it: its name, planned date and the date it was reached
    (None while not reached)."""

    name: str
    planned_on: date
    reached_on: date | None = None


@dataclass(frozen=True)
class LampInput:
    """Everything the lamp of one project as of one month depends on.

    ``planned_by_month``: the monthly plan (twelve amounts, January first, 万元).
    ``actual_ytd``: 1–N月 investment of the latest accepted report up to ``as_of_month``
    (None: no accepted report this year). ``as_of_date``: the day the lamp is judged at
    (milestones are overdue as of that day). ``missing_periods``: reports missing in a row
    up to the month judged. ``first_planned_month``: the project's first month with
    anything planned; None derives it from the plan curve and the milestones."""

    year: int
    as_of_month: int
    planned_by_month: tuple[Decimal, ...]
    actual_ytd: Decimal | None
    as_of_date: date
    milestones: tuple[MilestoneFact, ...] = ()
    missing_periods: int = 0
    settings: LampSettings = field(default_factory=LampSettings)
    first_planned_month: int | None = None


@dataclass(frozen=True)
class Cause:
    """One rule that fired: its kind, the colour it asks for, the clause that says why
    (without final punctuation), and how bad it is within its colour (for ordering)."""

    kind: str
    lamp: str
    clause: str
    weight: int = 0
    subject: str = ""
    code: str = ""
    args: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class LampResult:
    """The lamp, its one-sentence reason and the figures behind it."""

    lamp: str
    reason: str
    planned_ytd: Decimal
    actual_ytd: Decimal | None
    ratio: Decimal | None
    causes: tuple[Cause, ...] = ()
    # The reason as its code and figures (``render_reason`` writes it in any language).
    reason_data: dict = field(default_factory=dict, compare=False, hash=False)


# --------------------------------------------------------------------------- helpers


def month_range(last: int, first: int = 1) -> str:
    """ "Jan–Jun" in English, "1–6月" in Chinese; one month alone: "Jan" / "1月"."""
    values = {
        "first": first,
        "last": last,
        "first_abbr": _MONTH_ABBR[first - 1],
        "last_abbr": _MONTH_ABBR[last - 1],
    }
    if first == last:
        # Chinese writes "6月" from the month number, not the abbreviation.
        # xgettext:no-python-format
        return pgettext("lamp month", "%(last_abbr)s") % values
    # xgettext:no-python-format
    return pgettext("lamp month range", "%(first_abbr)s–%(last_abbr)s") % values


def format_percent(value: Decimal, *, threshold: Decimal | None = None) -> str:
    """A percentage as the office writes it ("71"), rounded down, with as many decimals
    (up to two) as needed so that it does not appear to cross ``threshold``."""
    for places in (Decimal("1"), Decimal("0.1"), Decimal("0.01")):
        shown = value.quantize(places, rounding=ROUND_DOWN)
        if threshold is None or (shown < threshold) == (value < threshold):
            break
    text = f"{shown:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(ratio: Decimal) -> Decimal:
    return ratio * HUNDRED


def latest_accepted_ytd(reports: Iterable[tuple[int, Decimal]], as_of_month: int) -> Decimal | None:
    """1–N月 investment of the latest accepted report up to ``as_of_month``.
    ``reports``: (month, investment_ytd) of the year's accepted reports, in any order."""
    best: tuple[int, Decimal] | None = None
    for month, ytd in reports:
        if month <= as_of_month and (best is None or month > best[0]):
            best = (month, ytd)
    return None if best is None else best[1]


def count_missing_periods(
    *, as_of_month: int, first_month: int, filed_months: Iterable[int], due_months: Iterable[int]
) -> int:
    """Reports missing in a row, counted back from ``as_of_month``.

    A month counts as missing when its period was opened, its deadline has passed
    (``due_months``) and the project has no filed report for it (``filed_months``: months
    with a report that reached the office at least once). Months whose deadline has not
    passed yet are not missing and are skipped at the start of the count; a month that was
    never opened for reporting, or before ``first_month``, ends the count."""
    filed, due = set(filed_months), set(due_months)
    month = as_of_month
    while month >= first_month and month not in due and month not in filed:
        month -= 1  # not due yet: the unit still has time
    count = 0
    while month >= first_month and month in due and month not in filed:
        count += 1
        month -= 1
    return count


def derive_first_planned_month(
    year: int, planned_by_month: tuple[Decimal, ...], milestones: Iterable[MilestoneFact]
) -> int | None:
    """The first month with planned investment or a milestone planned in it (a milestone
    planned in an earlier year counts from January); None when nothing is planned."""
    candidates = [i + 1 for i, amount in enumerate(planned_by_month) if amount > 0]
    for m in milestones:
        if m.planned_on.year < year:
            candidates.append(1)
        elif m.planned_on.year == year:
            candidates.append(m.planned_on.month)
    return min(candidates) if candidates else None


def _severity(lamp: str) -> int:
    return LAMP_SEVERITY[Lamp(lamp)]


# --------------------------------------------------------------------------- the rules


def _investment_cause(
    inp: LampInput, planned: Decimal, actual: Decimal | None
) -> tuple[Cause, Decimal]:
    """Completion ratio: green r ≥ green threshold, yellow r ≥ yellow threshold, else red.
    No accepted report means nothing completed as far as the office's figures go."""
    s = inp.settings
    counted = actual if actual is not None else ZERO
    ratio = counted / planned
    if counted >= s.green_ratio * planned:
        lamp, threshold = Lamp.GREEN, s.green_ratio
    elif counted >= s.yellow_ratio * planned:
        lamp, threshold = Lamp.YELLOW, s.green_ratio
    else:
        lamp, threshold = Lamp.RED, s.yellow_ratio
    args = {
        "month": inp.as_of_month,
        "actual": format_money(counted),
        "planned": format_money(planned),
        "pct": format_percent(_pct(ratio), threshold=_pct(threshold)),
        "threshold": format_percent(_pct(threshold)),
    }
    if actual is None:
        code = "investment_none"
    elif lamp == Lamp.GREEN:
        code = "investment_ok"
    else:
        code = "investment_low"
    clause = _clause(code, args)
    cause = Cause(
        CauseKind.INVESTMENT, lamp, clause, weight=-int(_pct(ratio)), code=code, args=args
    )
    return cause, ratio


def _milestone_causes(inp: LampInput) -> list[Cause]:
    """A milestone not reached by the judging day more than ``milestone_yellow_days`` after
    its planned date: yellow; more than ``milestone_red_days``: red."""
    s = inp.settings
    causes = []
    for m in inp.milestones:
        if m.reached_on is not None and m.reached_on <= inp.as_of_date:
            continue
        overdue = (inp.as_of_date - m.planned_on).days
        if overdue > s.milestone_red_days:
            lamp, limit = Lamp.RED, s.milestone_red_days
        elif overdue > s.milestone_yellow_days:
            lamp, limit = Lamp.YELLOW, s.milestone_yellow_days
        else:
            continue
        args = {
            "name": m.name,
            "planned_on": m.planned_on.isoformat(),
            "days": overdue,
            "limit": limit,
        }
        clause = _clause("milestone_late", args)
        causes.append(
            Cause(
                CauseKind.MILESTONE,
                lamp,
                clause,
                weight=overdue,
                subject=m.name,
                code="milestone_late",
                args=args,
            )
        )
    return causes


def _missing_cause(inp: LampInput) -> Cause | None:
    """Reports missing for ``missing_periods_red`` periods in a row: red."""
    n = inp.missing_periods
    if n < inp.settings.missing_periods_red or n <= 0:
        return None
    args = {"count": n, "month": inp.as_of_month, "first": max(1, inp.as_of_month - n + 1)}
    clause = _clause("missing_reports", args)
    return Cause(
        CauseKind.MISSING_REPORTS, Lamp.RED, clause, weight=n, code="missing_reports", args=args
    )


def _sentence(clause: str, others: int) -> str:
    clause = clause[:1].upper() + clause[1:]
    if others:
        return ngettext(
            "%(cause)s; and %(count)d other cause.",
            "%(cause)s; and %(count)d other causes.",
            others,
        ) % {"cause": clause, "count": others}
    return gettext("%(cause)s.") % {"cause": clause}


def _sort_key(cause: Cause) -> tuple:
    return (-_severity(cause.lamp), _KIND_ORDER[cause.kind], -cause.weight, cause.clause)


def evaluate_lamp(inp: LampInput) -> LampResult:
    """The lamp of one project as of ``inp.as_of_month``, with its reason (see the module
    docstring for the rules). The order of ``inp.milestones`` does not matter."""
    planned = sum(inp.planned_by_month[: inp.as_of_month], ZERO)
    first = inp.first_planned_month
    if first is None:
        first = derive_first_planned_month(inp.year, inp.planned_by_month, inp.milestones)
    if first is None or inp.as_of_month < first:
        data = (
            {"c": "nothing_planned", "a": {"month": inp.as_of_month}}
            if first is None or first == 1
            else {"c": "nothing_before", "a": {"month": first}}
        )
        return LampResult(Lamp.GREY, render_reason(data), planned, inp.actual_ytd, None, (), data)

    findings: list[Cause] = []
    ratio: Decimal | None = None
    if planned > 0:
        investment, ratio = _investment_cause(inp, planned, inp.actual_ytd)
        findings.append(investment)
    findings.extend(_milestone_causes(inp))
    missing = _missing_cause(inp)
    if missing is not None:
        findings.append(missing)

    causes = tuple(sorted((c for c in findings if c.lamp != Lamp.GREEN), key=_sort_key))
    if causes:
        lamp = causes[0].lamp
        data = {"c": causes[0].code, "a": causes[0].args, "n": len(causes) - 1}
    elif planned > 0:
        lamp = Lamp.GREEN
        data = {"c": findings[0].code, "a": findings[0].args, "n": 0}
    else:
        lamp = Lamp.GREEN
        data = _on_schedule_data(inp)
    return LampResult(lamp, render_reason(data), planned, inp.actual_ytd, ratio, causes, data)


def _on_schedule_data(inp: LampInput) -> dict:
    """Green with nothing invested planned yet: name the milestone that shows it."""
    due = [m for m in inp.milestones if m.planned_on <= inp.as_of_date]
    pool = due or list(inp.milestones)
    if not pool:
        return {"c": "nothing_planned", "a": {"month": inp.as_of_month}}
    # the most recently due milestone, else the next one; ties by name for a stable text
    m = (
        max(pool, key=lambda x: (x.planned_on, x.name))
        if due
        else min(pool, key=lambda x: (x.planned_on, x.name))
    )
    return {
        "c": "on_schedule",
        "a": {"month": inp.as_of_month, "name": m.name, "planned_on": m.planned_on.isoformat()},
    }


# --------------------------------------------------------------------------- the sentence
# A reason is kept as its code and figures ({"c": code, "a": figures, "n": other causes})
# and written in the reader's language when shown: the lamp is computed once for everyone.


def _clause(code: str, a: dict) -> str:
    """The clause of one cause in the active language (no final punctuation)."""
    if code.startswith("investment_"):
        values = {**a, "months": month_range(a["month"])}
        if code == "investment_none":
            return (
                gettext(
                    "%(months)s: no report accepted yet, so investment counts as 0 against a "
                    "plan of %(planned)s (10k yuan), %(pct)s%% of the plan, below %(threshold)s%%"
                )
                % values
            )
        if code == "investment_ok":
            return (
                gettext(
                    "%(months)s investment %(actual)s (10k yuan) is %(pct)s%% of the plan, "
                    "at least %(threshold)s%%"
                )
                % values
            )
        return (
            gettext(
                "%(months)s investment %(actual)s (10k yuan) is %(pct)s%% of the plan, "
                "below %(threshold)s%%"
            )
            % values
        )
    if code == "milestone_late":
        return (
            gettext(
                "milestone “%(name)s” planned for %(planned_on)s is not reached %(days)d days "
                "later, more than %(limit)d days"
            )
            % a
        )
    if code == "missing_reports":
        return ngettext(
            "no report for %(count)d period in a row (%(months)s)",
            "no report for %(count)d periods in a row (%(months)s)",
            a["count"],
        ) % {"count": a["count"], "months": month_range(a["month"], a["first"])}
    raise ValueError(f"unknown lamp reason {code!r}")


def render_reason(data: dict) -> str:
    """The one-sentence reason of ``LampResult.reason_data`` in the active language."""
    code, a = data["c"], data.get("a", {})
    if code == "nothing_planned":
        return gettext("Nothing is planned for %(months)s yet.") % {
            "months": month_range(a["month"])
        }
    if code == "nothing_before":
        return gettext("Nothing is planned before %(month)s.") % {
            "month": month_range(a["month"], a["month"])
        }
    if code == "on_schedule":
        return gettext(
            "No investment planned for %(months)s; milestone “%(name)s” (planned for "
            "%(planned_on)s) is on schedule."
        ) % {"months": month_range(a["month"]), "name": a["name"], "planned_on": a["planned_on"]}
    return _sentence(_clause(code, a), data.get("n", 0))


def reason_text(stored: str, data: dict | None) -> str:
    """A stored lamp's reason for the reader: written from its code and figures in the
    active language; statuses computed before the figures were kept show their text."""
    if data:
        try:
            return render_reason(data)
        except (KeyError, TypeError, ValueError):
            pass  # figures of an older shape: the text stored with them still says it
    return stored


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
