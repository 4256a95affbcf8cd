"""Meetings and supervision items for ``luoshi seed`` (found by the seed registry).

County scale: a year of meetings up to ``SEED_DAY`` (weekly 常务会, monthly 推进会, a few
现场办公会) with their decisions, and about 600 items from meetings, leaders' instructions,
higher-level assignments, proposals, the 12345 hotline and key-project problems, in every
state as of ``SEED_DAY``: issued (some not accepted in time), accepted, in progress with
feedback, extension requested / approved / refused, closure requested, returned, closed,
overdue and escalated. The demo units and the demo leader hold items in every state.

Province scale: 200,000 items over 6,000 units with the same mix, and their meetings.

Deterministic (``ctx.rng``) and written in bulk; every date derives from ``SEED_DAY`` and
the working calendar, whatever the clock says.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from luoshi.core.calendar import WorkingCalendar
from luoshi.core.rawsql import marks
from luoshi.orgs.models import Leader, Unit, User
from luoshi.orgs.seed.registry import SeedContext, seed_step
from luoshi.supervision import seed_data as sd
from luoshi.supervision.choices import (
    EventKind,
    ItemSource,
    ItemStatus,
    MeetingKind,
    Priority,
    RequestStatus,
)
from luoshi.supervision.models import (
    Attachment,
    ClosureRequest,
    Decision,
    Escalation,
    ExtensionRequest,
    Feedback,
    Item,
    ItemEvent,
    ItemUnit,
    Meeting,
    Reminder,
)
from luoshi.supervision.services import item_code

TZ = ZoneInfo("Asia/Shanghai")
SEED_DAY = dt.date(2026, 11, 20)  # "today" of the demo data (a Friday)
FIRST_DAY = dt.date(2025, 11, 21)  # a year of meetings
LAST_DEADLINE = dt.date(2026, 12, 31)  # the calendar library's last year
ESCALATE_AFTER = 5  # working days (the settings' default)
BATCH = 5000
COUNTY_ITEMS = 600
PROVINCE_ITEMS = 200_000
PROVINCE_MEETINGS = 2000
POOL_PER_DAY = 24
DEFER_INDEXES_FROM = 50_000  # items: below it, maintaining the indexes is cheaper  # province: distinct drawn shapes per issue day

ISSUED = "issued"
ACCEPTED = "accepted"
IN_PROGRESS = "in_progress"
EXT_REQUESTED = "extension_requested"
EXT_APPROVED = "extension_approved"
EXT_REFUSED = "extension_refused"
CLOSURE_REQUESTED = "closure_requested"
RETURNED = "returned"
CLOSED = "closed"
OVERDUE = "overdue"
ESCALATED = "escalated"
SCENARIOS = (
    ISSUED,
    ACCEPTED,
    IN_PROGRESS,
    EXT_REQUESTED,
    EXT_APPROVED,
    EXT_REFUSED,
    CLOSURE_REQUESTED,
    RETURNED,
    CLOSED,
    OVERDUE,
    ESCALATED,
)
# Scenario weights by the item's age on SEED_DAY (days since issue).
MIX: list[tuple[int, dict[str, int]]] = [
    (7, {ISSUED: 55, ACCEPTED: 45}),
    (
        30,
        {
            ACCEPTED: 8,
            IN_PROGRESS: 40,
            EXT_REQUESTED: 10,
            CLOSURE_REQUESTED: 15,
            RETURNED: 8,
            OVERDUE: 9,
            CLOSED: 10,
        },
    ),
    (
        90,
        {
            IN_PROGRESS: 22,
            EXT_REQUESTED: 6,
            EXT_APPROVED: 8,
            EXT_REFUSED: 5,
            CLOSURE_REQUESTED: 9,
            RETURNED: 6,
            CLOSED: 30,
            OVERDUE: 7,
            ESCALATED: 7,
        },
    ),
    (
        10_000,
        {
            IN_PROGRESS: 5,
            EXT_APPROVED: 5,
            CLOSURE_REQUESTED: 3,
            CLOSED: 74,
            OVERDUE: 3,
            ESCALATED: 10,
        },
    ),
]


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


class Days:
    """Working days from FIRST_DAY − 60 to the end of the library's last year."""

    def __init__(self) -> None:
        start = FIRST_DAY - dt.timedelta(days=60)
        calendar = WorkingCalendar(start, LAST_DEADLINE)
        days = (start + dt.timedelta(days=i) for i in range((LAST_DEADLINE - start).days + 1))
        self.working = [d for d in days if calendar.is_working_day(d)]
        self.seed_index = bisect_right(self.working, SEED_DAY) - 1  # last working day ≤ seed day

    def add(self, day: dt.date, n: int) -> dt.date:
        """n working days after ``day`` (n ≥ 1), or before it (n ≤ −1); clamped to the span."""
        if n >= 1:
            index = bisect_right(self.working, day) + n - 1
        else:
            index = bisect_left(self.working, day) + n
        return self.working[max(0, min(index, len(self.working) - 1))]

    def back_from_seed(self, n: int) -> dt.date:
        """The working day n working days before the seed day's last working day."""
        return self.working[self.seed_index - n]

    def between(self, first: dt.date, last: dt.date) -> int:
        return bisect_right(self.working, last) - bisect_right(self.working, first)


def _pick(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


@dataclass
class Shape:
    """An item's dates and the facts behind its state on SEED_DAY."""

    scenario: str
    status: str
    issued_on: dt.date
    acceptance_due: dt.date
    deadline: dt.date
    original_deadline: dt.date
    accepted_on: dt.date | None = None
    feedback_on: list[dt.date] = field(default_factory=list)
    extension: tuple[str, dt.date, dt.date, dt.date] | None = None  # status, asked, prev, on
    closures: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    closure_requested_on: dt.date | None = None
    done_on: dt.date | None = None
    closed_on: dt.date | None = None
    escalation: tuple[dt.date, int] | None = None  # escalated on, days overdue


def scenario_for(rng: random.Random, issued: dt.date) -> str:
    age = (SEED_DAY - issued).days
    for limit, weights in MIX:
        if age <= limit:
            return rng.choices(list(weights), weights=list(weights.values()))[0]
    raise AssertionError("unreachable")


def shape(rng: random.Random, days: Days, issued: dt.date, scenario: str) -> Shape:
    s = _shape(rng, days, issued, scenario)
    if s.status == ItemStatus.IN_PROGRESS and not s.feedback_on:
        s.status = ItemStatus.ACCEPTED  # 办理中 begins with the unit's first feedback
    return s


def _shape(rng: random.Random, days: Days, issued: dt.date, scenario: str) -> Shape:
    """The item's dates for ``scenario``; a scenario its age cannot hold (an item issued
    yesterday cannot be escalated) falls back to one it can."""
    acceptance_due = days.add(issued, 1)
    later = min(LAST_DEADLINE, max(days.add(issued, 10), days.add(SEED_DAY, 3)))
    running = _pick(rng, later, min(LAST_DEADLINE, later + dt.timedelta(days=30)))
    accepted = min(days.add(issued, rng.choice((0, 1, 1, 1, 2))), SEED_DAY)
    if accepted < issued:
        accepted = issued

    def feedback(first: dt.date, last: dt.date, n: int) -> list[dt.date]:
        if last < first:
            return []
        return sorted({_pick(rng, first, last) for _ in range(n)})

    s = Shape(scenario, ItemStatus.IN_PROGRESS, issued, acceptance_due, running, running)
    if scenario in (OVERDUE, ESCALATED):
        k = rng.randint(1, ESCALATE_AFTER - 1) if scenario == OVERDUE else rng.randint(6, 40)
        deadline = days.back_from_seed(k)
        if deadline < days.add(issued, 5):
            return shape(rng, days, issued, IN_PROGRESS)
        s.deadline = s.original_deadline = deadline
        s.accepted_on = accepted
        s.feedback_on = feedback(accepted, deadline, rng.randint(0, 2))
        if scenario == ESCALATED:
            on = days.add(deadline, ESCALATE_AFTER)
            s.escalation = (on, days.between(deadline, on))
        return s
    if scenario == ISSUED:
        s.status, s.deadline = ItemStatus.ISSUED, min(LAST_DEADLINE, days.add(issued, 20))
        s.original_deadline = s.deadline
        return s
    s.accepted_on = accepted
    if scenario == ACCEPTED:
        s.status = ItemStatus.ACCEPTED
        s.deadline = s.original_deadline = min(LAST_DEADLINE, days.add(issued, 25))
        return s
    s.feedback_on = feedback(accepted, SEED_DAY - dt.timedelta(days=1), rng.randint(1, 3))
    if not s.feedback_on and scenario == IN_PROGRESS:
        s.feedback_on = [SEED_DAY]
    if scenario == EXT_REQUESTED:
        s.deadline = s.original_deadline = min(running, LAST_DEADLINE - dt.timedelta(days=10))
        asked = min(LAST_DEADLINE, s.deadline + dt.timedelta(days=rng.randint(10, 30)))
        s.extension = (RequestStatus.PENDING, asked, s.deadline, SEED_DAY - dt.timedelta(days=1))
    elif scenario == EXT_APPROVED:
        previous = _pick(rng, days.add(issued, 10), SEED_DAY - dt.timedelta(days=5))
        if previous > SEED_DAY - dt.timedelta(days=5):
            previous = SEED_DAY - dt.timedelta(days=5)
        s.original_deadline = max(previous, issued)
        s.extension = (
            RequestStatus.APPROVED,
            running,
            s.original_deadline,
            max(issued, s.original_deadline - dt.timedelta(days=3)),
        )
    elif scenario == EXT_REFUSED:
        s.extension = (
            RequestStatus.REFUSED,
            min(LAST_DEADLINE, running + dt.timedelta(days=20)),
            running,
            max(accepted, SEED_DAY - dt.timedelta(days=rng.randint(2, 10))),
        )
    elif scenario in (CLOSURE_REQUESTED, RETURNED, CLOSED):
        last_feedback = s.feedback_on[-1] if s.feedback_on else accepted
        if scenario == CLOSED:
            deadline = min(LAST_DEADLINE, days.add(issued, rng.randint(10, 60)))
            s.deadline = s.original_deadline = deadline
            latest = min(deadline, days.add(SEED_DAY, -3))
            if rng.random() < 0.1:  # completed late: it stays overdue in the record
                latest = min(days.add(deadline, rng.randint(1, 8)), days.add(SEED_DAY, -3))
            done = max(last_feedback, _pick(rng, days.add(accepted, 3), latest))
            done = min(done, days.add(SEED_DAY, -2))
            s.feedback_on = [d for d in s.feedback_on if d <= done]
            s.closures = [(RequestStatus.APPROVED, done, days.add(done, rng.randint(1, 2)))]
            s.status, s.done_on, s.closed_on = ItemStatus.CLOSED, done, s.closures[0][2]
            s.closure_requested_on = done
        elif scenario == CLOSURE_REQUESTED:
            asked = max(last_feedback, days.add(SEED_DAY, -rng.randint(0, 4)))
            s.closures = [(RequestStatus.PENDING, asked, None)]
            s.status, s.closure_requested_on = ItemStatus.CLOSURE_REQUESTED, asked
        else:
            asked = max(last_feedback, days.add(SEED_DAY, -rng.randint(4, 9)))
            s.closures = [(RequestStatus.REFUSED, asked, min(SEED_DAY, days.add(asked, 1)))]
            s.status = ItemStatus.RETURNED
    return s


# --------------------------------------------------------------------------- rows


@dataclass
class Plan:
    """One item to write: its shape and what it is about."""

    shape: Shape
    title: str
    content: str
    source: str
    lead: int
    cooperating: list[int]
    leader: int | None
    decision: int | None = None
    instruction_leader: int | None = None
    instruction_text: str = ""
    source_ref: str = ""
    project: int | None = None
    report: int | None = None
    priority: str = Priority.NORMAL


# Every column of an item, in the model's order: the rows below are built in it.
ITEM_COLUMNS = [f.name for f in Item._meta.concrete_fields]
EVENT_COLUMNS = ["item", "kind", "at", "actor", "unit", "note"]
FEEDBACK_COLUMNS = [
    "item",
    "unit",
    "text",
    "reported_on",
    "author",
    "created_at",
    "returned_at",
    "return_reason",
]
EXTENSION_COLUMNS = [
    "item",
    "requested_deadline",
    "previous_deadline",
    "reason",
    "requested_by",
    "requested_at",
    "status",
    "decided_by",
    "decided_at",
    "decision_note",
]
CLOSURE_COLUMNS = [
    "id",
    "item",
    "summary",
    "requested_by",
    "requested_at",
    "status",
    "decided_by",
    "decided_at",
    "decision_note",
]
ATTACHMENT_COLUMNS = [
    "item",
    "feedback",
    "closure",
    "name",
    "kind",
    "size",
    "sha256",
    "path",
    "uploaded_by",
    "uploaded_at",
]
ESCALATION_COLUMNS = ["item", "leader", "deadline", "days_overdue", "escalated_at"]


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


class Stamp:
    """Database text of "day at hour" (UTC), cached: a province has a few hundred days."""

    def __init__(self) -> None:
        from luoshi.projects.seed import _db_datetime

        self._convert = _db_datetime
        self._cache: dict[tuple[dt.date, int, int], str] = {}

    def __call__(self, day: dt.date, hour: int, minute: int = 0) -> str:
        key = (day, hour, minute)
        text = self._cache.get(key)
        if text is None:
            text = self._cache[key] = self._convert(at(day, hour, minute))
        return text


@contextlib.contextmanager
def indexes_deferred(models: list[type]) -> Iterator[None]:
    """On SQLite, drop the tables' secondary indexes for a bulk load and build them again
    after it: building an index once from sorted data is several times faster than
    maintaining it row by row. Unique indexes are rebuilt too, so a duplicate still fails.
    Nothing to do on PostgreSQL (COPY)."""
    if connection.vendor != "sqlite":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks(len(tables))})",
            tables,
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


def _next_ids() -> tuple[int, int]:
    """The next free ids of items and closure requests (one query)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {qn(Item._meta.db_table)}), "
            f"(SELECT MAX(id) FROM {qn(ClosureRequest._meta.db_table)})"
        )
        item, closure = cursor.fetchone()
    return (item or 0) + 1, (closure or 0) + 1


def _reset_sequences(models: list[type]) -> None:
    """Rows were written with explicit ids: PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class Writer:
    """Turns plans into rows of precomputed values, written with plain bulk INSERTs (COPY on
    PostgreSQL) in batches, ids assigned here so that children need no read-back."""

    def __init__(
        self,
        office: int | None,
        unit_users: dict[int, int],
        files: list[tuple],
        *,
        lean: bool = False,
    ):
        self.lean = lean  # the province: the last feedback only, no accepted/feedback events
        self.dates: dict[int, tuple] = {}
        self.timings: dict[str, float] = {}
        self.rows: dict[str, int] = {}
        self.office = office
        self.unit_users = unit_users  # unit → one of its reporters (the feedback's author)
        self.files = files
        self.counters: dict[int, int] = {}
        self.counts: dict[str, int] = {}
        self.stamp = Stamp()
        self.item_id, self.closure_id = _next_ids()

    def code(self, year: int) -> str:
        self.counters[year] = self.counters.get(year, 0) + 1
        return item_code(year, self.counters[year])

    def write(self, plans: list[Plan], texts: list[str]) -> None:
        for start in range(0, len(plans), BATCH):
            self._write(plans[start : start + BATCH], texts)
        _reset_sequences([Item, ClosureRequest])

    def _write(self, plans: list[Plan], texts: list[str]) -> None:
        from luoshi.projects.seed import insert_rows

        office, stamp = self.office, self.stamp
        items, coop, feedbacks, extensions, closures = [], [], [], [], []
        attachments, escalations, events = [], [], []
        for p in plans:
            s = p.shape
            pk = self.item_id
            self.item_id += 1
            self.counts[s.scenario] = self.counts.get(s.scenario, 0) + 1
            author = self.unit_users.get(p.lead) or office
            extension, closures_of = (s.extension, s.closures) if author else (None, [])
            dates = self.dates.get(id(s))
            if dates is None:
                dates = self.dates[id(s)] = (
                    _d(s.issued_on),
                    _d(s.acceptance_due),
                    _d(s.deadline),
                    _d(s.original_deadline),
                    _d(s.accepted_on),
                    _d(s.feedback_on[-1] if s.feedback_on else None),
                    _d(s.closure_requested_on),
                    _d(s.done_on),
                    _d(s.closed_on),
                    _d(s.escalation[0] if s.escalation else None),
                    stamp(s.issued_on, 9),
                    stamp(max(s.issued_on, min(SEED_DAY, s.closed_on or SEED_DAY)), 16),
                )
            items.append(
                (
                    pk,
                    self.code(s.issued_on.year),
                    p.title[:200],
                    p.content,
                    p.source,
                    p.decision,
                    p.instruction_leader,
                    p.instruction_text,
                    p.source_ref,
                    p.project,
                    p.report,
                    p.lead,
                    p.leader,
                    p.priority,
                    s.status,
                    *dates[:4],
                    None,
                    *dates[4:9],
                    False,
                    0,
                    dates[9],
                    1,
                    office,
                    dates[10],
                    dates[11],
                )
            )
            coop.extend((pk, u) for u in p.cooperating)
            events.append((pk, EventKind.ISSUED, dates[10], office, None, ""))
            if s.accepted_on and not self.lean:
                events.append(
                    (pk, EventKind.ACCEPTED, stamp(s.accepted_on, 11), author, p.lead, "")
                )
            for n, day in enumerate(s.feedback_on[-1:] if self.lean else s.feedback_on):
                text = texts[(pk + n) % len(texts)]
                when = stamp(day, 15)
                if author:
                    feedbacks.append((pk, p.lead, text, _d(day), author, when, None, ""))
                if not self.lean:
                    events.append((pk, EventKind.FEEDBACK, when, author, p.lead, text))
            if extension:
                status, asked, previous, on = extension
                decided = status != RequestStatus.PENDING
                extensions.append(
                    (
                        pk,
                        _d(asked),
                        _d(previous),
                        sd.EXTENSION_REASONS[pk % len(sd.EXTENSION_REASONS)],
                        author,
                        stamp(on, 10),
                        status,
                        office if decided else None,
                        stamp(on, 17) if decided else None,
                        sd.REFUSAL_NOTES[pk % 2] if status == RequestStatus.REFUSED else "",
                    )
                )
                events.append(
                    (pk, EventKind.EXTENSION_REQUESTED, stamp(on, 10), author, p.lead, "")
                )
                if decided:
                    kind = (
                        EventKind.EXTENSION_APPROVED
                        if status == RequestStatus.APPROVED
                        else EventKind.EXTENSION_REFUSED
                    )
                    events.append((pk, kind, stamp(on, 17), office, None, ""))
            for status, asked, decided in closures_of:
                closure = self.closure_id
                self.closure_id += 1
                requested = stamp(asked, 16)
                closures.append(
                    (
                        closure,
                        pk,
                        sd.CLOSURE_SUMMARIES[pk % len(sd.CLOSURE_SUMMARIES)],
                        author,
                        requested,
                        status,
                        office if decided else None,
                        stamp(decided, 11) if decided else None,
                        sd.RETURN_REASONS[pk % 2] if status == RequestStatus.REFUSED else "",
                    )
                )
                if self.files and not (self.lean and status == RequestStatus.APPROVED):
                    name, kind, size, sha, path = self.files[pk % len(self.files)]
                    attachments.append(
                        (pk, None, closure, name, kind, size, sha, path, author, requested)
                    )
                events.append((pk, EventKind.CLOSURE_REQUESTED, requested, author, p.lead, ""))
                if decided:
                    kind = (
                        EventKind.CLOSED
                        if status == RequestStatus.APPROVED
                        else EventKind.CLOSURE_RETURNED
                    )
                    events.append((pk, kind, stamp(decided, 11), office, None, ""))
            if s.escalation:
                on, overdue = s.escalation
                when = stamp(on, 8, 30)
                escalations.append((pk, p.leader, _d(s.deadline), overdue, when))
                events.append((pk, EventKind.ESCALATED, when, None, None, ""))
        for model, columns, rows in (
            (Item, ITEM_COLUMNS, items),
            (ItemUnit, ["item", "unit"], coop),
            (Feedback, FEEDBACK_COLUMNS, feedbacks),
            (ExtensionRequest, EXTENSION_COLUMNS, extensions),
            (ClosureRequest, CLOSURE_COLUMNS, closures),
            (Attachment, ATTACHMENT_COLUMNS, attachments),
            (Escalation, ESCALATION_COLUMNS, escalations),
            (ItemEvent, EVENT_COLUMNS, events),
        ):
            started = time.monotonic()
            insert_rows(model, columns, rows)
            name = model._meta.model_name
            self.timings[name] = self.timings.get(name, 0.0) + time.monotonic() - started
            self.rows[name] = self.rows.get(name, 0) + len(rows)


def evidence_files() -> list[tuple[str, str, int, str, str]]:
    """Two small evidence files shared by the seeded closure requests, written once."""
    import hashlib

    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
    )
    out = []
    for name, kind, data in (("验收报告.pdf", "pdf", pdf), ("现场照片.png", "png", png)):
        sha = hashlib.sha256(data).hexdigest()
        relative = f"attachments/seed/{sha}.{kind}"
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(data)
        out.append((name, kind, len(data), sha, relative))
    return out


def reset_supervision() -> None:
    """Delete every supervision row, children first, in plain DELETEs."""
    models = [
        Attachment,
        Reminder,
        Escalation,
        ItemEvent,
        Feedback,
        ExtensionRequest,
        ClosureRequest,
        ItemUnit,
        Item,
        Decision,
        Meeting.attending_leaders.through,
        Meeting.attending_units.through,
        Meeting,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _people() -> tuple[int | None, dict[int, int]]:
    office = (
        User.objects.filter(username="office").values_list("pk", flat=True).first()
        or User.objects.filter(role_grants__role="officer").values_list("pk", flat=True).first()
    )
    reporters: dict[int, int] = {}
    for pk, unit_id in (
        User.objects.filter(role_grants__role="reporter", unit__isnull=False)
        .order_by("pk")
        .values_list("pk", "unit_id")
    ):
        reporters.setdefault(unit_id, pk)
    return office, reporters


# --------------------------------------------------------------------------- the county


def county_meetings(days: Days) -> list[tuple[str, dt.date, str, str]]:
    """(kind, date, title, place) of the year: every Monday's 常务会 (or the next working
    day), a 推进会 around the 15th of each month, and a 现场办公会 every quarter."""
    meetings = []
    day, n = FIRST_DAY, 0
    while day <= SEED_DAY:
        if day.weekday() == 0:
            held = day if day in set(days.working) else days.add(day, 1)
            if held <= SEED_DAY:
                n += 1
                meetings.append(
                    (
                        MeetingKind.STANDING,
                        held,
                        f"县人民政府{held.year}年第{n}次常务会议",
                        "县政府三楼会议室",
                    )
                )
        if day.day == 15:
            held = days.add(day - dt.timedelta(days=1), 1)
            if held <= SEED_DAY:
                meetings.append(
                    (
                        MeetingKind.PROGRESS,
                        held,
                        f"全县重点工作推进会（{held.month}月）",
                        "县行政中心一号会议室",
                    )
                )
        if day.day == 20 and day.month in (1, 4, 7, 10):
            held = days.add(day - dt.timedelta(days=1), 1)
            place = sd.ONSITE_PLACES[len(meetings) % len(sd.ONSITE_PLACES)]
            meetings.append((MeetingKind.ONSITE, held, f"{place}现场办公会", place))
        if day.month == 12 and day.day == 31:
            n = 0  # the count of 常务会 starts again with the year
        day += dt.timedelta(days=1)
    return sorted(meetings, key=lambda m: m[1])


def _topic_text(topic: sd.Topic, town: str) -> tuple[str, str]:
    return topic.title.format(town=town), topic.content


@seed_step("supervision.county", scales=("county",), order=300, reset=reset_supervision)
def seed_county_items(ctx: SeedContext) -> None:
    """A year of meetings and about 600 supervision items in every state."""
    started = time.monotonic()
    rng = ctx.rng("supervision.county")
    days = Days()
    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    towns = list(
        Unit.objects.filter(unit_class__code="town").order_by("pk").values_list("name", flat=True)
    ) or ["城关镇"]
    leaders = list(Leader.objects.order_by("precedence").values_list("pk", "title"))
    deputies = [pk for pk, title in leaders if "副县长" in title] or [pk for pk, _ in leaders]
    demo_leader = User.objects.filter(username="leader").values_list("leader_id", flat=True).first()
    presider = leaders[1][0] if len(leaders) > 1 else (leaders[0][0] if leaders else None)
    office, reporters = _people()

    def unit(code: str) -> int:
        return unit_ids.get(code) or unit_ids.get("FGJ") or next(iter(unit_ids.values()))

    # Meetings and their decisions.
    specs = county_meetings(days)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                kind=kind,
                title=title,
                held_on=held,
                place=place,
                presider_id=presider,
                agenda="",
                minutes="",
                created_by_id=office,
                created_at=at(held, 17),
                updated_at=at(held, 17),
            )
            for kind, held, title, place in specs
        ]
    )
    if meetings[0].pk is None:
        by = {(m.title, m.held_on): m.pk for m in Meeting.objects.all()}
        for m in meetings:
            m.pk = by[(m.title, m.held_on)]
    decisions, decision_topics = [], []
    attend_leaders, attend_units = [], []
    leader_link = Meeting.attending_leaders.through
    unit_link = Meeting.attending_units.through
    # Minutes name units as people say them (发改局), not by their codes.
    spoken = {
        code: short or name
        for code, short, name in Unit.objects.values_list("code", "short_name", "name")
    }
    for m in meetings:
        n = rng.randint(3, 6) if m.kind != MeetingKind.ONSITE else rng.randint(2, 4)
        topics = rng.sample(sd.TOPICS, n)
        town = rng.choice(towns)
        agenda = []
        for number, topic in enumerate(topics, 1):
            title, content = _topic_text(topic, town)
            agenda.append(f"{number}. 研究{title}有关事项")
            coop = "、".join(spoken.get(c, c) for c in topic.cooperating)
            decisions.append(
                Decision(
                    meeting_id=m.pk,
                    number=number,
                    content=f"会议研究了{title}工作。{content}由牵头单位会同{coop or '有关单位'}抓好落实。",
                )
            )
            decision_topics.append((m, topic, title))
        m.agenda = "\n".join(agenda)
        m.minutes = (
            f"会议由{m.held_on:%Y年%m月%d日}召开，研究了{len(topics)}项议题，形成议定事项如下。"
        )
        for pk in rng.sample(deputies, min(3, len(deputies))):
            attend_leaders.append(leader_link(meeting_id=m.pk, leader_id=pk))
        for code in sorted({t.lead for t in topics} | {c for t in topics for c in t.cooperating}):
            if code in unit_ids:
                attend_units.append(unit_link(meeting_id=m.pk, unit_id=unit_ids[code]))
    Meeting.objects.bulk_update(meetings, ["agenda", "minutes"])
    leader_link.objects.bulk_create(attend_leaders, ignore_conflicts=True)
    unit_link.objects.bulk_create(attend_units, ignore_conflicts=True)
    decisions = Decision.objects.bulk_create(decisions)
    if decisions[0].pk is None:
        by = {(d.meeting_id, d.number): d.pk for d in Decision.objects.all()}
        for d in decisions:
            d.pk = by[(d.meeting_id, d.number)]

    plans: list[Plan] = []
    # From meetings: one item per decision, a second for some.
    for decision, (meeting, topic, title) in zip(decisions, decision_topics, strict=True):
        for _k in range(1 if rng.random() < 0.75 else 2):
            issued = days.add(meeting.held_on, 1) if meeting.held_on < SEED_DAY else SEED_DAY
            issued = min(issued, SEED_DAY)
            plans.append(
                Plan(
                    shape=shape(rng, days, issued, scenario_for(rng, issued)),
                    title=title,
                    content=topic.content,
                    source=ItemSource.MEETING,
                    lead=unit(topic.lead),
                    cooperating=[unit_ids[c] for c in topic.cooperating if c in unit_ids],
                    leader=rng.choice(deputies) if deputies else None,
                    decision=decision.pk,
                    priority=rng.choice([Priority.NORMAL] * 3 + [Priority.HIGH, Priority.URGENT]),
                )
            )
    # The other sources, spread over the year, up to about COUNTY_ITEMS.
    others = max(0, COUNTY_ITEMS - len(plans))
    counters: dict[str, int] = {}
    projects = _coordination_problems()
    for n in range(others):
        issued = _pick(rng, FIRST_DAY, SEED_DAY)
        issued = days.add(issued - dt.timedelta(days=1), 1) if issued < SEED_DAY else SEED_DAY
        issued = min(issued, SEED_DAY)
        source = [
            ItemSource.INSTRUCTION,
            ItemSource.ASSIGNMENT,
            ItemSource.PROPOSAL,
            ItemSource.HOTLINE,
            ItemSource.PROJECT,
        ][n % 5]
        counters[source] = counters.get(source, 0) + 1
        k = counters[source]
        topic = rng.choice(sd.TOPICS)
        title, content = _topic_text(topic, rng.choice(towns))
        plan = Plan(
            shape=shape(rng, days, issued, scenario_for(rng, issued)),
            title=title,
            content=content,
            source=source,
            lead=unit(topic.lead),
            cooperating=[unit_ids[c] for c in topic.cooperating[:1] if c in unit_ids],
            leader=rng.choice(deputies) if deputies else None,
        )
        if source == ItemSource.INSTRUCTION:
            plan.instruction_leader = leaders[rng.randint(0, min(4, len(leaders) - 1))][0]
            plan.instruction_text = rng.choice(sd.INSTRUCTIONS)
            plan.source_ref = f"县领导批示〔{issued.year}〕{k}号"
            plan.priority = Priority.HIGH
        elif source == ItemSource.ASSIGNMENT:
            plan.source_ref = f"市督办〔{issued.year}〕{k}号"
            plan.title = f"市交办：{title}"
        elif source == ItemSource.PROPOSAL:
            text, code = sd.PROPOSALS[k % len(sd.PROPOSALS)]
            plan.title, plan.lead, plan.cooperating = text, unit(code), []
            plan.content = f"认真研究办理{text}，按时答复代表委员并报送办理情况。"
            plan.source_ref = f"建议提案第{k}号"
        elif source == ItemSource.HOTLINE:
            text, content, code = sd.HOTLINE_TOPICS[k % len(sd.HOTLINE_TOPICS)]
            plan.title, plan.content, plan.lead, plan.cooperating = text, content, unit(code), []
            plan.source_ref = f"12345-{issued:%Y%m%d}{k:04d}"
            plan.priority = Priority.URGENT if k % 4 == 0 else Priority.NORMAL
        elif projects:
            project, report, name, lead_unit, problem = projects[k % len(projects)]
            plan.project, plan.report, plan.lead = project, report, lead_unit
            plan.title = f"协调解决{name}建设中的困难"[:200]
            plan.content = problem or plan.content
            plan.source_ref = f"项目协调第{k}号"
        else:
            plan.source = ItemSource.ASSIGNMENT
            plan.source_ref = f"市督办〔{issued.year}〕{1000 + k}号"
        plans.append(plan)
    _give_demo_people(plans, unit("FGJ"), demo_leader)
    plans.sort(key=lambda p: (p.shape.issued_on, p.decision or 0))
    texts = [t.format(pct=60) for t in sd.FEEDBACK_TEXTS]
    writer = Writer(office, reporters, evidence_files())
    writer.write(plans, texts)
    ctx.count("meetings", len(meetings))
    ctx.count("meeting decisions", len(decisions))
    ctx.count("supervision items", len(plans))
    ctx.shared["supervision_states"] = dict(writer.counts)
    ctx.log(f"  timings: supervision items {time.monotonic() - started:.1f} s")


def _coordination_problems() -> list[tuple[int, int, str, int, str]]:
    """Problems the key-project reports marked for coordination (project, report, name,
    unit, problem), the source of "key-project problem" items."""
    try:
        from luoshi.projects.models import MonthlyReport
    except ImportError:  # pragma: no cover
        return []
    return list(
        MonthlyReport.objects.filter(needs_coordination=True)
        .order_by("-period__year", "-period__month", "pk")
        .values_list("project_id", "pk", "project__name", "unit_id", "problems")[:40]
    )


def _give_demo_people(plans: list[Plan], fgj: int, demo_leader: int | None) -> None:
    """The demo unit leads, and the demo leader answers for, items in every state."""
    seen: dict[str, int] = {}
    for index, plan in enumerate(plans):
        scenario = plan.shape.scenario
        seen[scenario] = seen.get(scenario, 0) + 1
        if seen[scenario] <= 3 or index % 15 == 0:
            plan.lead = fgj
            plan.cooperating = [u for u in plan.cooperating if u != fgj]
        if demo_leader and (seen[scenario] <= 4 or index % 5 == 0):
            plan.leader = demo_leader


# --------------------------------------------------------------------------- the province


@seed_step("supervision.province", scales=("province",), order=300, reset=reset_supervision)
def seed_province_items(ctx: SeedContext) -> None:
    """200,000 items over the province's units, with their meetings, in bulk."""
    started = time.monotonic()
    rng = ctx.rng("supervision.province")
    days = Days()
    size = PROVINCE_ITEMS if not ctx.units or ctx.units >= 6000 else max(500, ctx.units * 4)
    # The organisation step leaves its ids; a database seeded otherwise is read.
    units = sorted(ctx.shared.get("unit_ids", {}).values()) or list(
        Unit.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    leaders = list(ctx.shared.get("leader_ids", [])) or list(
        Leader.objects.order_by("precedence").values_list("pk", flat=True)
    )
    # Who is who, in one read: the office, each unit's first reporter, the demo people.
    office, demo_leader = None, None
    reporters: dict[int, int] = {}
    demo = {}
    for pk, username, unit_id, leader_id, role in (
        User.objects.filter(role_grants__role__in=["officer", "reporter", "leader"])
        .order_by("pk")
        .values_list("pk", "username", "unit_id", "leader_id", "role_grants__role")
    ):
        if role == "reporter" and unit_id:
            reporters.setdefault(unit_id, pk)
        if role == "officer" and (office is None or username == "office"):
            office = pk
        if username == "leader":
            demo_leader = leader_id
        if username in ("reporter_fgj", "reporter_town") and unit_id:
            demo[username] = unit_id
    demo_units = [demo[u] for u in ("reporter_fgj", "reporter_town") if u in demo]
    n_meetings = max(20, size // 100)
    meeting_days = [_pick(rng, FIRST_DAY, SEED_DAY) for _ in range(n_meetings)]
    kinds = [MeetingKind.STANDING, MeetingKind.PROGRESS, MeetingKind.SPECIAL, MeetingKind.ONSITE]
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                kind=kinds[i % 4],
                title=f"{'常务会议' if i % 4 == 0 else '工作推进会'}（第{i + 1}次）",
                held_on=min(SEED_DAY, days.add(day - dt.timedelta(days=1), 1)),
                place="会议室",
                presider_id=leaders[i % len(leaders)] if leaders else None,
                created_by_id=office,
                created_at=at(day, 17),
                updated_at=at(day, 17),
            )
            for i, day in enumerate(sorted(meeting_days))
        ],
        batch_size=BATCH,
    )
    if meetings and meetings[0].pk is None:  # a database without RETURNING
        meetings = list(Meeting.objects.order_by("held_on", "pk"))
    held = {m.pk: m.held_on for m in meetings}
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                meeting_id=pk, number=n + 1, content=sd.TOPICS[(i + n) % len(sd.TOPICS)].content
            )
            for i, pk in enumerate(m.pk for m in meetings)
            for n in range(5)
        ],
        batch_size=BATCH,
    )
    if decisions and decisions[0].pk is None:
        decisions = list(Decision.objects.order_by("meeting__held_on", "meeting_id", "number"))
    decision_rows = [(d.pk, held[d.meeting_id]) for d in decisions]
    texts = [t.format(pct=50) for t in sd.FEEDBACK_TEXTS]
    titles = [(t.title.format(town="各乡镇"), t.content) for t in sd.TOPICS]
    sources = [
        ItemSource.INSTRUCTION,
        ItemSource.ASSIGNMENT,
        ItemSource.PROPOSAL,
        ItemSource.HOTLINE,
    ]
    plans: list[Plan] = []
    busy = decision_rows[-50:]  # the latest meetings' decisions carry many items
    pool: dict[dt.date, list[Shape]] = {}

    def drawn(issued: dt.date) -> Shape:
        """Items issued the same day share a few drawn shapes: 200,000 draws would cost
        more than the writing, and a province repeats its dates anyway."""
        shapes = pool.setdefault(issued, [])
        k = rng.randrange(POOL_PER_DAY)
        while len(shapes) <= k:
            shapes.append(shape(rng, days, issued, scenario_for(rng, issued)))
        return shapes[k]

    issue_days = [d for d in days.working if FIRST_DAY <= d <= SEED_DAY]
    for n in range(size):
        title, content = titles[n % len(titles)]
        lead = demo_units[n % len(demo_units)] if demo_units and n % 400 < 2 else rng.choice(units)
        leader = demo_leader if demo_leader and n % 50 == 0 else rng.choice(leaders)
        if n % 2 == 0 and decision_rows:
            decision, held = busy[n % len(busy)] if n % 40 == 0 else rng.choice(decision_rows)
            issued = min(SEED_DAY, days.add(held, 1))
            plan = Plan(
                shape=drawn(issued),
                title=title,
                content=content,
                source=ItemSource.MEETING,
                lead=lead,
                cooperating=[],
                leader=leader,
                decision=decision,
            )
        else:
            issued = issue_days[rng.randrange(len(issue_days))]
            source = sources[n % 4]
            plan = Plan(
                shape=drawn(issued),
                title=title,
                content=content,
                source=source,
                lead=lead,
                cooperating=[],
                leader=leader,
                source_ref=f"P{n:07d}",
            )
            if source == ItemSource.INSTRUCTION:
                plan.instruction_leader = leader
                plan.instruction_text = sd.INSTRUCTIONS[n % len(sd.INSTRUCTIONS)]
        if n % 5 == 0:
            other = rng.choice(units)
            if other != lead:
                plan.cooperating = [other]
        plans.append(plan)
    plans.sort(key=lambda p: p.shape.issued_on)
    large = len(plans) >= DEFER_INDEXES_FROM
    if large and connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a larger page cache: the indexes stop thrashing
            cursor.execute("PRAGMA cache_size = -262144")
    writer = Writer(office, reporters, evidence_files(), lean=True)
    drawn_at = time.monotonic()
    loaded = [Item, ItemUnit, ItemEvent, Feedback, ClosureRequest, Attachment]
    with indexes_deferred(loaded) if large else contextlib.nullcontext():
        writer.write(plans, texts)
    indexed_at = time.monotonic()
    ctx.log(
        f"  drawing {drawn_at - started:.1f} s; indexes rebuilt in "
        f"{indexed_at - drawn_at - sum(writer.timings.values()):.1f} s; writing "
        + ", ".join(
            f"{name} {writer.rows[name]:,} rows {t:.1f} s" for name, t in writer.timings.items()
        )
    )
    if large:  # fresh statistics, so that the lists use the item indexes
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ctx.count("meetings", len(meetings))
    ctx.count("meeting decisions", len(decisions))
    ctx.count("supervision items", len(plans))
    ctx.shared["supervision_states"] = dict(writer.counts)
    ctx.log(f"  timings: supervision items {time.monotonic() - started:.1f} s")


def state_counts() -> dict[str, Any]:
    """Items per status in the database (for the tests and the log)."""
    from django.db.models import Count

    return dict(Item.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
