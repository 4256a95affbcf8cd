"""Reads behind the supervision API and the ledger export: items filtered like the ledger
page, scoped by ``scope.visible_items``, with a fixed number of queries whatever the page
size (related rows come by select_related/prefetch, lamps from one ``Today``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from luoshi.core.permissions import Perm, has_perm
from luoshi.orgs.models import Leader, Unit
from luoshi.supervision.choices import ItemStatus, status_label
from luoshi.supervision.models import (
    Attachment,
    Feedback,
    Item,
    ItemUnit,
    Meeting,
)
from luoshi.supervision.rules import acceptance_overdue_q, annotate_activity, lamp_q, overdue_q
from luoshi.supervision.scope import visible_items
from luoshi.supervision.selectors import Today


def can_read_meetings(user: Any) -> bool:
    """Meetings and their minutes are county-wide business: the office and leaders."""
    return has_perm(user, Perm.VIEW_ITEMS) and has_perm(user, Perm.VIEW_ALL_UNITS)


def meeting_list(*, kind: str = "", year: int | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("presider").prefetch_related(
        Prefetch("attending_leaders", queryset=Leader.objects.order_by("precedence", "id")),
        Prefetch("attending_units", queryset=Unit.objects.order_by("code")),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("-held_on", "-id")


def meeting_get(pk: int) -> Meeting | None:
    from luoshi.supervision.models import Decision

    return (
        meeting_list()
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.annotate(item_count=Count("items")).order_by("number"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def item_filter(
    user: Any,
    today: Today,
    *,
    status: str = "",
    lamp: str = "",
    source: str = "",
    unit_id: int | None = None,
    leader_id: int | None = None,
    overdue: bool | None = None,
) -> QuerySet[Item]:
    """The items ``user`` may see, filtered as on the ledger page."""
    qs = annotate_activity(visible_items(user))
    c = today.cutoffs
    if status == "open":
        qs = qs.exclude(status=ItemStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if lamp:
        qs = qs.filter(lamp_q(lamp, c))
    if source:
        qs = qs.filter(source=source)
    if unit_id:
        qs = qs.filter(
            Q(lead_unit_id=unit_id)
            | Exists(ItemUnit.objects.filter(item_id=OuterRef("pk"), unit_id=unit_id))
        )
    if leader_id:
        qs = qs.filter(responsible_leader_id=leader_id)
    if overdue is not None:
        late = overdue_q(c) | acceptance_overdue_q(c)
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.order_by("deadline", "id")


def with_related(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("lead_unit", "responsible_leader").prefetch_related(
        Prefetch("cooperating_units", queryset=Unit.objects.order_by("code"))
    )


def item_detail(user: Any, pk: int) -> Item | None:
    return (
        with_related(visible_items(user))
        .select_related("instruction_leader")
        .prefetch_related(
            Prefetch(
                "feedbacks",
                queryset=Feedback.objects.select_related("unit").prefetch_related("attachments"),
            ),
            "extensions",
            Prefetch("closures", queryset=_closures()),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
        )
        .filter(pk=pk)
        .first()
    )


def _closures() -> QuerySet:
    from luoshi.supervision.models import ClosureRequest

    return ClosureRequest.objects.prefetch_related("attachments")


def decorate(user: Any, today: Today, items: list[Item]) -> list[Item]:
    """Put today's lamp, its reason and the state as the caller reads it on each item."""
    for_unit = has_perm(user, Perm.HANDLE_ITEMS) and not has_perm(user, Perm.MANAGE_ITEMS)
    for item in items:
        item.lamp = today.lamp(item)
        item.lamp_reason = today.reason(item)
        item.status_label = status_label(item.status, for_unit=for_unit)
    return items


def attachment_for(user: Any, item_id: int, pk: int) -> Attachment | None:
    """An attachment of an item the user may see (None otherwise, like a missing one)."""
    return (
        Attachment.objects.filter(pk=pk, item_id=item_id, item__in=visible_items(user))
        .only("pk", "name", "kind", "path", "item_id")
        .first()
    )
