"""Which supervision items a user may see (事项可见范围): the office all of them; a unit the
items it leads or cooperates on; a leader the items they instructed or answer for.
Pages, exports, attachments and the API all ask here."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from luoshi.core.permissions import Perm, has_perm
from luoshi.supervision.models import Item, ItemUnit


def _unit_q(unit_id: int) -> Q:
    return Q(lead_unit_id=unit_id) | Exists(
        ItemUnit.objects.filter(item_id=OuterRef("pk"), unit_id=unit_id)
    )


def visible_items(user: Any, queryset: QuerySet[Item] | None = None) -> QuerySet[Item]:
    queryset = Item.objects.all() if queryset is None else queryset
    if not has_perm(user, Perm.VIEW_ITEMS):
        return queryset.none()
    if has_perm(user, Perm.MANAGE_ITEMS):
        return queryset
    allowed = Q(pk__in=[])
    if getattr(user, "leader_id", None):
        allowed |= Q(responsible_leader_id=user.leader_id) | Q(instruction_leader_id=user.leader_id)
    if getattr(user, "unit_id", None) and has_perm(user, Perm.HANDLE_ITEMS):
        allowed |= _unit_q(user.unit_id)
    return queryset.filter(allowed)


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
