"""The list's order (category in the office's order, then code) cut into pages through the
index: every slice equals the same slice of the plainly sorted list, whole year or filtered,
for the page, the API and a unit's reader."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.orgs.choices import Role
from luoshi.projects import selectors
from luoshi.projects.choices import Stage
from luoshi.projects.models import Project
from tests.orgs.factories import UnitFactory, UserFactory
from tests.projects.factories import CategoryFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(db):
    """Three categories (ordered against their creation) of 7, 0, 12 and 5 projects, codes
    created out of order, two units."""
    cats = [CategoryFactory(code=f"c{i}", order=o) for i, o in enumerate((3, 1, 4, 2))]
    units = [UnitFactory(), UnitFactory()]
    for cat, n in zip(cats, (7, 0, 12, 5), strict=True):
        for i in reversed(range(n)):
            ProjectFactory(
                category=cat,
                code=f"{cat.code}-{i:02d}",
                responsible_unit=units[i % 2],
                stage=Stage.NEW if i % 3 == 0 else Stage.CONTINUING,
                plan=False,
                milestones=False,
            )
    office = UserFactory(roles=[Role.SUPERVISION_OFFICER])
    reporter = UserFactory(unit=units[0], roles=[Role.UNIT_REPORTER])
    return office, reporter


def _expected(user, **filters) -> list[int]:
    qs = selectors.project_list(user=user, year=2026, **filters)
    return list(
        qs.order_by("category__order", "category__code", "code", "pk").values_list("pk", flat=True)
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    offset=st.integers(0, 26),
    limit=st.integers(1, 30),
    who=st.sampled_from(["office", "reporter"]),
    new_only=st.booleans(),
)
def test_every_slice_is_the_plain_order_sliced(spread, offset, limit, who, new_only):
    user = spread[0] if who == "office" else spread[1]
    filters = {"stage": Stage.NEW} if new_only else {}
    expected = _expected(user, **filters)
    count, ids = selectors.project_ids(
        user=user, period=None, offset=offset, limit=limit, year=2026, **filters
    )
    assert count == len(expected) == Project.objects.filter(pk__in=expected).count()
    assert ids == expected[offset : offset + limit]
