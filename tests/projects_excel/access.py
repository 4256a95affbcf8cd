from tests.access_matrix import Endpoint, register

OFFICE = frozenset({"officer"})
PROJECT_READERS = frozenset({"officer", "leader", "unit_head", "reporter"})

register(
    # Importing is the office's (Perm.MANAGE_PROJECTS); the page itself writes nothing.
    Endpoint("project import page", lambda c: "/projects/import/", OFFICE, denied=(403,)),
    # An empty post is refused as a form error (400) for the office, 403 for everyone else.
    Endpoint(
        "project import check",
        lambda c: "/projects/import/",
        OFFICE,
        method="post",
        data=lambda c: {"action": "check", "year": "2026"},
        ok=(400, 200),
        denied=(403,),
    ),
    # The export is scoped like the pages: every project reader gets a file (their scope).
    Endpoint(
        "project export",
        lambda c: "/projects/import/export.xlsx?year=2026",
        PROJECT_READERS,
        denied=(403,),
    ),
    Endpoint(
        "project progress export",
        lambda c: "/projects/import/export.xlsx?year=2026&month=3",
        PROJECT_READERS,
        denied=(403,),
    ),
)
