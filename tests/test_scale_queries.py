"""The issue's bar, literally: the unit list and the home page run the same number of
queries with 50 units as with 6,000."""

from __future__ import annotations

import pytest
from django.test import Client

from luoshi.orgs.choices import Role
from luoshi.orgs.models import Unit, UnitClass
from tests.helpers import queries_of
from tests.orgs.factories import UserFactory


def _units(n: int, start: int, unit_class: UnitClass) -> None:
    Unit.objects.bulk_create(
        [
            Unit(code=f"S{i:05d}", name=f"规模测试单位{i}", unit_class=unit_class)
            for i in range(start, start + n)
        ],
        batch_size=1000,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/orgs/units/", "/orgs/units/?q=规模", "/api/v1/units"])
@pytest.mark.parametrize("role", [Role.SUPERVISION_OFFICER, Role.SYSTEM_ADMIN])
def test_queries_are_the_same_for_50_and_6000_units(url, role):
    unit_class = UnitClass.objects.create(code="dept", name="县直部门")
    _units(50, 0, unit_class)
    client = Client()
    client.force_login(UserFactory(roles=[role]))
    queries_of(lambda: client.get(url))  # warm-up: session, content types
    with_50 = queries_of(lambda: client.get(url))
    _units(5950, 50, unit_class)
    assert Unit.objects.count() == 6000
    assert queries_of(lambda: client.get(url)) == with_50
