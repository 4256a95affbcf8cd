"""Project library pages and the read API in the access matrix (see tests/access_matrix.py).

A project belongs to its responsible unit: the unit's reporter and head reach it, another
unit's project is a 404 (its existence does not leak). The office and leaders see every
project; admin roles see no business data. Only the office creates and edits projects."""

from __future__ import annotations

from tests.access_matrix import Endpoint, register
from tests.projects.factories import CategoryFactory, ProjectFactory

VIEWERS = frozenset({"officer", "leader", "unit_head", "reporter"})
COUNTY_WIDE = frozenset({"officer", "leader"})
OFFICE = frozenset({"officer"})


def _project(c, which: str):
    """The project of the own or the other unit, created once per test."""
    attr = f"_project_{which}"
    if not hasattr(c, attr):
        unit = c.own_unit if which == "own" else c.other_unit
        setattr(c, attr, ProjectFactory(responsible_unit=unit, code=f"ACC-{which}"))
    return getattr(c, attr)


def _payload(c, **extra) -> dict:
    data = {
        "p-year": "2026",
        "p-code": "ACC-NEW",
        "p-name": "矩阵新项目",
        "p-category": CategoryFactory(code="industry", name="工业项目").pk,
        "p-stage": "new",
        "p-total_investment": "1000",
        "p-annual_plan": "100",
        "p-start_year": "2026",
        "p-end_year": "2027",
        "p-responsible_unit": c.own_unit.pk,
        "ms-TOTAL_FORMS": "0",
        "ms-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def _edit_payload(c) -> dict:
    p = _project(c, "own")
    return _payload(c, **{"p-code": p.code, "p-name": "矩阵改名", "p-category": p.category_id})


CREATED = (302,)

register(
    Endpoint("project list", lambda c: "/projects/", VIEWERS, denied=(403,)),
    Endpoint("project detail own unit", lambda c: f"/projects/{_project(c, 'own').pk}/", VIEWERS),
    Endpoint(
        "project detail other unit",
        lambda c: f"/projects/{_project(c, 'other').pk}/",
        COUNTY_WIDE,
    ),
    Endpoint("project create page", lambda c: "/projects/new/", OFFICE, denied=(403,)),
    Endpoint(
        "project create",
        lambda c: "/projects/new/",
        OFFICE,
        method="post",
        data=_payload,
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "project edit page",
        lambda c: f"/projects/{_project(c, 'own').pk}/edit/",
        OFFICE,
        denied=(403,),
    ),
    Endpoint(
        "project edit",
        lambda c: f"/projects/{_project(c, 'own').pk}/edit/",
        OFFICE,
        method="post",
        data=_edit_payload,
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "project form unit search",
        lambda c: "/projects/units/pick/?field=p-responsible_unit&q=局",
        OFFICE,
        denied=(403,),
    ),
    Endpoint("api project list", lambda c: "/api/v1/projects", VIEWERS, api=True, denied=(403,)),
    Endpoint(
        "api project detail own unit",
        lambda c: f"/api/v1/projects/{_project(c, 'own').pk}",
        VIEWERS,
        api=True,
        denied=(403,),
    ),
    Endpoint(
        "api project detail other unit",
        lambda c: f"/api/v1/projects/{_project(c, 'other').pk}",
        COUNTY_WIDE,
        api=True,
    ),
    Endpoint(
        "api project reports own unit",
        lambda c: f"/api/v1/projects/{_project(c, 'own').pk}/reports",
        VIEWERS,
        api=True,
        denied=(403,),
    ),
    Endpoint(
        "api project reports other unit",
        lambda c: f"/api/v1/projects/{_project(c, 'other').pk}/reports",
        COUNTY_WIDE,
        api=True,
    ),
)
