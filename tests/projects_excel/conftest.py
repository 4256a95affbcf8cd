from __future__ import annotations

import pytest

from luoshi.orgs.choices import Role
from tests.orgs.factories import LeaderFactory, UnitFactory, UserFactory
from tests.projects.factories import CategoryFactory


@pytest.fixture
def county(db, unit_a, unit_b):
    """Categories, units and leaders the sample workbooks name."""
    return {
        "industry": CategoryFactory(code="industry", name="工业项目", order=1),
        "infra": CategoryFactory(code="infra", name="基础设施项目", order=2),
        "fgj": unit_a,  # 县发展和改革局 / 发改局
        "jtj": unit_b,  # 县交通运输局 / 交通局
        "cgz": UnitFactory(code="CGZ", name="城关镇"),
        "zhang": LeaderFactory(name="张三", title="副县长"),
        "li": LeaderFactory(name="李四", title="常务副县长"),
    }


@pytest.fixture
def officer(db):
    return UserFactory(username="office1", roles=[Role.SUPERVISION_OFFICER])


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Chinese catalogue is the lead's."""
    from django.utils import translation

    with translation.override("en"):
        yield
