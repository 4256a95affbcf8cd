"""Reads behind the office's and the units' lists: meetings, the ledger (督办台账), the
overdue list, a unit's inbox and a leader's list.

Every list starts from ``scope.visible_items``; lamps are filtered in the database through
``rules.lamp_q`` against one ``Today`` per request, and shown per row by ``Today.lamp``, so
the number of queries does not grow with the number of items.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet

from luoshi.core.paging import page_of
from luoshi.core.permissions import Perm, has_perm
from luoshi.core.rawsql import converters, fetch, in_order, instance, marks
from luoshi.orgs import selectors as org_selectors
from luoshi.orgs.choices import Role
from luoshi.orgs.models import Leader, Unit
from luoshi.supervision.choices import ItemLamp, ItemSource, ItemStatus
from luoshi.supervision.models import Decision, Escalation, Item, ItemUnit, Meeting
from luoshi.supervision.rules import (
    HANDLING,
    acceptance_overdue_q,
    annotate_activity,
    lamp_q,
    overdue_q,
)
from luoshi.supervision.scope import scope_key, visible_items
from luoshi.supervision.selectors import Today
from luoshi.supervision.summaries import cached

ROW_FIELDS = (
    "id",
    "code",
    "title",
    "source",
    "status",
    "priority",
    "issued_on",
    "acceptance_due",
    "deadline",
    "accepted_on",
    "last_feedback_on",
    "closure_requested_on",
    "done_on",
    "lead_unit__id",
    "lead_unit__name",
    "lead_unit__short_name",
    "responsible_leader__id",
    "responsible_leader__name",
)


# What a list row shows (lead unit, leader, the lamp's dates), as plain values: the
# paths read, and the attribute names a row gives them.
ROW_VALUES = (
    *(f for f in ROW_FIELDS if "__" not in f),
    "lead_unit__name",
    "lead_unit__short_name",
    "responsible_leader__name",
)
ROW_NAMES = {
    "lead_unit__name": "lead_unit_name",
    "lead_unit__short_name": "lead_unit_short_name",
    "responsible_leader__name": "leader_name",
    "decision__number": "decision_number",
}


class ItemRow:
    """An item as a list row shows it: plain attributes (``pk``, the ``ROW_VALUES`` by
    their ``ROW_NAMES``, ``decision_number`` on a meeting's list) that ``Today.lamp``
    reads like an item's. Fifty model instances with their units and leaders cost more
    than the rest of a list page."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update({ROW_NAMES.get(k, k): v for k, v in values.items()})
        self.pk = values["id"]


class ItemRows:
    """A list's rows for ``Paginator``: counted by the queryset, a page read as its ids
    (the only ORM query) and then its rows by id in plain SQL (``_rows_of``)."""

    ordered = True

    def __init__(self, queryset: QuerySet[Item], *extra: str) -> None:
        self.queryset = queryset
        self.extra = extra  # more of the item's own fields (``decision_id``)

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: slice) -> list[ItemRow]:
        return _rows_of(list(self.queryset.values_list("pk", flat=True)[index]), self.extra)


_OWN = tuple(f for f in ROW_VALUES if "__" not in f)


def _rows_of(ids: list[int], extra: tuple[str, ...] = ()) -> list[ItemRow]:
    """The rows of items ``ids``, in that order: one plain-SQL query (``core.rawsql``).
    Built by the ORM, its joins and sixteen columns cost three times what running it did."""
    if not ids:
        return []
    own = (*_OWN, *extra)
    meta = Item._meta
    columns = ", ".join(f"i.{meta.get_field(n).column}" for n in own)
    found = fetch(
        f"SELECT {columns}, u.name, u.short_name, l.name FROM {meta.db_table} i "
        f"JOIN {Unit._meta.db_table} u ON u.id = i.lead_unit_id "
        f"LEFT JOIN {Leader._meta.db_table} l ON l.id = i.responsible_leader_id "
        f"WHERE i.id IN ({marks(len(ids))})",
        ids,
    )
    convert = converters(Item, *own)
    names = [*own, "lead_unit__name", "lead_unit__short_name", "responsible_leader__name"]
    rows = []
    for values in found:
        converted = [c(v) for c, v in zip(convert, values, strict=False)]
        rows.append(ItemRow(dict(zip(names, [*converted, *values[len(own) :]], strict=True))))
    return in_order(rows, ids, key=attrgetter("pk"))


def item_rows(queryset: QuerySet[Item], *extra: str) -> ItemRows:
    """Items with just what a list row shows, a page at a time (``ItemRow``)."""
    return ItemRows(queryset, *extra)


class _CountedPaginator(Paginator):
    """A paginator told its count (a stored one), instead of counting every row."""

    def __init__(self, queryset: Any, per_page: int, count: int) -> None:
        super().__init__(queryset, per_page)
        self.__dict__["count"] = count  # ``count`` is a cached_property


def paginate(queryset: Any, page: Any, per_page: int, count: int | None = None) -> Page:
    if count is not None:
        return _CountedPaginator(queryset, per_page, count).get_page(page)
    return Paginator(queryset, per_page).get_page(page)


def county_wide(user: Any) -> bool:
    """The office and leaders: they read meetings and the ledger of the whole county."""
    return has_perm(user, Perm.VIEW_ITEMS) and has_perm(user, Perm.VIEW_ALL_UNITS)


def is_leader(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Role.LEADER in user.role_set


# --------------------------------------------------------------------------- meetings


def meeting_years() -> list[int]:
    return sorted({d.year for d in Meeting.objects.dates("held_on", "year")}, reverse=True)


def meeting_list(*, kind: str = "", year: int | None = None, q: str = "") -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("presider").only(
        "id", "kind", "title", "held_on", "place", "presider__id", "presider__name"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__gte=dt.date(year, 1, 1), held_on__lte=dt.date(year, 12, 31))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return qs.annotate(
        n_decisions=Count("decisions", distinct=True),
        n_items=Count("decisions__items", distinct=True),
    ).order_by("-held_on", "-id")


def meeting_get(pk: int) -> Meeting | None:
    """A meeting with its presider (plain SQL, ``core.rawsql``: the meeting page's first
    read; the ORM's select_related cost ten times the query)."""
    fields = Meeting._meta.concrete_fields
    columns = ", ".join(f"m.{f.column}" for f in fields)
    found = fetch(
        f"SELECT {columns}, l.name, l.title FROM {Meeting._meta.db_table} m "
        f"LEFT JOIN {Leader._meta.db_table} l ON l.id = m.presider_id WHERE m.id = %s",
        [pk],
    )
    if not found:
        return None
    *values, name, title = found[0]
    meeting = instance(Meeting, dict(zip([f.attname for f in fields], values, strict=True)))
    meeting.presider = (
        instance(Leader, {"id": meeting.presider_id, "name": name, "title": title})
        if meeting.presider_id
        else None
    )
    return meeting


def meeting_attendance(meeting: Meeting) -> tuple[list[Leader], list[Unit]]:
    """The attending leaders (by precedence) and units (in the county's order), from one
    plain-SQL query: the meeting page's two ORM queries cost ten times their SQL."""
    q = connection.ops.quote_name
    leaders_link = Meeting.attending_leaders.through._meta.db_table
    units_link = Meeting.attending_units.through._meta.db_table
    sql = (
        f"SELECT 0, l.id, l.name, l.title, l.precedence, '' FROM {Leader._meta.db_table} l "
        f"JOIN {leaders_link} a ON a.leader_id = l.id WHERE a.meeting_id = %s "
        "UNION ALL "
        f"SELECT 1, u.id, u.name, u.code, u.{q('order')}, u.code FROM {Unit._meta.db_table} u "
        f"JOIN {units_link} a ON a.unit_id = u.id WHERE a.meeting_id = %s "
        "ORDER BY 1, 5, 6, 2"
    )
    rows = fetch(sql, [meeting.pk, meeting.pk])
    leaders = [
        instance(Leader, {"id": pk, "name": name, "title": extra})
        for kind, pk, name, extra, _o, _c in rows
        if kind == 0
    ]
    units = [
        instance(Unit, {"id": pk, "name": name, "code": extra})
        for kind, pk, name, extra, _o, _c in rows
        if kind == 1
    ]
    return leaders, units


def meeting_decisions(meeting: Meeting) -> list[Decision]:
    """The decisions in number order, each with ``n_items``, the number of items issued
    from it (plain SQL for the same reason as ``meeting_attendance``)."""
    sql = (
        "SELECT d.id, d.meeting_id, d.number, d.content, "
        f"(SELECT COUNT(*) FROM {Item._meta.db_table} i WHERE i.decision_id = d.id) "
        f"FROM {Decision._meta.db_table} d WHERE d.meeting_id = %s ORDER BY d.number, d.id"
    )
    decisions = []
    for pk, meeting_id, number, content, n_items in fetch(sql, [meeting.pk]):
        decision = instance(
            Decision, {"id": pk, "meeting_id": meeting_id, "number": number, "content": content}
        )
        decision.n_items = n_items
        decisions.append(decision)
    return decisions


def decision_get(pk: int) -> Decision | None:
    return Decision.objects.select_related("meeting").filter(pk=pk).first()


def _meeting_items(user: Any, decision_ids: list[int]) -> QuerySet[Item]:
    # The ids of the meeting's decisions (a few dozen, already read for the page) reach the
    # item index directly; a join through the decision scanned every item with a decision.
    return visible_items(user).filter(decision_id__in=decision_ids)


def meeting_items_page(*, user: Any, decisions: list[Decision], page: Any, per_page: int) -> Page:
    """决定事项落实情况: the items issued from the meeting's ``decisions`` (in number
    order, from ``meeting_decisions``) that the user may see, decision by decision in code
    order, a page at a time. Each decision's slice is read through the (decision, code)
    index: sorting a busy meeting's thousand items for every page cost more than the rest
    of the page. The office sees every item: the decisions' own counts are the page's."""
    ids = [d.pk for d in decisions]
    if scope_key(user) == ("all",):
        per_decision = {d.pk: d.n_items for d in decisions}
    else:
        per_decision = dict(
            _meeting_items(user, ids).order_by().values_list("decision_id").annotate(n=Count("pk"))
        )
    numbers = {d.pk: d.number for d in decisions}
    base = visible_items(user)

    def rows_for(offset: int, limit: int) -> list[ItemRow]:
        # The decisions this page spans, and where the first of them starts: one query,
        # whose sort touches only those decisions' items (a single one's through the index).
        spanned, first_at, position = [], 0, 0
        for decision_id in ids:
            n = per_decision.get(decision_id, 0)
            if n and position + n > offset and position < offset + limit:
                if not spanned:
                    first_at = position
                spanned.append(decision_id)
            position += n
        if not spanned:
            return []
        start = offset - first_at
        if len(spanned) == 1:
            qs = base.filter(decision_id=spanned[0]).order_by("code")
        else:
            qs = base.filter(decision_id__in=spanned).order_by("decision__number", "code")
        rows = ItemRows(qs, "decision_id")[start : start + limit]
        for row in rows:
            row.decision_number = numbers[row.decision_id]
        return rows

    return page_of(rows_for, count=sum(per_decision.values()), number=page, per_page=per_page)


def _lamp_counts(queryset: QuerySet[Item], today: Today) -> dict[str, int]:
    row = annotate_activity(queryset).aggregate(
        **{lamp: Count("pk", filter=lamp_q(lamp, today.cutoffs)) for lamp in ItemLamp.values}
    )
    return {k: v or 0 for k, v in row.items()}


def meeting_lamp_counts(*, user: Any, today: Today, decision_ids: list[int]) -> dict[str, int]:
    return cached(
        ("meeting lamps", scope_key(user), sorted(decision_ids)),
        today.cutoffs,
        lambda: _lamp_counts(_meeting_items(user, decision_ids), today),
    )


# --------------------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class LedgerFilters:
    status: str = ""
    lamp: str = ""
    source: str = ""
    unit_id: int | None = None
    leader_id: int | None = None
    meeting_id: int | None = None
    overdue: bool = False
    q: str = ""


def filtered_items(*, user: Any, today: Today, f: LedgerFilters) -> QuerySet[Item]:
    qs = visible_items(user)
    if f.status == "open":
        qs = qs.exclude(status=ItemStatus.CLOSED)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.unit_id:
        qs = qs.filter(lead_unit_id=f.unit_id)
    if f.leader_id:
        qs = qs.filter(responsible_leader_id=f.leader_id)
    if f.meeting_id:
        qs = qs.filter(decision__meeting_id=f.meeting_id)
    if f.overdue:
        qs = qs.filter(overdue_q(today.cutoffs))
    if f.q:
        qs = qs.filter(Q(code__icontains=f.q) | Q(title__icontains=f.q))
    if f.lamp:
        qs = annotate_activity(qs).filter(lamp_q(f.lamp, today.cutoffs))
    return qs


def ledger_page(
    *,
    user: Any,
    today: Today,
    filters: LedgerFilters,
    page: Any,
    per_page: int,
    lamp_counts: dict[str, int] | None = None,
) -> Page:
    """A page of the ledger. Given the ``lamp_counts`` of the same filters, the page count
    comes from them (every item shows exactly one lamp) instead of a COUNT over the
    province's items (55 ms at 200,000)."""
    qs = filtered_items(user=user, today=today, f=filters)
    count = None
    if lamp_counts is not None:
        count = lamp_counts[filters.lamp] if filters.lamp else sum(lamp_counts.values())
    return paginate(item_rows(qs.order_by("deadline", "id")), page, per_page, count=count)


def lamp_counts(*, user: Any, today: Today, filters: LedgerFilters) -> dict[str, int]:
    """How many of the filtered items show each lamp: one aggregate query."""
    unlit = dataclasses.replace(filters, lamp="")
    if unlit.q:  # a search is not stored: there would be a row per word ever searched
        return _lamp_counts(filtered_items(user=user, today=today, f=unlit), today)
    return cached(
        ("ledger lamps", scope_key(user), dataclasses.astuple(unlit)),
        today.cutoffs,
        lambda: _lamp_counts(filtered_items(user=user, today=today, f=unlit), today),
    )


def leader_choices() -> list[tuple[int, str]]:
    """(id, name) of the active leaders, for a filter drop-down (plain SQL: read on every
    view of the ledger)."""
    return fetch(
        f"SELECT id, name FROM {Leader._meta.db_table} WHERE is_active = %s "
        "ORDER BY precedence, id",
        [True],
    )


UNIT_CHOICES_MAX = 300


def unit_choices() -> list[tuple[int, str]] | None:
    """(id, name) of the active units for a filter drop-down; None at province scale (too
    many to list)."""
    return org_selectors.active_unit_pairs(UNIT_CHOICES_MAX)


def meeting_choices(limit: int = 200) -> list[tuple[int, str]]:
    """(id, "date title") of the latest meetings, for a filter drop-down."""
    (held_on,) = converters(Meeting, "held_on")
    rows = fetch(
        f"SELECT id, held_on, title FROM {Meeting._meta.db_table} "
        "ORDER BY held_on DESC, id DESC LIMIT %s",
        [limit],
    )
    return [(pk, f"{held_on(day).isoformat()} {title}") for pk, day, title in rows]


# --------------------------------------------------------------------------- overdue

GROUPS = {"unit": "lead_unit_id", "leader": "responsible_leader_id", "source": "source"}
GROUPS_SHOWN = 30


def overdue_items(*, user: Any, today: Today, kind: str) -> QuerySet[Item]:
    q = acceptance_overdue_q(today.cutoffs) if kind == "acceptance" else overdue_q(today.cutoffs)
    return visible_items(user).filter(q)


def _overdue_counts(*, user: Any, today: Today, kind: str) -> dict[str, Any]:
    """How many items are overdue, and per lead unit, responsible leader and source the
    ``GROUPS_SHOWN`` largest groups: one count and three grouped queries on the item table
    alone, stored together (``summaries.cached``): later requests read one row."""

    def count() -> dict[str, Any]:
        items = overdue_items(user=user, today=today, kind=kind)
        counts: dict[str, Any] = {"total": items.count()}
        for by, key in GROUPS.items():
            rows = items.values(key).annotate(n=Count("pk")).order_by("-n", key)
            counts[by] = [[r[key], r["n"]] for r in rows[:GROUPS_SHOWN]]
        return counts

    return cached(("overdue", scope_key(user), kind), today.cutoffs, count)


def _names(model: type[Unit] | type[Leader], ids: list[int]) -> dict[int, str]:
    """{id: name} of ``ids`` (plain SQL: the overdue list reads two such lists a view)."""
    if not ids:
        return {}
    return dict(
        fetch(f"SELECT id, name FROM {model._meta.db_table} WHERE id IN ({marks(len(ids))})", ids)
    )


def overdue_groups(*, user: Any, today: Today, kind: str) -> dict[str, Any]:
    """Overdue items counted per lead unit, responsible leader and source, largest first,
    with the names of the rows shown (joining the names before grouping doubled the
    time), and how many are overdue (``total``)."""
    counts = _overdue_counts(user=user, today=today, kind=kind)
    unit_ids = [k for k, _n in counts["unit"] if k is not None]
    leader_ids = [k for k, _n in counts["leader"] if k is not None]
    names = {
        "unit": _names(Unit, unit_ids),
        "leader": _names(Leader, leader_ids),
        "source": {k: str(v) for k, v in ItemSource.choices},
    }
    return {
        "total": counts["total"],
        **{
            by: [
                {
                    "key": k if k is not None else "none",
                    "name": names[by].get(k) if k is not None else None,
                    "n": n,
                }
                for k, n in counts[by]
            ]
            for by in GROUPS
        },
    }


def overdue_page(
    *,
    user: Any,
    today: Today,
    kind: str,
    unit_id: int | None,
    leader: int | str | None,
    source: str,
    page: Any,
    per_page: int,
    total: int | None = None,
) -> Page:
    """A page of the overdue items; ``total``: how many are overdue, when the caller has
    read it already (``overdue_groups``)."""
    qs = overdue_items(user=user, today=today, kind=kind)
    if unit_id:
        qs = qs.filter(lead_unit_id=unit_id)
    if leader == "none":
        qs = qs.filter(responsible_leader__isnull=True)
    elif leader:
        qs = qs.filter(responsible_leader_id=leader)
    if source:
        qs = qs.filter(source=source)
    # Unfiltered, the stored total: counting every overdue item again took longer than
    # the rest of the page.
    n = None
    if not (unit_id or leader or source):
        n = (
            total
            if total is not None
            else _overdue_counts(user=user, today=today, kind=kind)["total"]
        )
    return paginate(item_rows(qs.order_by("deadline", "id")), page, per_page, count=n)


# --------------------------------------------------------------------------- a unit's inbox

INBOX_TABS = ("accept", "doing", "done")


def _cooperating(unit_id: int) -> Q:
    # The unit's links read first, then matched by primary key: OR-ed with the lead unit,
    # both sides use an index. A correlated EXISTS ran once per item of the county (2 s at
    # 100,000 items) and even an IN subquery scanned every open item (0.1 s).
    ids = list(ItemUnit.objects.filter(unit_id=unit_id).values_list("item_id", flat=True))
    return Q(pk__in=ids)


def _tab_q(tab: str, unit_id: int) -> Q:
    if tab == "accept":
        return Q(status=ItemStatus.ISSUED, lead_unit_id=unit_id)
    if tab == "doing":
        # A cooperating unit works on an item from the day it is issued: it does not accept.
        return Q(status__in=HANDLING) | (Q(status=ItemStatus.ISSUED) & ~Q(lead_unit_id=unit_id))
    return Q(status__in=(ItemStatus.CLOSURE_REQUESTED, ItemStatus.CLOSED))


def _unit_items(user: Any) -> QuerySet[Item]:
    unit_id = user.unit_id
    if not unit_id or not has_perm(user, Perm.HANDLE_ITEMS):
        return Item.objects.none()
    return Item.objects.filter(Q(lead_unit_id=unit_id) | _cooperating(unit_id))


def inbox_counts(*, user: Any, today: Today | None = None) -> dict[str, int]:
    """How many of the unit's items each tab holds; stored (``summaries.cached``) when
    ``today`` is given."""
    unit_id = user.unit_id
    if not unit_id:
        return dict.fromkeys(INBOX_TABS, 0)

    def count() -> dict[str, int]:
        row = _unit_items(user).aggregate(
            **{tab: Count("pk", filter=_tab_q(tab, unit_id)) for tab in INBOX_TABS}
        )
        return {k: v or 0 for k, v in row.items()}

    if today is None:
        return count()
    return cached(("inbox", scope_key(user), unit_id), today.cutoffs, count)


def inbox_page(*, user: Any, tab: str, page: Any, per_page: int) -> Page:
    qs = _unit_items(user)
    if user.unit_id:
        qs = qs.filter(_tab_q(tab, user.unit_id))
    order = ("-closure_requested_on", "-id") if tab == "done" else ("deadline", "id")
    return paginate(item_rows(qs.order_by(*order)), page, per_page)


# --------------------------------------------------------------------------- a leader's list


def leader_items_page(*, user: Any, today: Today, lamp: str, page: Any, per_page: int) -> Page:
    leader_id = getattr(user, "leader_id", None)
    if not leader_id:
        return paginate(Item.objects.none(), page, per_page)
    qs = visible_items(user).filter(
        Q(responsible_leader_id=leader_id) | Q(instruction_leader_id=leader_id)
    )
    if lamp:
        qs = annotate_activity(qs).filter(lamp_q(lamp, today.cutoffs))
    return paginate(item_rows(qs.order_by("deadline", "id")), page, per_page)


ESCALATIONS_SHOWN = 50


def leader_escalations(*, user: Any) -> list[Escalation]:
    """The escalated overdue items on the leader's list (督办升级), still open, newest
    first."""
    leader_id = getattr(user, "leader_id", None)
    if not leader_id:
        return []
    return list(
        Escalation.objects.filter(
            Q(leader_id=leader_id) | Q(item__responsible_leader_id=leader_id),
            item__status__in=[s for s in ItemStatus.values if s != ItemStatus.CLOSED],
        )
        .select_related("item", "item__lead_unit")
        .only(
            "id",
            "deadline",
            "days_overdue",
            "escalated_at",
            *(f"item__{f}" for f in ROW_FIELDS if not f.startswith("responsible_leader")),
        )
        .order_by("-escalated_at", "-id")[:ESCALATIONS_SHOWN]
    )
