"""Forms of the meeting pages and of issuing items. They only parse input; ``services``
checks the business rules (plain ``Form``s, so a refused save never touches a model)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Leader, Unit
from luoshi.projects.unit_picker import UnitPicker
from luoshi.supervision.choices import ItemSource, MeetingKind, Priority

# With the picker, which says how to choose several, only what is particular to the field.
PICKER_HELP = {"lead_units": _("Several lead units make one item each.")}

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（{obj.code}）"

    def _check_values(self, value: Any) -> Any:
        """A unit closed since the form was opened is named, not reported as "12 is not one
        of the available choices"."""
        try:
            return super()._check_values(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            ids = [int(v) for v in value if str(v).isdigit()]
            names = list(
                Unit.objects.filter(pk__in=ids, is_active=False)
                .order_by("name")
                .values_list("name", flat=True)
            )
            if not names:
                raise
            raise ValidationError(
                gettext("%(units)s is no longer active; choose an active unit.")
                % {"units": "、".join(names)},
                code="inactive",
            ) from exc


def use_unit_picker(form: forms.Form, url: str | None, names: tuple[str, ...]) -> None:
    """Above a few hundred units, list only the chosen ones with a search beside them (the
    projects app's picker), so a province's unit list does not ride on every form."""
    if url:
        for name in names:
            if name in form.fields:
                form.fields[name].widget = UnitPicker(url=url, multiple=True)
                form.fields[name].help_text = PICKER_HELP.get(name, "")


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Leader) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class LeaderMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Leader) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


def _leaders() -> Any:
    return Leader.objects.filter(is_active=True).order_by("precedence", "id")


def _units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("order", "code").only("id", "name", "code")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Meeting type"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Meeting title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    presider = LeaderChoiceField(
        label=_("Presider"), queryset=Leader.objects.none(), required=False
    )
    # Tick boxes in columns: a county's few dozen units all in view, the chosen ones
    # visible at a glance (a Ctrl-click list hid them in its scroll). Above a few hundred
    # units the picker replaces them (``use_unit_picker``).
    attending_leaders = LeaderMultipleChoiceField(
        label=_("Attending leaders"),
        queryset=Leader.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkgrid"}),
    )
    attending_units = UnitMultipleChoiceField(
        label=_("Attending units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkgrid"}),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presider"].queryset = _leaders()
        self.fields["attending_leaders"].queryset = _leaders()
        self.fields["attending_units"].queryset = _units()


class DecisionForm(forms.Form):
    content = forms.CharField(
        label=pgettext_lazy("meeting", "Decision"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# A decision gives the source; the office chooses among the others.
STANDALONE_SOURCES = [(v, label) for v, label in ItemSource.choices if v != ItemSource.MEETING]


class IssueForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=STANDALONE_SOURCES)
    instruction_leader = LeaderChoiceField(
        label=_("Instructing leader"),
        queryset=Leader.objects.none(),
        required=False,
        help_text=_("For a leader's instruction."),
    )
    instruction_text = forms.CharField(
        label=_("Instruction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a leader's instruction: the words of the instruction (批示)."),
    )
    source_ref = forms.CharField(
        label=_("Source reference"),
        max_length=64,
        required=False,
        help_text=_("Document number, 12345 ticket or proposal number; issued only once."),
    )
    title = forms.CharField(label=_("Item title"), max_length=200)
    content = forms.CharField(
        label=_("Content and requirements"), widget=forms.Textarea(attrs={"rows": 4})
    )
    # Tick boxes in columns, as on the meeting form (the picker above a few hundred units).
    lead_units = UnitMultipleChoiceField(
        label=_("Lead units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkgrid"}),
        help_text=PICKER_HELP["lead_units"],
    )
    cooperating_units = UnitMultipleChoiceField(
        label=_("Cooperating units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkgrid"}),
    )
    responsible_leader = LeaderChoiceField(
        label=_("Responsible leader"), queryset=Leader.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    deadline_working_days = forms.IntegerField(
        label=_("Or within working days"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Counted from today on working days (holidays skipped)."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args: Any, from_decision: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("instruction_leader", "responsible_leader"):
            self.fields[name].queryset = _leaders()
        for name in ("lead_units", "cooperating_units"):
            self.fields[name].queryset = _units()
        if from_decision:
            # The decision is the source; nothing to choose.
            for name in ("source", "instruction_leader", "instruction_text", "source_ref"):
                del self.fields[name]

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "source": d.get("source", ItemSource.MEETING),
            "instruction_leader": d.get("instruction_leader"),
            "instruction_text": d.get("instruction_text", ""),
            "source_ref": d.get("source_ref", ""),
            "title": d["title"],
            "content": d["content"],
            "cooperating_units": list(d["cooperating_units"]),
            "responsible_leader": d["responsible_leader"],
            "deadline": d["deadline"],
            "deadline_working_days": d["deadline_working_days"],
            "priority": d["priority"],
        }
