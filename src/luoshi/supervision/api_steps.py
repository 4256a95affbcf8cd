"""The workflow steps of a supervision item over the API: each one is the service the
item page calls, on an item the caller may see (404 otherwise). Each answers the item as
it is afterwards, except the extension request and the reminder, which answer what they
created. Feedback and closure requests take their files as multipart/form-data."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Path, Router, Status, UploadedFile

from luoshi.core.api import Id
from luoshi.core.permissions import Perm, require
from luoshi.supervision import services
from luoshi.supervision.api import WRITE_RESPONSES, item_out
from luoshi.supervision.api_schemas import (
    ExtensionDecideIn,
    ExtensionIn,
    ExtensionRequestOut,
    FormText,
    ItemDetailOut,
    ItemNoteIn,
    ItemReasonIn,
    ItemRemindIn,
    ItemReopenIn,
    ReminderOut,
    SupFeedbackOut,
)
from luoshi.supervision.attachments import read_uploads
from luoshi.supervision.models import ExtensionRequest, Item
from luoshi.supervision.scope import visible_items

router = Router(tags=["supervision workflow"])
ITEM = {200: ItemDetailOut, **WRITE_RESPONSES}


def _item(request: HttpRequest, item_id: int) -> Item:
    require(request.auth, Perm.VIEW_ITEMS)
    item = visible_items(request.auth).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@router.post("/items/{item_id}/accept", response=ITEM, summary="Accept an item (签收)")
def item_accept(request: HttpRequest, item_id: Path[Id]) -> Any:
    """The lead unit takes the item on."""
    services.item_accept(actor=request.auth, item=_item(request, item_id))
    return item_out(request, item_id)


@router.post(
    "/items/{item_id}/feedback",
    response={201: SupFeedbackOut, **WRITE_RESPONSES},
    summary="Post progress feedback with files",
)
def feedback_post(
    request: HttpRequest,
    item_id: Path[Id],
    text: Form[FormText],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """The lead unit's feedback moves the item to 办理中; a cooperating unit posts its part.
    Files: PDF, Word, Excel, JPEG or PNG, checked by content."""
    feedback = services.feedback_post(
        actor=request.auth,
        item=_item(request, item_id),
        text=text,
        uploads=read_uploads(files),
    )
    return Status(201, feedback)


@router.post(
    "/items/{item_id}/extensions",
    response={201: ExtensionRequestOut, **WRITE_RESPONSES},
    summary="Ask for an extension (延期申请)",
)
def extension_request(request: HttpRequest, item_id: Path[Id], payload: ExtensionIn) -> Any:
    """Before the deadline; after it only with the office's leave (late-extension)."""
    return Status(
        201,
        services.extension_request(
            actor=request.auth,
            item=_item(request, item_id),
            requested_deadline=payload.requested_deadline,
            reason=payload.reason,
        ),
    )


@router.post(
    "/items/{item_id}/extensions/{extension_id}/decide",
    response=ITEM,
    summary="Approve or refuse an extension",
)
def extension_decide(
    request: HttpRequest, item_id: Path[Id], extension_id: Path[Id], payload: ExtensionDecideIn
) -> Any:
    """The office approves (the deadline moves) or refuses (a note is required)."""
    require(request.auth, Perm.MANAGE_ITEMS)
    item = _item(request, item_id)
    ext = ExtensionRequest.objects.filter(pk=extension_id, item=item).first()
    if ext is None:
        raise Http404
    services.extension_decide(
        actor=request.auth, request=ext, approve=payload.approve, note=payload.note
    )
    return item_out(request, item_id)


@router.post(
    "/items/{item_id}/late-extension",
    response=ITEM,
    summary="Allow an extension request after the deadline",
)
def late_extension_allow(request: HttpRequest, item_id: Path[Id], payload: ItemNoteIn) -> Any:
    services.late_extension_allow(
        actor=request.auth, item=_item(request, item_id), note=payload.note
    )
    return item_out(request, item_id)


@router.post(
    "/items/{item_id}/closure",
    response=ITEM,
    summary="Request closure with evidence (申请办结)",
)
def closure_request(
    request: HttpRequest,
    item_id: Path[Id],
    summary: Form[FormText],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """What was done, and at least one file as evidence."""
    services.closure_request(
        actor=request.auth,
        item=_item(request, item_id),
        summary=summary,
        uploads=read_uploads(files),
    )
    return item_out(request, item_id)


@router.post(
    "/items/{item_id}/closure/verify", response=ITEM, summary="Verify and close (核验销号)"
)
def closure_verify(request: HttpRequest, item_id: Path[Id], payload: ItemNoteIn) -> Any:
    services.closure_verify(actor=request.auth, item=_item(request, item_id), note=payload.note)
    return item_out(request, item_id)


@router.post(
    "/items/{item_id}/closure/return", response=ITEM, summary="Return a closure request (退回)"
)
def closure_return(request: HttpRequest, item_id: Path[Id], payload: ItemReasonIn) -> Any:
    services.closure_return(actor=request.auth, item=_item(request, item_id), reason=payload.reason)
    return item_out(request, item_id)


@router.post("/items/{item_id}/reopen", response=ITEM, summary="Reopen a closed item")
def item_reopen(request: HttpRequest, item_id: Path[Id], payload: ItemReopenIn) -> Any:
    services.item_reopen(
        actor=request.auth,
        item=_item(request, item_id),
        reason=payload.reason,
        deadline=payload.deadline,
    )
    return item_out(request, item_id)


@router.post(
    "/items/{item_id}/remind",
    response={201: ReminderOut, **WRITE_RESPONSES},
    summary="Send a reminder (催办)",
)
def item_remind(request: HttpRequest, item_id: Path[Id], payload: ItemRemindIn) -> Any:
    return Status(
        201,
        services.item_remind(actor=request.auth, item=_item(request, item_id), note=payload.note),
    )
