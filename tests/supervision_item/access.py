"""The item page, its files and its workflow steps in the access matrix (see
tests/access_matrix.py).

A unit sees the items it leads or cooperates on, and their files; another unit's item is a
404 (its existence does not leak). The office sees every item. The matrix's leader has no
leader record, so no item is theirs: 404. The unit's steps are the unit roles' (403 for
the office), the office's steps the office's (403 for the units)."""

from __future__ import annotations

from luoshi.supervision import attachments
from luoshi.supervision.models import Attachment, ItemUnit
from tests.access_matrix import Endpoint, register
from tests.supervision.factories import ItemFactory

UNIT = frozenset({"unit_head", "reporter"})
OFFICE = frozenset({"officer"})
SEES_OWN = OFFICE | UNIT
DONE = (302,)


def _item(c, which: str):
    """An item led by the own or the other unit ('coop': the own unit cooperates)."""
    attr = f"_item_{which}"
    if not hasattr(c, attr):
        lead = c.own_unit if which == "own" else c.other_unit
        item = ItemFactory(lead_unit=lead, code=f"ACC-{which}")
        if which == "coop":
            ItemUnit.objects.create(item=item, unit=c.own_unit)
        setattr(c, attr, item)
    return getattr(c, attr)


def _file(c, which: str):
    attr = f"_file_{which}"
    if not hasattr(c, attr):
        item = _item(c, which)
        checked = attachments.check_file("材料.pdf", b"%PDF-1.4\n%%EOF\n")
        setattr(
            c,
            attr,
            Attachment.objects.create(
                item=item,
                name=checked.name,
                kind=checked.ext,
                size=checked.size,
                sha256=checked.sha256,
                path=attachments.store(checked),
                uploaded_by=c.users["officer"],
            ),
        )
    return getattr(c, attr)


register(
    Endpoint("item page own unit", lambda c: f"/supervision/items/{_item(c, 'own').pk}/", SEES_OWN),
    Endpoint(
        "item page own unit cooperating",
        lambda c: f"/supervision/items/{_item(c, 'coop').pk}/",
        SEES_OWN,
    ),
    Endpoint(
        "item page other unit", lambda c: f"/supervision/items/{_item(c, 'other').pk}/", OFFICE
    ),
    Endpoint(
        "item notice own unit",
        lambda c: f"/supervision/items/{_item(c, 'own').pk}/notice.docx",
        SEES_OWN,
    ),
    Endpoint(
        "item notice other unit",
        lambda c: f"/supervision/items/{_item(c, 'other').pk}/notice.docx",
        OFFICE,
    ),
    Endpoint(
        "item attachment own unit",
        lambda c: f"/supervision/items/attachments/{_file(c, 'own').pk}/",
        SEES_OWN,
    ),
    Endpoint(
        "item attachment cooperating",
        lambda c: f"/supervision/items/attachments/{_file(c, 'coop').pk}/",
        SEES_OWN,
    ),
    Endpoint(
        "item attachment other unit",
        lambda c: f"/supervision/items/attachments/{_file(c, 'other').pk}/",
        OFFICE,
    ),
    Endpoint(
        "item accept own unit",
        lambda c: f"/supervision/items/{_item(c, 'own').pk}/accept/",
        UNIT,
        method="post",
        ok=DONE,
    ),
    Endpoint(
        "item accept other unit",
        lambda c: f"/supervision/items/{_item(c, 'other').pk}/accept/",
        frozenset(),
        method="post",
    ),
    Endpoint(
        "item feedback other unit",
        lambda c: f"/supervision/items/{_item(c, 'other').pk}/feedback/",
        frozenset(),
        method="post",
        data=lambda c: {"feedback-text": "越权反馈"},
    ),
    Endpoint(
        "item remind",
        lambda c: f"/supervision/items/{_item(c, 'own').pk}/remind/",
        OFFICE,
        method="post",
        data=lambda c: {"remind-note": "请加快办理。"},
        ok=DONE,
        denied=(403,),
    ),
    Endpoint(
        "item reopen (refused: not closed)",
        lambda c: f"/supervision/items/{_item(c, 'own').pk}/reopen/",
        OFFICE,
        method="post",
        data=lambda c: {"reopen-reason": "复查"},
        ok=(400,),
        denied=(403,),
    ),
)
