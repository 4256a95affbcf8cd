"""The counts the database keeps for the project list (CategoryCount, LampCount) match a
recount after every kind of write: one by one, in bulk, upserts, moves between years,
categories and lamps, deletes and cascades — whichever code writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count

from luoshi.orgs.choices import Role
from luoshi.projects.choices import Lamp, Stage
from luoshi.projects.models import CategoryCount, LampCount, Project, ProjectStatus
from tests.projects.factories import (
    CategoryFactory,
    ProjectFactory,
    ProjectStatusFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.django_db


def assert_counts_match_a_recount() -> None:
    projects = {
        (r["year"], r["category_id"]): r["n"]
        for r in Project.objects.values("year", "category_id").annotate(n=Count("pk"))
    }
    kept = {(c.year, c.category_id): c.n for c in CategoryCount.objects.filter(n__gt=0)}
    assert kept == projects
    lamps = {
        (r["period_id"], r["lamp"]): r["n"]
        for r in ProjectStatus.objects.values("period_id", "lamp").annotate(n=Count("pk"))
    }
    kept = {(c.period_id, c.lamp): c.n for c in LampCount.objects.filter(n__gt=0)}
    assert kept == lamps
    assert not CategoryCount.objects.filter(n__lt=0).exists()
    assert not LampCount.objects.filter(n__lt=0).exists()


def test_counts_follow_every_kind_of_write():
    industry = CategoryFactory(code="industry", name="工业项目", order=1)
    roads = CategoryFactory(code="infra", name="基础设施", order=2)
    march = ReportingPeriodFactory(year=2026, month=3)
    april = ReportingPeriodFactory(year=2026, month=4)

    # One by one.
    a = ProjectFactory(category=industry, plan=False, milestones=False)
    b = ProjectFactory(category=industry, plan=False, milestones=False)
    c = ProjectFactory(category=roads, year=2025, plan=False, milestones=False)
    ProjectStatusFactory(project=a, period=march, lamp=Lamp.GREEN)
    ProjectStatusFactory(project=b, period=march, lamp=Lamp.RED)
    assert_counts_match_a_recount()
    assert CategoryCount.objects.get(year=2026, category=industry).n == 2

    # In bulk, as imports and the seed write.
    bulk = Project.objects.bulk_create(
        [
            Project(
                year=2026,
                code=f"B-{i}",
                name=f"批量{i}",
                name_key=f"批量{i}",
                category=roads if i % 2 else industry,
                total_investment=Decimal("10"),
                annual_plan=Decimal("1"),
                start_year=2026,
                end_year=2026,
                responsible_unit=a.responsible_unit,
            )
            for i in range(7)
        ]
    )
    ProjectStatus.objects.bulk_create(
        [
            ProjectStatus(
                project=p,
                period=march,
                lamp=Lamp.YELLOW,
                reason="",
                planned_ytd=Decimal("0"),
                actual_ytd=Decimal("0"),
            )
            for p in bulk
        ]
    )
    assert_counts_match_a_recount()

    # Upserts, as the lamp engine writes: some lamps change, some rows are new.
    ProjectStatus.objects.bulk_create(
        [
            ProjectStatus(
                project=p,
                period=march,
                lamp=Lamp.RED if i % 3 else Lamp.YELLOW,
                reason="",
                planned_ytd=Decimal("0"),
                actual_ytd=Decimal("0"),
            )
            for i, p in enumerate([a, b, c, *bulk])
        ],
        update_conflicts=True,
        unique_fields=["project", "period"],
        update_fields=["lamp", "reason"],
    )
    assert_counts_match_a_recount()

    # Moves: a project to another category and year, a lamp and a status to another period.
    a.category = roads
    a.save()
    Project.objects.filter(pk=b.pk).update(year=2025)
    ProjectStatus.objects.filter(project=c).update(lamp=Lamp.GREEN)
    ProjectStatus.objects.filter(project=bulk[0]).update(period=april)
    a.name = "只改名称"
    a.save()
    assert_counts_match_a_recount()

    # Deletes, and the statuses a deleted project takes with it.
    ProjectStatus.objects.filter(project=bulk[1]).delete()
    Project.objects.filter(pk__in=[p.pk for p in bulk[2:5]]).delete()
    assert_counts_match_a_recount()
    assert LampCount.objects.filter(period=march, n__gt=0).exists()

    # A period deleted takes its statuses and its counts, in whichever order.
    april.delete()
    assert_counts_match_a_recount()


def test_a_count_removed_first_is_not_written_back():
    """A flush (the test server's, between tests) or a cascade may delete the counts before
    the counted rows: the rows' deletion then leaves the counts alone."""
    industry = CategoryFactory(code="industry", name="工业项目", order=1)
    ProjectFactory(category=industry, plan=False, milestones=False)
    CategoryCount.objects.all().delete()
    Project.objects.all().delete()
    industry.delete()
    assert not CategoryCount.objects.exists()


def test_the_whole_year_list_counts_as_a_filtered_one(library, role_users, make_client):
    """The office's unfiltered list reads CategoryCount and LampCount; a filter that keeps
    every project (all are continuing) counts the rows: the figures and rows are the
    same, and both follow a project added and a lamp changed."""
    client = make_client(role_users[Role.SUPERVISION_OFFICER])

    def figures(**params):
        response = client.get("/projects/", params)
        lamps = {x["value"]: x["n"] for x in response.context["lamp_links"]}
        rows = [r["code"] for r in response.context["page_obj"].object_list]
        return response.context["total"], response.context["no_lamp"], lamps, rows

    assert figures() == figures(stage=Stage.CONTINUING)
    assert figures()[:3] == (3, 0, {"green": 1, "yellow": 1, "red": 1, "grey": 0})

    ProjectFactory(code="AA-000", category=library["road"].category)
    ProjectStatus.objects.filter(project=library["park"]).update(lamp=Lamp.RED)
    assert figures() == figures(stage=Stage.CONTINUING)
    assert figures()[:3] == (4, 1, {"green": 0, "yellow": 1, "red": 2, "grey": 0})
