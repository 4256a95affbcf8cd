"""Reads of the audit trail (审计日志), for the audit administrator only.

The trail grows without bound (every sign-in adds a row), so nothing here counts or
sorts the whole table: pages walk ``seq`` (keyset pagination) and counts stop at a cap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from luoshi.core.choices import AuditAction
from luoshi.core.models import AuditChainHead, AuditEntry
from luoshi.core.permissions import Perm, has_perm

PAGE_SIZE = 50
# Beyond this many matches the list says "more than …" instead of counting on.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class AuditFilter:
    """What the audit administrator narrowed the trail to. Dates are local (Asia/Shanghai)
    calendar days, both ends included."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    ip: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""

    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def as_dict(self) -> dict[str, str]:
        """The non-empty filters as strings, for the export's own audit entry."""
        return {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v
        }


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def audit_entries(*, user: Any, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    """Entries the user may read (all of them for the audit administrator, none for anyone
    else), filtered, newest first, with the actor joined in (no query per row)."""
    if not has_perm(user, Perm.VIEW_AUDIT):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.select_related("actor")
    f = filters or AuditFilter()
    if f.actor:
        qs = qs.filter(actor_username__icontains=f.actor.strip())
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id.strip())
    if f.ip:
        qs = qs.filter(ip__startswith=f.ip.strip())
    if f.date_from:
        qs = qs.filter(created_at__gte=_local_midnight(f.date_from))
    if f.date_to:
        qs = qs.filter(created_at__lt=_local_midnight(f.date_to + timedelta(days=1)))
    if f.q:
        qs = qs.filter(object_repr__icontains=f.q.strip())
    return qs.order_by("-seq")


def audit_entry_get(*, user: Any, seq: int) -> AuditEntry | None:
    """One entry by its sequence number, or None (callers answer 404)."""
    return audit_entries(user=user).filter(seq=seq).first()


def audit_count(*, user: Any, filters: AuditFilter, cap: int | None = None) -> tuple[int, bool]:
    """How many entries match, counting at most ``cap`` (default ``COUNT_CAP``; beyond it
    the answer is ``(cap, True)``). Without filters the chain head knows the answer,
    because ``seq`` has no gaps."""
    cap = COUNT_CAP if cap is None else cap
    if not has_perm(user, Perm.VIEW_AUDIT):
        return 0, False
    if filters.is_empty():
        head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first()
        return (head or 0), False
    n = audit_entries(user=user, filters=filters).order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


@dataclass
class AuditPage:
    """One page of the trail, walked by ``seq``: ``older``/``newer`` are the cursors for
    the neighbouring pages (None at either end)."""

    entries: list[AuditEntry]
    older: int | None
    newer: int | None
    is_first: bool


def audit_page(
    *, user: Any, filters: AuditFilter, before: int | None = None, after: int | None = None
) -> AuditPage:
    """The ``PAGE_SIZE`` entries just older than ``before`` (or just newer than ``after``;
    neither: the newest). Costs one query however long the trail is."""
    qs = audit_entries(user=user, filters=filters)
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: PAGE_SIZE + 1])
        more_newer = len(rows) > PAGE_SIZE
        entries = list(reversed(rows[:PAGE_SIZE]))
        newer = entries[0].seq if entries and more_newer else None
        older = entries[-1].seq if entries else None
        # Coming back from an older page there always is one; the next click checks it.
        return AuditPage(entries, older, newer, is_first=not more_newer)
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs[: PAGE_SIZE + 1])
    entries = rows[:PAGE_SIZE]
    older = entries[-1].seq if len(rows) > PAGE_SIZE else None
    newer = entries[0].seq if entries and before is not None else None
    return AuditPage(entries, older, newer, is_first=before is None)


# --- presenting an entry -------------------------------------------------------------


def _model_labels() -> dict[str, str]:
    return {m._meta.label_lower: str(m._meta.verbose_name) for m in apps.get_models()}


def object_type_choices() -> list[tuple[str, str]]:
    """The product's own models, for the object-type filter (no query on the trail)."""
    labels = [
        (m._meta.label_lower, str(m._meta.verbose_name))
        for m in apps.get_models()
        if m.__module__.startswith("luoshi.") and m._meta.label_lower != "core.auditchainhead"
    ]
    return sorted(labels, key=lambda pair: pair[0])


def object_type_label(object_type: str) -> str:
    return _model_labels().get(object_type, object_type)


def action_label(action: str) -> str:
    try:
        return str(AuditAction(action).label)
    except ValueError:
        return action


# Keys that services put in ``before``/``after`` which are not model fields.
_EXTRA_KEYS = {
    "reason": _lazy("reason"),
    "filters": _lazy("filters"),
    "rows": _lazy("rows"),
    "role": _lazy("role"),
}
# Reasons a sign-in was refused, as ``orgs.auth`` records them.
_REASONS = {
    "unknown user": _lazy("unknown user"),
    "wrong password": _lazy("wrong password"),
    "locked": _lazy("account locked"),
    "inactive": _lazy("account disabled"),
}


def _field_label(object_type: str, key: str) -> str:
    if key in _EXTRA_KEYS:
        return str(_EXTRA_KEYS[key])
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(key).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return key


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_show(v)}" for k, v in value.items())
    if isinstance(value, str):
        if value in _REASONS:
            return str(_REASONS[value])
        if len(value) >= 19 and value[10:11] == "T":
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


@dataclass(frozen=True)
class Change:
    """One field as it read before and after: ``old`` is None for a new value only."""

    field: str
    old: str | None
    new: str | None


def audit_changes(entry: AuditEntry) -> list[Change]:
    """What the entry changed, readably: only keys whose value differs; an entry with only
    ``after`` (a creation, a failed sign-in's reason) lists its values."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}

    def label(key: str) -> str:
        return _field_label(entry.object_type, key)

    if entry.before is None:
        return [Change(label(k), None, _show(v)) for k, v in after.items()]
    if entry.after is None:
        return [Change(label(k), _show(v), None) for k, v in before.items()]
    changes: list[Change] = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        if old != new:
            changes.append(Change(label(key), _show(old), _show(new)))
    return changes


def changes_text(entry: AuditEntry) -> str:
    """The changes on one line each, for the Excel export: ``name: 旧 → 新``."""
    lines = []
    for c in audit_changes(entry):
        if c.old is None:
            lines.append(f"{c.field}: {c.new}")
        elif c.new is None:
            lines.append(f"{c.field}: {c.old} → —")
        else:
            lines.append(f"{c.field}: {c.old} → {c.new}")
    return "\n".join(lines)
