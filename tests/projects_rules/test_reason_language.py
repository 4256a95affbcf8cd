"""The lamp's reason is computed once and read in each reader's language: it is kept as its
code and figures and written when shown; statuses stored before keep their text."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings

from luoshi.projects.models import ProjectStatus
from luoshi.projects.rules import evaluate_lamp, reason_text, render_reason
from luoshi.projects.status import status_refresh
from tests.orgs.factories import UserFactory
from tests.projects.factories import ProjectFactory, ReportingPeriodFactory
from tests.projects_rules.test_rules import lamp_input, lamp_inputs


@settings(max_examples=200, deadline=None)
@given(lamp_inputs())
def test_the_kept_figures_write_the_same_sentence_in_each_language(inp):
    for language in ("zh-hans", "en"):
        with translation.override(language):
            result = evaluate_lamp(inp)
            data = json.loads(json.dumps(result.reason_data))  # as stored in the database
            assert render_reason(data) == result.reason


def test_a_red_lamp_computed_in_chinese_reads_in_english():
    inp = lamp_input(actual_ytd=Decimal("320"))
    with translation.override("zh-hans"):
        result = evaluate_lamp(inp)
    assert "低于" in result.reason
    with translation.override("en"):
        english = reason_text(result.reason, result.reason_data)
    assert english.startswith("Jan–Jun investment 320.00 (10k yuan) is 53% of the plan")
    assert "below 80%" in english


def test_a_reason_stored_without_figures_shows_its_text():
    assert reason_text("1–6月完成投资 3,200万元", {}) == "1–6月完成投资 3,200万元"
    assert reason_text("旧的原因", {"c": "no_such_code"}) == "旧的原因"


@pytest.mark.django_db
def test_the_project_page_shows_the_reason_in_the_readers_language(client, settings):
    officer = UserFactory(roles=["officer"])
    settings.LANGUAGE_CODE = "zh-hans"
    project = ProjectFactory(milestones=False)
    period = ReportingPeriodFactory(year=2026, month=6, deadline=dt.date(2026, 7, 5))
    status_refresh(project_ids=[project.pk], period=period, today=dt.date(2026, 7, 20))
    status = ProjectStatus.objects.get()
    assert "万元" in status.reason  # stored in the site's language
    client.force_login(officer)
    page = client.get(f"/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "no report accepted yet" in text
    assert status.reason not in text
    api = client.get(f"/api/v1/projects/{project.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert "no report accepted yet" in api.json()["status"]["reason"]
