"""``luoshi seed`` for meetings and supervision items: a county year in every state, the
demo accounts' lists filled, the same seed the same data, the province in bulk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count

from luoshi.orgs.models import User
from luoshi.orgs.seed import seed_reset, seed_run
from luoshi.supervision import seed as supervision_seed
from luoshi.supervision.choices import ItemSource, ItemStatus, MeetingKind, RequestStatus
from luoshi.supervision.models import (
    Attachment,
    ClosureRequest,
    Escalation,
    ExtensionRequest,
    Feedback,
    Item,
    Meeting,
)
from luoshi.supervision.rules import annotate_activity, escalation_q, lamp_q, overdue_q
from luoshi.supervision.scope import visible_items
from luoshi.supervision.selectors import today_rules
from luoshi.supervision.services_jobs import reminders_run

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def county_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_run(scale="county")
        transaction.set_rollback(True)


@pytest.fixture
def county(county_once, db):
    return county_once


def snapshot() -> list[tuple]:
    return list(
        Item.objects.order_by("code").values_list(
            "code", "title", "status", "source", "deadline", "lead_unit__code", "done_on"
        )
    )


def test_a_year_of_weekly_monthly_and_onsite_meetings(county):
    kinds = dict(Meeting.objects.values_list("kind").annotate(n=Count("id")))
    assert 48 <= kinds[MeetingKind.STANDING] <= 53
    assert kinds[MeetingKind.PROGRESS] == 12
    assert 3 <= kinds[MeetingKind.ONSITE] <= 5
    days = Meeting.objects.order_by("held_on").values_list("held_on", flat=True)
    assert days.first() >= dt.date(2025, 11, 21) and days.last() <= supervision_seed.SEED_DAY
    assert all(m.decisions.exists() for m in Meeting.objects.all()[:10])


def test_about_600_items_in_every_state(county):
    states = county.shared["supervision_states"]
    assert set(states) == set(supervision_seed.SCENARIOS)
    assert all(n >= 3 for n in states.values()), states
    assert 580 <= Item.objects.count() <= 640
    statuses = set(Item.objects.values_list("status", flat=True))
    assert statuses == set(ItemStatus.values)
    assert set(Item.objects.values_list("source", flat=True)) == set(ItemSource.values)


def test_the_facts_behind_each_state_are_there(county):
    pending = ExtensionRequest.objects.filter(status=RequestStatus.PENDING)
    assert pending.exists()
    assert ExtensionRequest.objects.filter(status=RequestStatus.REFUSED).exists()
    approved = ExtensionRequest.objects.filter(status=RequestStatus.APPROVED).select_related("item")
    assert all(e.item.deadline == e.requested_deadline for e in approved)
    for status in (ItemStatus.CLOSED, ItemStatus.CLOSURE_REQUESTED, ItemStatus.RETURNED):
        item_ids = Item.objects.filter(status=status).values("pk")
        assert ClosureRequest.objects.filter(item__in=item_ids).count() == len(item_ids)
    assert Attachment.objects.count() == ClosureRequest.objects.count()
    assert not Item.objects.filter(status=ItemStatus.IN_PROGRESS, last_feedback_on=None).exists()
    assert Feedback.objects.count() > 300
    closed = Item.objects.filter(status=ItemStatus.CLOSED)
    assert not closed.filter(done_on=None).exists()


def test_the_lamps_of_the_seed_day_show_every_colour_and_the_escalations_agree(county):
    rules = today_rules(supervision_seed.SEED_DAY)
    items = annotate_activity(Item.objects.all())
    for lamp in ("green", "yellow", "red", "done"):
        assert items.filter(lamp_q(lamp, rules.cutoffs)).exists(), lamp
    escalated = Item.objects.filter(escalated_on__isnull=False)
    assert escalated.count() == Escalation.objects.count() > 10
    # Every item the rules would escalate today is escalated already; overdue ones short of
    # it are not.
    assert not Item.objects.filter(escalation_q(rules.cutoffs), escalated_on=None).exists()
    assert Item.objects.filter(overdue_q(rules.cutoffs), escalated_on=None).exists()


@pytest.mark.parametrize("username", ["reporter_fgj", "head_fgj", "leader", "office"])
def test_the_demo_accounts_see_items_in_every_state(county, username):
    user = User.objects.get(username=username)
    mine = visible_items(user, Item.objects.all())
    assert set(mine.values_list("status", flat=True)) == set(ItemStatus.values)
    if username == "leader":
        assert mine.filter(escalated_on__isnull=False).exists()


def test_the_job_on_the_seed_day_sends_once(county):
    first = reminders_run(today=supervision_seed.SEED_DAY)
    assert first.sent > 0
    assert reminders_run(today=supervision_seed.SEED_DAY).sent == 0


def test_the_same_seed_gives_the_same_items(county):
    first = snapshot()
    seed_reset()
    seed_run(scale="county")
    assert snapshot() == first
    seed_reset()
    seed_run(scale="county", seed=7)
    assert snapshot() != first
