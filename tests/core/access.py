from tests.access_matrix import ALL_ROLES, Endpoint, register


def _an_audit_entry(ctx) -> str:
    from luoshi.core.audit import audit_record
    from luoshi.core.choices import AuditAction

    entry = audit_record(
        action=AuditAction.UPDATE, obj=ctx.own_unit, before={"name": "a"}, after={"name": "b"}
    )
    return f"/core/audit/{entry.seq}/"


AUDIT_ONLY = frozenset({"auditadmin"})

register(
    Endpoint("home", lambda c: "/", frozenset(ALL_ROLES)),
    Endpoint("account settings", lambda c: "/account/", frozenset(ALL_ROLES)),
    # The trail is the audit administrator's alone (三员分立): a 403 for every other role.
    Endpoint("audit list", lambda c: "/core/audit/", AUDIT_ONLY, denied=(403,)),
    Endpoint(
        "audit list filtered",
        lambda c: "/core/audit/?action=login&ip=127",
        AUDIT_ONLY,
        denied=(403,),
    ),
    Endpoint("audit entry", _an_audit_entry, AUDIT_ONLY, denied=(403,)),
    Endpoint("audit export", lambda c: "/core/audit/export.xlsx", AUDIT_ONLY, denied=(403,)),
)
