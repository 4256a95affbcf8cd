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


def _an_officers_export(ctx) -> str:
    """A finished export of the supervision officer's: nobody else may download it."""
    from django.conf import settings

    from luoshi.core.exports import exports_dir
    from luoshi.core.models import Export, ExportStatus
    from luoshi.orgs.choices import Role

    (exports_dir() / "matrix.xlsx").write_bytes(b"PK")
    export = Export.objects.create(
        owner=ctx.users[Role.SUPERVISION_OFFICER],
        kind="supervision.ledger",
        title="台账",
        status=ExportStatus.DONE,
        file_name="matrix.xlsx",
        language=settings.LANGUAGE_CODE,
    )
    return f"/core/exports/{export.pk}/download/"


register(
    Endpoint("my exports", lambda c: "/core/exports/", frozenset(ALL_ROLES)),
    Endpoint("export download", _an_officers_export, frozenset({"officer"}), denied=(404,)),
)
