"""API of meetings, decisions and supervision items (会议与督查督办): the same services,
permissions and scope as the pages. An item the caller may not see answers 404 like one
that does not exist; a refused step answers 400 (403 for a missing capability) with the
services' message. The workflow steps are in ``api_steps``."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from luoshi.core.api import AUTH_RESPONSES, INPUT_RESPONSES, ErrorOut, Id, paginate
from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.permissions import Perm, require
from luoshi.projects.models import Project
from luoshi.supervision import attachments as files
from luoshi.supervision import selectors_api as selectors
from luoshi.supervision import services
from luoshi.supervision.api_schemas import (
    DecisionIn,
    DecisionOut,
    ItemDetailOut,
    ItemFilters,
    ItemIssueIn,
    ItemPage,
    MeetingDetailOut,
    MeetingFilters,
    MeetingIn,
    MeetingPage,
)
from luoshi.supervision.models import Decision, Meeting
from luoshi.supervision.selectors import today_rules

router = Router(tags=["supervision"])

READ_RESPONSES: dict[int, Any] = {404: ErrorOut, **AUTH_RESPONSES, **INPUT_RESPONSES}
WRITE_RESPONSES: dict[int, Any] = {400: ErrorOut, **READ_RESPONSES}


# --------------------------------------------------------------------------- meetings


def _require_meetings(request: HttpRequest) -> None:
    if not selectors.can_read_meetings(request.auth):
        raise NotPermitted()


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    _require_meetings(request)
    meeting = selectors.meeting_get(meeting_id)
    if meeting is None:
        raise Http404
    return meeting


@router.get(
    "/meetings",
    response={200: MeetingPage, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="Meetings, newest first",
)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> dict[str, Any]:
    """The supervision office and leaders read meetings; units see their items instead."""
    _require_meetings(request)
    qs = selectors.meeting_list(kind=filters.kind or "", year=filters.year)
    return paginate(qs, page=filters.page, page_size=filters.page_size)


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **READ_RESPONSES})
def meeting_detail(request: HttpRequest, meeting_id: Path[Id]) -> Any:
    """One meeting with its minutes and decisions (and how many items each became)."""
    return _meeting(request, meeting_id)


def _meeting_data(payload: MeetingIn) -> dict[str, Any]:
    return payload.dict()


@router.post(
    "/meetings", response={201: MeetingDetailOut, **WRITE_RESPONSES}, summary="Record a meeting"
)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Any:
    require(request.auth, Perm.MANAGE_ITEMS)
    meeting = services.meeting_save(actor=request.auth, data=_meeting_data(payload))
    return Status(201, selectors.meeting_get(meeting.pk))


@router.put(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **WRITE_RESPONSES},
    summary="Change a meeting",
)
def meeting_update(request: HttpRequest, meeting_id: Path[Id], payload: MeetingIn) -> Any:
    require(request.auth, Perm.MANAGE_ITEMS)
    meeting = _meeting(request, meeting_id)
    services.meeting_save(actor=request.auth, data=_meeting_data(payload), meeting=meeting)
    return selectors.meeting_get(meeting_id)


# --------------------------------------------------------------------------- decisions


@router.get("/meetings/{meeting_id}/decisions", response={200: list[DecisionOut], **READ_RESPONSES})
def decision_list(request: HttpRequest, meeting_id: Path[Id]) -> Any:
    """The meeting's decisions in order (议定事项)."""
    return list(_meeting(request, meeting_id).decisions.all())


def _decision(request: HttpRequest, meeting_id: int, decision_id: int) -> Decision:
    require(request.auth, Perm.MANAGE_ITEMS)
    decision = Decision.objects.filter(pk=decision_id, meeting_id=meeting_id).first()
    if decision is None:
        raise Http404
    return decision


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut, **WRITE_RESPONSES},
    summary="Add a decision to a meeting",
)
def decision_create(request: HttpRequest, meeting_id: Path[Id], payload: DecisionIn) -> Any:
    require(request.auth, Perm.MANAGE_ITEMS)
    meeting = _meeting(request, meeting_id)
    return Status(
        201, services.decision_save(actor=request.auth, meeting=meeting, content=payload.content)
    )


@router.put(
    "/meetings/{meeting_id}/decisions/{decision_id}",
    response={200: DecisionOut, **WRITE_RESPONSES},
    summary="Change a decision",
)
def decision_update(
    request: HttpRequest, meeting_id: Path[Id], decision_id: Path[Id], payload: DecisionIn
) -> Any:
    decision = _decision(request, meeting_id, decision_id)
    return services.decision_save(
        actor=request.auth, meeting=decision.meeting, content=payload.content, decision=decision
    )


@router.delete(
    "/meetings/{meeting_id}/decisions/{decision_id}",
    response={204: None, **WRITE_RESPONSES},
    summary="Delete a decision no item came from",
)
def decision_delete(request: HttpRequest, meeting_id: Path[Id], decision_id: Path[Id]) -> Any:
    services.decision_delete(
        actor=request.auth, decision=_decision(request, meeting_id, decision_id)
    )
    return Status(204, None)


# --------------------------------------------------------------------------- items


@router.get(
    "/items",
    response={200: ItemPage, **AUTH_RESPONSES, **INPUT_RESPONSES},
    summary="Supervision items the caller may see",
)
def item_list(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, Any]:
    """Items by deadline with today's lamp and its reason. The office and leaders see
    county-wide (a leader: the items they instructed or answer for); a unit's reporter and
    head see the items their unit leads or cooperates on."""
    user = request.auth
    require(user, Perm.VIEW_ITEMS)
    today = today_rules()
    qs = selectors.item_filter(
        user,
        today,
        status=filters.status or "",
        lamp=filters.lamp or "",
        source=filters.source or "",
        unit_id=filters.unit,
        leader_id=filters.leader,
        overdue=filters.overdue,
    )
    page = paginate(selectors.with_related(qs), page=filters.page, page_size=filters.page_size)
    selectors.decorate(user, today, page["items"])
    return page


def item_out(request: HttpRequest, item_id: int) -> Any:
    """The item as the caller may see it, with today's lamp; 404 when out of scope."""
    require(request.auth, Perm.VIEW_ITEMS)
    item = selectors.item_detail(request.auth, item_id)
    if item is None:
        raise Http404
    selectors.decorate(request.auth, today_rules(), [item])
    return item


@router.get("/items/{item_id}", response={200: ItemDetailOut, **READ_RESPONSES})
def item_detail(request: HttpRequest, item_id: Path[Id]) -> Any:
    """One item with its feedback, extension and closure requests and attachments."""
    return item_out(request, item_id)


@router.post(
    "/items",
    response={201: ItemDetailOut, **WRITE_RESPONSES},
    summary="Issue a supervision item (交办)",
)
def item_issue(request: HttpRequest, payload: ItemIssueIn) -> Any:
    """The office issues an item to its lead and cooperating units; the deadline is a date
    or a number of working days after the issue date."""
    require(request.auth, Perm.MANAGE_ITEMS)
    data = payload.dict()
    data["decision"] = _get(Decision, data.get("decision"), "decision")
    data["project"] = _get(Project, data.get("project"), "project")
    item = services.item_issue(actor=request.auth, data=data)
    return Status(201, item_out(request, item.pk))


def _get(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError(
            _("The chosen %(what)s does not exist.") % {"what": model._meta.verbose_name},
            field=field,
        )
    return obj


@router.get(
    "/items/{item_id}/attachments/{attachment_id}",
    response={200: None, **READ_RESPONSES},
    summary="Download an attachment",
)
def attachment_download(request: HttpRequest, item_id: Path[Id], attachment_id: Path[Id]) -> Any:
    """The file as uploaded, only for those who may see the item."""
    require(request.auth, Perm.VIEW_ITEMS)
    found = selectors.attachment_for(request.auth, item_id, attachment_id)
    path = files.absolute(found.path) if found else None
    if found is None or path is None or not path.exists():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=files.CONTENT_TYPES.get(found.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
