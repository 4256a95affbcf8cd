"""The small forms of the item page's workflow steps. They only parse (dates, the choice of
approve/refuse); every rule — required text, evidence, states, dates — is the service's,
whose message lands on the form's field (``apply_to_form``) with the user's input kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TEXTAREA = {"rows": 3}


def _text(label: Any, *, rows: int = 3, max_length: int = 5000) -> forms.CharField:
    # Not required here: the service names the missing text in the office's words.
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once; the service checks each by its content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class FeedbackForm(forms.Form):
    text = _text(pgettext_lazy("item feedback", "Progress"), rows=4)
    files = FilesField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, JPEG or PNG; up to 10 files of 20 MB."),
    )


class ExtensionForm(forms.Form):
    requested_deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = _text(_("Reason"))


class ClosureForm(forms.Form):
    summary = _text(_("How it was done"), rows=4)
    files = FilesField(
        label=_("Evidence"),
        required=False,
        help_text=_("At least one document or photo. PDF, Word, Excel, JPEG or PNG."),
    )


class ReasonForm(forms.Form):
    reason = _text(_("Reason"))


class NoteForm(forms.Form):
    note = _text(_("Note"))


class ReopenForm(forms.Form):
    reason = _text(_("Reason for reopening"))
    deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        help_text=_("Leave empty to keep the current deadline."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", pgettext_lazy("extension decision", "Approve")),
            ("refuse", pgettext_lazy("extension decision", "Refuse")),
        ],
        widget=forms.RadioSelect,
        initial="approve",
    )
    note = _text(_("Note"), rows=2)
    note.help_text = _("Required when refusing.")
