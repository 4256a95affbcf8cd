"""Forms of the monthly report pages. They parse what the user typed; the rules live in
``services_reports`` (which the API and the Excel import call as well)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.projects.models import Milestone, MonthlyReport
from luoshi.projects.photos import MAX_PHOTOS_PER_REPORT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; each is checked by ``photos.photo_prepare``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        if len(files) > MAX_PHOTOS_PER_REPORT:
            raise forms.ValidationError(
                _("Send at most %(n)s photos at once.") % {"n": MAX_PHOTOS_PER_REPORT}
            )
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    """The monthly report of one project: figures, milestones reached, text, photos."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    investment_month = forms.DecimalField(
        label=_("Investment this month (10k yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("The year to date and the total since start are computed from it."),
    )
    investment_ytd = forms.DecimalField(
        label=_("Investment year to date (10k yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Only when no earlier month of this year is in luoshi; later months add up."),
    )
    investment_since_start = forms.DecimalField(
        label=_("Investment since start (10k yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Only for the project's first report; later reports add up from it."),
    )
    physical_progress = forms.IntegerField(
        label=_("Physical progress (%)"), min_value=0, max_value=100, required=False
    )
    progress_text = forms.CharField(
        label=_("Progress"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problems = forms.CharField(
        label=_("Problems met"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    help_needed = forms.CharField(
        label=_("Help needed"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    needs_coordination = forms.BooleanField(
        label=_("Needs coordination by the county"),
        required=False,
        help_text=_("The supervision office lists the problem for a coordination meeting."),
    )
    photos = MultiplePhotoField(
        label=_("Photos of progress"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB each. Location data is removed."),
    )

    def __init__(
        self,
        *args: Any,
        milestones: list[Milestone],
        first_report: bool = True,
        first_of_year: bool = True,
        weighted: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        if not first_report:
            del self.fields["investment_since_start"]
        if not first_of_year:
            del self.fields["investment_ytd"]
        if weighted:
            # Physical progress is the sum of the weights of the milestones reached.
            del self.fields["physical_progress"]
        for m in milestones:
            self.fields[f"ms_{m.pk}"] = forms.DateField(
                label=_("%(name)s reached on (planned %(planned)s)")
                % {"name": m.name, "planned": m.planned_on.isoformat()},
                required=False,
                disabled=m.reached_on is not None,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        # Figures, then milestones, then the text, the photos last.
        self.order_fields(
            [
                "version",
                "investment_month",
                "investment_ytd",
                "investment_since_start",
                *[f"ms_{m.pk}" for m in milestones],
                "physical_progress",
            ]
        )

    @staticmethod
    def initial_of(report: MonthlyReport | None, reached: dict[int, Any], milestones: list) -> dict:
        initial: dict[str, Any] = {"version": report.version if report else 0}
        if report is not None:
            for name in (
                "investment_month",
                "investment_ytd",
                "investment_since_start",
                "physical_progress",
                "progress_text",
                "problems",
                "help_needed",
                "needs_coordination",
            ):
                initial[name] = getattr(report, name)
        for m in milestones:
            initial[f"ms_{m.pk}"] = reached.get(m.pk) or m.reached_on
        return initial

    def service_data(self) -> dict[str, Any]:
        """The cleaned data in the shape ``report_save`` takes."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("ms_")}
        data.pop("photos", None)
        data.pop("version", None)
        data["milestones"] = {
            m.pk: self.cleaned_data.get(f"ms_{m.pk}")
            for m in self.milestones
            if m.reached_on is None and self.cleaned_data.get(f"ms_{m.pk}")
        }
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the report is returned.")},
    )
