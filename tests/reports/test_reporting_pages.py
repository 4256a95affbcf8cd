"""The reporting page of a unit with more projects than a page: every project listed once
across the pages, and a query count that does not grow with the projects (the first page
of a small unit skips the COUNT; a larger unit pays it, a fixed number)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login_client
from tests.helpers import assert_queries_independent_of_size
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _grow(world, n):
    def grow():
        for _ in range(n):
            ProjectFactory(responsible_unit=world.unit_a, milestones=False, plan=False)

    return grow


def test_a_unit_with_more_projects_than_a_page_sees_each_once(world):
    client = login_client(world.reporter_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    small = client.get("/projects/reporting/")
    assert small.context["page_obj"].paginator.num_pages == 1

    _grow(world, 60)()
    assert_queries_independent_of_size(lambda: client.get("/projects/reporting/"), _grow(world, 30))
    first = client.get("/projects/reporting/")
    total = first.context["page_obj"].paginator.count
    assert total >= 90
    codes: list[str] = []
    for number in range(1, first.context["page_obj"].paginator.num_pages + 1):
        page = client.get("/projects/reporting/", {"page": number})
        codes += [row["code"] for row in page.context["page_obj"].object_list]
    assert len(codes) == len(set(codes)) == total
    assert re.search(rf"\b{total} records\b", first.content.decode())
