"""The organisation pages in the access matrix (see tests/access_matrix.py).

Unit pages follow the unit scope: unit reporters and heads see their own unit and get 404
for any other, so that the existence of another unit's page does not leak. Management
pages belong to one administrator each (三员分立)."""

from __future__ import annotations

from tests.access_matrix import Endpoint, register
from tests.orgs.factories import LeaderFactory

VIEW_UNITS = frozenset({"officer", "leader", "unit_head", "reporter", "sysadmin", "secadmin"})
COUNTY_WIDE_VIEW = frozenset({"officer", "leader", "sysadmin", "secadmin"})
SYSADMIN = frozenset({"sysadmin"})
SECADMIN = frozenset({"secadmin"})
ACCOUNT_VIEWERS = frozenset({"sysadmin", "secadmin"})
CREATED = (302,)  # a successful POST redirects (post/redirect/get)


def _unit_payload(c, **extra) -> dict:
    data = {
        "name": "矩阵测试单位",
        "short_name": "",
        "code": "MATRIX-1",
        "unit_class": c.own_unit.unit_class_id,
        "parent": "",
        "order": "0",
        "is_active": "on",
    }
    data.update(extra)
    return data


def _user_payload(c, **extra) -> dict:
    data = {
        "username": "matrix_user",
        "full_name": "矩阵用户",
        "phone": "",
        "unit": c.own_unit.pk,
        "leader": "",
        "is_active": "on",
        "password1": "Matrix#2026pass",
        "password2": "Matrix#2026pass",
    }
    data.update(extra)
    return data


ORGS_ENDPOINTS: list[Endpoint] = [
    # Units
    Endpoint("unit list", lambda c: "/orgs/units/", VIEW_UNITS, denied=(403,)),
    Endpoint("unit detail own unit", lambda c: f"/orgs/units/{c.own_unit.pk}/", VIEW_UNITS),
    Endpoint(
        "unit detail other unit", lambda c: f"/orgs/units/{c.other_unit.pk}/", COUNTY_WIDE_VIEW
    ),
    Endpoint("unit create page", lambda c: "/orgs/units/new/", SYSADMIN, denied=(403,)),
    Endpoint(
        "unit create",
        lambda c: "/orgs/units/new/",
        SYSADMIN,
        method="post",
        data=_unit_payload,
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "unit edit page own unit",
        lambda c: f"/orgs/units/{c.own_unit.pk}/edit/",
        SYSADMIN,
        denied=(403,),
    ),
    Endpoint(
        "unit edit other unit",
        lambda c: f"/orgs/units/{c.other_unit.pk}/edit/",
        SYSADMIN,
        method="post",
        data=lambda c: _unit_payload(c, code=c.other_unit.code, name="改名后的交通局"),
        ok=CREATED,
        denied=(403,),
    ),
    # Unit classes
    Endpoint("unit class list", lambda c: "/orgs/unit-classes/", SYSADMIN, denied=(403,)),
    Endpoint(
        "unit class create",
        lambda c: "/orgs/unit-classes/new/",
        SYSADMIN,
        method="post",
        data=lambda c: {"code": "mx", "name": "矩阵类别", "kind": "other", "order": "9"},
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "unit class edit page",
        lambda c: f"/orgs/unit-classes/{c.own_unit.unit_class_id}/edit/",
        SYSADMIN,
        denied=(403,),
    ),
    # Leaders
    Endpoint("leader list", lambda c: "/orgs/leaders/", SYSADMIN, denied=(403,)),
    Endpoint(
        "leader create",
        lambda c: "/orgs/leaders/new/",
        SYSADMIN,
        method="post",
        data=lambda c: {"name": "王五", "title": "副县长", "precedence": "5", "is_active": "on"},
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "leader edit page",
        lambda c: f"/orgs/leaders/{LeaderFactory().pk}/edit/",
        SYSADMIN,
        denied=(403,),
    ),
    # User accounts
    Endpoint("user list", lambda c: "/orgs/users/", ACCOUNT_VIEWERS, denied=(403,)),
    Endpoint("user create page", lambda c: "/orgs/users/new/", SYSADMIN, denied=(403,)),
    Endpoint(
        "user create",
        lambda c: "/orgs/users/new/",
        SYSADMIN,
        method="post",
        data=_user_payload,
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "user edit other unit",
        lambda c: f"/orgs/users/{c.other_unit_user.pk}/edit/",
        SYSADMIN,
        method="post",
        data=lambda c: {
            "username": c.other_unit_user.username,
            "full_name": "改过的名字",
            "unit": c.other_unit.pk,
            "is_active": "on",
        },
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "user password reset",
        lambda c: f"/orgs/users/{c.other_unit_user.pk}/password/",
        SYSADMIN,
        method="post",
        data=lambda c: {"password1": "Reset#2026pass", "password2": "Reset#2026pass"},
        ok=CREATED,
        denied=(403,),
    ),
    # Roles
    Endpoint("role list", lambda c: "/orgs/roles/", SECADMIN, denied=(403,)),
    Endpoint(
        "role page", lambda c: f"/orgs/roles/{c.other_unit_user.pk}/", SECADMIN, denied=(403,)
    ),
    Endpoint(
        "role set",
        lambda c: f"/orgs/roles/{c.other_unit_user.pk}/",
        SECADMIN,
        method="post",
        data=lambda c: {"roles": ["reporter", "unit_head"]},
        ok=CREATED,
        denied=(403,),
    ),
    Endpoint(
        "user unlock",
        lambda c: f"/orgs/users/{c.other_unit_user.pk}/unlock/",
        SECADMIN,
        method="post",
        ok=CREATED,
        denied=(403,),
    ),
]

register(*ORGS_ENDPOINTS)
