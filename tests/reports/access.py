"""The monthly report pages and API in the access matrix (see tests/access_matrix.py).

Reports follow the unit scope of the unit that files them: the office and leaders see
every unit's; a unit's reporter and head see their own unit's and get 404 for any other's
(existence does not leak). Each workflow step belongs to one role; administrators
(三员分立) see no business data at all (403)."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from luoshi.projects import photos
from luoshi.projects import services_reports as services
from luoshi.projects.choices import ReportStatus
from luoshi.projects.models import ReportPhoto
from tests.access_matrix import Endpoint, register
from tests.projects.factories import MonthlyReportFactory, ProjectFactory, ReportingPeriodFactory

READERS = frozenset({"officer", "leader", "unit_head", "reporter"})
COUNTY = frozenset({"officer", "leader"})
UNIT = frozenset({"unit_head", "reporter"})
REPORTER = frozenset({"reporter"})
HEAD = frozenset({"unit_head"})
OFFICE = frozenset({"officer"})
REDIRECT = (302,)


def _period():
    year, month = services.open_period_month()
    return ReportingPeriodFactory(year=year, month=month)


def _project(c, own: bool = True):
    year, _month = services.open_period_month()
    unit = c.own_unit if own else c.other_unit
    return ProjectFactory(responsible_unit=unit, year=year, start_year=year - 1, end_year=year + 1)


def _report(c, status: str = ReportStatus.DRAFT, own: bool = True):
    return MonthlyReportFactory(
        project=_project(c, own), period=_period(), status=status, investment_month=Decimal("10")
    )


def _photo(c, own: bool = True) -> int:
    report = _report(c, own=own)
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG")
    root = photos.photo_root()
    (root / "photos").mkdir(parents=True, exist_ok=True)
    (root / "photos" / "matrix.jpg").write_bytes(out.getvalue())
    photo = ReportPhoto.objects.create(
        report=report,
        path="photos/matrix.jpg",
        thumb_path="photos/matrix.jpg",
        content_type="image/jpeg",
        size=len(out.getvalue()),
        sha256="0" * 64,
    )
    return photo.pk


def _form(c) -> dict:
    return {"version": "0", "investment_month": "12.5", "action": "save"}


def _api_body(c) -> dict:
    return {"investment_month": "12.50", "progress_text": "施工中"}


R = "/projects/reporting"

PAGES = [
    Endpoint("reporting page", lambda c: f"{R}/", UNIT, denied=(403,)),
    Endpoint("review queue", lambda c: f"{R}/review/", OFFICE, denied=(403,)),
    Endpoint(
        "report new own project", lambda c: f"{R}/new/{_project(c).pk}/", REPORTER, denied=(403,)
    ),
    Endpoint(
        "report new other unit's project",
        lambda c: f"{R}/new/{_project(c, own=False).pk}/",
        frozenset(),
    ),
    Endpoint(
        "report create own project",
        lambda c: f"{R}/new/{_project(c).pk}/",
        REPORTER,
        method="post",
        data=_form,
        ok=REDIRECT,
        denied=(403,),
    ),
    Endpoint(
        "report create other unit's project",
        lambda c: f"{R}/new/{_project(c, own=False).pk}/",
        frozenset(),
        method="post",
        data=_form,
    ),
    Endpoint("report detail own unit", lambda c: f"{R}/{_report(c).pk}/", READERS, denied=(403,)),
    Endpoint("report detail other unit", lambda c: f"{R}/{_report(c, own=False).pk}/", COUNTY),
    Endpoint(
        "report edit own unit", lambda c: f"{R}/{_report(c).pk}/edit/", REPORTER, denied=(403,)
    ),
    Endpoint(
        "report save other unit",
        lambda c: f"{R}/{_report(c, own=False).pk}/edit/",
        frozenset(),
        method="post",
        data=_form,
    ),
    Endpoint(
        "report submit own unit",
        lambda c: f"{R}/{_report(c).pk}/submit/",
        REPORTER,
        method="post",
        ok=REDIRECT,
        denied=(403,),
    ),
    Endpoint(
        "report submit other unit",
        lambda c: f"{R}/{_report(c, own=False).pk}/submit/",
        frozenset(),
        method="post",
    ),
    Endpoint(
        "report approve own unit",
        lambda c: f"{R}/{_report(c, ReportStatus.SUBMITTED).pk}/approve/",
        HEAD,
        method="post",
        ok=REDIRECT,
        denied=(403,),
    ),
    Endpoint(
        "report approve other unit",
        lambda c: f"{R}/{_report(c, ReportStatus.SUBMITTED, own=False).pk}/approve/",
        frozenset(),
        method="post",
    ),
    Endpoint(
        "report return own unit",
        lambda c: f"{R}/{_report(c, ReportStatus.SUBMITTED).pk}/return/",
        HEAD | OFFICE,
        method="post",
        data=lambda c: {"reason": "补充材料"},
        ok=REDIRECT,
        denied=(403,),
    ),
    Endpoint(
        "report accept",
        lambda c: f"{R}/{_report(c, ReportStatus.APPROVED, own=False).pk}/accept/",
        OFFICE,
        method="post",
        ok=REDIRECT,
        denied=(403,),
    ),
    Endpoint(
        "report correct page",
        lambda c: f"{R}/{_report(c, ReportStatus.ACCEPTED).pk}/correct/",
        OFFICE,
        denied=(403,),
    ),
    Endpoint("photo own unit", lambda c: f"{R}/photos/{_photo(c)}/", READERS, denied=(403,)),
    Endpoint(
        "photo thumb own unit", lambda c: f"{R}/photos/{_photo(c)}/thumb/", READERS, denied=(403,)
    ),
    Endpoint("photo other unit", lambda c: f"{R}/photos/{_photo(c, own=False)}/", COUNTY),
    Endpoint(
        "photo thumb other unit", lambda c: f"{R}/photos/{_photo(c, own=False)}/thumb/", COUNTY
    ),
]

A = "/api/v1/reports"

API = [
    Endpoint("api report list", lambda c: A, READERS, api=True, denied=(403,)),
    Endpoint(
        "api report own unit", lambda c: f"{A}/{_report(c).pk}", READERS, api=True, denied=(403,)
    ),
    Endpoint(
        "api report other unit", lambda c: f"{A}/{_report(c, own=False).pk}", COUNTY, api=True
    ),
    Endpoint(
        "api report create own project",
        lambda c: A,
        REPORTER,
        method="post",
        data=lambda c: {
            "project": _project(c).pk,
            "year": services.open_period_month()[0],
            "month": services.open_period_month()[1],
            **_api_body(c),
        },
        api=True,
        ok=(201,),
        denied=(403,),
    ),
    Endpoint(
        "api report create other unit's project",
        lambda c: A,
        frozenset(),
        method="post",
        data=lambda c: {
            "project": _project(c, own=False).pk,
            "year": services.open_period_month()[0],
            "month": services.open_period_month()[1],
            **_api_body(c),
        },
        api=True,
    ),
    Endpoint(
        "api report update own unit",
        lambda c: f"{A}/{_report(c).pk}",
        REPORTER,
        method="put",
        data=lambda c: {**_api_body(c), "version": 1},
        api=True,
        denied=(403,),
    ),
    Endpoint(
        "api report update other unit",
        lambda c: f"{A}/{_report(c, own=False).pk}",
        frozenset(),
        method="put",
        data=lambda c: {**_api_body(c), "version": 1},
        api=True,
    ),
    Endpoint(
        "api report submit own unit",
        lambda c: f"{A}/{_report(c).pk}/submit",
        REPORTER,
        method="post",
        api=True,
        denied=(403,),
    ),
    Endpoint(
        "api report approve own unit",
        lambda c: f"{A}/{_report(c, ReportStatus.SUBMITTED).pk}/approve",
        HEAD,
        method="post",
        api=True,
        denied=(403,),
    ),
    Endpoint(
        "api report approve other unit",
        lambda c: f"{A}/{_report(c, ReportStatus.SUBMITTED, own=False).pk}/approve",
        frozenset(),
        method="post",
        api=True,
    ),
    Endpoint(
        "api report return by head",
        lambda c: f"{A}/{_report(c, ReportStatus.SUBMITTED).pk}/return",
        HEAD,
        method="post",
        data=lambda c: {"reason": "补充"},
        api=True,
        ok=(200,),
        # The office reaches the call but a submitted report is not its to return.
        denied=(400, 403, 404),
    ),
    Endpoint(
        "api report return by office",
        lambda c: f"{A}/{_report(c, ReportStatus.APPROVED, own=False).pk}/return",
        OFFICE,
        method="post",
        data=lambda c: {"reason": "补充"},
        api=True,
    ),
    Endpoint(
        "api report accept",
        lambda c: f"{A}/{_report(c, ReportStatus.APPROVED).pk}/accept",
        OFFICE,
        method="post",
        api=True,
        denied=(403,),
    ),
]

register(*PAGES, *API)
