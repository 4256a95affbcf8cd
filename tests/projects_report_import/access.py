from tests.access_matrix import Endpoint, register

REPORT_IMPORTERS = frozenset({"officer", "reporter"})

register(
    # The reporter imports their unit's sheet; the office checks any sheet (dry run only).
    Endpoint(
        "report import page", lambda c: "/projects/import/reports/", REPORT_IMPORTERS, denied=(403,)
    ),
    Endpoint(
        "report import check",
        lambda c: "/projects/import/reports/",
        REPORT_IMPORTERS,
        method="post",
        data=lambda c: {"action": "check"},
        ok=(400, 200),
        denied=(403,),
    ),
    # The prefilled sheet: a reporter's own unit, the office any unit.
    Endpoint(
        "report prefilled sheet",
        lambda c: "/projects/import/reports/template.xlsx",
        REPORT_IMPORTERS,
        denied=(403,),
    ),
)
