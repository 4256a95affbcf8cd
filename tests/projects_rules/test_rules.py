"""The lamp rules as pure functions: thresholds, edges and properties (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.projects.choices import LAMP_SEVERITY, Lamp
from luoshi.projects.rules import (
    CauseKind,
    LampInput,
    LampSettings,
    MilestoneFact,
    count_missing_periods,
    evaluate_lamp,
    format_percent,
    latest_accepted_ytd,
    month_range,
)

D = Decimal
YEAR = 2026
FLAT = tuple([D("100.00")] * 12)
JUNE_END = dt.date(2026, 6, 30)


def lamp_input(**kwargs) -> LampInput:
    base = dict(
        year=YEAR,
        as_of_month=6,
        planned_by_month=FLAT,
        actual_ytd=D("600.00"),
        as_of_date=JUNE_END,
    )
    base.update(kwargs)
    return LampInput(**base)


def severity(lamp: str) -> int:
    return LAMP_SEVERITY[Lamp(lamp)]


# ----------------------------------------------------------------- thresholds and edges


def test_exactly_95_percent_is_green():
    assert evaluate_lamp(lamp_input(actual_ytd=D("570.00"))).lamp == Lamp.GREEN


def test_just_under_95_percent_is_yellow_and_does_not_print_as_95():
    result = evaluate_lamp(lamp_input(actual_ytd=D("569.99")))
    assert result.lamp == Lamp.YELLOW
    assert "94%" in result.reason


def test_exactly_80_percent_is_yellow():
    assert evaluate_lamp(lamp_input(actual_ytd=D("480.00"))).lamp == Lamp.YELLOW


def test_under_80_percent_is_red_with_the_office_sentence():
    with translation.override("en"):
        result = evaluate_lamp(lamp_input(actual_ytd=D("426.00")))
    assert result.lamp == Lamp.RED
    assert result.reason == ("Jan–Jun investment 426.00 (10k yuan) is 71% of the plan, below 80%.")
    assert result.ratio == D("0.71")
    assert result.planned_ytd == D("600.00")


def test_no_accepted_report_counts_as_nothing_done():
    result = evaluate_lamp(lamp_input(actual_ytd=None))
    assert result.lamp == Lamp.RED
    assert result.actual_ytd is None and result.ratio == 0


def _with_milestone(planned_on: dt.date, reached_on: dt.date | None = None) -> LampInput:
    return lamp_input(milestones=(MilestoneFact("开工", planned_on, reached_on),))


def test_a_milestone_exactly_30_days_late_does_not_change_the_lamp():
    assert evaluate_lamp(_with_milestone(JUNE_END - dt.timedelta(days=30))).lamp == Lamp.GREEN


def test_a_milestone_31_days_late_makes_it_yellow():
    result = evaluate_lamp(_with_milestone(JUNE_END - dt.timedelta(days=31)))
    assert result.lamp == Lamp.YELLOW and "开工" in result.reason


def test_a_milestone_exactly_60_days_late_is_yellow_and_61_red():
    assert evaluate_lamp(_with_milestone(JUNE_END - dt.timedelta(days=60))).lamp == Lamp.YELLOW
    assert evaluate_lamp(_with_milestone(JUNE_END - dt.timedelta(days=61))).lamp == Lamp.RED


def test_a_milestone_reached_late_no_longer_counts():
    planned = JUNE_END - dt.timedelta(days=90)
    assert evaluate_lamp(_with_milestone(planned, JUNE_END)).lamp == Lamp.GREEN


def test_a_milestone_reached_after_the_judging_day_was_not_reached_then():
    planned = JUNE_END - dt.timedelta(days=90)
    later = JUNE_END + dt.timedelta(days=1)
    assert evaluate_lamp(_with_milestone(planned, later)).lamp == Lamp.RED


def test_two_missing_periods_make_it_red_and_one_does_not():
    assert evaluate_lamp(lamp_input(missing_periods=1)).lamp == Lamp.GREEN
    with translation.override("en"):
        result = evaluate_lamp(lamp_input(missing_periods=2))
    assert result.lamp == Lamp.RED
    assert result.reason.startswith("No report for 2 periods in a row (May–Jun)")


def test_grey_before_the_first_planned_month():
    plan = tuple([D("0")] * 6 + [D("200")] * 6)
    with translation.override("en"):
        result = evaluate_lamp(lamp_input(planned_by_month=plan, actual_ytd=None, as_of_month=5))
    assert result.lamp == Lamp.GREY
    assert result.reason == "Nothing is planned before Jul."


def test_the_first_planned_month_may_be_given_explicitly():
    result = evaluate_lamp(lamp_input(first_planned_month=8))
    assert result.lamp == Lamp.GREY


def test_nothing_planned_after_the_first_month_judges_milestones_only():
    zero = tuple([D("0")] * 12)
    due = dt.date(2026, 3, 1)
    result = evaluate_lamp(
        lamp_input(planned_by_month=zero, actual_ytd=None, milestones=(MilestoneFact("立项", due),))
    )
    assert result.lamp == Lamp.RED and result.ratio is None and "立项" in result.reason
    on_time = evaluate_lamp(
        lamp_input(
            planned_by_month=zero,
            actual_ytd=None,
            milestones=(MilestoneFact("立项", due, dt.date(2026, 2, 20)),),
        )
    )
    assert on_time.lamp == Lamp.GREEN and "立项" in on_time.reason


def test_the_sentence_names_the_worst_cause_and_counts_the_others():
    result = evaluate_lamp(
        lamp_input(
            actual_ytd=D("500.00"),  # 83 %: yellow
            milestones=(
                MilestoneFact("用地", JUNE_END - dt.timedelta(days=40)),  # yellow
                MilestoneFact("开工", JUNE_END - dt.timedelta(days=70)),  # red
            ),
        )
    )
    assert result.lamp == Lamp.RED
    assert [c.kind for c in result.causes] == [
        CauseKind.MILESTONE,
        CauseKind.INVESTMENT,
        CauseKind.MILESTONE,
    ]
    assert "开工" in result.reason and "用地" not in result.reason
    with translation.override("en"):
        assert evaluate_lamp(
            lamp_input(
                actual_ytd=D("500.00"),
                milestones=(MilestoneFact("开工", JUNE_END - dt.timedelta(days=70)),),
            )
        ).reason.endswith("and 1 other cause.")


def test_thresholds_come_from_the_years_settings():
    strict = LampSettings(green_ratio=D("1.00"), yellow_ratio=D("0.90"))
    assert evaluate_lamp(lamp_input(actual_ytd=D("594.00"), settings=strict)).lamp == Lamp.YELLOW


def test_month_ranges_read_right_in_english():
    with translation.override("en"):
        assert month_range(6) == "Jan–Jun"
        assert month_range(1) == "Jan"
        assert month_range(12, 11) == "Nov–Dec"


def test_percentages_round_down_and_keep_decimals_only_near_the_threshold():
    assert format_percent(D("71.4")) == "71"
    assert format_percent(D("94.99"), threshold=D("95")) == "94"
    # at or above a threshold it must not read as below it
    assert format_percent(D("87.6"), threshold=D("87.5")) == "87.6"
    assert format_percent(D("87.56"), threshold=D("87.55")) == "87.56"
    assert format_percent(D("100")) == "100"


def test_the_latest_accepted_report_up_to_the_month_counts():
    reports = [(3, D("300")), (7, D("900")), (5, D("450"))]
    assert latest_accepted_ytd(reports, 6) == D("450")
    assert latest_accepted_ytd(reports, 2) is None


def test_missing_periods_count_back_and_skip_the_month_not_yet_due():
    assert (
        count_missing_periods(
            as_of_month=6, first_month=1, filed_months={1, 2, 3}, due_months={1, 2, 3, 4, 5}
        )
        == 2
    )
    # a month never opened ends the count
    assert (
        count_missing_periods(as_of_month=6, first_month=1, filed_months=(), due_months={5, 6}) == 2
    )
    assert (
        count_missing_periods(as_of_month=6, first_month=6, filed_months=(), due_months={5, 6}) == 1
    )


# ----------------------------------------------------------------- properties

money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False)
days = st.integers(min_value=-200, max_value=400)
names = st.sampled_from(["立项", "用地", "环评", "开工", "主体完工", "竣工", "投产"])


@st.composite
def milestone_facts(draw):
    planned = dt.date(2026, 1, 1) + dt.timedelta(days=draw(days))
    reached = draw(st.one_of(st.none(), days.map(lambda d: planned + dt.timedelta(days=d))))
    return MilestoneFact(draw(names), planned, reached)


@st.composite
def lamp_inputs(draw):
    month = draw(st.integers(min_value=1, max_value=12))
    plan = tuple(draw(st.lists(money, min_size=12, max_size=12)))
    return LampInput(
        year=YEAR,
        as_of_month=month,
        planned_by_month=plan,
        actual_ytd=draw(st.one_of(st.none(), money)),
        as_of_date=dt.date(2026, month, 28) + dt.timedelta(days=draw(st.integers(0, 3))),
        milestones=tuple(draw(st.lists(milestone_facts(), max_size=5))),
        missing_periods=draw(st.integers(min_value=0, max_value=month)),
    )


@settings(max_examples=300, deadline=None)
@given(lamp_inputs(), money)
def test_more_investment_never_worsens_a_lamp(inp, more):
    before = evaluate_lamp(inp)
    richer = dataclasses.replace(inp, actual_ytd=(inp.actual_ytd or D("0")) + more)
    after = evaluate_lamp(richer)
    if before.lamp != Lamp.GREY:
        assert severity(after.lamp) <= severity(before.lamp)


@settings(max_examples=300, deadline=None)
@given(lamp_inputs(), st.data())
def test_a_later_or_missing_milestone_never_improves_a_lamp(inp, data):
    if not inp.milestones:
        return
    i = data.draw(st.integers(0, len(inp.milestones) - 1))
    m = inp.milestones[i]
    delay = data.draw(st.integers(min_value=1, max_value=300))
    if data.draw(st.booleans()) or m.reached_on is None:
        worse = dataclasses.replace(m, reached_on=None)
    else:
        worse = dataclasses.replace(m, reached_on=m.reached_on + dt.timedelta(days=delay))
    changed = inp.milestones[:i] + (worse,) + inp.milestones[i + 1 :]
    assert severity(evaluate_lamp(dataclasses.replace(inp, milestones=changed)).lamp) >= severity(
        evaluate_lamp(inp).lamp
    )


@settings(max_examples=200, deadline=None)
@given(lamp_inputs(), st.randoms(use_true_random=False))
def test_the_order_of_milestones_does_not_matter(inp, rnd):
    shuffled = list(inp.milestones)
    rnd.shuffle(shuffled)
    assert evaluate_lamp(inp) == evaluate_lamp(dataclasses.replace(inp, milestones=tuple(shuffled)))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 12), money), unique_by=lambda r: r[0], max_size=12),
    st.integers(1, 12),
    st.randoms(use_true_random=False),
)
def test_the_order_of_reports_does_not_matter(reports, month, rnd):
    shuffled = list(reports)
    rnd.shuffle(shuffled)
    assert latest_accepted_ytd(reports, month) == latest_accepted_ytd(shuffled, month)
    assert count_missing_periods(
        as_of_month=month,
        first_month=1,
        filed_months=[m for m, _ in reports],
        due_months=range(1, 12),
    ) == count_missing_periods(
        as_of_month=month,
        first_month=1,
        filed_months=[m for m, _ in shuffled],
        due_months=range(1, 12),
    )


@settings(max_examples=300, deadline=None)
@given(lamp_inputs())
def test_every_lamp_but_grey_says_why_with_its_figures(inp):
    result = evaluate_lamp(inp)
    if result.lamp == Lamp.GREY:
        return
    mentions = [m.name for m in inp.milestones]
    if result.ratio is not None:
        mentions.append("%")
    if inp.missing_periods:
        mentions.append(str(inp.missing_periods))
    assert any(token in result.reason for token in mentions), result.reason
    top = result.causes[0] if result.causes else None
    if top is not None and top.kind == CauseKind.INVESTMENT:
        assert "%" in result.reason
    if top is not None and top.kind == CauseKind.MILESTONE:
        assert top.subject in result.reason
