"""The item state machine through the services: the whole loop, the refusals, the facts
the lamp is derived from, audit and notifications."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from luoshi.core.audit import audit_verify
from luoshi.core.errors import DomainError, NotPermitted
from luoshi.core.models import AuditEntry, Notification
from luoshi.supervision import services
from luoshi.supervision.choices import EventKind, ItemSource, ItemStatus, RequestStatus
from luoshi.supervision.models import Attachment, Item, ItemEvent
from tests.supervision.factories import DecisionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def pdf() -> tuple[str, bytes]:
    return ("验收报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def png() -> tuple[str, bytes]:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return ("现场照片.png", buf.getvalue())


def issue(people, **extra):
    data = {
        "source": ItemSource.MEETING,
        "decision": DecisionFactory(),
        "title": "城区污水管网改造",
        "content": "6月底前完成主体工程。",
        "lead_unit": people["unit_a"],
        "cooperating_units": [people["unit_b"]],
        "responsible_leader": people["leader_record"],
        "issued_on": dt.date(2026, 3, 2),
        "deadline": dt.date(2026, 3, 31),
        **extra,
    }
    return services.item_issue(actor=people["office"], data=data)


def test_the_whole_loop(people, clock):
    clock(dt.date(2026, 3, 2))
    item = issue(people)
    assert item.code == "DB2026-00001"
    assert item.status == ItemStatus.ISSUED
    assert item.acceptance_due == dt.date(2026, 3, 3)  # one working day
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"rep_a", "head_a", "rep_b"}

    clock(dt.date(2026, 3, 3))
    item = services.item_accept(actor=people["reporter"], item=item)
    assert (item.status, item.accepted_on) == (ItemStatus.ACCEPTED, dt.date(2026, 3, 3))

    clock(dt.date(2026, 3, 10))
    services.feedback_post(
        actor=people["reporter"], item=item, text="已完成管材招标。", uploads=[png()]
    )
    services.feedback_post(actor=people["coop"], item=item, text="配合完成交通导改方案。")
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS
    assert item.last_feedback_on == dt.date(2026, 3, 10)

    clock(dt.date(2026, 3, 20))
    services.closure_request(actor=people["head"], item=item, summary="主体完工。", uploads=[pdf()])
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSURE_REQUESTED
    services.closure_return(actor=people["office"], item=item, reason="缺少竣工验收材料。")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    assert item.closure_requested_on is None

    clock(dt.date(2026, 3, 25))
    services.closure_request(
        actor=people["reporter"], item=item, summary="补充验收材料。", uploads=[pdf()]
    )
    item = services.closure_verify(actor=people["office"], item=Item.objects.get(pk=item.pk))
    assert item.status == ItemStatus.CLOSED
    assert (item.done_on, item.closed_on) == (dt.date(2026, 3, 25), dt.date(2026, 3, 25))

    kinds = list(ItemEvent.objects.filter(item=item).values_list("kind", flat=True))
    assert kinds == [
        EventKind.ISSUED,
        EventKind.ACCEPTED,
        EventKind.FEEDBACK,
        EventKind.FEEDBACK,
        EventKind.CLOSURE_REQUESTED,
        EventKind.CLOSURE_RETURNED,
        EventKind.CLOSURE_REQUESTED,
        EventKind.CLOSED,
    ]
    assert Attachment.objects.filter(item=item).count() == 3
    assert (
        AuditEntry.objects.filter(object_type="supervision.item", object_id=str(item.pk)).count()
        == 7
    )
    assert audit_verify()[1] is None


def test_illegal_steps_are_refused_and_change_nothing(people, clock):
    clock(dt.date(2026, 3, 2))
    item = issue(people)
    with pytest.raises(DomainError, match="closure cannot be requested now"):
        services.closure_request(actor=people["reporter"], item=item, summary="x", uploads=[pdf()])
    with pytest.raises(DomainError, match="there is no closure request to verify"):
        services.closure_verify(actor=people["office"], item=item)
    with pytest.raises(DomainError, match="Accept the item before posting progress"):
        services.feedback_post(actor=people["reporter"], item=item, text="x")
    with pytest.raises(NotPermitted):
        services.item_accept(actor=people["coop"], item=item)
    with pytest.raises(NotPermitted):
        services.item_accept(actor=people["stranger"], item=item)
    with pytest.raises(NotPermitted):
        services.closure_verify(actor=people["reporter"], item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.ISSUED and item.version == 1
    assert not Attachment.objects.exists()


def test_closure_needs_evidence_and_a_renamed_program_is_refused(people, clock, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    clock(dt.date(2026, 3, 2))
    item = services.item_accept(actor=people["reporter"], item=issue(people))
    with pytest.raises(DomainError, match="Attach the evidence"):
        services.closure_request(actor=people["reporter"], item=item, summary="完成", uploads=[])
    with pytest.raises(DomainError, match="is a program"):
        services.closure_request(
            actor=people["reporter"],
            item=item,
            summary="完成",
            uploads=[("报告.pdf", b"MZ\x90\x00")],
        )
    with pytest.raises(DomainError, match="not what its name says"):
        services.closure_request(
            actor=people["reporter"], item=item, summary="完成", uploads=[("照片.jpg", png()[1])]
        )
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED
    assert not any(tmp_path.rglob("*.*"))


def test_a_failed_step_removes_the_files_it_stored(people, clock, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    clock(dt.date(2026, 3, 2))
    item = services.item_accept(actor=people["reporter"], item=issue(people))

    def boom(**kwargs):
        raise RuntimeError("notification service down")

    monkeypatch.setattr(services, "notify", boom)
    with pytest.raises(RuntimeError):
        services.closure_request(
            actor=people["reporter"], item=item, summary="完成", uploads=[pdf()]
        )
    assert not Attachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_deadline_in_working_days_skips_the_national_day_holiday(people, clock):
    clock(dt.date(2026, 9, 28))
    item = issue(people, issued_on=dt.date(2026, 9, 28), deadline=None, deadline_working_days=5)
    # 9-29, 9-30, then the holiday 10-1…10-7, 10-8 … (chinese-calendar 2026 arrangement)
    import chinese_calendar

    day, n = dt.date(2026, 9, 28), 0
    while n < 5:
        day += dt.timedelta(days=1)
        n += chinese_calendar.is_workday(day)
    assert item.deadline == day
    assert item.deadline_working_days == 5


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"deadline": dt.date(2026, 3, 1)}, "is before the issue date"),
        ({"deadline": dt.date(2031, 3, 1)}, "are not known yet"),
        ({"deadline": None}, "as a date or as a number of working days"),
        (
            {"source": ItemSource.INSTRUCTION, "decision": None},
            "needs the leader and the instruction",
        ),
        ({"source": ItemSource.MEETING, "decision": None}, "Choose the meeting decision"),
    ],
)
def test_bad_items_are_refused(people, clock, extra, message):
    clock(dt.date(2026, 3, 2))
    with pytest.raises(DomainError, match=message):
        issue(people, **extra)
    assert not Item.objects.exists()


def test_inactive_unit_and_duplicate_reference(people, clock):
    clock(dt.date(2026, 3, 2))
    people["unit_b"].is_active = False
    people["unit_b"].save()
    with pytest.raises(DomainError, match="no longer active"):
        issue(people)
    people["unit_b"].is_active = True
    people["unit_b"].save()
    issue(people, source=ItemSource.HOTLINE, decision=None, source_ref="12345-2026-000817")
    with pytest.raises(DomainError, match="already issued as item DB2026-00001"):
        issue(people, source=ItemSource.HOTLINE, decision=None, source_ref="12345-2026-000817")
    assert Item.objects.count() == 1


def test_extension_after_the_deadline_needs_the_office_leave(people, clock):
    clock(dt.date(2026, 3, 2))
    item = services.item_accept(actor=people["reporter"], item=issue(people))
    clock(dt.date(2026, 4, 2))
    with pytest.raises(DomainError, match="only with the supervision office's leave"):
        services.extension_request(
            actor=people["reporter"],
            item=item,
            requested_deadline=dt.date(2026, 4, 30),
            reason="雨季",
        )
    services.late_extension_allow(actor=people["office"], item=item)
    request = services.extension_request(
        actor=people["reporter"], item=item, requested_deadline=dt.date(2026, 4, 30), reason="雨季"
    )
    services.extension_decide(actor=people["office"], request=request, approve=True)
    item.refresh_from_db()
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert item.deadline == dt.date(2026, 4, 30)
    assert item.original_deadline == dt.date(2026, 3, 31)
    assert item.late_extension_allowed is False  # the leave was used


def test_reopen_counts_and_keeps_history(people, clock):
    clock(dt.date(2026, 3, 2))
    item = services.item_accept(actor=people["reporter"], item=issue(people))
    services.closure_request(actor=people["reporter"], item=item, summary="完成", uploads=[pdf()])
    services.closure_verify(actor=people["office"], item=item)
    item = services.item_reopen(actor=people["office"], item=item, reason="群众反映仍有积水。")
    assert item.status == ItemStatus.IN_PROGRESS
    assert item.reopen_count == 1 and item.done_on is None
    assert ItemEvent.objects.filter(item=item, kind=EventKind.CLOSED).exists()
