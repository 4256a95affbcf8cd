"""The ledger (督办台账), the overdue list, a unit's inbox and a leader's list: what each
role sees, the filters, lamps with their reasons, pagination and bounded queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import python_calamine as pc

from luoshi.orgs.choices import Role
from luoshi.supervision.choices import ItemSource, ItemStatus
from luoshi.supervision.models import Escalation, ItemUnit
from tests.orgs.factories import LeaderFactory, UserFactory
from tests.supervision.factories import DecisionFactory, MeetingFactory
from tests.supervision_meet.helpers import (
    TODAY,
    client_for,
    green,
    queries,
    red,
    to_accept,
    yellow,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


# --------------------------------------------------------------------------- ledger


def read_xlsx_text(data: bytes) -> str:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = book.get_sheet_by_index(0).to_python()
    return "\n".join(" ".join(str(c) for c in row) for row in sheet)


def test_ledger_shows_every_item_with_lamp_and_reason_and_counts_lamps(people):
    red(title="逾期事项", lead_unit=people["unit_a"])
    yellow(title="临期事项", lead_unit=people["unit_b"])
    green(title="正常事项", lead_unit=people["unit_c"])
    green(title="已办结事项", status=ItemStatus.CLOSED, done_on=dt.date(2026, 4, 1))
    body = client_for(people["office"]).get("/supervision/ledger/?status=").content.decode()
    for title in ("逾期事项", "临期事项", "正常事项", "已办结事项"):
        assert title in body
    assert "Overdue: the deadline was 2026-04-10, 5 days ago." in body
    assert "Red 1" in body and "Yellow 1" in body and "Green 1" in body and "Closed 1" in body
    assert 'href="/supervision/ledger.xlsx?status="' in body


def test_the_ledger_opens_on_the_open_items_and_exports_the_same(people):
    red(title="逾期事项", lead_unit=people["unit_a"])
    green(title="已办结事项", status=ItemStatus.CLOSED, done_on=dt.date(2026, 4, 1))
    office = client_for(people["office"])
    body = office.get("/supervision/ledger/").content.decode()
    assert "逾期事项" in body and "已办结事项" not in body
    assert '<option value="open" selected>' in body
    assert 'href="/supervision/ledger.xlsx?status=open"' in body
    export = office.get("/supervision/ledger.xlsx?status=open")
    assert export.status_code == 200
    rows = read_xlsx_text(b"".join(export.streaming_content))
    assert "逾期事项" in rows and "已办结事项" not in rows


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("lamp=red", "逾期事项", "临期事项"),
        ("lamp=yellow", "临期事项", "逾期事项"),
        ("overdue=1", "逾期事项", "正常事项"),
        ("status=closed", "已办结事项", "逾期事项"),
        ("status=open", "逾期事项", "已办结事项"),
        ("source=hotline", "热线事项", "逾期事项"),
        ("q=临期", "临期事项", "逾期事项"),
    ],
)
def test_ledger_filters(people, query, shown, hidden):
    red(title="逾期事项", lead_unit=people["unit_a"])
    yellow(title="临期事项", lead_unit=people["unit_b"])
    green(title="正常事项")
    green(title="已办结事项", status=ItemStatus.CLOSED, done_on=dt.date(2026, 4, 1))
    green(title="热线事项", source=ItemSource.HOTLINE)
    body = client_for(people["office"]).get(f"/supervision/ledger/?{query}").content.decode()
    assert shown in body and hidden not in body


def test_ledger_filters_by_unit_leader_and_meeting(people):
    leader = people["leader_record"]
    meeting = MeetingFactory()
    red(title="甲单位事项", lead_unit=people["unit_a"])
    green(title="王强负责", responsible_leader=leader)
    green(title="会议事项", decision=DecisionFactory(meeting=meeting), source=ItemSource.MEETING)
    office = client_for(people["office"])
    body = office.get(f"/supervision/ledger/?unit={people['unit_a'].pk}").content.decode()
    assert "甲单位事项" in body and "王强负责" not in body
    body = office.get(f"/supervision/ledger/?leader={leader.pk}").content.decode()
    assert "王强负责" in body and "甲单位事项" not in body
    body = office.get(f"/supervision/ledger/?meeting={meeting.pk}").content.decode()
    assert "会议事项" in body and "甲单位事项" not in body


def test_ledger_paginates(people):
    for n in range(55):
        green(title=f"事项{n:02d}", deadline=dt.date(2026, 5, 1) + dt.timedelta(days=n))
    office = client_for(people["office"])
    first = office.get("/supervision/ledger/").content.decode()
    second = office.get("/supervision/ledger/?page=2").content.decode()
    assert "55 records" in first and "事项00" in first and "事项54" not in first
    assert "事项54" in second and "事项00" not in second


def test_a_leader_sees_on_the_ledger_only_the_items_they_answer_for(people):
    green(title="王强负责", responsible_leader=people["leader_record"])
    green(title="别人负责", responsible_leader=LeaderFactory(name="赵六"))
    body = client_for(people["leader"]).get("/supervision/ledger/").content.decode()
    assert "王强负责" in body and "别人负责" not in body


def _bulk(people, n):
    leaders = [people["leader_record"], LeaderFactory(name="赵六")]
    units = [people["unit_a"], people["unit_b"], people["unit_c"]]
    for i in range(n):
        make = (red, yellow, green, to_accept)[i % 4]
        item = make(lead_unit=units[i % 3], responsible_leader=leaders[i % 2])
        ItemUnit.objects.create(item=item, unit=units[(i + 1) % 3])


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("office", "/supervision/ledger/"),
        ("office", "/supervision/ledger/?lamp=red&overdue=1"),
        ("office", "/supervision/overdue/"),
        ("office", "/supervision/overdue/?kind=acceptance"),
        ("reporter", "/supervision/inbox/?tab=doing"),
        ("head", "/supervision/inbox/?tab=accept"),
        ("coop", "/supervision/inbox/?tab=doing"),
        ("leader", "/supervision/mine/"),
    ],
)
def test_list_queries_do_not_grow_with_the_number_of_items(people, who, url):
    c = client_for(people[who])
    c.get("/")  # the first request of a session does its own one-off reads
    _bulk(people, 5)
    small = queries(c, url)
    _bulk(people, 45)
    large = queries(c, url)
    assert small == large <= 16, (small, large)


# --------------------------------------------------------------------------- overdue


def test_overdue_list_counts_per_unit_leader_and_source(people):
    zhao = LeaderFactory(name="赵六")
    for _ in range(3):
        red(lead_unit=people["unit_a"], responsible_leader=zhao, source=ItemSource.HOTLINE)
    red(lead_unit=people["unit_b"], title="交通局逾期")
    yellow(lead_unit=people["unit_b"], title="交通局临期")
    to_accept(
        lead_unit=people["unit_c"],
        issued_on=dt.date(2026, 4, 1),
        acceptance_due=dt.date(2026, 4, 2),
        title="未签收",
    )
    office = client_for(people["office"])
    body = office.get("/supervision/overdue/").content.decode()
    assert '县发展和改革局</a></td><td class="num">3' in body
    assert '县交通运输局</a></td><td class="num">1' in body
    assert '赵六</a></td><td class="num">3' in body
    assert 'No responsible leader</a></td><td class="num">1' in body
    assert '12345 hotline complaint</a></td><td class="num">3' in body
    assert "交通局逾期" in body and "交通局临期" not in body and "未签收" not in body

    body = office.get(f"/supervision/overdue/?unit={people['unit_b'].pk}").content.decode()
    assert "交通局逾期" in body and "1 record" in body
    body = office.get("/supervision/overdue/?leader=none").content.decode()
    assert "交通局逾期" in body and "1 record" in body
    body = office.get("/supervision/overdue/?kind=acceptance").content.decode()
    assert "未签收" in body and "交通局逾期" not in body


# --------------------------------------------------------------------------- inbox


def test_inbox_tabs_with_counts_for_the_lead_and_a_cooperating_unit(people):
    new = to_accept(lead_unit=people["unit_a"], title="新交办")
    doing = red(lead_unit=people["unit_a"], title="办理中逾期")
    green(
        lead_unit=people["unit_a"],
        status=ItemStatus.CLOSURE_REQUESTED,
        closure_requested_on=dt.date(2026, 4, 14),
        title="待核验事项",
    )
    green(lead_unit=people["unit_c"], title="别的单位")
    ItemUnit.objects.create(item=new, unit=people["unit_b"])
    ItemUnit.objects.create(item=doing, unit=people["unit_b"])

    rep = client_for(people["reporter"])
    body = rep.get("/supervision/inbox/").content.decode()
    assert 'To accept <span class="tag">1</span>' in body
    assert 'In progress <span class="tag">1</span>' in body
    assert 'Awaiting verification / closed <span class="tag">1</span>' in body
    assert "新交办" in body and "办理中逾期" not in body
    assert ">To accept</td>" in body  # the unit reads 待签收, not 已交办
    body = rep.get("/supervision/inbox/?tab=doing").content.decode()
    assert "办理中逾期" in body and "Overdue: the deadline was 2026-04-10" in body
    body = rep.get("/supervision/inbox/?tab=done").content.decode()
    assert "待核验事项" in body and "Awaiting verification" in body
    assert "别的单位" not in rep.get("/supervision/inbox/?tab=doing").content.decode()

    # The cooperating unit does not accept: both its items are in progress for it.
    body = client_for(people["coop"]).get("/supervision/inbox/").content.decode()
    assert 'To accept <span class="tag">0</span>' in body
    assert 'In progress <span class="tag">2</span>' in body
    assert "新交办" in body and "办理中逾期" in body

    body = client_for(people["stranger"]).get("/supervision/inbox/?tab=doing").content.decode()
    assert "新交办" not in body and "办理中逾期" not in body


# --------------------------------------------------------------------------- leader


def test_leader_sees_issued_and_responsible_items_and_the_escalated_list(people):
    me = people["leader_record"]
    mine = red(responsible_leader=me, title="我负责的")
    green(instruction_leader=me, source=ItemSource.INSTRUCTION, title="我批示的")
    other = red(responsible_leader=LeaderFactory(name="赵六"), title="别人的")
    Escalation.objects.create(item=mine, leader=me, deadline=mine.deadline, days_overdue=6)
    Escalation.objects.create(
        item=other, leader=other.responsible_leader, deadline=other.deadline, days_overdue=6
    )
    body = client_for(people["leader"]).get("/supervision/mine/").content.decode()
    assert "我负责的" in body and "我批示的" in body and "别人的" not in body
    assert "Escalated overdue items" in body and '<td class="num">6</td>' in body
    body = client_for(people["leader"]).get("/supervision/mine/?lamp=green").content.decode()
    assert "我批示的" in body and "我负责的</td>" not in body.split("Items I issued")[1]


def test_a_leader_account_without_a_leader_record_is_told_so(people):
    unlinked = UserFactory(username="leader2", roles=[Role.LEADER])
    body = client_for(unlinked).get("/supervision/mine/").content.decode()
    assert "not linked to a leader record" in body


# --------------------------------------------------------------------------- navigation


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        (
            "office",
            {"Meetings", "Supervision ledger", "Overdue items"},
            {"Supervision inbox", "My items"},
        ),
        (
            "leader",
            {"My items", "Meetings", "Supervision ledger"},
            {"Overdue items", "Supervision inbox"},
        ),
        (
            "reporter",
            {"Supervision inbox"},
            {"Meetings", "Supervision ledger", "Overdue items", "My items"},
        ),
        ("head", {"Supervision inbox"}, {"Meetings", "Overdue items", "My items"}),
    ],
)
def test_navigation_per_role(people, who, shown, hidden):
    body = client_for(people[who]).get("/").content.decode()
    nav = body.split('class="mainnav"')[1].split("</nav>")[0]
    for label in shown:
        assert f">{label}</a>" in nav, label
    for label in hidden:
        assert f">{label}</a>" not in nav, label


def test_lamp_counts_in_the_database_agree_with_the_lamp_each_row_shows(people):
    from collections import Counter

    from luoshi.supervision import selectors_lists as sel
    from luoshi.supervision.models import Item
    from luoshi.supervision.selectors import today_rules

    red()
    yellow()
    green()
    to_accept()
    to_accept(issued_on=dt.date(2026, 4, 1), acceptance_due=dt.date(2026, 4, 2))  # not accepted
    green(last_feedback_on=dt.date(2026, 3, 20))  # no feedback for 26 days
    green(status=ItemStatus.CLOSED, done_on=dt.date(2026, 4, 1))
    green(
        status=ItemStatus.CLOSURE_REQUESTED,
        deadline=dt.date(2026, 4, 10),
        closure_requested_on=dt.date(2026, 4, 9),  # in time: the clock stopped
    )
    today = today_rules()
    counts = sel.lamp_counts(user=people["office"], today=today, filters=sel.LedgerFilters())
    shown = Counter(today.lamp(i) for i in Item.objects.all())
    assert counts == {k: shown.get(k, 0) for k in counts}
    assert counts == {"green": 3, "yellow": 2, "red": 2, "done": 1}
