"""Enumerations of meetings and supervision items (会议与督查督办), with their Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    STANDING = "standing", _("Executive meeting")  # 常务会
    ONSITE = "onsite", _("On-site office meeting")  # 现场办公会
    PROGRESS = "progress", _("Progress meeting")  # 推进会
    SPECIAL = "special", _("Special-topic meeting")  # 专题会


class ItemSource(models.TextChoices):
    """Where a supervision item comes from (事项来源)."""

    MEETING = "meeting", _("Meeting decision")  # 会议议定
    INSTRUCTION = "instruction", _("Leader's instruction")  # 领导批示
    ASSIGNMENT = "assignment", _("Higher-level assignment")  # 上级交办
    PROPOSAL = "proposal", _("NPC/CPPCC proposal")  # 建议提案
    HOTLINE = "hotline", _("12345 hotline complaint")  # 12345 热线
    PROJECT = "project", _("Key-project problem")  # 项目问题协调


class ItemStatus(models.TextChoices):
    """The item's life (事项状态), as the office names it. The unit reads ISSUED as 待签收
    (``unit_label``)."""

    ISSUED = "issued", _("Issued")  # 已交办
    # Contexts: "Accepted" alone is a report's 已采纳 elsewhere; an item is 已签收.
    ACCEPTED = "accepted", pgettext_lazy("item status", "Accepted")  # 已签收
    IN_PROGRESS = "in_progress", _("In progress")  # 办理中
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")  # 申请办结
    RETURNED = "returned", _("Closure returned")  # 退回
    CLOSED = "closed", _("Closed")  # 已办结（销号）


UNIT_LABELS = {
    ItemStatus.ISSUED: _("To accept"),  # 待签收
    ItemStatus.CLOSURE_REQUESTED: _("Awaiting verification"),  # 待核验
}


def status_label(status: str, *, for_unit: bool) -> str:
    """The same state reads differently by role: the office sees 已交办, the unit 待签收."""
    if for_unit and status in UNIT_LABELS:
        return str(UNIT_LABELS[status])
    return str(ItemStatus(status).label)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")  # 一般
    HIGH = "high", _("High")  # 重要
    URGENT = "urgent", _("Urgent")  # 紧急


class ItemLamp(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    DONE = "done", _("Closed")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待审核
    APPROVED = "approved", _("Approved")  # 已同意
    REFUSED = "refused", _("Refused")  # 不同意


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")  # 到期前提醒
    DUE = "due", _("On the deadline")  # 到期提醒
    OVERDUE = "overdue", _("Overdue")  # 逾期催办
    ACCEPTANCE = "acceptance", _("Not yet accepted")  # 签收催办
    MANUAL = "manual", _("By the office")  # 人工催办


class EventKind(models.TextChoices):
    """One line of an item's history (办理记录)."""

    ISSUED = "issued", _("Issued")
    ACCEPTED = "accepted", pgettext_lazy("item event", "Accepted")  # 签收
    FEEDBACK = "feedback", _("Progress feedback")
    FEEDBACK_RETURNED = "feedback_returned", _("Feedback sent back")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    LATE_EXTENSION_ALLOWED = "late_extension_allowed", _("Late extension request allowed")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSURE_RETURNED = "closure_returned", pgettext_lazy("item event", "Closure returned")
    CLOSED = "closed", _("Verified and closed")
    REOPENED = "reopened", _("Reopened")
    REMINDED = "reminded", pgettext_lazy("item event", "Reminder")  # 催办
    ESCALATED = "escalated", _("Escalated to the leader")
