"""The meeting and issue forms' unit search in the access matrix: the office's alone."""

from __future__ import annotations

from tests.access_matrix import Endpoint, register

register(
    Endpoint(
        "supervision form unit search",
        lambda c: "/supervision/units/pick/?field=lead_units&q=局",
        frozenset({"officer"}),
        denied=(403,),
    ),
)
