"""Stored list counts (``summaries.cached``): the ledger's lamp counts and the overdue
list's groups are read back from one row, and whatever changes an item — a service step,
a bulk update, a new cooperating unit, a new day — shows at once."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.supervision import selectors_lists as sel
from luoshi.supervision import services
from luoshi.supervision.choices import ItemStatus
from luoshi.supervision.models import Item, ItemUnit, ListSummary
from luoshi.supervision.selectors import today_rules
from luoshi.supervision.summaries import prune
from tests.supervision_meet.helpers import TODAY, client_for, green, queries, red, to_accept

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


@pytest.fixture(autouse=True)
def today(clock):
    clock(TODAY)


def _lamps(user):
    return sel.lamp_counts(user=user, today=today_rules(), filters=sel.LedgerFilters())


def _overdue(user):
    return sel.overdue_groups(user=user, today=today_rules(), kind="handling")


def test_a_service_step_changes_the_stored_lamp_counts_at_once(people):
    item = to_accept(lead_unit=people["unit_a"])
    red(lead_unit=people["unit_b"])
    office = people["office"]
    assert _lamps(office) == {"green": 1, "yellow": 0, "red": 1, "done": 0}
    assert ListSummary.objects.count() == 1
    services.item_accept(actor=people["reporter"], item=item)
    Item.objects.filter(pk=item.pk).update(deadline=dt.date(2026, 4, 16))  # near: yellow
    assert _lamps(office) == {"green": 0, "yellow": 1, "red": 1, "done": 0}


def test_a_bulk_update_changes_the_stored_overdue_groups(people):
    late = [red(lead_unit=people["unit_a"]) for _ in range(3)]
    red(lead_unit=people["unit_b"])
    office = people["office"]
    assert [r["n"] for r in _overdue(office)["unit"]] == [3, 1]
    Item.objects.filter(pk__in=[i.pk for i in late[:2]]).update(
        status=ItemStatus.CLOSED, done_on=TODAY
    )
    assert [r["n"] for r in _overdue(office)["unit"]] == [1, 1]


def test_a_new_cooperating_unit_sees_the_item_counted_in_its_scope(people):
    item = red(lead_unit=people["unit_c"])
    leader = people["leader"]
    item.responsible_leader = people["leader_record"]
    item.save()
    assert _lamps(leader)["red"] == 1
    coop = people["coop"]
    assert sel.inbox_counts(user=coop, today=today_rules())["accept"] == 0
    ItemUnit.objects.create(item=item, unit=people["unit_b"])
    assert sel.inbox_counts(user=coop, today=today_rules())["doing"] == 1
    # The office and the leader share nothing: each scope has its own row.
    assert _lamps(people["office"])["red"] == 1
    assert ListSummary.objects.count() == 3  # the leader, the unit, the office


def test_the_next_day_counts_again_with_that_day_s_rules(people, clock):
    green(lead_unit=people["unit_a"], deadline=dt.date(2026, 4, 16))  # yellow today
    assert _lamps(people["office"])["yellow"] == 1
    assert _overdue(people["office"])["unit"] == []
    clock(dt.date(2026, 4, 20))  # Monday: the deadline of Thursday has passed
    assert _lamps(people["office"])["red"] == 1
    # The daily job drops what was stored for earlier days and is not asked again.
    assert prune(dt.date(2026, 4, 20)) == 1 and ListSummary.objects.count() == 1


def test_a_stored_count_costs_one_query_and_the_page_shows_it(people):
    for _ in range(4):
        red(lead_unit=people["unit_a"])
    c = client_for(people["office"])
    c.get("/")
    first = queries(c, "/supervision/overdue/")
    again = queries(c, "/supervision/overdue/")
    # Stored: one read instead of the count and three grouped counts, and no write.
    assert again == first - 5
    # The ledger: its lamp count and the write of it, against one read.
    assert queries(c, "/supervision/ledger/") - 2 == queries(c, "/supervision/ledger/")
    body = c.get("/supervision/ledger/").content.decode()
    assert "Red 4" in body
