"""API endpoints in the access matrix: anonymous callers get 401, other refusals are 403
(missing capability) or 404 (another unit's object)."""

from tests.access_matrix import ALL_ROLES, Endpoint, register

EVERYONE = frozenset(ALL_ROLES)
UNIT_READERS = EVERYONE - {"auditadmin"}
COUNTY_READERS = frozenset({"officer", "leader", "sysadmin", "secadmin"})

register(
    Endpoint("api me", lambda c: "/api/v1/me", EVERYONE, api=True),
    Endpoint("api unit list", lambda c: "/api/v1/units", UNIT_READERS, api=True, denied=(403,)),
    Endpoint(
        "api unit detail own unit",
        lambda c: f"/api/v1/units/{c.own_unit.pk}",
        UNIT_READERS,
        api=True,
        denied=(403,),
    ),
    Endpoint(
        "api unit detail other unit",
        lambda c: f"/api/v1/units/{c.other_unit.pk}",
        COUNTY_READERS,
        api=True,
    ),
    Endpoint(
        "api unit classes", lambda c: "/api/v1/unit-classes", UNIT_READERS, api=True, denied=(403,)
    ),
    Endpoint("api openapi schema", lambda c: "/api/v1/openapi.json", EVERYONE, api=True),
    # The docs page is HTML: anonymous visitors are sent to sign in like on any page.
    Endpoint("api docs", lambda c: "/api/v1/docs", EVERYONE),
)
