"""The project form's unit fields: a county's units in a plain select (no JavaScript
needed); a province's only as the chosen ones plus a search that answers twenty at most."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.orgs.choices import Role
from luoshi.orgs.models import Unit
from luoshi.projects import unit_picker
from luoshi.projects.models import Project
from tests.projects.factories import CategoryFactory, ProjectFactory
from tests.projects.test_project_edit import _post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


@pytest.fixture
def office(role_users):
    return role_users[Role.SUPERVISION_OFFICER]


@pytest.fixture
def many_units(settings, monkeypatch, unit_a, unit_b):
    """More units than a select should carry (the threshold lowered for speed)."""
    monkeypatch.setattr(unit_picker, "SELECT_MAX", 10)
    cls = unit_a.unit_class
    Unit.objects.bulk_create(
        [
            Unit(code=f"XZ{i:03d}", name=f"第{i}乡镇人民政府", order=100 + i, unit_class=cls)
            for i in range(30)
        ]
    )


def test_a_county_gets_every_unit_in_a_plain_select(office, unit_a, unit_b, make_client):
    page = make_client(office).get("/projects/new/").content.decode()
    assert "县发展和改革局（FGJ）" in page and "县交通运输局（JTJ）" in page
    assert "hx-get" not in page


def test_a_province_gets_only_the_chosen_units_and_a_search(
    office, unit_a, unit_b, many_units, make_client
):
    project = ProjectFactory(responsible_unit=unit_a, cooperating_units=[unit_b])
    client = make_client(office)
    client.get(f"/projects/{project.pk}/edit/")  # the session's first request does more
    with CaptureQueriesContext(connection) as few:
        page = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert "县发展和改革局（FGJ）" in page and "县交通运输局（JTJ）" in page
    assert "第7乡镇人民政府" not in page
    assert 'hx-get="/projects/units/pick/"' in page
    Unit.objects.bulk_create(
        [
            Unit(code=f"YY{i:03d}", name=f"第{i}街道", order=500 + i, unit_class=unit_a.unit_class)
            for i in range(60)
        ]
    )
    with CaptureQueriesContext(connection) as more:
        client.get(f"/projects/{project.pk}/edit/")
    assert len(more) == len(few)


def test_the_search_answers_the_chosen_and_at_most_twenty_matches(
    office, unit_a, unit_b, many_units, make_client
):
    client = make_client(office)
    url = "/projects/units/pick/"
    html = client.get(
        url, {"field": "p-cooperating_units", "q": "乡镇", "p-cooperating_units": [unit_b.pk]}
    ).content.decode()
    assert html.startswith("<select") and "multiple" in html
    assert html.count("<option") == 1 + unit_picker.RESULTS
    assert f'value="{unit_b.pk}" selected' in html
    one = client.get(url, {"field": "p-responsible_unit", "q": "XZ007"}).content.decode()
    assert "第7乡镇人民政府（XZ007）" in one and "multiple" not in one
    assert client.get(url, {"field": "password", "q": "x"}).status_code == 400


def test_a_unit_found_by_search_is_saved(office, unit_a, many_units, make_client):
    town = Unit.objects.get(code="XZ007")
    data = _post(unit_a, CategoryFactory(), **{"ms-0-weight": "100"})
    data["p-responsible_unit"] = town.pk
    data["p-cooperating_units"] = [unit_a.pk]
    response = make_client(office).post("/projects/new/", data)
    assert response.status_code == 302
    project = Project.objects.get(code="GY-200")
    assert project.responsible_unit == town
    assert list(project.cooperating_units.all()) == [unit_a]
