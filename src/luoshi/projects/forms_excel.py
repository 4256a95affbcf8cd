"""Forms of the Excel import page and the export link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.core.clock import now
from luoshi.projects.excel.reader import MAX_FILE_BYTES


def this_year() -> int:
    return timezone.localtime(now()).year


class ProjectImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "The key-project table as the office keeps it: title rows, one or two header "
            "rows, section rows such as 一、工业项目 and a 合计 row are all fine."
        ),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": this_year()})
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // 1048576}
            )
        return upload


class ExportForm(forms.Form):
    """``?year=2026&month=10`` of the export link; the month is optional."""

    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(min_value=1, max_value=12, required=False)
