from __future__ import annotations

import datetime as dt

import factory

from luoshi.supervision.choices import ItemSource, ItemStatus, MeetingKind
from luoshi.supervision.models import Decision, Item, Meeting
from tests.orgs.factories import UnitFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.STANDING
    title = factory.Sequence(lambda n: f"县政府第{n + 1}次常务会议")
    held_on = dt.date(2026, 3, 2)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    content = "加快推进城区污水管网改造，6月底前完成主体工程。"


class ItemFactory(factory.django.DjangoModelFactory):
    """An item written directly (no service): for lists and lamps. Workflow tests use
    ``services.item_issue``."""

    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"DB2026-{n + 1:05d}")
    title = factory.Sequence(lambda n: f"督办事项{n + 1}")
    content = "按期完成。"
    source = ItemSource.ASSIGNMENT
    lead_unit = factory.SubFactory(UnitFactory)
    status = ItemStatus.ISSUED
    issued_on = dt.date(2026, 3, 2)
    acceptance_due = dt.date(2026, 3, 3)
    deadline = dt.date(2026, 3, 31)
    original_deadline = factory.LazyAttribute(lambda o: o.deadline)
