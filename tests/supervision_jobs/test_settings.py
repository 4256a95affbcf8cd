"""The office's supervision settings page: thresholds in working days, audited, refused
out of range, and the link to the working-day calendar."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.core.models import AuditEntry
from luoshi.supervision.models import SupervisionSettings
from tests.conftest import login_client
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/supervision/settings/"
VALUES = {
    "acceptance_working_days": "2",
    "remind_before_working_days": "5",
    "yellow_within_working_days": "4",
    "feedback_stale_days": "14",
    "escalate_after_days": "7",
    "overdue_remind_every_days": "2",
}


def test_the_page_names_working_days_and_links_the_calendar(people, english_ui):
    page = login_client(people["office"]).get(reverse("supervision:settings"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Escalate after overdue for (working days)" in text
    assert "Remind before the deadline (working days)" in text
    assert reverse("core:calendar_list") in text


def test_the_office_changes_the_thresholds_and_the_change_is_audited(people):
    response = login_client(people["office"]).post(URL, VALUES)
    assert response.status_code == 302
    s = SupervisionSettings.current()
    assert (s.remind_before_working_days, s.escalate_after_days) == (5, 7)
    entry = AuditEntry.objects.get(object_type="supervision.supervisionsettings")
    assert entry.actor == people["office"] and entry.after["escalate_after_days"] == 7


def test_saving_unchanged_values_leaves_no_audit_entry(people):
    client = login_client(people["office"])
    client.post(URL, VALUES)
    client.post(URL, VALUES)
    assert AuditEntry.objects.filter(object_type="supervision.supervisionsettings").count() == 1


def test_a_threshold_out_of_range_is_refused_and_nothing_changes(people, english_ui):
    response = login_client(people["office"]).post(URL, {**VALUES, "escalate_after_days": "0"})
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()
    assert not SupervisionSettings.objects.exists()


def test_the_page_runs_a_fixed_number_of_queries(people):
    client = login_client(people["office"])
    client.get(URL)
    with count_queries() as q:
        assert client.get(URL).status_code == 200
    assert len(q) <= 8
