"""Meetings, issuing, the ledger, the overdue list, the inbox and the leader's list in the
access matrix (see tests/access_matrix.py).

Meetings and the ledger are county-wide reading (the office and leaders); recording
meetings, issuing items and the overdue list are the office's; the inbox is the units'
(reporter and head); the leader's list is the leaders'. Admin roles see no business data."""

from __future__ import annotations

import datetime as dt

from tests.access_matrix import Endpoint, register
from tests.supervision.factories import DecisionFactory, MeetingFactory

COUNTY = frozenset({"officer", "leader"})
OFFICE = frozenset({"officer"})
UNITS = frozenset({"unit_head", "reporter"})
LEADER = frozenset({"leader"})
MOVED = (302,)


def _meeting(c):
    if not hasattr(c, "_meet_meeting"):
        c._meet_meeting = MeetingFactory(held_on=dt.date(2026, 3, 2))
    return c._meet_meeting


def _decision(c):
    if not hasattr(c, "_meet_decision"):
        c._meet_decision = DecisionFactory(meeting=_meeting(c))
    return c._meet_decision


def _meeting_payload(c) -> dict:
    return {"kind": "standing", "title": "矩阵会议", "held_on": "2026-03-02"}


def _issue_payload(c) -> dict:
    return {
        "source": "assignment",
        "title": "矩阵事项",
        "content": "按期完成",
        "lead_units": [c.own_unit.pk],
        "deadline_working_days": "3",
        "priority": "normal",
    }


def _m(c) -> str:
    return f"/supervision/meetings/{_meeting(c).pk}/"


def _d(c) -> str:
    return f"{_m(c)}decisions/{_decision(c).pk}/"


register(
    Endpoint("meeting list", lambda c: "/supervision/meetings/", COUNTY, denied=(403,)),
    Endpoint("meeting detail", _m, COUNTY, denied=(403,)),
    Endpoint("meeting create page", lambda c: "/supervision/meetings/new/", OFFICE, denied=(403,)),
    Endpoint(
        "meeting create",
        lambda c: "/supervision/meetings/new/",
        OFFICE,
        method="post",
        data=_meeting_payload,
        ok=MOVED,
        denied=(403,),
    ),
    Endpoint("meeting edit page", lambda c: f"{_m(c)}edit/", OFFICE, denied=(403,)),
    Endpoint(
        "meeting edit",
        lambda c: f"{_m(c)}edit/",
        OFFICE,
        method="post",
        data=_meeting_payload,
        ok=MOVED,
        denied=(403,),
    ),
    Endpoint(
        "decision add",
        lambda c: f"{_m(c)}decisions/",
        OFFICE,
        method="post",
        data=lambda c: {"content": "矩阵议定事项"},
        ok=MOVED,
        denied=(403,),
    ),
    Endpoint("decision edit page", lambda c: f"{_d(c)}edit/", OFFICE, denied=(403,)),
    Endpoint(
        "decision edit",
        lambda c: f"{_d(c)}edit/",
        OFFICE,
        method="post",
        data=lambda c: {"content": "改过的议定事项"},
        ok=MOVED,
        denied=(403,),
    ),
    Endpoint(
        "decision delete",
        lambda c: f"{_d(c)}delete/",
        OFFICE,
        method="post",
        ok=MOVED,
        denied=(403,),
    ),
    Endpoint("issue page", lambda c: "/supervision/issue/", OFFICE, denied=(403,)),
    Endpoint(
        "issue page from a decision",
        lambda c: f"/supervision/issue/?decision={_decision(c).pk}",
        OFFICE,
        denied=(403,),
    ),
    Endpoint(
        "issue item",
        lambda c: "/supervision/issue/",
        OFFICE,
        method="post",
        data=_issue_payload,
        ok=MOVED,
        denied=(403,),
    ),
    Endpoint(
        "issue deadline preview",
        lambda c: "/supervision/issue/deadline/?deadline_working_days=3",
        OFFICE,
        denied=(403,),
    ),
    Endpoint("ledger", lambda c: "/supervision/ledger/", COUNTY, denied=(403,)),
    Endpoint("overdue list", lambda c: "/supervision/overdue/", OFFICE, denied=(403,)),
    Endpoint("unit inbox", lambda c: "/supervision/inbox/", UNITS, denied=(403,)),
    Endpoint("leader's items", lambda c: "/supervision/mine/", LEADER, denied=(403,)),
)
