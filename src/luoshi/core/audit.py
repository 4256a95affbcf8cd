"""Recording and verifying the audit trail. Every app records its changes through
``audit_record``; nothing else writes ``AuditEntry`` rows."""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from luoshi.core.bulk import insert_many
from luoshi.core.clock import now
from luoshi.core.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64

# Set per request by RequestContextMiddleware, so services need not pass the IP around.
current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("luoshi_current_ip", default="")


_PLAIN = frozenset({str, int, bool, float, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:  # the common case first: the bulk import audits many values
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-ready values (foreign keys as ids)."""
    return _jsonable({name: getattr(obj, attname) for name, attname in _attnames(obj, fields)})


def _attnames(obj: models.Model, fields: list[str]) -> list[tuple[str, str]]:
    # Foreign keys as their id column: no query, and the id is what the trail keeps.
    key = (obj._meta.label_lower, tuple(fields))
    found = _ATTNAMES.get(key)
    if found is None:
        found = [
            (name, f.attname if isinstance(f, models.ForeignKey) else name)
            for name in fields
            for f in [obj._meta.get_field(name)]
        ]
        _ATTNAMES[key] = found
    return found


_ATTNAMES: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = {}


def _entry_payload(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_entry_payload(entry)).hexdigest()


def _utc_now() -> datetime:
    # Stored as UTC and read back as UTC: the hash covers ``isoformat()``, so an entry
    # stamped in another zone (a frozen test clock) would not verify after a reload.
    return now().astimezone(UTC)


def _entry(
    *,
    stamp: datetime,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
    username: str = "",
) -> AuditEntry:
    """An unsaved, unchained entry (no seq, prev_hash, hash yet)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        created_at=stamp,
        actor_id=actor_obj.pk if actor_obj else None,  # the id only: no descriptor work
        actor_username=(actor_obj.get_username() if actor_obj else username)[:150],
        ip=(current_ip.get() if ip is None else ip)[:45],
        action=str(action),
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def _chain(head: AuditChainHead, entries: list[AuditEntry]) -> None:
    """Number and hash ``entries`` after ``head``, and move the head to the last one."""
    for entry in entries:
        entry.seq = head.last_seq + 1
        entry.prev_hash = head.last_hash
        entry.hash = compute_hash(entry)
        head.last_seq, head.last_hash = entry.seq, entry.hash


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (or its own)."""
    entry = _entry(
        stamp=_utc_now(),
        action=action,
        actor=actor,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
        ip=ip,
        username=username,
    )
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        _chain(head, [entry])
        entry.save()
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def audit_record_many(
    items: Iterable[dict[str, Any]], *, actor: Any = None, ip: str | None = None
) -> list[AuditEntry]:
    """Append one entry per item (the keyword arguments of ``audit_record`` without
    ``actor`` and ``ip``, which all share) in the given order: the chain head is locked
    once and the entries are inserted in bulk, numbered and linked as if recorded one by
    one. Bulk writes (the report sheet import) use it; the query count does not grow with
    the number of entries. The entries returned carry no ``pk`` (not read back)."""
    stamp = _utc_now()
    entries = [_entry(stamp=stamp, actor=actor, ip=ip, **item) for item in items]
    if not entries:
        return []
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        _chain(head, entries)
        insert_many(AuditEntry, entries)
        head.save(update_fields=["last_seq", "last_hash"])
    return entries


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def audit_verify(*, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain from the start. Returns (entries checked, first break or None)."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    last_seen = 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last_seen).order_by("seq")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                return checked, ChainBreak(expected_seq, f"entry #{expected_seq} is missing")
            if entry.prev_hash != prev_hash:
                return checked, ChainBreak(entry.seq, "does not link to the entry before it")
            if compute_hash(entry) != entry.hash:
                return checked, ChainBreak(
                    entry.seq, "its content was changed after it was written"
                )
            prev_hash = entry.hash
            expected_seq += 1
            checked += 1
            last_seen = entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        return checked, ChainBreak(checked + 1, f"entries after #{checked} were removed")
    return checked, None
