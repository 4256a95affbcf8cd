"""The notification centre (通知中心) and the notifier interface.

``notify`` creates at most one ``Notification`` per (recipient, dedupe_key) — the unique
constraint decides, so a job run twice sends nothing twice — and hands each new one to
every configured channel. A channel is a ``Notifier``; ``settings.LUOSHI_NOTIFIERS`` lists
the channels of a deployment (default ``["inapp"]``). SMS or DingTalk plug in later by
registering a notifier under a new name; nothing calls outside now.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet

from luoshi.core.clock import now
from luoshi.core.models import Delivery, DeliveryStatus, Notification
from luoshi.core.rawsql import fetch

log = logging.getLogger(__name__)

INAPP = "inapp"


class Notifier(Protocol):
    """One delivery channel. ``send`` updates ``delivery`` in memory (status, times,
    error); the caller saves it."""

    channel: str

    def send(self, notification: Notification, delivery: Delivery) -> None: ...


class InAppNotifier:
    """The notification centre itself: the message is there as soon as it is stored."""

    channel = INAPP

    def send(self, notification: Notification, delivery: Delivery) -> None:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = delivery.sent_at


_REGISTRY: dict[str, Notifier] = {INAPP: InAppNotifier()}


def register_notifier(notifier: Notifier) -> None:
    """Make a channel available to ``settings.LUOSHI_NOTIFIERS``."""
    _REGISTRY[notifier.channel] = notifier


def active_notifiers() -> list[Notifier]:
    names = getattr(settings, "LUOSHI_NOTIFIERS", None) or [INAPP]
    missing = [name for name in names if name not in _REGISTRY]
    if missing:
        raise LookupError(f"unknown notifier(s) in LUOSHI_NOTIFIERS: {', '.join(missing)}")
    return [_REGISTRY[name] for name in names]


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str,
) -> int:
    """Send one message to each of ``recipients`` (users or user ids) unless they already
    got one with ``dedupe_key``. Returns the number of notifications created. Queries: one
    insert, one read-back, one insert of deliveries and one update per status, whatever
    the number of recipients."""
    ids = sorted({getattr(r, "pk", r) for r in recipients})
    if not ids:
        return 0
    at = now()
    existing = set(
        Notification.objects.filter(recipient_id__in=ids, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [i for i in ids if i not in existing]
    if not fresh:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=i,
                kind=kind,
                title=title[:200],
                body=body,
                link=link[:300],
                dedupe_key=dedupe_key,
                created_at=at,
            )
            for i in fresh
        ],
        ignore_conflicts=True,
    )
    # Only rows created now (created_at = at) get deliveries: a concurrent run that won the
    # race for some recipient delivered those itself.
    created = list(
        Notification.objects.filter(recipient_id__in=fresh, dedupe_key=dedupe_key, created_at=at)
    )
    Delivery.objects.bulk_create(send_all(created, at), ignore_conflicts=True)
    return len(created)


def send_all(notifications: Iterable[Notification], at: Any) -> list[Delivery]:
    """Hand each new notification to every configured channel; the deliveries (unsaved)
    say how each went. A failing channel is recorded, never lost silently."""
    deliveries = []
    for notifier in active_notifiers():
        for notification in notifications:
            delivery = Delivery(notification=notification, channel=notifier.channel, sent_at=at)
            try:
                notifier.send(notification, delivery)
            except Exception as exc:
                log.exception("notifier %s failed", notifier.channel)
                delivery.status = DeliveryStatus.FAILED
                delivery.error = str(exc)[:500]
            deliveries.append(delivery)
    return deliveries


# --------------------------------------------------------------------------- reads / reading


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


BADGE_CAP = 99


def unread_badge(*, user: Any) -> str:
    """The top bar's unread figure: "" for none, "1"…"99", "99+" beyond. One query that
    reads at most 100 ids through the (recipient, read_at) index, never a COUNT."""
    if not getattr(user, "is_authenticated", False):
        return ""
    # Plain SQL (``core.rawsql``): it runs on every page.
    n = len(
        fetch(
            f"SELECT id FROM {Notification._meta.db_table} "
            "WHERE recipient_id = %s AND read_at IS NULL LIMIT %s",
            [user.pk, BADGE_CAP + 1],
        )
    )
    if n > BADGE_CAP:
        return f"{BADGE_CAP}+"
    return str(n) if n else ""


@transaction.atomic
def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (``ids``, or all unread) read, in the notification
    and its in-app delivery. Another user's notifications are never touched."""
    at = now()
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    pks = list(qs.values_list("pk", flat=True))
    if not pks:
        return 0
    Notification.objects.filter(pk__in=pks).update(read_at=at)
    Delivery.objects.filter(notification_id__in=pks, channel=INAPP).update(
        status=DeliveryStatus.READ, read_at=at
    )
    return len(pks)


def notification_open(*, user: Any, pk: int) -> Notification | None:
    """The user's notification ``pk``, marked read; None when it is not theirs."""
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notifications_mark_read(user=user, ids=[pk])
    return notification


def delivery_list(*, unread_only: bool = False, kind_prefix: str = "report") -> QuerySet:
    """Deliveries of reminders (in-app channel by default shows read state), newest first,
    as rows with the recipient's name and unit: for the office to see who never read one."""
    qs = Delivery.objects.filter(notification__kind__startswith=kind_prefix)
    if unread_only:
        qs = qs.filter(notification__read_at__isnull=True)
    return qs.order_by("-notification__created_at", "-id").values(
        "pk",
        "channel",
        "status",
        "sent_at",
        "delivered_at",
        "read_at",
        "error",
        "notification__title",
        "notification__kind",
        "notification__created_at",
        "notification__recipient__username",
        "notification__recipient__full_name",
        "notification__recipient__unit__name",
    )
