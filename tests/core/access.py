from tests.access_matrix import ALL_ROLES, Endpoint, register

register(
    Endpoint("home", lambda c: "/", frozenset(ALL_ROLES)),
    Endpoint("account settings", lambda c: "/account/", frozenset(ALL_ROLES)),
    Endpoint("audit list", lambda c: "/core/audit/", frozenset({"auditadmin"}), denied=(403,)),
    Endpoint("audit export", lambda c: "/core/audit/export.xlsx", frozenset({"auditadmin"}), denied=(403,)),
)
