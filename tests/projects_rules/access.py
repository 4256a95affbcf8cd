"""Settings pages (year settings, periods, calendar overrides) in the access matrix: the
office's alone — every other role gets 403, including the admin roles (三员分立: the
system administrator runs accounts, not the county's reporting calendar)."""

from __future__ import annotations

import datetime as dt

from tests.access_matrix import Endpoint, register

OFFICE = frozenset({"officer"})


def _period(c):
    from luoshi.projects.periods import period_get_or_create

    return period_get_or_create(year=2026, month=3)


def _locked_period(c):
    from luoshi.projects.models import ReportingPeriod
    from luoshi.projects.periods import period_get_or_create

    period = period_get_or_create(year=2026, month=4)
    ReportingPeriod.objects.filter(pk=period.pk).update(
        locked_at=dt.datetime(2026, 5, 20, tzinfo=dt.UTC)
    )
    return period


def _override(c):
    from luoshi.core.models import CalendarDay

    day, _ = CalendarDay.objects.get_or_create(
        date=dt.date(2027, 1, 1), defaults={"is_working_day": False, "note": "元旦"}
    )
    return day


def _settings_payload(c) -> dict:
    return {
        "green_pct": "95",
        "yellow_pct": "80",
        "milestone_yellow_days": "30",
        "milestone_red_days": "60",
        "missing_periods_red": "2",
        "deadline_day": "5",
    }


register(
    Endpoint("year settings list", lambda c: "/projects/settings/", OFFICE, denied=(403,)),
    Endpoint("year settings new", lambda c: "/projects/settings/years/new/", OFFICE, denied=(403,)),
    Endpoint(
        "year settings edit", lambda c: "/projects/settings/years/2026/", OFFICE, denied=(403,)
    ),
    Endpoint(
        "year settings save",
        lambda c: "/projects/settings/years/2026/",
        OFFICE,
        method="post",
        data=_settings_payload,
        ok=(302,),
        denied=(403,),
    ),
    Endpoint(
        "periods of a year",
        lambda c: "/projects/settings/years/2026/periods/",
        OFFICE,
        denied=(403,),
    ),
    Endpoint(
        "period open",
        lambda c: "/projects/settings/years/2026/periods/open/",
        OFFICE,
        method="post",
        data=lambda c: {"month": "2"},
        ok=(302,),
        denied=(403,),
    ),
    Endpoint(
        "period lock",
        lambda c: f"/projects/settings/periods/{_period(c).pk}/lock/",
        OFFICE,
        method="post",
        ok=(302,),
        denied=(403,),
    ),
    Endpoint(
        "period unlock",
        lambda c: f"/projects/settings/periods/{_locked_period(c).pk}/unlock/",
        OFFICE,
        method="post",
        data=lambda c: {"reason": "更正"},
        ok=(302,),
        denied=(403,),
    ),
    Endpoint(
        "period refresh lamps",
        lambda c: f"/projects/settings/periods/{_period(c).pk}/refresh/",
        OFFICE,
        method="post",
        ok=(302,),
        denied=(403,),
    ),
    Endpoint("calendar overrides", lambda c: "/core/calendar/", OFFICE, denied=(403,)),
    Endpoint(
        "calendar overrides of a year", lambda c: "/core/calendar/?year=2027", OFFICE, denied=(403,)
    ),
    Endpoint("calendar override new", lambda c: "/core/calendar/new/", OFFICE, denied=(403,)),
    Endpoint(
        "calendar override edit",
        lambda c: f"/core/calendar/{_override(c).pk}/",
        OFFICE,
        denied=(403,),
    ),
    Endpoint(
        "calendar override create",
        lambda c: "/core/calendar/new/",
        OFFICE,
        method="post",
        data=lambda c: {"date": "2027-02-08", "is_working_day": "0", "note": "春节"},
        ok=(302,),
        denied=(403,),
    ),
    Endpoint(
        "calendar override delete",
        lambda c: f"/core/calendar/{_override(c).pk}/delete/",
        OFFICE,
        method="post",
        ok=(302,),
        denied=(403,),
    ),
)
