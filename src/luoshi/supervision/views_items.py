"""The item page (督办事项详情) and its workflow steps. Every step is a POST from the page that
calls one service; a refusal renders the page again with the service's message, on the
form the user filled and with their input kept. Thin views: parse, call, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.core.decorators import perm_required
from luoshi.core.errors import DomainError, apply_to_form
from luoshi.core.permissions import Perm
from luoshi.supervision import attachments, services
from luoshi.supervision import selectors_detail as selectors
from luoshi.supervision.forms_items import (
    ClosureForm,
    DecideForm,
    ExtensionForm,
    FeedbackForm,
    NoteForm,
    ReasonForm,
    ReopenForm,
)
from luoshi.supervision.models import Item
from luoshi.supervision.notice import notice_docx, notice_filename

# The forms of the page, by step; a refused step replaces its entry with the bound form.
PAGE_FORMS: dict[str, type] = {
    "feedback": FeedbackForm,
    "extension": ExtensionForm,
    "closure": ClosureForm,
    "verify": NoteForm,
    "return": ReasonForm,
    "decide": DecideForm,
    "late": NoteForm,
    "reopen": ReopenForm,
    "remind": NoteForm,
}
ROW_FORMS: dict[str, type] = {"feedback_return": ReasonForm}


def _or_404(obj: Any) -> Any:
    if obj is None:
        raise Http404
    return obj


def _render(
    request: HttpRequest,
    item: Item,
    *,
    failed: str = "",
    form: Any = None,
    error: str = "",
    target: int | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.item_page(user=request.user, item=item)
    forms = {name: cls(prefix=name) for name, cls in PAGE_FORMS.items()}
    if failed in forms and form is not None:
        forms[failed] = form
    feedback_rows = []
    for f in page.feedbacks:
        row_form = None
        if page.can.return_feedback and f.returned_at is None:
            if failed == "feedback_return" and target == f.pk and form is not None:
                row_form = form
            else:  # one form per feedback: ids must differ on the page
                row_form = ReasonForm(prefix="feedback_return", auto_id=f"id_fb{f.pk}_%s")
        feedback_rows.append((f, row_form))
    context = {
        "nav_section": "supervision",
        "page": page,
        "item": item,
        "forms": forms,
        "feedback_rows": feedback_rows,
        "failed": failed,
        "failed_target": target,
        "step_error": error,
    }
    return render(request, "supervision/item_detail.html", context, status=status)


@perm_required(Perm.VIEW_ITEMS)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _or_404(selectors.item_get(user=request.user, pk=pk))
    return _render(request, item)


def _step(
    request: HttpRequest,
    pk: int,
    name: str,
    run: Callable[[Item, dict], Any],
    done: str,
    *,
    target: int | None = None,
) -> HttpResponse:
    """Parse the step's form, run the service, then back to the page: with a success
    message, or with the refusal on the form and the input kept."""
    item = _or_404(selectors.item_get(user=request.user, pk=pk))
    form_class = PAGE_FORMS.get(name) or ROW_FORMS.get(name)
    form = None
    if form_class is not None:
        auto_id = f"id_fb{target}_%s" if name == "feedback_return" else "id_%s"
        form = form_class(request.POST, request.FILES, prefix=name, auto_id=auto_id)
    if form is not None and not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return _render(
            request, item, failed=name, form=form, error=first, target=target, status=400
        )
    try:
        run(item, form.cleaned_data if form is not None else {})
    except DomainError as exc:
        if form is not None:
            apply_to_form(form, exc)
        return _render(
            request,
            item,
            failed=name,
            form=form,
            error=str(exc.message),
            target=target,
            status=exc.status_code,
        )
    messages.success(request, done)
    return redirect("supervision:item_detail", pk=item.pk)


# ---------------------------------------------------------------------------------------
# The unit's steps


@perm_required(Perm.HANDLE_ITEMS)
@require_POST
def item_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "accept",
        lambda item, d: services.item_accept(actor=request.user, item=item),
        _("The item was accepted. Post progress as you go."),
    )


@perm_required(Perm.HANDLE_ITEMS)
@require_POST
def item_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "feedback",
        lambda item, d: services.feedback_post(
            actor=request.user,
            item=item,
            text=d["text"],
            uploads=attachments.read_uploads(d["files"]),
        ),
        _("Your progress feedback was posted."),
    )


@perm_required(Perm.HANDLE_ITEMS)
@require_POST
def item_extension(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "extension",
        lambda item, d: services.extension_request(
            actor=request.user,
            item=item,
            requested_deadline=d["requested_deadline"],
            reason=d["reason"],
        ),
        _("The extension request was sent to the supervision office."),
    )


@perm_required(Perm.HANDLE_ITEMS)
@require_POST
def item_closure(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "closure",
        lambda item, d: services.closure_request(
            actor=request.user,
            item=item,
            summary=d["summary"],
            uploads=attachments.read_uploads(d["files"]),
        ),
        _("Closure was requested; the supervision office will verify it."),
    )


# ---------------------------------------------------------------------------------------
# The office's steps


@perm_required(Perm.MANAGE_ITEMS)
@require_POST
def item_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "verify",
        lambda item, d: services.closure_verify(actor=request.user, item=item, note=d["note"]),
        _("The item was verified and closed."),
    )


@perm_required(Perm.MANAGE_ITEMS)
@require_POST
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "return",
        lambda item, d: services.closure_return(actor=request.user, item=item, reason=d["reason"]),
        _("The closure request was returned to the unit with your reason."),
    )


@perm_required(Perm.MANAGE_ITEMS)
@require_POST
def item_extension_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    def run(item: Item, d: dict) -> Any:
        extension = _or_404(selectors.extension_get(item=item, pk=request_pk))
        return services.extension_decide(
            actor=request.user,
            request=extension,
            approve=d["decision"] == "approve",
            note=d["note"],
        )

    done = (
        _("The extension was approved; the deadline is changed.")
        if request.POST.get("decide-decision") == "approve"
        else _("The extension was refused.")
    )
    return _step(request, pk, "decide", run, done, target=request_pk)


@perm_required(Perm.MANAGE_ITEMS)
@require_POST
def item_late_extension(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "late",
        lambda item, d: services.late_extension_allow(
            actor=request.user, item=item, note=d["note"]
        ),
        _("The unit may now request an extension once, after the deadline."),
    )


@perm_required(Perm.MANAGE_ITEMS)
@require_POST
def item_feedback_return(request: HttpRequest, pk: int, feedback_pk: int) -> HttpResponse:
    def run(item: Item, d: dict) -> Any:
        feedback = _or_404(selectors.feedback_get(item=item, pk=feedback_pk))
        return services.feedback_return(actor=request.user, feedback=feedback, reason=d["reason"])

    return _step(
        request,
        pk,
        "feedback_return",
        run,
        _("The feedback was sent back to the unit with your reason."),
        target=feedback_pk,
    )


@perm_required(Perm.MANAGE_ITEMS)
@require_POST
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "reopen",
        lambda item, d: services.item_reopen(
            actor=request.user, item=item, reason=d["reason"], deadline=d["deadline"]
        ),
        _("The item was reopened and the units were told."),
    )


@perm_required(Perm.MANAGE_ITEMS)
@require_POST
def item_remind(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "remind",
        lambda item, d: services.item_remind(actor=request.user, item=item, note=d["note"]),
        _("The reminder was sent."),
    )


# ---------------------------------------------------------------------------------------
# Files: attachments and the 督办单


@perm_required(Perm.VIEW_ITEMS)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, only to who may see its item; saved under its original name."""
    attachment = _or_404(selectors.attachment_get(user=request.user, pk=pk))
    path = attachments.absolute(attachment.path)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.name,  # Django writes filename* (RFC 5987) for CJK names
        content_type=attachments.CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@perm_required(Perm.VIEW_ITEMS)
def item_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The 督办单 of the item as a Word document."""
    item = _or_404(selectors.item_get(user=request.user, pk=pk))
    response = HttpResponse(
        notice_docx(item),
        content_type=attachments.CONTENT_TYPES["docx"],
    )
    filename = notice_filename(item)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
