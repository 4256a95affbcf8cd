"""Who sees which item (事项可见范围), after the scope became a union of indexed id
selects: every role's visible set equals the rule read off each item in Python, on
random assignments of lead units, cooperating units and leaders."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.orgs.choices import Role
from luoshi.supervision.models import Item, ItemUnit
from luoshi.supervision.scope import can_see, unit_role, visible_items
from tests.orgs.factories import LeaderFactory, UnitFactory, UserFactory
from tests.supervision.factories import ItemFactory

pytestmark = pytest.mark.django_db

# Per item: lead unit index, cooperating unit indexes, responsible and instruction leader
# indexes (None: no leader).
SHAPE = st.tuples(
    st.integers(0, 2),
    st.sets(st.integers(0, 2), max_size=2),
    st.one_of(st.none(), st.integers(0, 1)),
    st.one_of(st.none(), st.integers(0, 1)),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shapes=st.lists(SHAPE, max_size=6))
def test_each_role_sees_exactly_what_the_rule_allows(shapes):
    Item.objects.all().delete()
    units = [UnitFactory() for _ in range(3)]
    leaders = [LeaderFactory() for _ in range(2)]
    for lead, coop, resp, instr in shapes:
        item = ItemFactory(
            lead_unit=units[lead],
            responsible_leader=leaders[resp] if resp is not None else None,
            instruction_leader=leaders[instr] if instr is not None else None,
        )
        for u in coop - {lead}:
            ItemUnit.objects.create(item=item, unit=units[u])
    users = [
        UserFactory(roles=[Role.SUPERVISION_OFFICER]),
        UserFactory(roles=[Role.LEADER], leader=leaders[0]),
        UserFactory(roles=[Role.UNIT_REPORTER], unit=units[0]),
        UserFactory(roles=[Role.UNIT_HEAD], unit=units[1]),
        # A leader's account tied to a unit as well: both ways of seeing add up.
        UserFactory(roles=[Role.LEADER, Role.UNIT_REPORTER], leader=leaders[1], unit=units[2]),
        UserFactory(roles=[Role.UNIT_REPORTER]),  # no unit: nothing
    ]
    items = list(Item.objects.all())
    for user in users:
        expected = {i.pk for i in items if can_see(user, i)}
        got = list(visible_items(user).values_list("pk", flat=True))
        assert len(got) == len(set(got)), "an item listed twice"
        assert set(got) == expected, user.username
        # A narrowed queryset stays narrowed.
        if items:
            first = items[0]
            narrowed = visible_items(user, Item.objects.filter(pk=first.pk))
            assert list(narrowed.values_list("pk", flat=True)) == (
                [first.pk] if first.pk in expected else []
            )


def test_a_unit_sees_what_it_leads_and_cooperates_on_and_nothing_else(people):
    led = ItemFactory(lead_unit=people["unit_a"])
    cooperated = ItemFactory(lead_unit=people["unit_c"])
    ItemUnit.objects.create(item=cooperated, unit=people["unit_a"])
    ItemFactory(lead_unit=people["unit_c"])
    seen = set(visible_items(people["reporter"]).values_list("pk", flat=True))
    assert seen == {led.pk, cooperated.pk}
    assert unit_role(people["reporter"], led) == "lead"
    assert unit_role(people["reporter"], cooperated) == "cooperating"
    assert not visible_items(people["stranger"]).filter(pk=led.pk).exists()
