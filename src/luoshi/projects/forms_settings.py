"""Forms of the office's settings pages: the year's lamp thresholds and deadline rule,
unlocking a period. Thresholds are typed as percentages and stored as ratios."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.projects.models import YearSettings

HUNDRED = Decimal("100")


def as_percent(ratio: Decimal) -> Decimal:
    """0.955 → 95.5, 0.9 → 90 (no exponent, no trailing zeros)."""
    value = (Decimal(ratio) * HUNDRED).quantize(Decimal("0.01"))
    return value.to_integral() if value == value.to_integral() else value.normalize()


class YearSettingsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    green_pct = forms.DecimalField(
        # xgettext:no-python-format
        label=_("Green from (% of the plan)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Completion ratio from which the lamp is green, e.g. 95."),
    )
    yellow_pct = forms.DecimalField(
        # xgettext:no-python-format
        label=_("Yellow from (% of the plan)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Below this the lamp is red, e.g. 80."),
    )
    milestone_yellow_days = forms.IntegerField(
        label=_("Milestone overdue days for yellow"),
        min_value=1,
        help_text=_("A milestone not reached more than this many days after its date."),
    )
    milestone_red_days = forms.IntegerField(
        label=_("Milestone overdue days for red"), min_value=1, max_value=3650
    )
    missing_periods_red = forms.IntegerField(
        label=_("Missing reports in a row for red"), min_value=1, max_value=12
    )
    deadline_day = forms.IntegerField(
        label=_("Report deadline: day of the next month"),
        min_value=1,
        max_value=28,
        help_text=_("Periods already open keep their deadline."),
    )
    deadline_in_working_days = forms.BooleanField(
        label=_("Count the deadline in working days"),
        required=False,
        help_text=_("E.g. the 5th working day of the next month, holidays and 调休 respected."),
    )

    def __init__(self, *args: Any, fixed_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_year is not None:
            # the year of existing settings is not editable: it names them
            del self.fields["year"]
        self.fixed_year = fixed_year

    @classmethod
    def initial_from(cls, obj: YearSettings) -> dict[str, Any]:
        return {
            "year": obj.year,
            "green_pct": as_percent(obj.green_ratio),
            "yellow_pct": as_percent(obj.yellow_ratio),
            "milestone_yellow_days": obj.milestone_yellow_days,
            "milestone_red_days": obj.milestone_red_days,
            "missing_periods_red": obj.missing_periods_red,
            "deadline_day": obj.deadline_day,
            "deadline_in_working_days": obj.deadline_in_working_days,
        }

    def service_data(self) -> dict[str, Any]:
        """Cleaned data as the service takes it: ratios, not percentages."""
        d = self.cleaned_data
        return {
            "green_ratio": (d["green_pct"] / HUNDRED).quantize(Decimal("0.0001")),
            "yellow_ratio": (d["yellow_pct"] / HUNDRED).quantize(Decimal("0.0001")),
            "milestone_yellow_days": d["milestone_yellow_days"],
            "milestone_red_days": d["milestone_red_days"],
            "missing_periods_red": d["missing_periods_red"],
            "deadline_day": d["deadline_day"],
            "deadline_in_working_days": d["deadline_in_working_days"],
        }


class PeriodUnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the period unlocked?"),
        max_length=500,
        widget=forms.TextInput(),
        error_messages={"required": _("Say why the period is unlocked.")},
    )


class PeriodOpenForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=[(m, m) for m in range(1, 13)]
    )
