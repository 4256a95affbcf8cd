"""Meetings and supervision items (会议与督查督办): the closed loop from a decision to a
verified closure.

An item's state changes only through ``services``; overdue and the lamp are derived from
the deadline, the calendar and the dates of the facts recorded here (``rules``), never
typed. The dates kept on the item (accepted_on, last_feedback_on, closure_requested_on,
done_on) are copies of those facts so that lists can filter by lamp in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from luoshi.core.clock import now
from luoshi.orgs.models import Leader, Unit
from luoshi.supervision.choices import (
    EventKind,
    ItemSource,
    ItemStatus,
    MeetingKind,
    Priority,
    ReminderKind,
    RequestStatus,
)


class Meeting(models.Model):
    """A meeting (会议) whose decisions become supervision items."""

    kind = models.CharField(_("meeting type"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    presider = models.ForeignKey(
        Leader,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_meetings",
        verbose_name=_("presider"),
    )
    attending_leaders = models.ManyToManyField(
        Leader, blank=True, related_name="meetings", verbose_name=_("attending leaders")
    )
    attending_units = models.ManyToManyField(
        Unit, blank=True, related_name="meetings", verbose_name=_("attending units")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Decision(models.Model):
    """A decision of a meeting (议定事项); it becomes one or more supervision items."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("number"))
    content = models.TextField(_("content"))

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="supervision_decision_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:40]}"


class Item(models.Model):
    """A supervision item (督办事项)."""

    code = models.CharField(_("item number"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content and requirements"))
    source = models.CharField(_("source"), max_length=16, choices=ItemSource.choices)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("meeting decision"),
    )
    instruction_leader = models.ForeignKey(
        Leader,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructed_items",
        verbose_name=_("instructing leader"),
    )
    instruction_text = models.TextField(_("instruction"), blank=True)
    # 文号, 12345 ticket number, proposal number…: also what makes an import idempotent.
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_items",
        verbose_name=_("key project"),
    )
    report = models.ForeignKey(
        "projects.MonthlyReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_items",
        verbose_name=_("monthly report"),
    )
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_items", verbose_name=_("lead unit")
    )
    cooperating_units = models.ManyToManyField(
        Unit,
        blank=True,
        through="ItemUnit",
        related_name="cooperating_items",
        verbose_name=_("cooperating units"),
    )
    responsible_leader = models.ForeignKey(
        Leader,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_items",
        verbose_name=_("responsible leader"),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ItemStatus.choices,
        default=ItemStatus.ISSUED,
        db_index=True,
    )
    issued_on = models.DateField(_("issued on"))
    acceptance_due = models.DateField(_("accept by"))
    deadline = models.DateField(_("deadline"), db_index=True)
    original_deadline = models.DateField(_("original deadline"))
    # How the office gave the deadline: N working days from issue, or a date (None).
    deadline_working_days = models.PositiveIntegerField(
        _("deadline in working days"), null=True, blank=True
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    last_feedback_on = models.DateField(_("last feedback on"), null=True, blank=True)
    closure_requested_on = models.DateField(_("closure requested on"), null=True, blank=True)
    done_on = models.DateField(_("completed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    late_extension_allowed = models.BooleanField(
        _("extension after deadline allowed"), default=False
    )
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")
        indexes = [
            models.Index(fields=["lead_unit", "status", "deadline"], name="sup_item_unit_state"),
            models.Index(fields=["status", "deadline"], name="sup_item_state_deadline"),
            models.Index(fields=["responsible_leader", "status"], name="sup_item_leader"),
            models.Index(fields=["source", "source_ref"], name="sup_item_source_ref"),
            # A meeting's items, decision by decision in number order: each decision's slice
            # of a page read in code order without sorting the meeting's thousand items.
            models.Index(fields=["decision", "code"], name="sup_item_decision_code"),
            # Open items by deadline: the overdue list's page without passing the 100,000
            # closed items that come first. Queries name ``~Q(status=CLOSED)`` to reach it.
            models.Index(
                fields=["deadline", "id"],
                condition=~models.Q(status=ItemStatus.CLOSED),
                name="sup_item_open_deadline",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("issued_on")),
                name="supervision_item_deadline_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ItemUnit(models.Model):
    """A cooperating unit (配合单位) of an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="item_units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="item_units")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="supervision_itemunit_unique")
        ]
        indexes = [models.Index(fields=["unit", "item"], name="sup_itemunit_unit")]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.unit_id}"


class Feedback(models.Model):
    """Progress feedback (进展反馈) of the lead unit or a cooperating unit."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="feedbacks")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("progress"))
    reported_on = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=now, editable=False)
    # 反馈退回: the office found it not good enough; it no longer counts as feedback.
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason sent back"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress feedback")
        verbose_name_plural = _("progress feedback")

    def __str__(self) -> str:
        return f"{self.reported_on} {self.text[:40]}"


class OfficeDecidedRequest(models.Model):
    """What a unit asks of the office and the office decides: who asked when, and the
    decision with its note."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=now)
    status = models.CharField(
        _("status"), max_length=8, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


class ExtensionRequest(OfficeDecidedRequest):
    """An extension request (延期申请); the office approves or refuses it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="extensions")
    requested_deadline = models.DateField(_("requested deadline"))
    previous_deadline = models.DateField(_("deadline before"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self) -> str:
        return f"{self.previous_deadline} → {self.requested_deadline}"


class ClosureRequest(OfficeDecidedRequest):
    """A closure request (办结申请) with its evidence; the office verifies it (销号) or
    returns it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="closures")
    summary = models.TextField(_("how it was done"))

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d} {self.summary[:40]}"


class Attachment(models.Model):
    """A file attached to feedback or a closure request (PDF, Word, Excel, image), checked by
    content and stored under LUOSHI_DATA_DIR; served only to those who may see the item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    closure = models.ForeignKey(
        ClosureRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=8)  # pdf, docx, xlsx, jpeg, png…
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """A reminder (催办) of an item: automatic or by the office. ``key`` makes the automatic
    job idempotent: a run twice never sends the same reminder twice. Who got it and whether
    they read it is in the notification centre's delivery records (``dedupe_key`` = key)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    key = models.CharField(max_length=120, unique=True)
    note = models.TextField(_("note"), blank=True)
    sent_at = models.DateTimeField(default=now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_at:%Y-%m-%d}"


class Escalation(models.Model):
    """督办升级: an item overdue beyond the set number of days goes on its leader's list."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="escalations")
    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, null=True, related_name="+")
    deadline = models.DateField()  # the deadline it was overdue against
    days_overdue = models.PositiveIntegerField()
    escalated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-escalated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "deadline"], name="supervision_escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} +{self.days_overdue}"


class ItemEvent(models.Model):
    """The item's history (办理记录), oldest first: every step, who, when, and a note."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(default=now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", null=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item", "at"], name="sup_event_item")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class SupervisionSettings(models.Model):
    """The office's rules for items (督办规则), one row: acceptance window, reminder days,
    escalation, the yellow-lamp thresholds."""

    acceptance_working_days = models.PositiveIntegerField(
        _("accept within (working days)"), default=1
    )
    remind_before_working_days = models.PositiveIntegerField(
        _("remind before the deadline (working days)"), default=3
    )
    yellow_within_working_days = models.PositiveIntegerField(
        _("yellow when the deadline is within (working days)"), default=3
    )
    feedback_stale_days = models.PositiveIntegerField(
        _("yellow without feedback for (days)"), default=10
    )
    escalate_after_days = models.PositiveIntegerField(
        _("escalate to the leader after overdue (days)"), default=5
    )
    overdue_remind_every_days = models.PositiveIntegerField(
        _("remind overdue items every (days)"), default=3
    )

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> SupervisionSettings:
        # Plain SQL (``core.rawsql``; every column a whole number): every supervision page
        # reads it.
        from luoshi.core.rawsql import fetch, instance

        fields = cls._meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        rows = fetch(f"SELECT {columns} FROM {cls._meta.db_table} WHERE id = 1")
        if not rows:
            return cls(pk=1)
        return instance(cls, dict(zip([f.attname for f in fields], rows[0], strict=True)))


class ItemsGeneration(models.Model):
    """One row (pk=1) whose ``n`` database triggers raise on every write of items or their
    cooperating units, in the writing transaction (migration 0002): a count stored with
    the ``n`` it was computed at is current while ``n`` is unchanged."""

    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.n)


class ListSummary(models.Model):
    """A list's counts (lamps, overdue groups) as computed at one ``generation`` for one
    day's cutoffs; read back only while both still hold (``summaries.cached``)."""

    key = models.CharField(max_length=64, unique=True)
    generation = models.BigIntegerField()
    cutoffs = models.CharField(max_length=100)
    data = models.TextField()

    def __str__(self) -> str:
        return self.key
