"""Factories for key projects, plans, milestones, periods and monthly reports.

``ProjectFactory()`` gives a project of 2026 with a 12-month plan curve that sums to the
annual plan and three milestones (weights 20/30/50). Pass ``plan=False`` or
``milestones=False`` to leave them out, ``plan=[...12 Decimals...]`` for a custom curve,
``milestones=[dict(kind=..., name=..., planned_on=..., weight=...), ...]`` for custom ones.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import factory

from luoshi.projects.choices import MilestoneKind, ReportStatus, Stage
from luoshi.projects.models import (
    Category,
    Milestone,
    MonthlyPlan,
    MonthlyReport,
    Project,
    ProjectStatus,
    ReportingPeriod,
)
from tests.orgs.factories import UnitFactory

YEAR = 2026


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


def even_plan(annual: Decimal) -> list[Decimal]:
    """Twelve monthly amounts summing exactly to ``annual`` (the remainder in December)."""
    share = (annual / 12).quantize(Decimal("0.01"))
    months = [share] * 11
    months.append(annual - share * 11)
    return months


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"产业项目{n}")
    order = factory.Sequence(lambda n: n)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    year = YEAR
    code = factory.Sequence(lambda n: f"XM{n:05d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    name_key = factory.LazyAttribute(lambda o: _name_key(o.name))
    pinyin_initials = ""
    category = factory.SubFactory(CategoryFactory, code="industry", name="工业项目", order=1)
    stage = Stage.CONTINUING
    content = "新建厂房 2 万平方米"
    location = "城关镇"
    total_investment = Decimal("10000.00")
    annual_plan = Decimal("1200.00")
    start_year = YEAR - 1
    end_year = YEAR + 1
    responsible_unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def plan(self, create: bool, extracted, **kwargs) -> None:
        if not create or extracted is False:
            return
        amounts = extracted if extracted else even_plan(self.annual_plan)
        MonthlyPlan.objects.bulk_create(
            [
                MonthlyPlan(project=self, month=i + 1, planned=Decimal(a))
                for i, a in enumerate(amounts)
            ]
        )

    @factory.post_generation
    def milestones(self, create: bool, extracted, **kwargs) -> None:
        if not create or extracted is False:
            return
        specs = extracted or [
            dict(
                kind=MilestoneKind.START,
                name="开工",
                planned_on=dt.date(self.year, 3, 1),
                weight=20,
            ),
            dict(
                kind=MilestoneKind.STRUCTURE,
                name="主体完工",
                planned_on=dt.date(self.year, 8, 31),
                weight=30,
            ),
            dict(
                kind=MilestoneKind.COMPLETION,
                name="竣工",
                planned_on=dt.date(self.year, 12, 31),
                weight=50,
            ),
        ]
        Milestone.objects.bulk_create(
            [Milestone(project=self, order=i, **spec) for i, spec in enumerate(specs)]
        )

    @factory.post_generation
    def leaders(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.leaders.add(*extracted)

    @factory.post_generation
    def cooperating_units(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.cooperating_units.add(*extracted)


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    """``ReportingPeriodFactory(year=2026, month=3)``: deadline the 5th of the next month."""

    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("year", "month")

    year = YEAR
    month = 1
    deadline = factory.LazyAttribute(
        lambda o: dt.date(o.year + (o.month == 12), o.month % 12 + 1, 5)
    )


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    """A report of ``project`` for ``period``, filed by the project's responsible unit."""

    class Meta:
        model = MonthlyReport

    project = factory.SubFactory(ProjectFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
    unit = factory.LazyAttribute(lambda o: o.project.responsible_unit)
    status = ReportStatus.ACCEPTED
    investment_month = Decimal("100.00")
    investment_ytd = factory.LazyAttribute(lambda o: o.investment_month * o.period.month)
    investment_since_start = factory.LazyAttribute(lambda o: o.investment_ytd + Decimal("500"))
    progress_text = "主体结构施工中"


class ProjectStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectStatus
        django_get_or_create = ("project", "period")

    project = factory.SubFactory(ProjectFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
    lamp = "green"
    reason = "1–1月完成投资 100.00万元，为计划的 100%"
    planned_ytd = Decimal("100.00")
    actual_ytd = Decimal("100.00")
    ratio = Decimal("1.0000")
