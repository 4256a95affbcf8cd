"""Every workflow step through the item page: the happy path, and each refusal shown on
the page with the user's input kept and nothing changed."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.supervision import services
from luoshi.supervision.choices import ItemSource, ItemStatus, RequestStatus
from luoshi.supervision.models import Feedback, Item, Reminder
from tests.conftest import login_client
from tests.projects.factories import ProjectFactory
from tests.supervision_item.helpers import issue, pdf, png

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def url(item, step: str = "") -> str:
    return f"/supervision/items/{item.pk}/{step + '/' if step else ''}"


def upload(pair: tuple[str, bytes]) -> SimpleUploadedFile:
    return SimpleUploadedFile(pair[0], pair[1])


def text(response) -> str:
    return html.unescape(response.content.decode())


def refreshed(item) -> Item:
    return Item.objects.get(pk=item.pk)


def accepted(item, people):
    return services.item_accept(actor=people["reporter"], item=item)


def requested(item, people):
    accepted(item, people)
    return services.closure_request(
        actor=people["reporter"], item=item, summary="主体完工。", uploads=[pdf()]
    )


# ------------------------------------------------------------------------------ the page


def test_office_reads_the_header(item, people):
    page = text(login_client(people["office"]).get(url(item)))
    for expected in (
        item.code,
        "城区污水管网改造",
        "6月底前完成主体工程。",
        "Meeting decision",
        f"/supervision/meetings/{item.decision.meeting_id}/",
        "县发展和改革局",
        "交通局",
        "王强",
        "2026-03-31",
        "Issued",
    ):
        assert expected in page, expected
    assert "lamp-green" in page


def test_the_unit_reads_to_accept_where_the_office_reads_issued(item, people):
    page = text(login_client(people["reporter"]).get(url(item)))
    assert "To accept" in page
    assert "Accept the item" in page
    assert "Verify and close" not in page


def test_an_extended_deadline_shows_the_original(item, people, clock):
    accepted(item, people)
    request = services.extension_request(
        actor=people["reporter"], item=item, requested_deadline=dt.date(2026, 4, 30), reason="雨季"
    )
    services.extension_decide(actor=people["office"], request=request, approve=True)
    page = text(login_client(people["reporter"]).get(url(item)))
    assert "2026-04-30" in page
    assert "(extended; originally 2026-03-31)" in page


def test_actions_follow_role_and_state(item, people):
    office = text(login_client(people["office"]).get(url(item)))
    assert "Send a reminder" in office and "Accept the item" not in office
    coop = text(login_client(people["coop"]).get(url(item)))
    assert "Post your unit's part" in coop
    assert "Accept the item" not in coop and "Request closure" not in coop
    head = text(login_client(people["head"]).get(url(item)))
    assert "Accept the item" in head and "Request closure" not in head


def test_another_unit_does_not_learn_the_item_exists(item, people):
    client = login_client(people["stranger"])
    assert client.get(url(item)).status_code == 404
    assert client.post(url(item, "feedback"), {"feedback-text": "x"}).status_code == 404
    assert not Feedback.objects.exists()


# ------------------------------------------------------------------------------ the unit


def test_the_lead_unit_accepts(item, people):
    client = login_client(people["reporter"])
    response = client.post(url(item, "accept"), follow=True)
    assert refreshed(item).status == ItemStatus.ACCEPTED
    assert "The item was accepted" in text(response)


def test_a_cooperating_unit_cannot_accept(item, people):
    response = login_client(people["coop"]).post(url(item, "accept"))
    assert response.status_code == 403
    assert "Only the lead unit of this item may do this." in text(response)
    assert refreshed(item).status == ItemStatus.ISSUED


def test_accepting_twice_is_refused_with_the_state(item, people):
    accepted(item, people)
    response = login_client(people["head"]).post(url(item, "accept"))
    assert response.status_code == 400
    assert "This item is Accepted; it cannot be accepted." in text(response)


def test_the_office_cannot_use_the_units_steps(item, people):
    assert login_client(people["office"]).post(url(item, "accept")).status_code == 403


def test_feedback_with_an_attachment(item, people):
    accepted(item, people)
    client = login_client(people["reporter"])
    response = client.post(
        url(item, "feedback"),
        {"feedback-text": "已完成管材招标。", "feedback-files": [upload(png()), upload(pdf())]},
    )
    assert response.status_code == 302
    page = text(client.get(url(item)))
    assert "已完成管材招标。" in page
    assert "现场照片.png" in page and "验收报告.pdf" in page
    assert refreshed(item).status == ItemStatus.IN_PROGRESS


def test_feedback_before_accepting_is_refused_and_the_text_kept(item, people):
    response = login_client(people["reporter"]).post(
        url(item, "feedback"), {"feedback-text": "先报一下进展"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Accept the item before posting progress." in page
    assert "先报一下进展</textarea>" in page
    assert not Feedback.objects.exists()


def test_feedback_with_a_file_that_lies_about_its_kind(item, people):
    accepted(item, people)
    response = login_client(people["reporter"]).post(
        url(item, "feedback"),
        {"feedback-text": "附照片", "feedback-files": [upload(("照片.pdf", png()[1]))]},
    )
    assert response.status_code == 400
    page = text(response)
    assert "照片.pdf is not what its name says" in page
    assert "附照片</textarea>" in page
    assert not Feedback.objects.exists()


def test_empty_feedback_is_refused(item, people):
    accepted(item, people)
    response = login_client(people["reporter"]).post(url(item, "feedback"), {"feedback-text": ""})
    assert response.status_code == 400
    assert "Enter the progress." in text(response)


def test_a_cooperating_unit_posts_its_part(item, people):
    response = login_client(people["coop"]).post(
        url(item, "feedback"), {"feedback-text": "配合完成交通导改方案。"}
    )
    assert response.status_code == 302
    assert Feedback.objects.get().unit == people["unit_b"]
    assert refreshed(item).status == ItemStatus.ISSUED  # the lead unit's state is untouched


def test_extension_request_and_approval(item, people):
    accepted(item, people)
    unit = login_client(people["reporter"])
    response = unit.post(
        url(item, "extension"),
        {"extension-requested_deadline": "2026-04-30", "extension-reason": "雨季施工受阻"},
    )
    assert response.status_code == 302
    office = login_client(people["office"])
    assert "Decide the extension request" in text(office.get(url(item)))
    pending = item.extensions.get()
    response = office.post(
        url(item, f"extension/{pending.pk}/decide"), {"decide-decision": "approve"}, follow=True
    )
    assert "The extension was approved" in text(response)
    assert refreshed(item).deadline == dt.date(2026, 4, 30)


def test_extension_to_an_earlier_date_is_refused_and_the_reason_kept(item, people):
    accepted(item, people)
    response = login_client(people["reporter"]).post(
        url(item, "extension"),
        {"extension-requested_deadline": "2026-03-20", "extension-reason": "雨季施工受阻"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "The new deadline must be after the current deadline 2026-03-31." in page
    assert "雨季施工受阻</textarea>" in page
    assert not item.extensions.exists()


def test_refusing_an_extension_needs_a_note(item, people):
    accepted(item, people)
    pending = services.extension_request(
        actor=people["reporter"], item=item, requested_deadline=dt.date(2026, 4, 30), reason="雨季"
    )
    office = login_client(people["office"])
    response = office.post(
        url(item, f"extension/{pending.pk}/decide"), {"decide-decision": "refuse"}
    )
    assert response.status_code == 400
    assert "Enter the note." in text(response)
    response = office.post(
        url(item, f"extension/{pending.pk}/decide"),
        {"decide-decision": "refuse", "decide-note": "理由不充分"},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RequestStatus.REFUSED
    assert refreshed(item).deadline == dt.date(2026, 3, 31)


def test_a_late_extension_needs_the_offices_leave(item, people, clock):
    accepted(item, people)
    clock(dt.date(2026, 4, 2))
    unit = login_client(people["reporter"])
    assert "only with the supervision office's leave" in text(unit.get(url(item)))
    data = {"extension-requested_deadline": "2026-04-30", "extension-reason": "材料延迟到货"}
    response = unit.post(url(item, "extension"), data)
    assert response.status_code == 400
    assert "The deadline 2026-03-31 has passed" in text(response)
    assert "材料延迟到货</textarea>" in text(response)

    office = login_client(people["office"])
    assert office.post(url(item, "late-extension"), {"late-note": "同意补报"}).status_code == 302
    assert unit.post(url(item, "extension"), data).status_code == 302
    assert item.extensions.get().requested_deadline == dt.date(2026, 4, 30)


def test_closure_without_evidence_is_refused_and_the_summary_kept(item, people):
    accepted(item, people)
    response = login_client(people["reporter"]).post(
        url(item, "closure"), {"closure-summary": "主体工程已完工。"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Attach the evidence (a document or a photo) before requesting closure." in page
    assert "主体工程已完工。</textarea>" in page
    assert refreshed(item).status == ItemStatus.ACCEPTED


def test_closure_with_evidence(item, people):
    accepted(item, people)
    client = login_client(people["reporter"])
    response = client.post(
        url(item, "closure"),
        {"closure-summary": "主体工程已完工。", "closure-files": [upload(pdf())]},
    )
    assert response.status_code == 302
    assert refreshed(item).status == ItemStatus.CLOSURE_REQUESTED
    page = text(client.get(url(item)))
    assert "Awaiting verification" in page and "验收报告.pdf" in page
    assert "Request closure</button>" not in page


# ------------------------------------------------------------------------------ the office


def test_returning_a_closure_needs_a_reason(item, people):
    requested(item, people)
    response = login_client(people["office"]).post(url(item, "return"), {"return-reason": " "})
    assert response.status_code == 400
    assert "Enter the reason for returning." in text(response)
    assert refreshed(item).status == ItemStatus.CLOSURE_REQUESTED


def test_the_office_returns_and_the_unit_reads_why(item, people):
    requested(item, people)
    response = login_client(people["office"]).post(
        url(item, "return"), {"return-reason": "缺少竣工验收材料。"}
    )
    assert response.status_code == 302
    assert refreshed(item).status == ItemStatus.RETURNED
    page = text(login_client(people["reporter"]).get(url(item)))
    assert "The supervision office returned your closure request: 缺少竣工验收材料。" in page
    assert "Request closure" in page


def test_verify_and_close(item, people):
    requested(item, people)
    office = login_client(people["office"])
    response = office.post(url(item, "verify"), {"verify-note": "材料齐全"}, follow=True)
    assert "The item was verified and closed" in text(response)
    assert refreshed(item).status == ItemStatus.CLOSED
    response = office.post(url(item, "verify"), {})
    assert response.status_code == 400
    assert "This item is Closed; there is no closure request to verify." in text(response)


def test_reopen_needs_a_reason_then_reopens(item, people):
    requested(item, people)
    services.closure_verify(actor=people["office"], item=item)
    office = login_client(people["office"])
    response = office.post(url(item, "reopen"), {"reopen-deadline": "2026-04-30"})
    assert response.status_code == 400
    assert "Enter the reason for reopening." in text(response)
    assert 'value="2026-04-30"' in text(response)
    response = office.post(
        url(item, "reopen"),
        {"reopen-reason": "群众反映未整改到位", "reopen-deadline": "2026-04-30"},
    )
    assert response.status_code == 302
    item = refreshed(item)
    assert (item.status, item.reopen_count, item.deadline) == (
        ItemStatus.IN_PROGRESS,
        1,
        dt.date(2026, 4, 30),
    )


def test_remind_with_a_note(item, people):
    office = login_client(people["office"])
    response = office.post(url(item, "remind"), {"remind-note": ""})
    assert response.status_code == 400
    assert "Enter the note." in text(response)
    assert office.post(url(item, "remind"), {"remind-note": "请于明日前签收。"}).status_code == 302
    assert Reminder.objects.get().note == "请于明日前签收。"
    assert "请于明日前签收。" in text(login_client(people["reporter"]).get(url(item)))


def test_the_office_sends_feedback_back(item, people):
    accepted(item, people)
    feedback = services.feedback_post(actor=people["reporter"], item=item, text="正在推进。")
    office = login_client(people["office"])
    target = url(item, f"feedback/{feedback.pk}/return")
    response = office.post(target, {"feedback_return-reason": ""})
    assert response.status_code == 400
    assert "Enter the reason for sending back." in text(response)
    assert office.post(target, {"feedback_return-reason": "内容过于笼统"}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.return_reason == "内容过于笼统"
    page = text(login_client(people["reporter"]).get(url(item)))
    assert "Sent back by the office: 内容过于笼统" in page


def test_history_lists_every_step(item, people):
    requested(item, people)
    page = text(login_client(people["office"]).get(url(item)))
    timeline = page.split('data-testid="timeline"')[1]
    for kind in ("Issued", "Accepted", "Closure requested"):
        assert kind in timeline


def test_the_responsible_leader_reads_the_item_but_has_no_steps(item, people):
    page = text(login_client(people["leader"]).get(url(item)))
    assert item.code in page
    assert "What you can do now" not in page
    assert f"/supervision/items/{item.pk}/notice.docx" in page
    assert login_client(people["leader"]).post(url(item, "remind"), {}).status_code == 403


def test_a_closed_item_says_closed_once(item, people):
    requested(item, people)
    services.closure_verify(actor=people["office"], item=item)
    page = text(login_client(people["reporter"]).get(url(item)))
    assert 'data-testid="item-lamp"' not in page
    assert "lamp-reason" not in page  # closed on time: nothing to add to the status


def test_leave_for_a_late_extension_is_refused_on_a_closed_item(item, people):
    requested(item, people)
    services.closure_verify(actor=people["office"], item=item)
    response = login_client(people["office"]).post(
        url(item, "late-extension"), {"late-note": "补报"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "This item is Closed; it needs no extension." in page
    assert "补报</textarea>" in page
    assert not refreshed(item).late_extension_allowed


def test_a_bad_date_is_named_on_the_form(item, people):
    accepted(item, people)
    response = login_client(people["reporter"]).post(
        url(item, "extension"),
        {"extension-requested_deadline": "2026-13-40", "extension-reason": "雨季"},
    )
    assert response.status_code == 400
    assert "Enter a valid date." in text(response)
    assert not item.extensions.exists()


def test_an_escalated_project_problem_links_its_project(people, clock, media):
    clock(dt.date(2026, 3, 2))
    project = ProjectFactory(responsible_unit=people["unit_a"], name="工业园标准厂房")
    item = issue(people, source=ItemSource.PROJECT, decision=None, project=project)
    page = text(login_client(people["office"]).get(url(item)))
    assert f'href="/projects/{project.pk}/"' in page
    assert "工业园标准厂房" in page
