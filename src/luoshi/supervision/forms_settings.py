"""The office's supervision settings form: reminder, lamp and escalation thresholds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.supervision.models import SupervisionSettings
from luoshi.supervision.services_jobs import SETTINGS_LIMITS

LABELS = {
    "acceptance_working_days": (
        _("Accept within (working days)"),
        _("A new item not accepted within this many working days is overdue for acceptance."),
    ),
    "remind_before_working_days": (
        _("Remind before the deadline (working days)"),
        _(
            "The lead unit is reminded once when the deadline is this many working days away; 0: no early reminder."
        ),
    ),
    "yellow_within_working_days": (
        _("Yellow when the deadline is within (working days)"),
        _("The lamp turns yellow when the deadline is at most this many working days away."),
    ),
    "feedback_stale_days": (
        _("Yellow without feedback for (days)"),
        _("Calendar days since the last progress feedback after which the lamp turns yellow."),
    ),
    "escalate_after_days": (
        _("Escalate after overdue for (working days)"),
        _("An item overdue for this many working days goes on its responsible leader's list."),
    ),
    "overdue_remind_every_days": (
        _("Remind overdue items again every (days)"),
        _("Calendar days between reminders of an overdue item; 0: remind once."),
    ),
}


class SupervisionSettingsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in SETTINGS_LIMITS.items():
            label, help_text = LABELS[name]
            self.fields[name] = forms.IntegerField(
                label=label, help_text=help_text, min_value=low, max_value=high
            )

    @classmethod
    def initial_from(cls, obj: SupervisionSettings) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in SETTINGS_LIMITS}
