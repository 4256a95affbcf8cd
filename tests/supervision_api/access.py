"""The supervision API and the Excel pages in the access matrix (see tests/access_matrix.py).

An item belongs to its lead unit (and its cooperating units): the unit's reporter and head
reach it, another unit's item is a 404. The office sees every item; the matrix's leader has
no leader record, so no item is theirs (404). Meetings are read by the office and leaders;
only the office writes them, issues, verifies, returns, reopens and reminds. Only the lead
unit accepts, asks for extensions and requests closure."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from luoshi.supervision.choices import ItemStatus, RequestStatus
from luoshi.supervision.models import ClosureRequest, ExtensionRequest
from tests.access_matrix import Endpoint, register
from tests.supervision.factories import DecisionFactory, ItemFactory, MeetingFactory

OFFICE = frozenset({"officer"})
COUNTY = frozenset({"officer", "leader"})
UNIT = frozenset({"unit_head", "reporter"})
VIEWERS = frozenset({"officer", "unit_head", "reporter"})
ITEM_READERS = frozenset({"officer", "leader", "unit_head", "reporter"})


def _item(c, which: str = "own", status: str = ItemStatus.ISSUED, **extra):
    attr = f"_sup_item_{which}_{status}"
    if not hasattr(c, attr):
        unit = c.own_unit if which == "own" else c.other_unit
        setattr(
            c,
            attr,
            ItemFactory(
                lead_unit=unit,
                status=status,
                code=f"ACC-{which}-{status}",
                deadline=dt.date(2026, 3, 31),
                # whatever the real date, the matrix's extension request is allowed
                late_extension_allowed=True,
                closure_requested_on=(
                    dt.date(2026, 3, 20) if status == ItemStatus.CLOSURE_REQUESTED else None
                ),
                **extra,
            ),
        )
        if status == ItemStatus.CLOSURE_REQUESTED:
            ClosureRequest.objects.create(
                item=getattr(c, attr), summary="已完成。", requested_by=c.users["reporter"]
            )
    return getattr(c, attr)


def _meeting(c):
    if not hasattr(c, "_sup_meeting"):
        c._sup_meeting = MeetingFactory()
        c._sup_decision = DecisionFactory(meeting=c._sup_meeting)
    return c._sup_meeting


def _png(name: str = "照片.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def _attachment(c) -> str:
    from luoshi.supervision import attachments
    from luoshi.supervision.models import Attachment

    item = _item(c, "own", ItemStatus.IN_PROGRESS)
    checked = attachments.check_file("照片.png", _png().read())
    a = Attachment.objects.create(
        item=item,
        name=checked.name,
        kind=checked.ext,
        size=checked.size,
        sha256=checked.sha256,
        path=attachments.store(checked),
        uploaded_by=c.users["officer"],
    )
    return f"/api/v1/items/{item.pk}/attachments/{a.pk}"


def _extension(c) -> str:
    item = _item(c, "own", ItemStatus.IN_PROGRESS)
    ext = ExtensionRequest.objects.create(
        item=item,
        requested_deadline=dt.date(2026, 6, 30),
        previous_deadline=item.deadline,
        reason="雨季停工",
        requested_by=c.users["reporter"],
        status=RequestStatus.PENDING,
    )
    return f"/api/v1/items/{item.pk}/extensions/{ext.pk}/decide"


def _issue(c) -> dict:
    return {
        "title": "矩阵督办事项",
        "content": "按期完成。",
        "source": "assignment",
        "lead_unit": c.own_unit.pk,
        "issued_on": "2026-03-02",
        "deadline": "2026-03-31",
    }


def api(name, url, allowed, **kw) -> Endpoint:
    return Endpoint(name, url, allowed, api=True, **kw)


def step(name, which, status, path, allowed, data=None, ok=(200,), **kw) -> Endpoint:
    return api(
        name,
        lambda c: f"/api/v1/items/{_item(c, which, status).pk}/{path}",
        allowed,
        method="post",
        data=data or (lambda c: {}),
        ok=ok,
        **kw,
    )


ACCEPTED, IN_PROGRESS = ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS
CLOSED, REQUESTED = ItemStatus.CLOSED, ItemStatus.CLOSURE_REQUESTED

register(
    api("api meeting list", lambda c: "/api/v1/meetings", COUNTY, denied=(403,)),
    api(
        "api meeting detail", lambda c: f"/api/v1/meetings/{_meeting(c).pk}", COUNTY, denied=(403,)
    ),
    api(
        "api meeting create",
        lambda c: "/api/v1/meetings",
        OFFICE,
        method="post",
        data=lambda c: {"kind": "standing", "title": "常务会", "held_on": "2026-03-02"},
        ok=(201,),
        denied=(403,),
    ),
    api(
        "api meeting update",
        lambda c: f"/api/v1/meetings/{_meeting(c).pk}",
        OFFICE,
        method="put",
        data=lambda c: {"kind": "standing", "title": "常务会（改）", "held_on": "2026-03-02"},
        denied=(403,),
    ),
    api(
        "api decision list",
        lambda c: f"/api/v1/meetings/{_meeting(c).pk}/decisions",
        COUNTY,
        denied=(403,),
    ),
    api(
        "api decision create",
        lambda c: f"/api/v1/meetings/{_meeting(c).pk}/decisions",
        OFFICE,
        method="post",
        data=lambda c: {"content": "加快推进。"},
        ok=(201,),
        denied=(403,),
    ),
    api(
        "api decision update",
        lambda c: f"/api/v1/meetings/{_meeting(c).pk}/decisions/{c._sup_decision.pk}",
        OFFICE,
        method="put",
        data=lambda c: {"content": "加快推进（改）。"},
        denied=(403,),
    ),
    api(
        "api decision delete",
        lambda c: f"/api/v1/meetings/{_meeting(c).pk}/decisions/{c._sup_decision.pk}",
        OFFICE,
        method="delete",
        ok=(204,),
        denied=(403,),
    ),
    api("api item list", lambda c: "/api/v1/items", ITEM_READERS, denied=(403,)),
    api("api item detail own unit", lambda c: f"/api/v1/items/{_item(c).pk}", VIEWERS),
    api("api item detail other unit", lambda c: f"/api/v1/items/{_item(c, 'other').pk}", OFFICE),
    api(
        "api item issue",
        lambda c: "/api/v1/items",
        OFFICE,
        method="post",
        data=_issue,
        ok=(201,),
        denied=(403,),
    ),
    api("api attachment download own unit", _attachment, VIEWERS),
    step("api item accept own unit", "own", ItemStatus.ISSUED, "accept", UNIT),
    step("api item accept other unit", "other", ItemStatus.ISSUED, "accept", frozenset()),
    step(
        "api item feedback own unit",
        "own",
        ACCEPTED,
        "feedback",
        UNIT,
        data=lambda c: {"text": "已完成招标。", "files": [_png()]},
        ok=(201,),
        multipart=True,
    ),
    step(
        "api item feedback other unit",
        "other",
        ACCEPTED,
        "feedback",
        frozenset(),
        data=lambda c: {"text": "已完成招标。"},
        multipart=True,
    ),
    step(
        "api item extension request",
        "own",
        ACCEPTED,
        "extensions",
        UNIT,
        data=lambda c: {"requested_deadline": "2026-06-30", "reason": "雨季停工"},
        ok=(201,),
    ),
    api(
        "api item extension decide",
        _extension,
        OFFICE,
        method="post",
        data=lambda c: {"approve": True},
    ),
    step("api item late extension", "own", ACCEPTED, "late-extension", OFFICE),
    step(
        "api item closure request",
        "own",
        IN_PROGRESS,
        "closure",
        UNIT,
        data=lambda c: {"summary": "已完成。", "files": [_png("佐证.png")]},
        multipart=True,
    ),
    step("api item closure verify", "own", REQUESTED, "closure/verify", OFFICE),
    step(
        "api item closure return",
        "own",
        REQUESTED,
        "closure/return",
        OFFICE,
        data=lambda c: {"reason": "材料不全。"},
    ),
    step(
        "api item reopen", "own", CLOSED, "reopen", OFFICE, data=lambda c: {"reason": "群众反映。"}
    ),
    step(
        "api item remind",
        "own",
        IN_PROGRESS,
        "remind",
        OFFICE,
        data=lambda c: {"note": "请加快。"},
        ok=(201,),
    ),
    step(
        "api item remind other unit",
        "other",
        IN_PROGRESS,
        "remind",
        OFFICE,
        data=lambda c: {"note": "请加快。"},
        ok=(201,),
    ),
)

register(
    Endpoint("item import page", lambda c: "/supervision/items/import/", OFFICE, denied=(403,)),
    Endpoint(
        "item import check",
        lambda c: "/supervision/items/import/",
        OFFICE,
        method="post",
        data=lambda c: {"action": "check"},  # no file: the form answers with its error
        denied=(403,),
    ),
    Endpoint("ledger export", lambda c: "/supervision/ledger.xlsx", ITEM_READERS, denied=(403,)),
)
