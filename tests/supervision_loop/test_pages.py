"""Ways in and out of the office's pages: the import and settings pages are reached from
the ledger and lead back to it; leaders see the ledger without the office's buttons."""

from __future__ import annotations

import pytest

from tests.conftest import login_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def test_the_ledger_leads_the_office_to_import_and_settings(people):
    page = login_client(people["office"]).get("/supervision/ledger/").content.decode()
    assert 'href="/supervision/items/import/">Import item list</a>' in page
    assert 'href="/supervision/settings/">Supervision settings</a>' in page
    leader = login_client(people["leader"]).get("/supervision/ledger/").content.decode()
    assert "/supervision/items/import/" not in leader and "/supervision/settings/" not in leader


@pytest.mark.parametrize("url", ["/supervision/items/import/", "/supervision/settings/"])
def test_import_and_settings_lead_back_to_the_ledger(people, url):
    page = login_client(people["office"]).get(url).content.decode()
    assert '<a href="/supervision/ledger/">← Supervision ledger</a>' in page


def test_lamp_reasons_say_what_the_status_does_not():
    import datetime as dt

    from luoshi.core.calendar import WorkingCalendar
    from luoshi.supervision.choices import ItemStatus
    from luoshi.supervision.rules import ItemFacts, Thresholds, cutoffs, lamp_reason

    cal = WorkingCalendar(dt.date(2026, 8, 1), dt.date(2026, 12, 31))
    facts = ItemFacts(
        status=ItemStatus.CLOSED,
        issued_on=dt.date(2026, 9, 1),
        acceptance_due=dt.date(2026, 9, 2),
        deadline=dt.date(2026, 9, 30),
        done_on=dt.date(2026, 9, 28),
    )
    c = cutoffs(dt.date(2026, 10, 9), Thresholds(), cal)
    assert lamp_reason(facts, c) == "Completed on 2026-09-28, within the deadline 2026-09-30."
    # Passed on the National Day holiday: not overdue yet, and the day it will be is named.
    open_ = ItemFacts(
        status=ItemStatus.IN_PROGRESS,
        issued_on=dt.date(2026, 9, 1),
        acceptance_due=dt.date(2026, 9, 2),
        deadline=dt.date(2026, 9, 30),
        accepted_on=dt.date(2026, 9, 1),
        last_feedback_on=dt.date(2026, 9, 29),
    )
    assert lamp_reason(open_, cutoffs(dt.date(2026, 10, 3), Thresholds(), cal)) == (
        "The deadline 2026-09-30 passed during days off; it counts as overdue from "
        "2026-10-08, the first working day after."
    )
    assert lamp_reason(open_, cutoffs(dt.date(2026, 10, 8), Thresholds(), cal)) == (
        "Overdue: the deadline was 2026-09-30, 8 days ago."
    )
