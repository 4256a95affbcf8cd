"""Which supervision items a user may see (事项可见范围): the office all of them; a unit the
items it leads or cooperates on; a leader the items they instructed or answer for.
Pages, exports, attachments and the API all ask here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from luoshi.core.permissions import Perm, has_perm
from luoshi.supervision.models import Item, ItemUnit


def _visible_ids(user: Any) -> QuerySet | None:
    """The ids a unit user or a leader may see, as one subquery: a union of selects that
    each reach an index (lead unit, the cooperating links, either leader). ``lead_unit = X
    OR EXISTS(cooperating)`` read every item of the province to answer for one unit."""
    parts: list[QuerySet] = []
    leader_id = getattr(user, "leader_id", None)
    if leader_id:
        parts.append(Item.objects.filter(responsible_leader_id=leader_id).order_by().values("pk"))
        parts.append(Item.objects.filter(instruction_leader_id=leader_id).order_by().values("pk"))
    unit_id = getattr(user, "unit_id", None)
    if unit_id and has_perm(user, Perm.HANDLE_ITEMS):
        parts.append(Item.objects.filter(lead_unit_id=unit_id).order_by().values("pk"))
        parts.append(ItemUnit.objects.filter(unit_id=unit_id).order_by().values("item_id"))
    if not parts:
        return None
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def visible_items(user: Any, queryset: QuerySet[Item] | None = None) -> QuerySet[Item]:
    queryset = Item.objects.all() if queryset is None else queryset
    if not has_perm(user, Perm.VIEW_ITEMS):
        return queryset.none()
    if has_perm(user, Perm.MANAGE_ITEMS):
        return queryset
    ids = _visible_ids(user)
    return queryset.none() if ids is None else queryset.filter(pk__in=ids)


def scope_key(user: Any) -> tuple[Any, ...]:
    """What decides ``visible_items(user)``: users with the same key see the same items
    (a stored count is shared between them)."""
    if not has_perm(user, Perm.VIEW_ITEMS):
        return ("none",)
    if has_perm(user, Perm.MANAGE_ITEMS):
        return ("all",)
    unit_id = getattr(user, "unit_id", None) if has_perm(user, Perm.HANDLE_ITEMS) else None
    return ("some", getattr(user, "leader_id", None), unit_id)


def can_see(user: Any, item: Item) -> bool:
    if not has_perm(user, Perm.VIEW_ITEMS):
        return False
    if has_perm(user, Perm.MANAGE_ITEMS):
        return True
    leader_id = getattr(user, "leader_id", None)
    if leader_id and leader_id in (item.responsible_leader_id, item.instruction_leader_id):
        return True
    return bool(user.unit_id) and has_perm(user, Perm.HANDLE_ITEMS) and unit_role(user, item) != ""


def unit_role(user: Any, item: Item) -> str:
    """'lead', 'cooperating' or '' for the user's unit on ``item``."""
    unit_id = getattr(user, "unit_id", None)
    if not unit_id:
        return ""
    if item.lead_unit_id == unit_id:
        return "lead"
    if ItemUnit.objects.filter(item=item, unit_id=unit_id).exists():
        return "cooperating"
    return ""
