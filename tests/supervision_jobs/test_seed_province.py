"""``luoshi seed --scale province`` for supervision items, at a small size: the same mix
as the 200,000 items, written in bulk."""

from __future__ import annotations

import pytest

from luoshi.orgs.models import User
from luoshi.orgs.seed import seed_run
from luoshi.projects import seed as project_seed
from luoshi.supervision import seed as supervision_seed
from luoshi.supervision.models import Item
from luoshi.supervision.scope import visible_items
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_province(monkeypatch):
    monkeypatch.setattr(project_seed, "province_size", lambda ctx: 40)
    monkeypatch.setattr(supervision_seed, "BATCH", 500)


def test_the_province_is_written_in_bulk_in_every_state(small_province):
    with count_queries() as q:
        ctx = seed_run(scale="province", units=300, users=400)
    states = ctx.shared["supervision_states"]
    assert set(states) == set(supervision_seed.SCENARIOS)
    assert Item.objects.count() == sum(states.values()) == 1200  # four per unit when cut
    inserts = [
        x for x in q.captured_queries if x["sql"].startswith('INSERT INTO "supervision_item" ')
    ]
    assert len(inserts) <= 1200 / 20  # many rows per statement, not a statement per item
    reporter = User.objects.get(username="reporter_fgj")
    assert visible_items(reporter, Item.objects.all()).count() >= 3
